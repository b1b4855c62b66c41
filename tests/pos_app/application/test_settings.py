"""The shop's settings through the application API: one Stripe key operation for the first
run and the back office (checked, kept in the keyring, the reader in step, audited), the
card reader's pairing, the business day and a new shop."""

from __future__ import annotations

from pathlib import Path

import keyring.errors
import pytest

from pos_app.application.register import Register
from pos_app.application.settings import ShopSetup, save_stripe_key
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.pricing import TaxMode
from pos_app.domain.shop import ReaderConfig, Shop
from pos_app.domain.staff import Permission, Role, StaffMember, authorize
from pos_app.integrations.secrets import STRIPE_KEY, SecretStore, SecretsUnavailable
from tests.support.memory_keyring import MemoryKeyring

TEST_KEY = "rk_test_" + "a1B2c3D4e5F6g7H8i9J0"
ROTATED_KEY = "rk_test_" + "z9Y8x7W6v5U4t3S2r1Q0"
LIVE_KEY = "rk_live_" + "k1L2m3N4o5P6q7R8s9T0"
PAIRED = ReaderConfig("stripe", "test", "tml_loc", "tmr_1", "Front counter")


class RefusingKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


@pytest.fixture
def secrets() -> SecretStore:
    MemoryKeyring.store.clear()
    return SecretStore(backend=MemoryKeyring())


@pytest.fixture
def register(db: Database, shop: Shop) -> Register:
    return Register(db, shop)


def _reader(db: Database) -> ReaderConfig | None:
    with db.read() as uow:
        return uow.settings.reader()


def test_the_key_goes_to_the_keyring_the_reader_follows_and_it_is_audited_redacted(
    register: Register, db: Database, secrets: SecretStore, staff: dict[str, StaffMember]
) -> None:
    assert register.settings.stored_stripe_key(secrets=secrets) == ""  # the screen says "none"
    saved = register.settings.save_stripe_key(f" {TEST_KEY}\n", staff=staff["Sam"], secrets=secrets)
    assert secrets.get(STRIPE_KEY) == TEST_KEY
    assert saved.redacted == "rk_test_…i9J0"
    assert saved.reader == ReaderConfig("stripe", "test", None, None, None)
    assert _reader(db) == saved.reader
    assert register.settings.reader() == saved.reader
    assert register.settings.stored_stripe_key(secrets=secrets) == "rk_test_…i9J0"
    with db.read() as uow:
        [entry] = uow.audit.entries(action="settings.stripe_key")
    assert entry.staff_id == staff["Sam"].id
    assert entry.details == {"key": "rk_test_…i9J0"}
    assert TEST_KEY not in str(entry.details)


def test_a_rotated_key_keeps_the_paired_reader_and_a_new_mode_unpairs_it(
    register: Register, db: Database, secrets: SecretStore
) -> None:
    register.settings.save_reader(PAIRED)
    assert register.settings.save_stripe_key(ROTATED_KEY, secrets=secrets).reader == PAIRED
    assert _reader(db) == PAIRED
    live = register.settings.save_stripe_key(LIVE_KEY, secrets=secrets)
    assert live.reader == ReaderConfig("stripe", "live", None, None, None)
    assert _reader(db) == live.reader
    assert secrets.get(STRIPE_KEY) == LIVE_KEY
    with db.read() as uow:
        entries = uow.audit.entries(action="settings.stripe_key")
    assert [e.details["key"] for e in entries] == ["rk_test_…r1Q0", "rk_live_…s9T0"]


@pytest.mark.parametrize(
    "bad",
    [
        "pk_test_" + "x" * 24,  # a publishable key
        "sk_foo_bar",  # the first-run screen's own check used to let this through
        "rk_test_short",
        "rk_live_ abc def ghi jkl mno",
        "",
    ],
)
def test_a_key_that_is_not_a_stripe_secret_key_is_refused_everywhere(
    register: Register, db: Database, secrets: SecretStore, bad: str
) -> None:
    before = _reader(db)  # the demo shop's practice reader
    with pytest.raises(ValidationError, match="not a Stripe secret key"):
        register.settings.save_stripe_key(bad, secrets=secrets)
    with pytest.raises(ValidationError, match="not a Stripe secret key"):
        ShopSetup(db, secrets=secrets).save_stripe_key(bad)
    assert secrets.get(STRIPE_KEY) is None
    assert _reader(db) == before
    with db.read() as uow:
        assert uow.audit.entries(action="settings.stripe_key") == []


