"""Setting the shop up from the back office, driven like a person would: printers (with their
empty state, a test page and a drawer kick through the queue), the shop's settings, the menu's
categories and modifier groups, a locked-out cashier unlocked, a duplicate name kept in the
form, the empty states of chargebacks and sync, a No sale without a drawer, and a price changed
at the counter with a manager's PIN. Screenshots of each new tab are kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from pos_app.domain.printers import JobKind
from pos_app.services import auth
from pos_app.ui.backoffice.sync_tab import PairDialog
from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.dialogs.prompts import ModifierDialog, TextPrompt
from pos_app.ui.dialogs.staff import AddStaffDialog
from pos_app.ui.main_window import CounterHooks, MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.screens.sell import SellScreen
from tests.pos_app.ui.conftest import (
    click,
    find_dialog,
    idle,
    open_shift,
    ring_up,
    screen,
    screenshot,
    sign_in,
    type_text,
    wait_dialog,
)


def back_office(qtbot: QtBot, window: MainWindow) -> BackOfficeScreen:
    window.show_screen("backoffice")
    office = screen(window, "backoffice", BackOfficeScreen)
    idle(qtbot, window.session)
    return office


def audit_actions(window: MainWindow, action: str) -> list[dict[str, object]]:
    with window.session.register.db.read() as uow:
        return [entry.details for entry in uow.audit.entries(action=action)]


def test_printers_start_empty_then_are_added_tested_and_shown_with_their_queue(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    wakes: list[bool] = []
    window.hooks = CounterHooks(open_drawer=lambda: wakes.append(True))
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.printers)
    idle(qtbot, session)
    tab = office.printers
    assert tab.list.is_empty
    screenshot(window, screenshots, "backoffice-printers-empty")

    click(qtbot, tab.empty, "EmptyStateAction")
    click(qtbot, tab, "SavePrinter")
    assert "name" in tab.form_error.text()
    type_text(tab.name, "Front counter")
    click(qtbot, tab, "SavePrinter")
    assert "address" in tab.form_error.text()
    type_text(tab.host, "127.0.0.1")
    tab.port.setValue(9)
    assert tab.drawer.isChecked()  # the first printer prints receipts, with the drawer
    click(qtbot, tab, "SavePrinter")
    qtbot.waitUntil(lambda: [s.printer.name for s in tab.statuses] == ["Front counter"])
    assert not tab.list.is_empty
    [saved] = audit_actions(window, "printer.saved")
    assert saved["has_cash_drawer"] is True

    # A kitchen printer next: the form now proposes kitchen tickets, for the Food category.
    click(qtbot, tab, "AddPrinter")
    assert tab.role.currentData() == "kitchen"
    assert not tab.drawer.isEnabled()
    type_text(tab.name, "Kitchen")
    type_text(tab.host, "10.0.0.9")
    for index in range(tab.categories.count()):
        item = tab.categories.item(index)
        if item.text() == "Food":
            item.setCheckState(Qt.CheckState.Checked)
    click(qtbot, tab, "SavePrinter")
    qtbot.waitUntil(lambda: len(tab.statuses) == 2)

    tab.select_name("Front counter")
    click(qtbot, tab, "PrintTestPage")
    qtbot.waitUntil(lambda: "Test page queued for Front counter" in tab.status.text())
    click(qtbot, tab, "TestDrawer")
    qtbot.waitUntil(lambda: "Drawer kick queued" in tab.status.text())
    assert len(wakes) == 2
    idle(qtbot, session)
    with session.register.db.read() as uow:
        kinds = [job.kind for job in uow.printing.jobs()]
    assert kinds == [JobKind.TEST, JobKind.DRAWER]
    qtbot.waitUntil(lambda: "2 waiting" in tab.queue_text(tab.statuses[0]))
    tab.select_name("Kitchen")
    assert not tab.drawer_button.isEnabled()
    screenshot(window, screenshots, "backoffice-printers")
    click(qtbot, tab, "RemovePrinter")
    qtbot.waitUntil(lambda: [s.printer.name for s in tab.statuses] == ["Front counter"])
    assert [d["name"] for d in audit_actions(window, "printer.removed")] == ["Kitchen"]


def test_no_sale_without_a_drawer_says_so(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window)
    window.show_screen("shift")
    idle(qtbot, window.session)
    click(qtbot, window, "NoSale")
    prompt = wait_dialog(qtbot, TextPrompt)
    type_text(prompt.field, "Change for the bank")
    prompt.field.returnPressed.emit()
    qtbot.waitUntil(lambda: "No cash drawer is set up" in window.banner.text.text())
    assert "Drawer opened" not in window.banner.text.text()


def test_shop_settings_are_checked_by_field_saved_and_used_by_the_counter(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.settings)
    idle(qtbot, session)
    tab = office.settings
    assert tab.idle_lock.value() == 2
    assert tab.discount_limit.text() == "10"
    tab.discount_limit.setText("abc")
    tab.header.setPlainText("A line far too long for 58 mm paper, really")
    click(qtbot, tab, "SaveSettings")
    assert tab.discount_limit_error.isVisible()
    assert "32 characters" in tab.header_error.text()
    assert not tab.footer_error.isVisible()
    assert audit_actions(window, "settings.counter") == []

    tab.idle_lock.setValue(5)
    tab.discount_limit.setText("15")
    tab.header.setPlainText("12 Main St\nSpringfield")
    tab.footer.setPlainText("Thank you!")
    click(qtbot, tab, "SaveSettings")
    qtbot.waitUntil(lambda: session.shop.idle_lock_seconds == 300)
    assert session.shop.discount_threshold_ppm == 150_000
    assert session.register.shop.receipt_header == "12 Main St\nSpringfield"
    assert not tab.header_error.isVisible()
    [entry] = audit_actions(window, "settings.counter")
    assert entry["discount_limit_ppm"] == {"from": 100_000, "to": 150_000}
    screenshot(window, screenshots, "backoffice-settings")

    # "Never": the counter stops its idle timer at the next touch or key.
    window._restart_idle()
    assert window.idle_timer.isActive()
    tab.idle_lock.setValue(0)
    assert tab.idle_lock.text() == "Never"
    click(qtbot, tab, "SaveSettings")
    qtbot.waitUntil(lambda: session.shop.idle_lock_seconds == 0)
    window._restart_idle()
    assert not window.idle_timer.isActive()


def test_categories_and_a_modifier_group_from_the_menu_tab_reach_the_counter(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    office.show_tab(office.categories)
    idle(qtbot, session)
    tab = office.categories
    names = [c.name for c in session.categories]

    type_text(tab.category_name, "Specials")
    click(qtbot, tab, "AddCategory")
    qtbot.waitUntil(lambda: [c.name for c in session.categories] == [*names, "Specials"])
    qtbot.waitUntil(lambda: tab.selected_category() is not None)
    click(qtbot, tab, "CategoryUp")
    qtbot.waitUntil(lambda: [c.name for c in session.categories][-2] == "Specials")
    tab.category_name.setText("Seasonal")
    click(qtbot, tab, "RenameCategory")
    qtbot.waitUntil(lambda: "Seasonal" in [c.name for c in session.categories])
    # A category with products is kept, with the reason beside the list.
    tab.select_category(names[0])
    click(qtbot, tab, "RemoveCategory")
    qtbot.waitUntil(lambda: "Move its products" in tab.category_error.text())
    screenshot(window, screenshots, "backoffice-categories")

    office.show_tab(office.modifiers)
    idle(qtbot, session)
    tab_groups = office.modifiers

    # A new group: Syrup, optional, up to 2, offered with the espresso.
    click(qtbot, tab_groups, "NewGroup")
    type_text(tab_groups.group_name, "Syrup")
    tab_groups.max_choices.setValue(2)
    tab_groups.choices.setItem(0, tab_groups.CHOICE_NAME, QTableWidgetItem("Vanilla"))
    tab_groups.choices.setItem(0, tab_groups.CHOICE_PRICE, QTableWidgetItem("0.50"))
    tab_groups.choices.setItem(1, tab_groups.CHOICE_NAME, QTableWidgetItem("Caramel"))
    tab_groups.choices.setItem(1, tab_groups.CHOICE_PRICE, QTableWidgetItem("zero"))
    click(qtbot, tab_groups, "SaveGroup")
    assert "Caramel" in tab_groups.group_error.text()
    tab_groups.choices.setItem(1, tab_groups.CHOICE_PRICE, QTableWidgetItem("0.60"))
    espresso = session.find_code("COF-ESP")
    assert espresso is not None
    for index in range(tab_groups.products.count()):
        item = tab_groups.products.item(index)
        if item.text() == espresso.name:
            item.setCheckState(Qt.CheckState.Checked)
    click(qtbot, tab_groups, "SaveGroup")
    qtbot.waitUntil(lambda: any(g.name == "Syrup" for g, _ in tab_groups.groups))
    qtbot.waitUntil(
        lambda: any(
            g.name == "Syrup" for g in (session.find_code("COF-ESP") or espresso).modifier_groups
        )
    )
    screenshot(window, screenshots, "backoffice-modifier-groups")
    [added] = audit_actions(window, "catalog.modifier_group_added")
    assert added["choices"] == [["Vanilla", 50], ["Caramel", 60]]

    # The counter offers it.
    open_shift(qtbot, window)
    window.show_screen("sell")
    sell = screen(window, "sell", SellScreen)
    product = session.find_code("COF-ESP")
    assert product is not None
    sell.add_product(product)
    dialog = wait_dialog(qtbot, ModifierDialog)
    assert "Syrup" in [g.name for g in dialog.product.modifier_groups]
    dialog.reject()


def test_a_locked_out_cashier_is_shown_and_unlocked_and_a_duplicate_name_keeps_the_form(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    alex = next(m for m in session.register.staff.members() if m.name == "Alex")
    with session.register.db.write() as uow:
        for _ in range(auth.MAX_FAILURES):
            auth.check_pin(uow, staff_id=alex.id, pin="0000")
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    office.show_tab(office.staff)
    idle(qtbot, session)
    tab = office.staff
    tab.select_name("Alex")
    state = tab.table.item(0, tab.STATE)
    assert state is not None
    assert state.text().startswith("Locked until")
    screenshot(window, screenshots, "backoffice-staff-locked")
    click(qtbot, tab, "UnlockStaff")
    qtbot.waitUntil(lambda: tab.locked == {})
    item = tab.table.item(0, tab.STATE)
    assert item is not None
    assert item.text() == "Active"
    assert len(audit_actions(window, "staff.unlocked")) == 1

    click(qtbot, tab, "AddStaff")
    dialog = wait_dialog(qtbot, AddStaffDialog)
    type_text(dialog.name, "alex")
    type_text(dialog.pin, "4321")
    type_text(dialog.pin_again, "4321")
    click(qtbot, dialog, "DialogConfirm")
    qtbot.waitUntil(lambda: "already on the staff list" in dialog.name_error.text())
    assert dialog.isVisible()
    assert (dialog.name.text(), dialog.pin.text()) == ("alex", "4321")
    dialog.name.setText("Alexis")
    click(qtbot, dialog, "DialogConfirm")
    qtbot.waitUntil(lambda: "Alexis" in [m.name for m in tab.members])
    assert find_dialog(AddStaffDialog) is None  # added: the form closed


def test_empty_chargebacks_an_unpaired_register_and_the_reader_in_use(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.disputes)
    idle(qtbot, session)
    assert office.disputes.list.is_empty
    assert not office.disputes.submit.isVisible()
    screenshot(window, screenshots, "backoffice-chargebacks-empty")
    office.show_tab(office.sync)
    idle(qtbot, session)
    assert not office.sync.paired_shown
    assert office.sync.not_paired.action is not None
    screenshot(window, screenshots, "backoffice-sync-not-paired")
    click(qtbot, office.sync.not_paired, "EmptyStateAction")
    pair = wait_dialog(qtbot, PairDialog)
    click(qtbot, pair, "PairConfirm")
    assert "server address" in pair.error.text()
    type_text(pair.server, "http://127.0.0.1:9")  # nothing answers there
    type_text(pair.code, "ABCD-1234")
    click(qtbot, pair, "PairConfirm")
    qtbot.waitUntil(lambda: pair.confirm.isEnabled(), timeout=20_000)
    assert pair.isVisible()  # kept open, with the reason
    assert pair.error.text() not in ("", "Pairing…")
    screenshot(pair, screenshots, "backoffice-pair-failed")
    pair.reject()
    assert not session.register.paired()
    office.show_tab(office.card_reader)
    idle(qtbot, session)
    assert "None paired" not in office.card_reader.reader_label.text()
    screenshot(window, screenshots, "backoffice-card-reader")


def test_a_cashier_changes_a_price_with_a_manager_s_pin(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Alex")
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    sell = screen(window, "sell", SellScreen)
    line = session.order.lines[0]
    sell.table.selectRow(0)
    click(qtbot, sell, "ChangePrice")
    prompt = wait_dialog(qtbot, TextPrompt)
    prompt.field.setText("nope")
    prompt.field.returnPressed.emit()
    qtbot.waitUntil(lambda: "not an amount" in window.banner.text.text())
    assert find_dialog(OverrideDialog) is None  # the amount is checked before a PIN is asked for
    click(qtbot, sell, "ChangePrice")
    prompt = wait_dialog(qtbot, TextPrompt)
    prompt.field.setText("2.00")
    prompt.field.returnPressed.emit()
    override = wait_dialog(qtbot, OverrideDialog)
    override.approver.setCurrentIndex(override.approver.findText("Morgan"))
    type_text(override.pinpad.field, "2222")
    override.pinpad.submit()
    qtbot.waitUntil(lambda: session.order.lines[0].unit_price_minor == 200)
    assert session.order.lines[0].id == line.id
    assert "Price changed" in window.banner.text.text()
    screenshot(window, screenshots, "sell-price-changed")


def test_the_set_up_refusals_are_listed_for_translation() -> None:
    """The back office shows these services' refusals translated (ui/backoffice/messages.py)."""
    from pos_app.services import catalog
    from pos_app.ui.backoffice.messages import MESSAGES

    rules = {
        value
        for name, value in vars(catalog).items()
        if name.isupper()
        and isinstance(value, str)
        and name not in ("OPTIONAL_COLUMNS",)
        and (name.startswith(("CATEGORY_", "GROUP_", "CHOICE_")) or name.endswith("_GONE"))
    }
    assert rules
    assert rules <= set(MESSAGES)
