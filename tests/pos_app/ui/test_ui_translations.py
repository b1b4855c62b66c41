"""Translations: the pt_BR catalog covers every string, placeholders intact, and the payment
layer's messages are listed for extraction."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pos_app.application.card_payments import REFUND_REFUSALS, REFUSED_REFUND_HINT
from pos_app.domain.staff import PIN_RULE
from pos_app.payments import messages
from pos_app.services import setup
from pos_app.services.catalog import CSV_RULES
from pos_app.ui.i18n import compiled_catalog, translations_dir
from pos_app.ui.message_catalog import MESSAGES

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_payment_messages_are_listed_for_translation() -> None:
    listed = set(MESSAGES)
    for table in (messages.DECLINE_MESSAGES, messages.TERMINAL_MESSAGES):
        assert set(table.values()) <= listed
    assert {messages.NETWORK_MESSAGE, messages.UNAVAILABLE_MESSAGE, messages.AUTH_MESSAGE} <= listed
    assert {REFUSED_REFUND_HINT, *REFUND_REFUSALS.values()} <= listed
    assert set(CSV_RULES) <= listed  # the back office shows every import rule translated


def test_shop_set_up_messages_are_listed_for_translation() -> None:
    """The first-run screen shows the set-up service's refusals translated."""
    assert {
        setup.ALREADY_SET_UP,
        setup.NAME_THE_SHOP,
        setup.NAME_THE_OWNER,
        setup.UNKNOWN_CURRENCY,
        setup.UNKNOWN_TIMEZONE,
        setup.UNKNOWN_LANGUAGE,
        PIN_RULE,
    } <= set(MESSAGES)


def test_the_portuguese_catalog_is_complete_and_keeps_placeholders() -> None:
    tree = ET.parse(translations_dir() / "pos_pt_BR.ts")
    missing = []
    broken = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") in ("obsolete", "vanished"):
            continue
        text = translation.text or ""
        if not text or translation.get("type") == "unfinished":
            missing.append(source)
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            broken.append((source, text))
    assert not missing, f"{len(missing)} strings untranslated, e.g. {missing[:5]}"
    assert not broken, broken[:5]


def test_the_catalog_compiles() -> None:
    path = compiled_catalog("pt_BR")
    assert path is not None
    assert path.stat().st_size > 10_000
    assert Path(path).suffix == ".qm"


def test_no_tr_call_hides_inside_an_f_string() -> None:
    """lupdate cannot read a `tr(...)` inside an f-string's braces: such a text is dropped from
    the catalog (marked vanished) and shows in English in pt_BR. Call tr() outside, then format."""
    ui = Path(__file__).resolve().parents[3] / "pos_app" / "ui"
    hidden = re.compile(r"""\bf(["'])[^\n]*?\{[^}\n]*\btr\(""")
    found = [
        f"{path.relative_to(ui)}:{number}"
        for path in sorted(ui.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hidden.search(line)
    ]
    assert found == []


def test_void_reads_anular_and_cancel_reads_cancelar_in_portuguese() -> None:
    """Voiding an order is "anular" everywhere; "cancelar" is for closing a dialog or stopping
    a card on the reader (a cashier meeting "Cancelar" on the void button would not press it,
    or would press it to close a dialog). Issue 20."""
    tree = ET.parse(translations_dir() / "pos_pt_BR.ts")
    wrong = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") in ("obsolete", "vanished"):
            continue
        text = (translation.text or "").lower()
        if re.search(r"\bvoid", source, re.IGNORECASE) and ("anul" not in text or "cancel" in text):
            wrong.append((source, text))
        if re.search(r"\bcancel", source, re.IGNORECASE) and "anul" in text:
            wrong.append((source, text))
    assert wrong == []


def test_messages_from_the_domain_are_shown_as_sentences() -> None:
    """The domain's messages are lowercase keys (the CLI, the server and the tests know them
    so); the person at the counter reads them with a capital."""
    from pos_app.ui.formatting import translate_fragment, translate_message

    assert translate_message("that refund is more than what remains paid on the order") == (
        "That refund is more than what remains paid on the order"
    )
    assert translate_message("wrong PIN") == "Wrong PIN"
    assert translate_message("") == ""
    assert translate_fragment("is empty") == "is empty"  # inside "Row 3, column price: …"
