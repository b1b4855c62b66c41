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

How the operators' pages (`operator_pages`) read across shops while owner requests stay under
row-level security: the web process holds both engines, but which one a request gets is decided
by the session row `console_session` finds for the cookie's HMAC, on the application role,
before anything else is read. Owner routes depend on `owner_request` (application role, the
shop set by that same statement); operator routes on `operator_request`, which refuses any
other session with a 403 page before it takes an admin connection (the admin engine is not
even made until an operator asks). No owner route touches the admin engine, and no field, id
or URL can make an owner's session an operator's. Across shops, operator pages call the
functions the `sync-server` commands call as the admin role (`fees.close_period`,
`fees.verify_by_shop`, `queue.failed_jobs`, `sync.refused` shop by shop, ...); a write the
CLI makes on the application role (an owner's invitation) is made there by the console too,
in a transaction scoped to that shop (`scope.tenant_scope`). The README's "Operator pages"
section says the same for readers of the deployment.
"""
