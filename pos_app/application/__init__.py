"""The application API: every operation a person does at the counter or in the back office,
one method each, in the spirit of Anki's collection methods.

`Register` (one per open register database) groups them by area: `register.sales`,
`register.shifts`, `register.history`, `register.refunds`, `register.access`,
`register.cards`, `register.catalog`, `register.staff`, `register.settings`,
`register.reports`. Each operation opens and commits its own transaction and writes its own
audit entry; screens (through background operations), the CLI, the soak harness and the tests
call these methods and nothing below them. Below: `pos_app.services` (operations on a unit of
work, never committing), `pos_app.db` (repositories), `pos_app.domain` (the rules).
"""
