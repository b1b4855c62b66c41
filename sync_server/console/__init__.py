"""The web console for shop owners and platform operators: server-rendered pages (Jinja2) under
`/console`, above the domains it reads (its endpoints call their services, never a repository).

Who may read what:
- An owner's request resolves its session cookie through the application role
  (`console_session`, SECURITY DEFINER) and the same statement scopes the transaction to the
  owner's shop (`app.tenant_id`): every page then runs under row-level security exactly as a
  register's push does, and its queries also name the shop (`tenant_id = :t`).
- An operator's request resolves the session the same way on the application role; only once
  it is an operator's does `auth.operator_request` open a transaction on the admin engine
  (see `auth` for why that and not a SECURITY DEFINER read per page).
"""
