"""A local Stripe (API 2023-08-16, test mode): Terminal server-driven payments and friends,
and billing (customers, saved cards, invoices, credit notes, Checkout in setup mode:
billing.py, customers.py, checkout.py).

Used by the test suite, by demo mode, and by `pos-app stripe-emulator --port N`. The app talks
to it with the official SDK exactly as it talks to Stripe::

    client = stripe.StripeClient(emu.test_key, base_addresses={"api": emu.base_url},
                                 http_client=stripe.HTTPXClient(allow_sync_methods=True),
                                 stripe_version="2023-08-16", max_network_retries=2)

Python API (stable; tests and the app rely on it)::

    from pos_app.payments.emulator import StripeEmulator
    emu = StripeEmulator(host="127.0.0.1", port=0, auto_present_delay=None, openapi_spec=None,
                         webhook_endpoints=[], latency=0.0)
    emu.start()                     # background threads; returns emu; emu.base_url
    emu.stop()                      # also `with StripeEmulator() as emu:`
    emu.test_key                    # an accepted key (any sk_test_/rk_test_ key works)

    # clock and readers
    emu.advance_clock(seconds)      # emulator time; runs what became due (auth expiry...)
    emu.set_reader_online(reader_id, False)   # -> terminal_reader_offline
    emu.set_reader_busy(reader_id, True)      # -> terminal_reader_busy
    emu.customer_cancel(reader_id)            # action fails with customer_canceled
    emu.present_card(reader_id, number=None, tip=0)   # the test helper, without HTTP
    emu.add_reader_fault(reader_id, "ack_timeout" | "ack_timeout_delivered"
                         | "connection_error" | "connection_error_after_auth", times=1)

    # faults on the HTTP layer (see faults.py)
    emu.faults.add(method="POST", path="/v1/payment_intents/*/capture", kind="drop_after",
                   times=1)     # kinds: delay, error_before, error_after, drop_before, drop_after,
                                #        rate_limit (Stripe's 429)
    emu.faults.add(method="*", path="/v1/*", kind="error_before", probability=0.2, seed=7)
    emu.set_latency(0.05)

    # disputes (the cardholder's bank)
    emu.create_dispute(charge_or_pi_id, reason="fraudulent", amount=None, inquiry=False)
    emu.resolve_dispute(dispute_id, won=True)

    # billing (the platform invoicing shops): objects through the API; these are the knobs
    StripeEmulator(invoice_retry_days=(3, 5, 7),      # automatic retries, days after the last
                   invoice_final_action="mark_uncollectible" | "leave_open")
    emu.customers, emu.invoices, emu.invoice_items, emu.credit_notes
    # invoice.hosted_invoice_url -> GET {base_url}/i/{invoice}: an HTML page with a Pay button
    # (POST {base_url}/i/{invoice}/pay, form payment_method=pm_card_visa)
    emu.checkout_sessions, emu.setup_intents, emu.payment_methods
    # a setup-mode session's url -> GET {base_url}/c/pay/{session}: test cards to save
    # (POST .../confirm, form card=4242424242424242 -> 303 to success_url; .../cancel)

    # webhooks
    emu.add_webhook_endpoint(url, secret=None) -> "whsec_..."
    emu.redeliver(event_id); emu.deliver_shuffled(event_ids, seed=1)
    emu.pause_webhooks(); emu.resume_webhooks(); emu.wait_for_webhooks()
    emu.webhook_attempts

    # what happened (snapshots, thread-safe)
    emu.requests                    # RecordedRequest: method, path, query, params, headers...
    emu.spec_violations             # requests Stripe's OpenAPI description would refuse
    emu.events, emu.events_of_type("payment_intent.succeeded")
    emu.payment_intents, emu.charges, emu.refunds, emu.readers, emu.locations, emu.disputes
    emu.state; emu.get(object_id)

Options: `reader_action_timeout` (default 300 s: a payment nobody taps fails with
`terminal_reader_timeout`), `authorization_delay` (seconds a presented card stays
"authorizing", when the reader answers busy), `auth_validity_seconds` (2 days),
`search_delay` (search's eventual consistency), `webhook_retry_delays`, `data_dir` (keep the
objects in `DIR/stripe-emulator.sqlite3` across restarts, written through after every change).

Every route's parameters are checked at every depth before it runs (tables in accepted.py,
held to Stripe's OpenAPI description by the test suite).

The same controls exist over HTTP under `/_emulator/` (JSON bodies): `clock/advance`,
`latency`, `faults`, `readers/{id}/online|busy|customer_cancel|faults`, `disputes`,
`disputes/{id}/resolve`, `events/{id}/redeliver`, `events/deliver_shuffled`,
`webhook_endpoints`, `requests`, `spec_violations`, `health`.
"""

from pos_app.payments.emulator.emulator import TEST_KEY, SpecViolation, StripeEmulator
from pos_app.payments.emulator.events import WebhookEndpoint, sign_payload
from pos_app.payments.emulator.faults import FaultKind, FaultRule
from pos_app.payments.emulator.server import RecordedRequest

__all__ = [
    "TEST_KEY",
    "FaultKind",
    "FaultRule",
    "RecordedRequest",
    "SpecViolation",
    "StripeEmulator",
    "WebhookEndpoint",
    "sign_payload",
]
