"""Stripe's Terminal test cards and test amounts, as documented for the simulated reader.

Sources: Stripe's "Test Stripe Terminal" page (simulated test cards, physical test card
amounts) and the decline-code reference. With the standard test cards the test amounts
apply too: the decimal part (last two digits of the minor amount) picks the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TestCard:
    number: str
    brand: str
    funding: str = "credit"
    country: str = "US"
    network: str | None = None
    # A decline built into the card: (code, decline_code)
    decline: tuple[str, str | None] | None = None
    refund_fails: bool = False
    cardholder_verification_method: str = "approval"
    # Stripe's 4000000000000341: "Attaching this card to a Customer object succeeds, but
    # attempts to charge the customer fail." Other declining cards fail when attached.
    attaches_then_declines: bool = False

    @property
    def last4(self) -> str:
        return self.number[-4:]


_CARDS = [
    TestCard("4242424242424242", "visa"),
    TestCard("4000056655665556", "visa", funding="debit"),
    TestCard("5555555555554444", "mastercard"),
    TestCard("5200828282828210", "mastercard", funding="debit"),
    TestCard("5105105105105100", "mastercard", funding="prepaid"),
    TestCard("378282246310005", "amex"),
    TestCard("371449635398431", "amex"),
    TestCard("6011111111111117", "discover"),
    TestCard("6011000990139424", "discover"),
    TestCard("3056930009020004", "diners"),
    TestCard("36227206271667", "diners"),
    TestCard("3566002020360505", "jcb"),
    TestCard("6200000000000005", "unionpay"),
    TestCard("4506445006931933", "interac", funding="debit", country="CA", network="interac"),
    TestCard("6280000360000978", "eftpos_au", funding="debit", country="AU"),
    TestCard("4000050360000001", "visa", funding="debit", country="AU"),
    TestCard("5555050360000080", "mastercard", funding="debit", country="AU"),
    TestCard("4001007020000002", "visa", cardholder_verification_method="offline_pin"),
    TestCard(
        "4000008260000075", "visa", country="GB", cardholder_verification_method="offline_pin"
    ),
    TestCard("4001000360000005", "visa", cardholder_verification_method="online_pin"),
    TestCard("4000002760000008", "visa", country="DE", cardholder_verification_method="online_pin"),
    TestCard("4000000000000002", "visa", decline=("card_declined", "generic_decline")),
    TestCard("4000000000009995", "visa", decline=("card_declined", "insufficient_funds")),
    TestCard("4000000000009987", "visa", decline=("card_declined", "lost_card")),
    TestCard("4000000000009979", "visa", decline=("card_declined", "stolen_card")),
    TestCard("4000000000000069", "visa", decline=("expired_card", "expired_card")),
    TestCard("4000000000000119", "visa", decline=("processing_error", None)),
    TestCard("4000000000005126", "visa", refund_fails=True),
    TestCard(
        "4000000000000341",
        "visa",
        decline=("card_declined", "generic_decline"),
        attaches_then_declines=True,
    ),
]
TEST_CARDS: dict[str, TestCard] = {card.number: card for card in _CARDS}

# Stripe's online test PaymentMethods (`pm_card_...`) and tokens (`tok_...`, the same names
# after the prefix), from its "Testing" page: the card each one stands for.
ONLINE_TEST_CARDS: dict[str, str] = {
    "visa": "4242424242424242",
    "visa_debit": "4000056655665556",
    "mastercard": "5555555555554444",
    "mastercard_debit": "5200828282828210",
    "mastercard_prepaid": "5105105105105100",
    "amex": "378282246310005",
    "discover": "6011111111111117",
    "diners": "3056930009020004",
    "jcb": "3566002020360505",
    "unionpay": "6200000000000005",
    "chargeDeclined": "4000000000000002",
    "visa_chargeDeclined": "4000000000000002",
    "chargeDeclinedInsufficientFunds": "4000000000009995",
    "visa_chargeDeclinedInsufficientFunds": "4000000000009995",
    "visa_chargeDeclinedLostCard": "4000000000009987",
    "visa_chargeDeclinedStolenCard": "4000000000009979",
    "chargeDeclinedExpiredCard": "4000000000000069",
    "chargeDeclinedProcessingError": "4000000000000119",
    "chargeCustomerFail": "4000000000000341",
    "refundFail": "4000000000005126",
}


def online_test_card(reference: str) -> TestCard | None:
    """The card behind `pm_card_visa`, `tok_chargeCustomerFail`...; None for anything else."""
    for prefix in ("pm_card_", "tok_"):
        if reference.startswith(prefix):
            number = ONLINE_TEST_CARDS.get(reference[len(prefix) :])
            return TEST_CARDS[number] if number else None
    return None


DEFAULT_CARD_PRESENT = TEST_CARDS["4242424242424242"]
DEFAULT_INTERAC_PRESENT = TEST_CARDS["4506445006931933"]

# Decimal part of the amount -> decline_code (code is card_declined). From Stripe's table of
# physical test card amounts; 02 and 03 ask for a PIN, which a reader with a cardholder
# screen (the WisePOS E we simulate) collects, so they approve with a PIN CVM.
TEST_AMOUNT_DECLINES: dict[int, str] = {
    1: "call_issuer",
    5: "generic_decline",
    55: "incorrect_pin",
    60: "online_or_offline_pin_required",
    65: "withdrawal_count_limit_exceeded",
    75: "pin_try_exceeded",
}
TEST_AMOUNT_PIN_CVM: dict[int, str] = {2: "offline_pin", 3: "online_pin"}

# Messages Stripe puts on card errors. Only insufficient_funds, expired_card,
# processing_error, incorrect_number and test_mode_live_card have their own wording;
# Stripe words other issuer declines as a plain "Your card was declined."
DECLINE_MESSAGES: dict[str, str] = {
    "insufficient_funds": "Your card has insufficient funds.",
    "expired_card": "Your card has expired.",
    "processing_error": "An error occurred while processing your card. Try again in a little bit.",
    "incorrect_number": "Your card number is incorrect.",
    "test_mode_live_card": (
        "Your card was declined. Your request was in test mode, but used a non test (live) "
        "card. For a list of valid test cards, visit: https://stripe.com/docs/testing."
    ),
}
GENERIC_DECLINE_MESSAGE = "Your card was declined."


def decline_message(code: str, decline_code: str | None) -> str:
    if decline_code and decline_code in DECLINE_MESSAGES:
        return DECLINE_MESSAGES[decline_code]
    return DECLINE_MESSAGES.get(code, GENERIC_DECLINE_MESSAGE)


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


@dataclass(frozen=True)
class CardOutcome:
    card: TestCard | None
    approved: bool
    code: str | None = None
    decline_code: str | None = None
    message: str | None = None
    cardholder_verification_method: str = "approval"


def outcome_for(number: str, amount: int) -> CardOutcome:
    """What the simulated issuer answers for this card number and authorization amount."""
    number = number.replace(" ", "")
    card = TEST_CARDS.get(number)
    if card is None:
        if not luhn_valid(number):
            return CardOutcome(
                None, False, "incorrect_number", None, DECLINE_MESSAGES["incorrect_number"]
            )
        return CardOutcome(
            None,
            False,
            "card_declined",
            "test_mode_live_card",
            DECLINE_MESSAGES["test_mode_live_card"],
        )
    if card.decline is not None:
        code, decline_code = card.decline
        return CardOutcome(card, False, code, decline_code, decline_message(code, decline_code))
    decimal = amount % 100
    if decimal in TEST_AMOUNT_DECLINES:
        decline_code = TEST_AMOUNT_DECLINES[decimal]
        return CardOutcome(
            card,
            False,
            "card_declined",
            decline_code,
            decline_message("card_declined", decline_code),
        )
    cvm = TEST_AMOUNT_PIN_CVM.get(decimal, card.cardholder_verification_method)
    return CardOutcome(card, True, cardholder_verification_method=cvm)


def online_outcome(card: TestCard) -> CardOutcome:
    """A card-not-present charge (an invoice): only the card decides; the test amounts are a
    Terminal (physical card) feature."""
    if card.decline is not None:
        code, decline_code = card.decline
        return CardOutcome(card, False, code, decline_code, decline_message(code, decline_code))
    return CardOutcome(card, True)
