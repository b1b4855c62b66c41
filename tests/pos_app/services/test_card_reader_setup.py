"""The Stripe key for the card reader: checked, kept in the keyring, never kept elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.config import AppConfig
from pos_app.domain.errors import ValidationError
from pos_app.domain.shop import ReaderConfig, Shop
from pos_app.integrations.secrets import STRIPE_KEY, SecretStore
from pos_app.services import card_reader
from tests.support.memory_keyring import MemoryKeyring

TEST_KEY = "rk_test_" + "a1B2c3D4e5F6g7H8i9J0"


@pytest.fixture
def secrets() -> SecretStore:
    MemoryKeyring.store.clear()
    return SecretStore(backend=MemoryKeyring())


def test_key_mode_and_refusals() -> None:
    assert card_reader.key_mode(TEST_KEY) == "test"
    assert card_reader.key_mode("sk_live_" + "x" * 24) == "live"
    for bad in ("pk_test_" + "x" * 24, "rk_test_short", "rk_live_ abc def ghi jkl mno", ""):
        with pytest.raises(ValidationError, match="not a Stripe secret key"):
            card_reader.key_mode(bad)


def test_store_key_puts_it_in_the_keyring_only(secrets: SecretStore) -> None:
    with pytest.raises(ValidationError):
        card_reader.store_key("pk_live_" + "x" * 24, secrets=secrets)
    assert secrets.get(STRIPE_KEY) is None
    assert card_reader.store_key(f"  {TEST_KEY}\n", secrets=secrets) == "test"
    assert secrets.get(STRIPE_KEY) == TEST_KEY
    assert card_reader.stored_key(secrets=secrets) == TEST_KEY


def test_reader_kept_for_a_rotated_key_and_dropped_for_a_new_mode() -> None:
    paired = ReaderConfig("stripe", "live", "tml_1", "tmr_1", "Front")
    assert card_reader.reader_after_key_change(paired, "live") == paired
    assert card_reader.reader_after_key_change(paired, "test") == ReaderConfig(
        "stripe", "test", None, None, None
    )
    assert card_reader.reader_after_key_change(None, "test").reader_id is None


def test_pairing_needs_a_key_and_a_code(secrets: SecretStore, shop: Shop, tmp_path: Path) -> None:
    config = AppConfig(data_dir=tmp_path)
    with pytest.raises(ValidationError, match="registration code"):
        card_reader.pair_reader(config, shop, registration_code=" ", label="", secrets=secrets)
    with pytest.raises(ValidationError, match="save the shop's Stripe key"):
        card_reader.pair_reader(
            config, shop, registration_code="simulated-wpe", label="", secrets=secrets
        )
