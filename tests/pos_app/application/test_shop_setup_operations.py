"""Setting up the shop from the back office through the application API: the counter's
settings, printers and the cash drawer (tested through the print queue), categories, modifier
groups, unlocking a locked-out person and a price override at the counter. Each operation
stores its change with its audit entry; a refused one changes nothing."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest

from pos_app.application.catalog import GroupDraft
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.catalog import Modifier
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.printers import JobKind, JobStatus, PrinterConfig, PrinterRole
from pos_app.domain.receipts import layout_receipt
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize
from pos_app.services import auth
from pos_app.services.shop_settings import CounterSettings
from tests.pos_app.application.conftest import audit


def settings_by(member: StaffMember, approver: StaffMember | None = None) -> Authorization:
    return authorize(member, Permission.MANAGE_SETTINGS, approver)


def catalog_by(member: StaffMember) -> Authorization:
    return authorize(member, Permission.MANAGE_CATALOG)


# --- the counter's settings ------------------------------------------------------------------


def test_counter_settings_are_checked_saved_audited_and_printed_on_receipts(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    before = register.settings.counter_settings()
    assert before == CounterSettings(2, 100_000, "", "")
    wanted = CounterSettings(
        idle_lock_minutes=5,
        discount_limit_ppm=150_000,
        receipt_header=" 12 Main St \n\n Springfield ",
        receipt_footer="Thank you!",
    )
    shop = register.settings.save_counter_settings(
        wanted, authorization=settings_by(staff["Alex"], staff["Sam"])
    )
    assert (shop.idle_lock_seconds, shop.discount_threshold_ppm) == (300, 150_000)
    assert shop.receipt_header == "12 Main St\nSpringfield"
    with db.read() as uow:
        assert uow.settings.shop() == shop
    [entry] = audit(register, "settings.counter")
    assert (entry.staff_id, entry.approved_by_id) == (staff["Alex"].id, staff["Sam"].id)
    assert entry.details["idle_lock_minutes"] == {"from": 2, "to": 5}
    assert entry.details["receipt_header"] == {"from": "", "to": "12 Main St\nSpringfield"}

    # The receipt carries the header under the shop's name.
    register.shop = shop
    register.shifts.open(staff["Sam"], float_minor=0)
    placed = register.sales.sell_cash(register.sales.ring_up([("COF-ESP", 1)]), staff["Alex"])
    receipt = register.history.receipt(placed.order_id)
    assert receipt.header_lines == ("12 Main St", "Springfield")
    texts = [row.text for row in layout_receipt(receipt, 32).rows if hasattr(row, "text")]
    assert texts.index("12 Main St") < texts.index("Thank you!")


@pytest.mark.parametrize(
    "settings",
    [
        CounterSettings(61, 100_000, "", ""),
        CounterSettings(-1, 100_000, "", ""),
        CounterSettings(2, 1_000_001, "", ""),
        CounterSettings(2, 100_000, "x" * 33, ""),
        CounterSettings(2, 100_000, "", "a\nb\nc\nd\ne"),
    ],
)
def test_settings_out_of_bounds_are_refused_and_nothing_changes(
    register: Register, staff: dict[str, StaffMember], settings: CounterSettings
) -> None:
    with pytest.raises(ValidationError):
        register.settings.save_counter_settings(settings, authorization=settings_by(staff["Sam"]))
    assert register.settings.counter_settings() == CounterSettings(2, 100_000, "", "")
    assert audit(register, "settings.counter") == []


def test_only_the_settings_permission_saves_them(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    with pytest.raises(PermissionDenied):
        register.settings.save_counter_settings(
            CounterSettings(5, 100_000, "", ""), authorization=catalog_by(staff["Morgan"])
        )


# --- printers and the drawer -----------------------------------------------------------------


def _receipt_printer(**changes: object) -> PrinterConfig:
    values: dict[str, object] = {
        "name": "Front counter",
        "role": PrinterRole.RECEIPT,
        "host": "127.0.0.1",
        "port": 9,
        "has_cash_drawer": True,
    }
    values.update(changes)
    return PrinterConfig(**values)  # type: ignore[arg-type]


def test_printers_are_added_tested_through_the_queue_and_removed(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    owner = settings_by(staff["Sam"])
    assert register.settings.printers() == []
    printer = register.settings.save_printer(_receipt_printer(), authorization=owner)
    kitchen = register.settings.save_printer(
        PrinterConfig("Kitchen", PrinterRole.KITCHEN, "10.0.0.9"), authorization=owner
    )
    page = register.settings.print_test_page(printer.id, authorization=owner)
    kick = register.settings.test_drawer(printer.id, authorization=owner)
    with db.read() as uow:
        jobs = {job.id: job for job in uow.printing.jobs(printer_id=printer.id)}
    assert (jobs[page].kind, jobs[page].status) == (JobKind.TEST, JobStatus.QUEUED)
    assert jobs[kick].kind is JobKind.DRAWER
    [status, kitchen_status] = sorted(register.settings.printers(), key=lambda s: s.printer.name)
    assert (status.printer.name, status.pending, status.failed) == ("Front counter", 2, 0)
    assert (kitchen_status.printer, kitchen_status.pending) == (kitchen, 0)
    assert [e.details["job_id"] for e in audit(register, "printer.test_page")] == [str(page)]
    assert [e.details["job_id"] for e in audit(register, "drawer.test")] == [str(kick)]

    with pytest.raises(ValidationError):  # the kitchen printer has no drawer
        register.settings.test_drawer(kitchen.id, authorization=owner)
    with pytest.raises(ValidationError):  # jobs still wait for it
        register.settings.remove_printer(printer.id, authorization=owner)
    register.settings.remove_printer(kitchen.id, authorization=owner)
    assert [s.printer.id for s in register.settings.printers()] == [printer.id]
    assert [e.details["name"] for e in audit(register, "printer.removed")] == ["Kitchen"]


def test_a_no_sale_without_a_drawer_says_so_and_with_one_queues_the_kick(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    register.shifts.open(staff["Sam"], float_minor=0)
    no_sale = authorize(staff["Morgan"], Permission.NO_SALE)
    assert (
        register.shifts.move_cash(
            CashMovementKind.NO_SALE, amount_minor=0, reason="Change", authorization=no_sale
        )
        is None
    )
    register.settings.save_printer(_receipt_printer(), authorization=settings_by(staff["Sam"]))
    assert (
        register.shifts.move_cash(
            CashMovementKind.NO_SALE, amount_minor=0, reason="Change", authorization=no_sale
        )
        is not None
    )


def test_printer_tests_need_the_settings_permission(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    printer = register.settings.save_printer(
        _receipt_printer(), authorization=settings_by(staff["Sam"])
    )
    with pytest.raises(PermissionDenied):
        register.settings.print_test_page(printer.id, authorization=catalog_by(staff["Morgan"]))


# --- categories ------------------------------------------------------------------------------


def test_categories_are_added_renamed_moved_and_removed_with_audit(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    manager = catalog_by(staff["Morgan"])
    names = [c.name for c in register.catalog.categories_and_products()[0]]
    added = register.catalog.add_category("  Cold   drinks ", authorization=manager)
    assert added.name == "Cold drinks"
    assert [c.name for c in register.catalog.categories_and_products()[0]] == [
        *names,
        "Cold drinks",
    ]
    with pytest.raises(ValidationError):
        register.catalog.add_category(names[0].upper(), authorization=manager)
    register.catalog.rename_category(added.id, "Iced", authorization=manager)
    ordered = register.catalog.move_category(added.id, -1, authorization=manager)
    assert [c.name for c in ordered] == [*names[:-1], "Iced", names[-1]]
    assert [c.position for c in ordered] == list(range(len(ordered)))
    assert [c.name for c in register.catalog.categories_and_products()[0]] == [
        c.name for c in ordered
    ]
    first = ordered[0]
    with pytest.raises(ValidationError):  # products are filed in it
        register.catalog.remove_category(first.id, authorization=manager)
    register.catalog.remove_category(added.id, authorization=manager)
    assert "Iced" not in [c.name for c in register.catalog.categories_and_products()[0]]
    for action in ("added", "renamed", "moved", "removed"):
        assert len(audit(register, f"catalog.category_{action}")) == 1, action


# --- modifier groups -------------------------------------------------------------------------


def test_a_modifier_group_is_created_attached_edited_and_sold(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    manager = catalog_by(staff["Morgan"])
    espresso = register.catalog.product_by_code("COF-ESP")
    assert espresso is not None
    shots = GroupDraft(
        uuid7(),
        " Shots ",
        1,
        1,
        (Modifier(uuid7(), "Single", 0), Modifier(uuid7(), "Double", 90)),
    )
    saved = register.catalog.save_modifier_group(
        shots, product_ids=[espresso.id], authorization=manager
    )
    assert (saved.name, saved.required) == ("Shots", True)
    groups = {g.id: products for g, products in register.catalog.modifier_groups()}
    assert groups[saved.id] == [espresso.id]
    sold = register.catalog.product_by_code("COF-ESP")
    assert sold is not None
    assert sold.modifier_groups[-1] == saved

    # Edited: a choice renamed (same id), one added, the required flag off; taken off espresso.
    single, double = saved.modifiers
    edited = GroupDraft(
        saved.id,
        "Shots",
        0,
        2,
        (Modifier(single.id, "One shot", 0), double, Modifier(uuid7(), "Triple", 180)),
    )
    register.catalog.save_modifier_group(edited, product_ids=[], authorization=manager)
    [(group, products)] = [
        (g, p) for g, p in register.catalog.modifier_groups() if g.id == saved.id
    ]
    assert [m.name for m in group.modifiers] == ["One shot", "Double", "Triple"]
    assert group.modifiers[0].id == single.id
    assert (group.min_choices, group.max_choices, products) == (0, 2, [])
    actions = [e.action for e in audit(register, "catalog.modifier_group_added")]
    actions += [e.action for e in audit(register, "catalog.modifier_group_saved")]
    assert len(actions) == 2


@pytest.mark.parametrize(
    ("name", "low", "high", "choices"),
    [
        ("", 0, 1, ("A",)),
        ("Milk", 0, 1, ()),
        ("Milk", 2, 2, ("Oat",)),
        ("Milk", 0, 3, ("Oat", "Soy")),
        ("Milk", 1, 0, ("Oat",)),
        ("Milk", 0, 1, ("Oat", " oat ")),
        ("Milk", 0, 1, ("",)),
    ],
)
def test_a_modifier_group_that_breaks_its_rules_is_refused(
    register: Register,
    staff: dict[str, StaffMember],
    name: str,
    low: int,
    high: int,
    choices: tuple[str, ...],
) -> None:
    before = register.catalog.modifier_groups()
    draft = GroupDraft(uuid7(), name, low, high, tuple(Modifier(uuid7(), c, 0) for c in choices))
    with pytest.raises(ValidationError):
        register.catalog.save_modifier_group(draft, authorization=catalog_by(staff["Morgan"]))
    assert register.catalog.modifier_groups() == before


# --- staff lockouts --------------------------------------------------------------------------


def test_a_locked_out_cashier_is_listed_until_a_manager_unlocks(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    alex = staff["Alex"]
    with db.write() as uow:
        for _ in range(auth.MAX_FAILURES):
            auth.check_pin(uow, staff_id=alex.id, pin="0000")
    locked = register.staff.locked_out()
    assert list(locked) == [alex.id]
    register.staff.unlock(
        alex.id, authorization=authorize(staff["Morgan"], Permission.MANAGE_STAFF)
    )
    assert register.staff.locked_out() == {}
    with db.write() as uow:
        assert auth.check_pin(uow, staff_id=alex.id, pin="1111").member == alex
    [entry] = audit(register, "staff.unlocked")
    assert entry.details == {"member_id": str(alex.id), "name": "Alex"}


# --- a price override at the counter ---------------------------------------------------------


def test_a_price_override_is_applied_and_audited_with_the_approver(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    register.shifts.open(staff["Sam"], float_minor=0)
    order = register.sales.ring_up([("COF-ESP", 1)])
    line_id: UUID = order.lines[0].id
    with pytest.raises(PermissionDenied):
        register.sales.override_price(
            order,
            line_id=line_id,
            unit_price_minor=100,
            authorization=authorize(staff["Alex"], Permission.SELL),
        )
    approval = authorize(staff["Alex"], Permission.PRICE_OVERRIDE, staff["Morgan"])
    register.sales.override_price(
        order, line_id=line_id, unit_price_minor=100, authorization=approval
    )
    assert order.lines[0].unit_price_minor == 100
    placed = register.sales.sell_cash(order, staff["Alex"])
    [entry] = audit(register, "price.override")
    assert (entry.order_id, entry.approved_by_id) == (placed.order_id, staff["Morgan"].id)
    assert entry.details["to"] == 100


# --- pairing from the back office ----------------------------------------------------------


def test_pairing_needs_the_owner_an_address_and_a_code(
    register: Register, staff: dict[str, StaffMember], tmp_path: Path
) -> None:
    config = AppConfig(data_dir=tmp_path / "register")
    with pytest.raises(PermissionDenied):
        register.settings.pair_with_server(
            config,
            server_url="https://sync.example",
            code="ABC",
            authorization=catalog_by(staff["Morgan"]),
        )
    with pytest.raises(ValidationError):
        register.settings.pair_with_server(
            config, server_url=" ", code="ABC", authorization=settings_by(staff["Sam"])
        )
    assert not register.paired()
    assert audit(register, "settings.paired") == []
