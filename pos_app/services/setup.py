"""First-run set-up: the shop row, the first staff, and the demo shop."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos_app.db.uow import UnitOfWork
from pos_app.domain.catalog import Category, Modifier, ModifierGroup, Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money import CURRENCY_EXPONENTS, parse_major, parse_rate_percent
from pos_app.domain.pricing import TaxMode
from pos_app.domain.shop import SHOP_LOCALES, ReaderConfig, Shop
from pos_app.domain.staff import Role, StaffMember, check_pin_format, hash_pin

# Fixed texts (no values in them) so the first-run screen can show them translated
# (pos_app/ui/message_catalog.py); the CLI names the option that was wrong.
ALREADY_SET_UP = (
    "this register is already set up: a new shop needs an empty data directory (POS_DATA_DIR)"
)
NAME_THE_SHOP = "enter the shop's name"
NAME_THE_OWNER = "enter the owner's name"
UNKNOWN_CURRENCY = "unknown currency: choose one this register knows, such as USD, EUR or BRL"
UNKNOWN_TIMEZONE = "unknown time zone: use a name such as America/New_York or Europe/Paris"
UNKNOWN_LANGUAGE = "unknown language: en_US or pt_BR"


@dataclass(frozen=True, slots=True)
class DemoStaff:
    name: str
    role: Role
    pin: str


DEMO_STAFF = (
    DemoStaff("Alex", Role.CASHIER, "1111"),
    DemoStaff("Morgan", Role.MANAGER, "2222"),
    DemoStaff("Sam", Role.OWNER, "9999"),
)

# (category, sku, name, price, tax %, barcode, tracked stock)
_DEMO_PRODUCTS = (
    ("Coffee", "COF-ESP", "Espresso", "2.75", "8.875", None, None),
    ("Coffee", "COF-LAT", "Latte", "4.50", "8.875", None, None),
    ("Coffee", "COF-CAP", "Cappuccino", "4.25", "8.875", None, None),
    ("Coffee", "COF-AME", "Americano", "3.25", "8.875", None, None),
    ("Coffee", "COF-MOC", "Mocha", "4.95", "8.875", None, None),
    ("Coffee", "COF-CBR", "Cold Brew", "4.75", "8.875", None, None),
    ("Food", "FOD-BUR", "Classic Burger", "11.50", "8.875", None, None),
    ("Food", "FOD-CHB", "Cheeseburger", "12.50", "8.875", None, None),
    ("Food", "FOD-VEG", "Veggie Burger", "11.95", "8.875", None, None),
    ("Food", "FOD-FRI", "Fries", "3.95", "8.875", None, None),
    ("Food", "FOD-SAL", "Garden Salad", "8.75", "8.875", None, None),
    ("Food", "FOD-SOU", "Soup of the Day", "6.25", "8.875", None, None),
    ("Bakery", "BAK-CRO", "Croissant", "3.25", "8.875", None, 24),
    ("Bakery", "BAK-MUF", "Blueberry Muffin", "3.50", "8.875", None, 18),
    ("Bakery", "BAK-COO", "Chocolate Cookie", "2.25", "8.875", None, 30),
    ("Bakery", "BAK-BAG", "Bagel & Cream Cheese", "3.95", "8.875", None, 12),
    ("Drinks", "DRK-WAT", "Still Water", "1.95", "8.875", "0012345678905", 48),
    ("Drinks", "DRK-COL", "Cola", "2.50", "8.875", "0049000050103", 36),
    ("Drinks", "DRK-OJ", "Orange Juice", "3.75", "8.875", "0048500001097", 20),
    ("Drinks", "DRK-TEA", "Iced Tea", "2.95", "8.875", None, None),
)


def initialize_shop(
    uow: UnitOfWork,
    *,
    name: str,
    currency: str,
    tax_mode: TaxMode,
    locale: str = "en_US",
    timezone: str = "UTC",
    owner_name: str | None,
    owner_pin: str | None,
) -> Shop:
    """A real shop (not the demo): the first-run screen's "new shop", `pos-app setup` and
    pairing a register that has no shop yet. Every value is checked here, so each of them
    refuses the same input with the same message. The owner is optional only for a register
    joining a shop whose staff will arrive from the sync server."""
    if uow.settings.shop() is not None:
        raise ValidationError(ALREADY_SET_UP)
    name = name.strip()
    if not name:
        raise ValidationError(NAME_THE_SHOP)
    if currency not in CURRENCY_EXPONENTS:
        raise ValidationError(UNKNOWN_CURRENCY)
    check_timezone(timezone)
    if locale not in SHOP_LOCALES:
        raise ValidationError(UNKNOWN_LANGUAGE)
    if owner_name is not None or owner_pin is not None:
        owner_name = (owner_name or "").strip()
        if not owner_name:
            raise ValidationError(NAME_THE_OWNER)
        check_pin_format(owner_pin or "")
    shop = Shop(
        name=name,
        currency=currency,
        tax_mode=tax_mode,
        register_id=uuid7(),
        locale=locale,
        timezone=timezone,
    )
    uow.settings.save_shop(shop)
    owner_id = None
    if owner_name and owner_pin:
        owner = StaffMember(uuid7(), owner_name, Role.OWNER)
        uow.staff.add(owner, hash_pin(owner_pin))
        owner_id = owner.id
    # No card reader until a manager adds the shop's Stripe key ("unset" is never the demo).
    uow.settings.save_reader(ReaderConfig("stripe", "unset", None, None, None))
    uow.audit.record("shop.initialized", staff_id=owner_id, details={"name": name})
    return shop


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # ValueError: a path-like name ("../x", "/etc/x") that zoneinfo refuses outright.
        raise ValidationError(UNKNOWN_TIMEZONE) from None
    return name


def seed_demo(uow: UnitOfWork, *, locale: str = "en_US") -> Shop:
    """A café with a realistic catalog, three staff (PINs 1111, 2222, 9999) and modifiers."""
    existing = uow.settings.shop()
    if existing is not None:
        return existing
    shop = Shop(
        name="Corner Café",
        currency="USD",
        tax_mode=TaxMode.EXCLUSIVE,
        register_id=uuid7(),
        locale=locale,
        timezone="America/New_York",
    )
    uow.settings.save_shop(shop)
    uow.settings.save_reader(ReaderConfig("stripe", "demo", None, None, None))
    for member in DEMO_STAFF:
        uow.staff.add(StaffMember(uuid7(), member.name, member.role), hash_pin(member.pin))

    size = ModifierGroup(
        uuid7(),
        "Size",
        1,
        1,
        (
            Modifier(uuid7(), "Small", 0),
            Modifier(uuid7(), "Medium", 50),
            Modifier(uuid7(), "Large", 100),
        ),
    )
    milk = ModifierGroup(
        uuid7(),
        "Milk",
        0,
        1,
        (
            Modifier(uuid7(), "Whole milk", 0),
            Modifier(uuid7(), "Oat milk", 60),
            Modifier(uuid7(), "Almond milk", 60),
        ),
    )
    cook = ModifierGroup(
        uuid7(),
        "Cooked",
        1,
        1,
        (
            Modifier(uuid7(), "Medium rare", 0),
            Modifier(uuid7(), "Medium", 0),
            Modifier(uuid7(), "Well done", 0),
        ),
    )
    extras = ModifierGroup(
        uuid7(),
        "Extras",
        0,
        3,
        (
            Modifier(uuid7(), "Bacon", 150),
            Modifier(uuid7(), "Avocado", 125),
            Modifier(uuid7(), "Extra cheese", 75),
            Modifier(uuid7(), "No onions", 0),
        ),
    )
    for group in (size, milk, cook, extras):
        uow.catalog.add_modifier_group(group)

    categories: dict[str, Category] = {}
    for position, (category_name, sku, name, price, tax, barcode, stock) in enumerate(
        _DEMO_PRODUCTS
    ):
        if category_name not in categories:
            categories[category_name] = Category(uuid7(), category_name, len(categories))
            uow.catalog.add_category(categories[category_name])
        product = Product(
            id=uuid7(),
            sku=sku,
            name=name,
            price_minor=parse_major(price, "USD"),
            currency="USD",
            tax_rate_ppm=parse_rate_percent(tax),
            category_id=categories[category_name].id,
            barcode=barcode,
            track_stock=stock is not None,
            stock_quantity=stock or 0,
        )
        uow.catalog.upsert_product(product, position=position)
    uow.session.flush()
    for sku in ("COF-LAT", "COF-CAP", "COF-AME", "COF-MOC", "COF-CBR"):
        found = uow.catalog.by_sku(sku)
        assert found is not None
        uow.catalog.link_modifier_groups(found.id, [size.id, milk.id])
    for sku in ("FOD-BUR", "FOD-CHB", "FOD-VEG"):
        found = uow.catalog.by_sku(sku)
        assert found is not None
        uow.catalog.link_modifier_groups(
            found.id, [cook.id, extras.id] if sku != "FOD-VEG" else [extras.id]
        )
    uow.audit.record("shop.demo_seeded", details={"products": len(_DEMO_PRODUCTS)})
    return shop
