"""The `pos-app` command: the GUI, and headless commands for support staff, scripts and tests."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_app import __version__
from pos_app.config import AppConfig, load_config
from pos_app.domain.errors import DomainError
from pos_app.platform_demo import DEFAULT_PORT

if TYPE_CHECKING:
    from pos_app.application.register import Register

EXIT_AFTER_STARTUP = (
    "start the GUI, print how long it took to become usable, and exit "
    "(smoke tests of the packaged app, the start-up benchmark)"
)
WINDOWED = (
    "open the counter in a window that fits the screen (an office PC) instead of full screen "
    "(a register); POS_WINDOWED=1 does the same"
)


def _open_database(config: AppConfig):  # type: ignore[no-untyped-def]
    from pos_app.db.database import Database

    return Database(config.db_path)


log = logging.getLogger("pos_app.cli")

_HEADLESS_UNLOGGED = frozenset({None, "run", "demo", "stripe-emulator"})
"""The GUI sets its log up itself (`app.run_gui`); the emulator is a test server."""


def _fail(message: str, code: int = 1) -> int:
    print(f"pos-app: {message}", file=sys.stderr)
    log.warning("failed: %s", message)
    return code


def _log_to_data_dir(config: AppConfig, command: str) -> None:
    """Headless commands log to the data dir's `logs/pos-app.log`, like the GUI: what a
    scripted sale or a sync did is there for support afterwards."""
    from pos_app.app import setup_logging

    try:
        setup_logging(config)
    except OSError:
        return  # a log that cannot be written must not stop a sale
    log.info("pos-app %s", command)


def cmd_gui(args: argparse.Namespace, config: AppConfig, *, demo: bool) -> int:
    from dataclasses import replace

    from pos_app.app import run_gui

    if args.windowed:
        config = replace(config, windowed=True)
    return run_gui(config, demo=demo, exit_after_startup=args.exit_after_startup)


def cmd_self_test(args: argparse.Namespace, config: AppConfig) -> int:
    """Migrate a throwaway data dir, ring up a sale, pay cash, print the Z report; then check
    what a packaged app must carry: the receipt printer's ESC/POS rendering, the compiled
    translations and the OS keyring."""
    from pos_app.application.register import Register

    with tempfile.TemporaryDirectory(prefix="pos-self-test-") as tmp:
        register = Register.open(AppConfig(data_dir=Path(tmp)), demo=True)
        try:
            staff = register.access.staff_by_name("Sam")
            register.shifts.ensure_open(staff, float_minor=10_000)
            placed = register.sales.scripted_sale(
                staff, [("COF-LAT", 2), ("BAK-CRO", 1)], pay="cash", tendered_minor=None
            )
            report = register.shifts.close_or_last_z(staff, counted_minor=None)
            receipt_bytes = _render_receipt(register, placed["id"])
        finally:
            register.close()
    print(f"self-test: order #{placed['number']} total {placed['total_minor']} paid in cash")
    print(report.to_text())
    if report.orders_count != 1 or report.total_minor != placed["total_minor"]:
        return _fail("self-test: the Z report does not match the sale")
    print(f"self-test: receipt rendered as {receipt_bytes} bytes of ESC/POS")
    print(f"self-test: translations: {_translations()}")
    print(f"self-test: keyring: {_keyring_check()}")
    print("self-test: OK")
    return 0


def _render_receipt(register: Register, order_id: str) -> int:
    from uuid import UUID

    from pos_app.integrations.printing.escpos_render import render_receipt

    return len(render_receipt(register.history.receipt(UUID(order_id)), width=42))


def _translations() -> str:
    from pos_app.ui.i18n import SHIPPED_LOCALES, compiled_catalog

    found = [name for name in SHIPPED_LOCALES if compiled_catalog(name) is not None]
    return ", ".join(found) if found else "none compiled (English only)"


def _keyring_check() -> str:
    """Write, read back and delete a throwaway entry. No keyring service is not a failure:
    the register sells cash without one; the line says why cards cannot be set up."""
    import secrets as random_source

    from pos_app.integrations.secrets import SecretStore, SecretsUnavailable

    probe = f"self-test-{random_source.token_hex(8)}"
    try:
        store = SecretStore()
        store.set(probe, probe)
        try:
            read_back = store.get(probe)
        finally:
            store.delete(probe)
    except SecretsUnavailable as error:
        return f"unavailable: {error}"
    if read_back != probe:
        return f"{store.backend_name} did not return what was stored"
    return f"OK ({store.backend_name})"


def cmd_setup(args: argparse.Namespace, config: AppConfig) -> int:
    """A new shop without the GUI: the first-run screen's "new shop", through the same service."""
    from pos_app.application.settings import ShopSetup
    from pos_app.domain.errors import ValidationError
    from pos_app.domain.pricing import TaxMode
    from pos_app.domain.staff import PIN_RULE
    from pos_app.services import setup as setup_service

    pin = sys.stdin.readline().strip() if args.owner_pin == "-" else args.owner_pin
    # The service's messages name no value (the first-run screen translates them): say which.
    culprits = {
        setup_service.NAME_THE_SHOP: f"--name {args.name!r}",
        setup_service.UNKNOWN_CURRENCY: f"--currency {args.currency!r}",
        setup_service.UNKNOWN_TIMEZONE: f"--timezone {args.timezone!r}",
        setup_service.UNKNOWN_LANGUAGE: f"--language {args.language!r}",
        setup_service.NAME_THE_OWNER: f"--owner-name {args.owner_name!r}",
        PIN_RULE: "--owner-pin",
    }
    db = _open_database(config)
    try:
        shop = ShopSetup(db).create_shop(
            name=args.name,
            currency=args.currency.upper(),
            tax_mode=TaxMode(args.tax),
            locale=args.language,
            timezone=args.timezone,
            owner_name=args.owner_name,
            owner_pin=pin,
        )
    except ValidationError as error:
        culprit = culprits.get(str(error))
        return _fail(f"setup {culprit}: {error}" if culprit else f"setup: {error}")
    finally:
        db.dispose()
    print(
        f"set up {shop.name!r} in {config.data_dir}: {shop.currency}, prices {args.tax} of tax, "
        f"{shop.timezone}, {shop.locale}; owner {args.owner_name.strip()!r}"
    )
    return 0


