"""`pos-app setup`: a new shop without the GUI, run as a real process on a temp data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pos_app.db.database import Database
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Role, StaffMember
from pos_app.services.auth import check_pin
from pos_app.services.setup import ALREADY_SET_UP
from tests.pos_app.test_cli_commands import pos_app

pytestmark = pytest.mark.slow

SHOP = (
    "--name", "Bean Bar", "--currency", "EUR", "--tax", "inclusive",
    "--timezone", "Europe/Lisbon", "--language", "pt_BR",
    "--owner-name", "Ana", "--owner-pin", "4821",
)  # fmt: skip


def _with(option: str, value: str) -> list[str]:
    args = list(SHOP)
    args[args.index(option) + 1] = value
    return args


def _shop_and_staff(data_dir: Path) -> tuple[Shop | None, list[StaffMember]]:
    db = Database(data_dir / "register.sqlite3")
    try:
        with db.read() as uow:
            return uow.settings.shop(), uow.staff.all()
    finally:
        db.dispose()


def test_setup_then_import_then_sell(tmp_path: Path) -> None:
    done = pos_app(tmp_path, "setup", *SHOP)
    assert done.stdout.startswith(f"set up 'Bean Bar' in {tmp_path}: EUR")
    assert done.stderr == ""
    shop, staff = _shop_and_staff(tmp_path)
    assert shop is not None
    assert (shop.name, shop.currency, shop.tax_mode.value, shop.timezone, shop.locale) == (
        "Bean Bar", "EUR", "inclusive", "Europe/Lisbon", "pt_BR",
    )  # fmt: skip
    assert [(member.name, member.role) for member in staff] == [("Ana", Role.OWNER)]

    menu = tmp_path / "menu.csv"
    menu.write_text(
        "sku,name,category,price,tax_rate\nPAS-NAT,Pastel de nata,Bakery,1.50,23\n"
        "CAF-BIC,Bica,Coffee,0.90,23\n"
    )
    assert "2 new, 0 updated" in pos_app(tmp_path, "catalog", "import", str(menu)).stdout
    sale = json.loads(
        pos_app(
            tmp_path, "sale", "--item", "PAS-NAT:2", "--item", "CAF-BIC", "--pay", "cash"
        ).stdout
    )
    # Prices include the 23 % VAT: the total is the shelf price, the tax is inside it.
    assert sale["currency"] == "EUR"
    assert sale["tax_mode"] == "inclusive"
    assert sale["total_minor"] == 390
    assert sale["tax_minor"] == 73  # 390 * 23 / 123 = 72.9, half up
    # The owner from `setup` is the one who sells (the sale's staff default) and closes.
    report = json.loads(pos_app(tmp_path, "report", "z", "--json", "--staff", "Ana").stdout)
    assert report["orders_count"] == 1
    assert report["total_minor"] == 390


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--currency", "XYZ", "setup --currency 'XYZ': unknown currency"),
        ("--timezone", "Mars/Olympus", "setup --timezone 'Mars/Olympus': unknown time zone"),
        ("--timezone", "../../etc/passwd", "setup --timezone '../../etc/passwd': unknown time"),
        ("--owner-pin", "12a4", "setup --owner-pin: a PIN is 4 to 8 digits"),
        ("--owner-pin", "123", "setup --owner-pin: a PIN is 4 to 8 digits"),
        ("--owner-pin", "123456789", "setup --owner-pin: a PIN is 4 to 8 digits"),
        ("--language", "fr_FR", "setup --language 'fr_FR': unknown language: en_US or pt_BR"),
        ("--name", "   ", "setup --name '   ': enter the shop's name"),
        ("--owner-name", "", "setup --owner-name '': enter the owner's name"),
    ],
)
def test_setup_refuses_bad_input_in_one_line_and_sets_nothing_up(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    refused = pos_app(tmp_path, "setup", *_with(option, value), check=False)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith(f"pos-app: {message}")
    assert refused.stderr.count("\n") == 1
    assert _shop_and_staff(tmp_path) == (None, [])
    # Nothing half done: the same data dir takes the right values afterwards.
    pos_app(tmp_path, "setup", *SHOP)
    shop, staff = _shop_and_staff(tmp_path)
    assert shop is not None
    assert [member.name for member in staff] == ["Ana"]


def test_setup_refuses_a_register_that_is_already_set_up(tmp_path: Path) -> None:
    pos_app(tmp_path, "setup", *SHOP)
    again = pos_app(tmp_path, "setup", *_with("--name", "Other"), check=False)
    assert again.returncode == 1
    assert again.stderr == f"pos-app: setup: {ALREADY_SET_UP}\n"
    shop, _staff = _shop_and_staff(tmp_path)
    assert shop is not None
    assert shop.name == "Bean Bar"


def test_setup_reads_the_pin_from_stdin(tmp_path: Path) -> None:
    pos_app(tmp_path, "setup", *_with("--owner-pin", "-"), stdin="7355\n")
    db = Database(tmp_path / "register.sqlite3")
    try:
        with db.write() as uow:
            (owner,) = uow.staff.all()
            assert check_pin(uow, staff_id=owner.id, pin="7355").member == owner
            assert check_pin(uow, staff_id=owner.id, pin="4821").member is None
    finally:
        db.dispose()
