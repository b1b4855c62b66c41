"""`sync-server`: migrate, serve, manage tenants and devices, run fees, run the job worker,
look after jobs, reconciliation flags, notification opt-outs and refused pushes, invite shop
owners and create operators for the web console."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection

from sync_server import embedded_pg
from sync_server.accounts import service as accounts
from sync_server.billing import service as billing
from sync_server.billing import stripe_client as billing_stripe
from sync_server.billing import tasks as billing_tasks
from sync_server.billing.schemas import BillingError, BillingInvoice, RemoteInvoice, StripeFailure
from sync_server.config import ConfigError, Settings
from sync_server.db import admin_engine, app_engine, check_connections, migrate
from sync_server.devices import service as devices
from sync_server.fees import service as fees
from sync_server.fees.rules import Statement
from sync_server.jobs import JobError, Runtime, log_jobs_to_stderr, run_worker
from sync_server.kit.database_errors import connection_problem
from sync_server.kit.periods import PeriodError, check_period
from sync_server.notifications import service as notifications
from sync_server.notifications.service import NotificationError
from sync_server.reconciliation import service as reconciliation
from sync_server.scope import admin_scope, tenant_scope
from sync_server.stripe_webhooks import service as stripe_webhooks
from sync_server.sync import service as sync
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sync-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("migrate", help="create or upgrade the schema (admin role)")

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        help=f"server processes sharing the port (1 to {MAX_WORKERS}; default 1): one per core",
    )

    tenant = commands.add_parser("tenants", help="shops").add_subparsers(
        dest="action", required=True
    )
    create = tenant.add_parser("create", help="add a shop")
    create.add_argument("slug")
    create.add_argument("--name", required=True)
    create.add_argument("--currency", required=True)
    create.add_argument("--timezone", required=True)
    create.add_argument("--fee-bps", type=int, default=100)
    tenant.add_parser("list", help="list shops")
    export = tenant.add_parser("export", help="every row of one shop, as JSON lines")
    export.add_argument("slug")
    export.add_argument("--output", help="file to write (default: standard output)")
    rate = tenant.add_parser("set-fee", help="a new fee rate from the 1st of an open month")
    rate.add_argument("slug")
    rate.add_argument("--bps", type=int, required=True)
    rate.add_argument("--from", dest="effective_from", required=True, help="YYYY-MM-01")
    stripe = tenant.add_parser("set-stripe", help="the shop's Stripe webhook signing secret")
    stripe.add_argument("--tenant", required=True)
    stripe.add_argument(
        "--webhook-secret", required=True, help="whsec_… from Stripe's endpoint page; - reads stdin"
    )
    stripe.add_argument("--account", help="acct_… (events of another account are refused)")

    device = commands.add_parser("devices", help="registers").add_subparsers(
        dest="action", required=True
    )
    code = device.add_parser("pair-code", help="print a one-time pairing code (15 minutes)")
    code.add_argument("--tenant", required=True)
    revoke = device.add_parser("revoke", help="revoke a device's token")
    revoke.add_argument("device")
    listing = device.add_parser("list", help="a shop's devices")
    listing.add_argument("--tenant", required=True)

    fee = commands.add_parser("fees", help="platform fees").add_subparsers(
        dest="action", required=True
    )
    statement = fee.add_parser("statement", help="a shop's statement for a month")
    statement.add_argument("--tenant", required=True)
    statement.add_argument("--period", required=True, help="YYYY-MM")
    statement.add_argument("--format", choices=("text", "json"), default="text")
    close = fee.add_parser(
        "close-period",
        help="freeze a month (and every earlier open one); a shop whose ledger differs is held",
    )
    close.add_argument("--period", required=True)
    close.add_argument(
        "--tenant", help="close this shop's held months (once `fees verify` agrees for it)"
    )
    reopen = fee.add_parser(
        "reopen-period", help="open a closed month (and every later one) again, with the reason"
    )
    reopen.add_argument("--period", required=True)
    reopen.add_argument("--reason", required=True, help="why (kept in fee_reopenings)")
    reopen.add_argument("--tenant", help="one shop only (its months are then held)")
    rates = fee.add_parser("schedule", help="a shop's fee rates and the day each starts")
    rates.add_argument("--tenant", required=True)
    fee.add_parser("verify", help="recompute open statements from scratch; fail on a difference")

    invoice = commands.add_parser(
        "invoices", help="the platform's fee invoices to shops (Stripe)"
    ).add_subparsers(dest="action", required=True)
    invoices_list = invoice.add_parser(
        "list", help="invoices per shop and closed month: amounts, carried amounts, status"
    )
    invoices_list.add_argument("--tenant", help="one shop (default: all)")
    invoices_list.add_argument("--period", help="one month (YYYY-MM)")
    invoices_list.add_argument("--format", choices=("text", "json"), default="text")
    invoices_show = invoice.add_parser("show", help="one invoice, with Stripe's view of it")
    invoices_show.add_argument("--tenant", required=True)
    invoices_show.add_argument("invoice", help="our id, Stripe's in_… id, or the month")
    invoices_retry = invoice.add_parser(
        "retry", help="invoice closed months not invoiced yet, and go on with unfinished ones"
    )
    invoices_retry.add_argument("--tenant", help="one shop (default: all)")

    worker = commands.add_parser("worker", help="run background jobs until stopped")
    worker.add_argument("--once", action="store_true", help="stop when the queue is empty")

    job = commands.add_parser("jobs", help="background jobs").add_subparsers(
        dest="action", required=True
    )
    dead = job.add_parser("dead", help="jobs that used up their retries, with the last error")
    dead.add_argument("--limit", type=int, default=100)
    retry = job.add_parser("retry", help="queue a dead job again")
    retry.add_argument("job_id", type=int)

    reconcile = commands.add_parser("reconcile", help="Stripe vs. registers").add_subparsers(
        dest="action", required=True
    )
    report = reconcile.add_parser("report", help="a shop's open reconciliation flags")
    report.add_argument("--tenant", required=True)
    report.add_argument("--all", action="store_true", help="resolved flags too")
    report.add_argument("--format", choices=("text", "json"), default="text")
    run = reconcile.add_parser("run", help="run the daily checks now")
    run.add_argument("--tenant", help="one shop (default: all)")
    run.add_argument("--json", action="store_true", help="one JSON object (one shop)")
    ack = reconcile.add_parser("ack", help="close a flag someone has looked at")
    ack.add_argument("--tenant", required=True)
    ack.add_argument("flag_id", type=int)

    notification = commands.add_parser("notifications", help="customer messages").add_subparsers(
        dest="action", required=True
    )
    opt_out = notification.add_parser("opt-out", help="never message this address again")
    opt_out.add_argument("--tenant", required=True)
    opt_out.add_argument("--address", required=True, help="an email, or an E.164 phone (+…)")
    opt_out.add_argument("--channel", choices=("email", "sms"), help="default: from the address")
    sent = notification.add_parser("list", help="a shop's notifications, newest first")
    sent.add_argument("--tenant", required=True)
    sent.add_argument("--status", choices=("queued", "sending", "sent", "skipped", "failed",
                                           "unknown"))  # fmt: skip
    sent.add_argument("--limit", type=int, default=50)
    resend = notification.add_parser(
        "retry", help="send a failed notification again (after configuring SMTP or SMS, say)"
    )
    resend.add_argument("--tenant", required=True)
    resend.add_argument("notification_id", type=uuid.UUID)

    owner = commands.add_parser("owners", help="shop owners' console accounts").add_subparsers(
        dest="action", required=True
    )
    invite = owner.add_parser(
        "invite", help="invite an owner: an email with a one-time set-password link"
    )
    invite.add_argument("--tenant", required=True)
    invite.add_argument("--email", required=True)
    invite.add_argument(
        "--print-link",
        action="store_true",
        help="print the link instead of emailing it (no mail server set up): hand it over yourself",
    )

    operator = commands.add_parser("operators", help="platform operators").add_subparsers(
        dest="action", required=True
    )
    new_operator = operator.add_parser(
        "create", help="a platform operator; the password is read from the terminal or stdin"
    )
    new_operator.add_argument("--email", required=True)
    new_operator.add_argument(
        "--totp", action="store_true", help="ask for an authenticator code at sign-in too"
    )
    operator_totp = operator.add_parser(
        "totp", help="turn an operator's authenticator code on (a new secret) or off"
    )
    operator_totp.add_argument("--email", required=True)
    operator_totp.add_argument("--off", action="store_true")

    sync = commands.add_parser("sync", help="what registers pushed").add_subparsers(
        dest="action", required=True
    )
    refused = sync.add_parser("refused", help="a shop's refused changes (quarantine), newest first")
    refused.add_argument("--tenant", required=True)
    refused.add_argument("--limit", type=int, default=50)
    refused.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _print_statement(statement: Statement) -> None:
    state = "closed" if statement.closed else "open"
    print(
        f"{statement.tenant} {statement.period} {statement.currency} ({state}, "
        f"{statement.rate_bps} bps)"
    )
    for label, value in (
        ("gross", statement.gross_minor),
        ("refunds", statement.refunds_minor),
        ("chargebacks", statement.chargebacks_minor),
        ("net", statement.net_minor),
        ("adjustments (in net)", statement.adjustments_minor),
        ("fee", statement.fee_minor),
    ):
        print(f"  {label:<22}{value:>14}")
    for product in statement.products:
        print(f"    {product.sku or '-':<16}{product.name[:30]:<32}{product.net_minor:>12}"
              f"{product.fee_minor:>10}")  # fmt: skip


class CannotWrite(Exception):
    """An `--output` file that cannot be written (exit 2, nothing half-written left behind)."""


def _write_atomically(path: str, lines: Iterable[str]) -> None:
    """Into a temporary file beside `path`, renamed over it only once complete: a failure
    leaves an existing file as it was."""
    target = Path(path)
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", delete=False
        ) as out:
            temporary = Path(out.name)
            try:
                out.writelines(lines)
            except BaseException:
                out.close()
                temporary.unlink(missing_ok=True)
                raise
        os.replace(temporary, target)
    except OSError as exc:
        raise CannotWrite(
            f"cannot write {path}: {exc.strerror or exc} (check the directory exists and is "
            "writable)"
        ) from None


def _worker(settings: Settings, *, runtime: Runtime, once: bool) -> int:
    """Run the job worker. A SIGTERM that arrives while it is still starting (before the
    queue's own graceful handlers are installed) stops it cleanly too: nothing was taken yet."""

    def stop_while_starting(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop_while_starting)  # the worker installs its own when ready

    def ready() -> None:
        if once:
            print("worker --once: running the jobs that are due, then stopping", file=sys.stderr)
        else:
            print("worker ready: waiting for jobs (SIGTERM or Ctrl+C stops it)", file=sys.stderr)
        sys.stderr.flush()

    log_jobs_to_stderr()
    outcomes = run_worker(settings, once=once, on_ready=ready, runtime=runtime)
    if once:
        ran = sum(outcomes.values())
        details = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        print(f"worker --once: {ran} job(s) run" + (f": {details}" if details else "")
              + "; nothing else is due")  # fmt: skip
    return 0


def _announce(line: str) -> None:
    print(f"sync-server: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings: Settings | None = None
    try:
        settings = Settings.from_env()
        with embedded_pg.database_settings(settings, os.environ, announce=_announce) as ready:
            return _run(args, ready)
    except (
        ConfigError,
        embedded_pg.EmbeddedPgError,
        tenants.TenantError,
        fees.FeeError,
        PeriodError,
        JobError,
        NotificationError,
        accounts.AccountError,
        BillingError,
        StripeFailure,
        CannotWrite,
    ) as exc:
        print(f"sync-server: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        # A database that is missing, refuses the role or cannot be reached: a set-up problem
        # to fix, not a traceback to read.
        problem = connection_problem(exc, settings) if settings is not None else None
        if problem is None:
            raise
        print(f"sync-server: {problem}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "migrate":
        migrate(settings)
        print("schema is up to date")
        return 0
    if args.command == "serve":
        return _serve(settings, host=args.host, port=args.port, workers=args.workers)
    if args.command == "worker":
        runtime = Runtime(settings)
        check_connections(runtime.admin, runtime.app)
        return _worker(settings, runtime=runtime, once=args.once)
    if args.command in ("jobs", "reconcile", "notifications", "sync", "owners"):
        return _operations(args, settings)
    if args.command == "invoices":
        return _invoices(args, settings)
    engine = admin_engine(settings)
    try:
        with admin_scope(engine) as scope:
            code = _admin(args, settings, scope.connection)
    finally:
        engine.dispose()
    if args.command == "fees" and args.action == "close-period":
        # After the close has committed: Stripe is never called inside a transaction.
        invoiced = _invoice_closed(settings, only=None)
        code = max(code, invoiced)
    return code


MAX_WORKERS = 32
"""More processes than this on one machine is a mistake: each holds a pool of connections."""
WORKER_START_TIMEOUT_S = 30
"""How long uvicorn's supervisor waits for a worker to answer its health check, a new one
included, before it kills it as hung (uvicorn's 5 s: on a busy machine a replacement still
importing the app is killed, again and again, each attempt adding to the load)."""


def _worker_count(raw: str) -> int:
    try:
        count = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if not 1 <= count <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_WORKERS}, got {count}")
    return count


def _serve(settings: Settings, *, host: str, port: int, workers: int) -> int:
    """Serve the API. With `workers` above 1, that many processes share the port (uvicorn's
    supervisor starts them, replaces one that dies, and passes SIGTERM on to each, which then
    shuts down as gracefully as one process does); each builds its app from the environment
    (`app.app_from_environment`)."""
    import uvicorn

    from sync_server.app import create_app, proxy_options
    from sync_server.db import connections_allowed
    from sync_server.kit import accesslog

    settings.require_token_key()
    engine = app_engine(settings)
    try:
        check_connections(engine)  # an unusable database is one line and exit 2, before serving
        if workers > 1:
            _check_connection_budget(connections_allowed(engine), settings, workers)
    except BaseException:
        engine.dispose()
        raise
    if workers > 1:
        engine.dispose()  # each process opens a pool of its own
        uvicorn.run(
            "sync_server.app:app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            timeout_graceful_shutdown=settings.shutdown_timeout_s,
            timeout_worker_healthcheck=WORKER_START_TIMEOUT_S,
            **proxy_options(settings),
        )
        return 0
    config = uvicorn.Config(
        create_app(settings, engine=engine),
        host=host,
        port=port,
        timeout_graceful_shutdown=settings.shutdown_timeout_s,
        **proxy_options(settings),
    )
    accesslog.install()  # after uvicorn.Config, which sets logging up
    try:
        uvicorn.Server(config).run()
    finally:
        engine.dispose()
    return 0


def _check_connection_budget(allowed: int, settings: Settings, workers: int) -> None:
    """Refuse a number of processes whose pools together may open more connections than
    PostgreSQL allows: under load, requests would fail with "too many clients" instead."""
    per_process = 2 * settings.pool_size  # the pool and as many again in bursts (db._engine)
    if workers * per_process > allowed:
        raise ConfigError(
            f"--workers {workers} may open {workers * per_process} connections to PostgreSQL "
            f"({per_process} each: SYNC_POOL_SIZE {settings.pool_size}, doubled in bursts), "
            f"more than the {allowed} it allows: lower --workers or SYNC_POOL_SIZE, or raise "
            "max_connections"
        )


def _admin(args: argparse.Namespace, settings: Settings, conn: Connection) -> int:
    if args.command == "tenants":
        if args.action == "create":
            created = tenants.create_tenant(
                conn,
                slug=args.slug,
                name=args.name,
                currency=args.currency,
                timezone=args.timezone,
                fee_bps=args.fee_bps,
            )
            print(f"{created.slug} {created.id}")
        elif args.action == "list":
            for shop in tenants.list_tenants(conn):
                print(f"{shop.slug}\t{shop.name}\t{shop.currency}\t{shop.timezone}\t{shop.id}")
        elif args.action == "export":
            rows = tenants.export_tenant(conn, args.slug)
            lines = (
                json.dumps({"table": table, "row": row}, default=str) + "\n" for table, row in rows
            )
            if args.output:
                _write_atomically(args.output, lines)
            else:
                sys.stdout.writelines(lines)
        elif args.action == "set-fee":
            found = tenants.require_tenant(conn, args.slug)
            starts = fees.set_rate(conn, found, bps=args.bps, effective_from=args.effective_from)
            print(f"{found.slug}: {args.bps} bps from {starts.isoformat()}")
        elif args.action == "set-stripe":
            found = tenants.require_tenant(conn, args.tenant)
            secret = args.webhook_secret
            if secret == "-":
                secret = sys.stdin.readline().strip()
            try:
                stripe_webhooks.set_account(
                    conn, tenant=found, webhook_secret=secret, account_id=args.account
                )
            except ValueError as exc:
                raise tenants.TenantError(str(exc)) from None
            print(
                f"{found.slug}: Stripe webhook secret set; endpoint path "
                f"/v1/stripe/webhooks/{found.slug}"
            )
        return 0
    if args.command == "devices":
        if args.action == "pair-code":
            key = settings.require_token_key()
            found = tenants.require_tenant(conn, args.tenant)
            issued = devices.create_pairing_code(conn, key=key, tenant=found)
            # The code alone on stdout (scripts capture it); when it stops working, for people.
            print(issued.code)
            print(
                f"valid until {issued.expires_at:%Y-%m-%d %H:%M:%S} UTC "
                f"({int(devices.PAIRING_CODE_TTL.total_seconds()) // 60} minutes), once",
                file=sys.stderr,
            )
        elif args.action == "revoke":
            try:
                device_id = uuid.UUID(args.device)
            except ValueError:
                raise tenants.TenantError(f"{args.device!r} is not a device id") from None
            if not devices.revoke(conn, device_id):
                raise tenants.TenantError(f"no device {device_id}")
            print(f"revoked {device_id}")
        elif args.action == "list":
            found = tenants.require_tenant(conn, args.tenant)
            for row in devices.list_devices(conn, found.id):
                state = "revoked" if row.revoked_at else "active"
                seen = "never"
                if row.last_seen_at is not None:
                    seen = f"{row.last_seen_at.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
                print(
                    f"{row.id}\t{row.name}\t{state}\tack={row.acknowledged_seq}\tlast_seen={seen}"
                )
        return 0
    if args.command == "fees":
        if args.action == "statement":
            found = tenants.require_tenant(conn, args.tenant)
            statements = fees.statements_for(conn, found, check_period(args.period))
            if args.format == "json":
                payload = [item.to_json() for item in statements]
                print(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2))
            else:
                for item in statements:
                    _print_statement(item)
        elif args.action == "close-period":
            if args.tenant:
                found = tenants.require_tenant(conn, args.tenant)
                released = fees.close_held(conn, found)
                print(f"closed the held months of {found.slug}: {len(released)} statements")
                return 0
            closed = fees.close_period(conn, check_period(args.period))
            totals = ", ".join(
                f"{currency} {total}" for currency, total in closed.fees_by_currency().items()
            )
            print(
                f"closed up to {args.period}: {len(closed.frozen)} statements, "
                f"fees {totals or 'none'} (minor)"
            )
            for slug, problems in closed.held.items():
                print(f"held for {slug}: {problems[0]}", file=sys.stderr)
            if closed.held:
                return 1
        elif args.action == "reopen-period":
            only = tenants.require_tenant(conn, args.tenant) if args.tenant else None
            billing.check_reopenable(conn, check_period(args.period), only)
            first, last = fees.reopen_period(
                conn, check_period(args.period), reason=args.reason, tenant=only
            )
            whom = "every shop" if only is None else only.slug
            span = first if first == last else f"{first} to {last}"
            print(f"reopened {span} for {whom}")
        elif args.action == "schedule":
            found = tenants.require_tenant(conn, args.tenant)
            for starts, bps in fees.schedule(conn, found):
                print(f"{starts.isoformat()}\t{bps} bps")
        elif args.action == "verify":
            return _verify_fees(conn, settings)
        return 0
    if args.command == "operators":
        return _operators(args, conn)
    raise AssertionError(args.command)


def _operators(args: argparse.Namespace, conn: Connection) -> int:
    if args.action == "create":
        created = accounts.create_operator(
            conn, email=args.email, password=_read_new_password(), with_totp=args.totp
        )
        print(f"operator {created.email} created ({created.id})")
        if created.totp_uri:
            _print_totp(created.totp_uri)
    elif args.off:
        accounts.remove_operator_totp(conn, email=args.email)
        print(f"{args.email}: no authenticator code asked at sign-in any more")
    else:
        _print_totp(accounts.enrol_operator_totp(conn, email=args.email))
    return 0


def _print_totp(uri: str) -> None:
    print("add this to an authenticator app (shown once; any older one stops working):")
    print(uri)


def _read_new_password() -> str:
    """From the terminal (asked twice), else one line of stdin: never from the command line,
    where other users see it in the process list and it stays in shell history."""
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("the same again: ") != password:
            raise accounts.AccountError("the two passwords differ: nothing was created")
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _billing_checks(
    conn: Connection, settings: Settings, slugs: dict[uuid.UUID, str]
) -> list[fees.CheckResult]:
    """The invoice checks of `fees verify` (only once billing is configured: before that no
    month is invoiced, and none is expected to be)."""
    client = billing_stripe.from_settings(settings)
    if client is None:
        return []

    def fetch(invoice_id: str) -> RemoteInvoice | None:
        try:
            return client.get_invoice(invoice_id)
        except StripeFailure as failure:
            if failure.status == 404:
                return None
            raise

    with client:
        return [
            fees.CheckResult(
                "invoices",
                "per shop and closed month, invoiced − credited + carried out − carried in "
                "equals the frozen fee",
                billing.invoiced_equals_fee(conn, slugs),
            ),
            fees.CheckResult(
                "stripe",
                "every invoice reached Stripe, and Stripe's invoice agrees with ours (status, "
                "total, credit notes, our id)",
                billing.stripe_agrees(conn, slugs, fetch),
            ),
        ]


def _verify_fees(conn: Connection, settings: Settings) -> int:
    """`fees verify`: one line per check (on stderr with its differences, shop by shop, when it
    found any); exit 1 when any did."""
    slugs = {t.id: t.slug for t in tenants.list_tenants(conn)}
    results = fees.run_checks(conn) + _billing_checks(conn, settings, slugs)
    for result in results:
        if result.passed:
            print(f"check {result.name}: ok ({result.description})")
            continue
        print(
            f"check {result.name}: {result.count} difference(s) in {len(result.problems)} "
            f"shop(s) ({result.description})",
            file=sys.stderr,
        )
        for tenant_id, problems in sorted(result.problems.items(), key=lambda i: slugs[i[0]]):
            print(f"  shop {slugs[tenant_id]}:", file=sys.stderr)
            for problem in problems:
                print(f"    {problem}", file=sys.stderr)
    if not settings.billing_stripe_key:
        print("check invoices: skipped (SYNC_BILLING_STRIPE_KEY is not set: nothing is invoiced)")
    by_shop = fees.by_shop(results)
    if by_shop:
        count = sum(len(problems) for problems in by_shop.values())
        print(f"fees verify: {count} difference(s) in {len(by_shop)} shop(s)", file=sys.stderr)
        return 1
    print("fees verify: the ledger equals the recomputation")
    return 0


def _invoice_closed(settings: Settings, *, only: Tenant | None, force: bool = False) -> int:
    """Invoice what closed months have not invoiced yet (none without a Stripe key)."""
    client = billing_stripe.from_settings(settings)
    if client is None:
        print("invoices: none sent (SYNC_BILLING_STRIPE_KEY is not set)")
        return 0
    runtime = Runtime(settings)
    try:
        with client:
            report = billing_tasks.invoice_all(
                runtime.app,
                runtime.admin,
                client,
                days_until_due=settings.billing_days_until_due,
                concurrency=settings.billing_concurrency,
                only=only,
                force=force,
            )
    finally:
        runtime.dispose()
    first, *rest = report.lines()
    print(first)
    for line in rest:
        print(line, file=sys.stderr if line.lstrip().startswith("failed") else sys.stdout)
    return 1 if report.failed else 0


INVOICE_COLUMNS = (
    "shop", "period", "currency", "fee", "invoiced", "credited", "due", "carried-in",
    "carried-out", "status", "step", "stripe-id", "attempts", "last-error",
)  # fmt: skip
"""`invoices list`'s columns (amounts in minor units), tab-separated under a header row."""


def _invoice_line(record: BillingInvoice, slug: str) -> str:
    error = " ".join((record.last_error or "").split())[:200] or "-"
    cells = (
        slug, record.period, record.currency, record.fee_minor, record.charge_minor,
        record.credit_minor, record.amount_minor, record.carried_in_minor,
        record.carried_out_minor, record.status, record.step, record.stripe_invoice_id or "-",
        record.attempts, error,
    )  # fmt: skip
    return "\t".join(str(cell) for cell in cells)


def _invoices(args: argparse.Namespace, settings: Settings) -> int:
    """`invoices list|show|retry` (admin role for the listing; each shop's invoicing runs under
    its own row-level security)."""
    engine = admin_engine(settings)
    try:
        with admin_scope(engine) as scope:
            conn = scope.connection
            slugs = {t.id: t.slug for t in tenants.list_tenants(conn)}
            only = tenants.require_tenant(conn, args.tenant) if args.tenant else None
            if args.action == "list":
                period = check_period(args.period) if args.period else None
                records = [
                    record
                    for record in billing.all_invoices(conn)
                    if (only is None or record.tenant_id == only.id)
                    and (period is None or record.period == period)
                ]
                if args.format == "json":
                    listed = [r.to_json(slugs.get(r.tenant_id)) for r in records]
                    print(json.dumps(listed, indent=2))
                    return 0
                if not records:
                    print("no invoices")
                    return 0
                print("\t".join(INVOICE_COLUMNS))
                for record in sorted(records, key=lambda r: (r.period, slugs[r.tenant_id])):
                    print(_invoice_line(record, slugs[record.tenant_id]))
                return 0
            if args.action == "show":
                assert only is not None
                record = billing.find_invoice(conn, only.id, args.invoice)
        if args.action == "retry":
            return _invoice_closed(settings, only=only, force=True)
    finally:
        engine.dispose()
    assert only is not None
    payload = record.to_json(only.slug)
    client = billing_stripe.from_settings(settings)
    if client is not None and record.stripe_invoice_id is not None:
        with client:
            remote = client.get_invoice(record.stripe_invoice_id)
        payload["stripe"] = {
            "status": remote.status,
            "total": remote.total,
            "amount_due": remote.amount_due,
            "amount_paid": remote.amount_paid,
            "amount_remaining": remote.amount_remaining,
            "credited": remote.credited,
            "attempt_count": remote.attempt_count,
            "hosted_invoice_url": remote.hosted_invoice_url,
            "agrees": not billing.remote_mismatches(record, remote),
        }
    print(json.dumps(payload, indent=2))
    return 0


def _operations(args: argparse.Namespace, settings: Settings) -> int:
    """Jobs (admin role) and per-shop commands (application role, under row-level security)."""
    from sync_server.jobs import dead_jobs, reconcile_all, retry_dead_job

    runtime = Runtime(settings)
    try:
        if args.command == "jobs":
            if args.action == "dead":
                for item in dead_jobs(runtime.admin, args.limit):
                    when = item.failed_at.isoformat(timespec="seconds") if item.failed_at else "-"
                    error = " ".join((item.error or "").split())[:300]  # one line per job
                    print(f"{item.id}\t{item.task_name}\t{item.queue}\tattempts={item.attempts}"
                          f"\t{when}\t{json.dumps(item.args)}\t{error}")  # fmt: skip
            else:
                retry_dead_job(runtime.admin, args.job_id)
                print(f"job {args.job_id} queued again")
            return 0
        if args.command == "reconcile" and args.action == "run" and args.tenant is None:
            print(f"open flags: {reconcile_all(runtime, datetime.now(UTC))}")
            return 0
        with admin_scope(runtime.admin) as scope:
            tenant = tenants.require_tenant(scope.connection, args.tenant)
        with tenant_scope(runtime.app, tenant.id) as scope:
            return _tenant_operation(args, tenant, scope.connection, settings)
    finally:
        runtime.dispose()


def _tenant_operation(
    args: argparse.Namespace, tenant: Tenant, conn: Connection, settings: Settings
) -> int:
    now = datetime.now(UTC)
    if args.command == "owners":
        return _invite_owner(args, tenant, conn, settings)
    if args.command == "reconcile":
        if args.action == "run":
            result = reconciliation.run_daily(conn, tenant=tenant, now=now)
            if args.json:
                print(json.dumps({"tenant": tenant.slug, **asdict(result)}, indent=2))
            else:
                print(f"{tenant.slug}: daily reconciliation done")
                for line in result.lines():
                    print(f"  {line}")
                print(f"  see the flags with `sync-server reconcile report --tenant {tenant.slug}`")
        elif args.action == "ack":
            if not reconciliation.acknowledge(
                conn, tenant_id=tenant.id, flag_id=args.flag_id, now=now
            ):
                raise tenants.TenantError(f"no open flag {args.flag_id} for {tenant.slug}")
            print(f"flag {args.flag_id} closed")
        else:
            flags = reconciliation.report(conn, tenant_id=tenant.id, include_resolved=args.all)
            if args.format == "json":
                print(json.dumps([asdict(flag) for flag in flags], default=str, indent=2))
            for flag in flags if args.format == "text" else ():
                amount = f"{flag.amount_minor} {flag.currency}" if flag.currency else "-"
                state = f"resolved {flag.resolved_at:%Y-%m-%d}" if flag.resolved_at else "open"
                print(f"{flag.id}\t{flag.kind}\t{flag.object_id}\t{flag.order_id or '-'}\t"
                      f"{amount}\t{state}\t{flag.detail}")  # fmt: skip
            if args.format == "text" and not flags:
                print(f"{tenant.slug}: nothing to reconcile")
        return 0
    if args.command == "sync":
        return _refused(tenant, conn, limit=args.limit, as_json=args.format == "json")
    if args.action == "opt-out":
        channel = args.channel or ("sms" if args.address.strip().startswith("+") else "email")
        added = notifications.opt_out(
            conn, tenant_id=tenant.id, channel=channel, address=args.address, source="cli"
        )
        print(f"{args.address} {'opted out' if added else 'had already opted out'} ({channel})")
        return 0
    if args.action == "retry":
        notifications.retry(conn, tenant_id=tenant.id, notification_id=args.notification_id)
        print(f"notification {args.notification_id} queued again: the worker sends it")
        return 0
    for row in notifications.listing(conn, tenant.id, args.status, args.limit):
        print(f"{row.id}\t{row.kind}\t{row.channel}\t{row.to_address}\t{row.status}\t"
              f"attempts={row.attempts}\t{row.provider_message_id or ''}\t"
              f"{row.last_error or ''}")  # fmt: skip
    return 0


def _invite_owner(
    args: argparse.Namespace, tenant: Tenant, conn: Connection, settings: Settings
) -> int:
    invited = accounts.invite_owner(
        conn,
        key=settings.require_token_key(),
        tenant=tenant,
        email=args.email,
        public_base_url=settings.console_url,
        send_email=not args.print_link,
    )
    until = f"{invited.expires_at:%Y-%m-%d %H:%M} UTC"
    if args.print_link:
        # The link alone on stdout (scripts capture it); what it is, for people, on stderr.
        print(invited.link)
        print(
            f"{invited.email} may set a password for {tenant.slug} with this link, once, "
            f"until {until}: hand it over privately",
            file=sys.stderr,
        )
    else:
        print(
            f"invitation for {invited.email} ({tenant.slug}) queued: the worker emails it; "
            f"the link works once, until {until}"
        )
    return 0


def _refused(tenant: Tenant, conn: Connection, *, limit: int, as_json: bool) -> int:
    rows = sync.refused(conn, tenant.id, limit)
    if as_json:
        print(json.dumps([row._asdict() for row in rows], default=str, indent=2))
        return 0
    for row in rows:
        print(f"{row.received_at:%Y-%m-%d %H:%M:%S}\t{row.device_id}\tseq={row.seq}\t"
              f"{row.entity}\t{row.entity_id}\t{row.code}\t{row.field}: {row.reason}")  # fmt: skip
    if not rows:
        print(f"{tenant.slug}: no refused changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