def test_a_keyring_that_refuses_the_key_leaves_the_database_alone(
    register: Register, db: Database
) -> None:
    before = _reader(db)
    with pytest.raises(SecretsUnavailable, match="refused"):
        register.settings.save_stripe_key(TEST_KEY, secrets=SecretStore(backend=RefusingKeyring()))
    assert _reader(db) == before
    with db.read() as uow:
        assert uow.audit.entries(action="settings.stripe_key") == []


def test_pairing_a_reader_needs_a_code_and_a_saved_key(
    register: Register, secrets: SecretStore, tmp_path: Path
) -> None:
    config = AppConfig(data_dir=tmp_path)
    with pytest.raises(ValidationError, match="registration code"):
        register.settings.register_reader(config, registration_code=" ", label="", secrets=secrets)
    with pytest.raises(ValidationError, match="save the shop's Stripe key"):
        register.settings.register_reader(
            config, registration_code="simulated-wpe", label="", secrets=secrets
        )


def test_a_paired_reader_is_saved_and_audited(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    register.settings.save_reader(PAIRED, staff=staff["Morgan"])
    assert _reader(db) == PAIRED
    with db.read() as uow:
        [entry] = uow.audit.entries(action="settings.reader_paired")
    assert entry.staff_id == staff["Morgan"].id
    assert entry.details == {"mode": "test", "reader_id": "tmr_1", "label": "Front counter"}


def test_the_business_day_end_is_saved_and_audited(
    register: Register, db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    owner = authorize(staff["Sam"], Permission.MANAGE_SETTINGS)
    updated = register.settings.set_business_day_end(180, authorization=owner)
    assert updated.business_day_ends_minutes == 180
    with db.read() as uow:
        stored = uow.settings.shop()
        [entry] = uow.audit.entries(action="settings.business_day_end")
    assert stored == updated
    assert entry.details == {"from": shop.business_day_ends_minutes, "to": 180}
    with pytest.raises(PermissionDenied):
        register.settings.set_business_day_end(
            60, authorization=authorize(staff["Morgan"], Permission.VIEW_REPORTS)
        )
    with pytest.raises(ValidationError, match="between 00:00 and 11:59"):
        register.settings.set_business_day_end(12 * 60, authorization=owner)
    with db.read() as uow:
        assert uow.settings.shop() == updated


def test_the_first_run_creates_the_shop_and_saves_the_key_through_the_same_operation(
    tmp_path: Path, secrets: SecretStore
) -> None:
    db = Database(tmp_path / "new.sqlite3")
    try:
        setup = ShopSetup(db, secrets=secrets)
        shop = setup.create_shop(
            name="Bean Bar",
            currency="EUR",
            tax_mode=TaxMode.INCLUSIVE,
            locale="en_US",
            timezone="Europe/Lisbon",
            owner_name="Ana",
            owner_pin="4821",
        )
        saved = setup.save_stripe_key(TEST_KEY)
        with db.read() as uow:
            assert uow.settings.shop() == shop
            assert [(m.name, m.role) for m in uow.staff.all()] == [("Ana", Role.OWNER)]
            assert uow.settings.reader() == saved.reader
            [entry] = uow.audit.entries(action="settings.stripe_key")
        assert entry.details == {"key": "rk_test_…i9J0"}
        assert secrets.get(STRIPE_KEY) == TEST_KEY
        # The module function is the same operation the back office's area method calls.
        again = save_stripe_key(db, ROTATED_KEY, secrets=secrets)
        assert again.reader == saved.reader
    finally:
        db.dispose()