def cmd_catalog_import(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.application.register import Register
    from pos_app.domain.staff import Permission, authorize

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"cannot read {path}: no such file")
    register = Register.open(config)
    try:
        owner = register.access.cli_staff(None)
        result = register.catalog.import_csv_file(
            path, authorization=authorize(owner, Permission.MANAGE_CATALOG)
        )
    except OSError as error:
        return _fail(f"cannot read {path}: {error.strerror}")
    finally:
        register.close()
    print(
        f"imported {path.name}: {result.created} new, {result.updated} updated, "
        f"{result.categories_created} new categories"
    )
    return 0


def _parse_items(items: Sequence[str]) -> list[tuple[str, int]]:
    parsed = []
    for item in items:
        sku, _, qty = item.partition(":")
        if not sku:
            raise DomainError(f"--item {item!r}: give a SKU, like LATTE or LATTE:2")
        if qty and not qty.isdigit():
            raise DomainError(f"--item {item!r}: the quantity must be a whole number")
        parsed.append((sku, int(qty) if qty else 1))
    return parsed


def cmd_sale(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.application.register import Register
    from pos_app.domain.money import parse_major

    register = Register.open(config)
    try:
        staff = register.access.cli_staff(args.staff)
        tendered = parse_major(args.tendered, register.shop.currency) if args.tendered else None
        tip = parse_major(args.tip, register.shop.currency) if args.tip else 0
        if args.pay == "cash" and (args.present_card or args.card_wait is not None):
            raise DomainError("--present-card and --card-wait are for --pay card")
        if args.pay == "cash":
            register.shifts.ensure_open(staff, float_minor=0)
        placed = register.sales.scripted_sale(
            staff,
            _parse_items(args.item),
            pay=args.pay,
            tendered_minor=tendered,
            tip_minor=tip,
            card_wait_s=args.card_wait,
            present_card=args.present_card,
        )
    finally:
        register.close()
    print(json.dumps(placed, indent=2))
    return 0


def cmd_reader(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.application.register import Register

    register = Register.open(config)
    try:
        reader_id = register.cards.present_test_card(card_number=args.card, wait_s=args.wait)
    finally:
        register.close()
    print(f"presented test card {args.card or 'the default (Visa 4242)'} on reader {reader_id}")
    return 0


def cmd_report(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.application.register import Register
    from pos_app.domain.money import parse_major

    register = Register.open(config)
    try:
        staff = register.access.cli_staff(args.staff)
        if args.kind == "x":
            report = register.shifts.x_report()
        else:
            counted = parse_major(args.counted, register.shop.currency) if args.counted else None
            report = register.shifts.close_or_last_z(
                staff, counted_minor=counted, leave_unfinished=args.leave_open_orders
            )
    finally:
        register.close()
    print(json.dumps(report.to_json(), indent=2) if args.json else report.to_text())
    return 0


def _sync_engine(config: AppConfig):  # type: ignore[no-untyped-def]
    from pos_app.application.sync import SyncEngine, default_client_factory
    from pos_app.db.database import Database

    db = Database(config.db_path)
    return db, SyncEngine(db, client_factory=default_client_factory(config.sync_ca_file))


def cmd_pair(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.db.database import put_back, set_aside
    from pos_app.integrations.sync_client import SyncError

    # The owner's explicit choice: this register's data (another shop's, say) is moved aside,
    # and put back if the pairing does not go through.
    kept = set_aside(config.db_path) if args.wipe_local_data else None
    db, engine = _sync_engine(config)
    paired = False
    try:
        owner = (args.owner_name, args.owner_pin) if args.owner_pin else None
        result = engine.pair(
            server_url=args.server, code=args.code, device_name=args.name, owner=owner
        )
        paired = True
        try:
            report = engine.sync_once()
            synced = f"; first sync: {report.pulled} changes pulled, {report.pushed} pushed"
        except (SyncError, OSError) as error:
            synced = f"; first sync failed ({error}): `pos-app sync` retries"
    except SyncError as error:
        return _fail(f"pairing failed: {error}")
    finally:
        db.dispose()
        if kept is not None and not paired:
            put_back(config.db_path, kept)
    shop = result.tenant.get("name", "the shop")
    print(f"paired with {shop} as device {result.device_id}{synced}")
    if kept is not None:
        print(f"the previous data of this register is kept in {kept}")
    return 0


def cmd_sync(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.integrations.sync_client import SyncError

    db, engine = _sync_engine(config)
    try:
        if args.status:
            status = engine.status()
            print(
                json.dumps(
                    {
                        "summary": status.summary(),
                        "paired": status.paired,
                        "revoked": status.revoked,
                        "server_url": status.server_url,
                        "device_id": status.device_id,
                        "pending": status.pending,
                        "last_success_at": status.last_success_at.isoformat()
                        if status.last_success_at
                        else None,
                        "last_error": status.last_error,
                        "offline_since": status.offline_since.isoformat()
                        if status.offline_since
                        else None,
                        "negative_stock": list(status.negative_stock),
                    },
                    indent=2,
                )
            )
            return 0
        try:
            report = engine.sync_once()
        except (SyncError, OSError) as error:
            return _fail(f"sync failed: {error}")
        print(
            f"synced: {report.pushed} pushed, {report.pulled} pulled"
            + (f", {report.conflicts} conflicts (see the error log)" if report.conflicts else "")
            + (f"; oversold: {', '.join(report.oversold)}" if report.oversold else "")
        )
        return 0
    finally:
        db.dispose()


def cmd_stripe_emulator(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.payments.emulator.server import serve_forever

    return serve_forever(
        host=args.host,
        port=args.port,
        auto_present=args.auto_present,
        data_dir=args.emulator_data_dir,
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("give between 0 and 3600 seconds")
    return value


def cmd_platform(args: argparse.Namespace, config: AppConfig) -> int:
    from pos_app.platform_demo import run_platform

    try:
        return run_platform(config, port=args.port, exit_after_startup=args.exit_after_startup)
    except ImportError as error:  # the store build carries the register only
        return _fail(f"the platform needs the sync server installed too ({error})", 2)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", help="overrides POS_DATA_DIR")
    parser.add_argument("--exit-after-startup", action="store_true", help=EXIT_AFTER_STARTUP)
    parser.add_argument("--windowed", action="store_true", help=WINDOWED)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="the counter app (what `pos-app` alone starts)")
    demo = sub.add_parser("demo", help="the counter app with a demo shop and the Stripe emulator")
    # Accepted after `run` and `demo` too; SUPPRESS keeps the top-level value when it is not
    # given there.
    for gui in (run, demo):
        gui.add_argument(
            "--exit-after-startup",
            action="store_true",
            default=argparse.SUPPRESS,
            help=EXIT_AFTER_STARTUP,
        )
        gui.add_argument(
            "--windowed", action="store_true", default=argparse.SUPPRESS, help=WINDOWED
        )
    sub.add_parser("self-test", help="headless check: migrate, sell, pay cash, Z report")

    setup = sub.add_parser(
        "setup", help="set up a new shop without the GUI (as the first-run screen does)"
    )
    setup.add_argument("--name", required=True, help="the shop's name")
    setup.add_argument("--currency", required=True, help="ISO code, e.g. USD, EUR, BRL")
    setup.add_argument(
        "--tax",
        required=True,
        choices=("exclusive", "inclusive"),
        help="prices exclude tax (US) or include it (VAT, Brazil)",
    )
    setup.add_argument("--timezone", required=True, help="e.g. America/New_York")
    setup.add_argument("--language", default="en_US", help="en_US (default) or pt_BR")
    setup.add_argument("--owner-name", required=True, help="the first owner's name")
    setup.add_argument(
        "--owner-pin", required=True, help="that owner's PIN, 4 to 8 digits (- reads stdin)"
    )

    catalog = sub.add_parser("catalog", help="catalog commands")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True)
    imp = catalog_sub.add_parser(
        "import", help="import products from CSV (sku,name,category,price,tax_rate)"
    )
    imp.add_argument("file")

    sale = sub.add_parser("sale", help="a scripted sale; prints the order as JSON")
    sale.add_argument("--item", action="append", required=True, metavar="SKU[:QTY]")
    sale.add_argument("--pay", choices=("cash", "card"), required=True)
    sale.add_argument("--tendered", help="cash handed over, e.g. 20.00 (default: exact)")
    sale.add_argument("--tip", help="tip on card, e.g. 1.50")
    sale.add_argument("--staff", help="staff name (default: the first owner)")
    sale.add_argument(
        "--card-wait",
        type=_seconds,
        metavar="SECONDS",
        help="how long to wait for the customer's card before cancelling (default: 120)",
    )
    sale.add_argument(
        "--present-card",
        metavar="NUMBER",
        help="test set-ups only: tap this Stripe test card on the simulated reader",
    )

    reader = sub.add_parser("reader", help="the card reader (Stripe's test helpers)")
    reader_sub = reader.add_subparsers(dest="reader_command", required=True)
    present = reader_sub.add_parser(
        "present-card",
        help="test set-ups only: the customer taps a test card on this register's simulated "
        "reader (waits for a payment to reach it)",
    )
    present.add_argument("--card", help="a Stripe test card number (default: Visa 4242…)")
    present.add_argument(
        "--wait",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for a payment on the reader (default: 60)",
    )

    report = sub.add_parser("report", help="X (mid-shift) or Z (close the shift) report")
    report.add_argument("kind", choices=("x", "z"))
    report.add_argument("--json", action="store_true")
    report.add_argument("--counted", help="counted cash for a Z report (default: as expected)")
    report.add_argument("--staff", help="staff name (default: the first owner)")
    report.add_argument(
        "--leave-open-orders",
        action="store_true",
        help="close the shift even with orders still open or parked (they are listed)",
    )

    pair = sub.add_parser("pair", help="pair this register with the shop's sync server")
    pair.add_argument("--server", required=True, help="https://sync.example.com")
    pair.add_argument("--code", required=True, help="the one-time code from the server")
    pair.add_argument("--name", default="Register", help="this register's name")
    pair.add_argument("--owner-name", default="Owner", help="a first owner, for a new shop")
    pair.add_argument("--owner-pin", help="that owner's PIN")
    pair.add_argument(
        "--wipe-local-data",
        action="store_true",
        help="set this register up afresh for the shop of the code: its current data (another "
        "shop's) is moved aside to a file next to the database, and put back if pairing fails",
    )

    sync = sub.add_parser("sync", help="sync now (exit 1 with the reason on failure)")
    sync.add_argument("--status", action="store_true", help="show the sync status and exit")

    emulator = sub.add_parser("stripe-emulator", help="a local server that speaks Stripe's API")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=12111)
    emulator.add_argument(
        "--auto-present",
        action="store_true",
        help="simulated readers tap a test card by themselves",
    )
    emulator.add_argument(
        "--data-dir",
        dest="emulator_data_dir",
        type=Path,
        default=None,
        help="keep the emulator's objects in this folder across restarts (default: memory only)",
    )
    platform = sub.add_parser(
        "platform",
        help="the whole platform here: the sync server (embedded PostgreSQL), a demo shop on "
        "it, and the counter app on a demo register paired with it",
    )
    platform.add_argument("--port", type=int, default=DEFAULT_PORT, help="the sync server's port")
    platform.add_argument(
        "--exit-after-startup",
        action="store_true",
        default=argparse.SUPPRESS,
        help="close the counter app once it is usable, then stop everything",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = load_config(Path(args.data_dir) if args.data_dir else None)
    handlers: dict[str | None, Any] = {
        None: lambda a, c: cmd_gui(a, c, demo=False),
        "run": lambda a, c: cmd_gui(a, c, demo=False),
        "demo": lambda a, c: cmd_gui(a, c, demo=True),
        "self-test": cmd_self_test,
        "setup": cmd_setup,
        "catalog": cmd_catalog_import,
        "sale": cmd_sale,
        "reader": cmd_reader,
        "report": cmd_report,
        "stripe-emulator": cmd_stripe_emulator,
        "pair": cmd_pair,
        "sync": cmd_sync,
        "platform": cmd_platform,
    }
    if args.command not in _HEADLESS_UNLOGGED:
        _log_to_data_dir(config, args.command)
    try:
        return int(handlers[args.command](args, config))
    except DomainError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
