"""What the cashier reads when a card is declined or the reader misbehaves.

Keys are the gateway's codes (Stripe's decline codes and terminal error codes). Messages say
what happened and what to do next; they never reveal a fraud suspicion to the customer.
"""

from __future__ import annotations

from typing import Final

DECLINE_MESSAGES: Final[dict[str, str]] = {
    "generic_decline": "Card declined. Ask for another card or take cash.",
    "insufficient_funds": "Declined: not enough funds. Ask for another card or take cash.",
    "call_issuer": "Declined by the card's bank. Ask for another card; the customer can call their bank.",
    "do_not_honor": "Declined by the card's bank. Ask for another card or take cash.",
    "incorrect_pin": "Wrong PIN. Ask the customer to try again.",
    "invalid_pin": "Wrong PIN. Ask the customer to try again.",
    "pin_try_exceeded": "Too many wrong PINs. Ask for another card.",
    "offline_pin_required": "This card needs its PIN: ask the customer to insert the card.",
    "online_or_offline_pin_required": "This card needs its PIN: ask the customer to insert the card.",
    "expired_card": "The card has expired. Ask for another card.",
    "incorrect_cvc": "Card declined. Ask for another card.",
    "withdrawal_count_limit_exceeded": "Declined: the card's limit is reached. Ask for another card.",
    "card_velocity_exceeded": "Declined: the card's limit is reached. Ask for another card.",
    "card_not_supported": "This card cannot be used here. Ask for another card.",
    "currency_not_supported": "This card cannot pay in this currency. Ask for another card.",
    "processing_error": "The card could not be processed. Try the card again.",
    "reenter_transaction": "The card could not be processed. Try the card again.",
    "try_again_later": "The card could not be processed. Try again in a moment.",
    "lost_card": "Card declined. Ask for another way to pay.",
    "stolen_card": "Card declined. Ask for another way to pay.",
    "fraudulent": "Card declined. Ask for another way to pay.",
    "pickup_card": "Card declined. Ask for another way to pay.",
    "restricted_card": "Card declined. Ask for another way to pay.",
    "security_violation": "Card declined. Ask for another way to pay.",
    "transaction_not_allowed": "This card cannot be used for this purchase. Ask for another card.",
    "testmode_decline": "A test card was used. Ask for another card.",
}

TERMINAL_MESSAGES: Final[dict[str, str]] = {
    "terminal_reader_offline": "The card reader is offline. Check its power and Wi-Fi, or take cash.",
    "terminal_reader_busy": "The card reader is busy with another payment. Cancel it on the reader, or wait.",
    "terminal_reader_timeout": "The card reader did not answer in time. Try again.",
    "terminal_reader_hardware_fault": "The card reader reported a fault. Restart it, or take cash.",
    "customer_canceled": "The customer cancelled on the reader.",
    "canceled": "The payment was cancelled on the reader.",
}

NETWORK_MESSAGE: Final = "Cannot reach Stripe. Card payments are paused: take cash, or try again."
UNAVAILABLE_MESSAGE: Final = "Stripe is having trouble right now. Try the card again, or take cash."
AUTH_MESSAGE: Final = (
    "The Stripe key was refused. A manager must check the key in Back office → Card reader."
)


def decline_message(decline_code: str | None, fallback: str | None = None) -> str:
    if decline_code and decline_code in DECLINE_MESSAGES:
        return DECLINE_MESSAGES[decline_code]
    return DECLINE_MESSAGES["generic_decline"] if fallback is None else f"Card declined: {fallback}"


def terminal_message(code: str | None, fallback: str | None = None) -> str:
    if code and code in TERMINAL_MESSAGES:
        return TERMINAL_MESSAGES[code]
    if code and code in DECLINE_MESSAGES:
        return DECLINE_MESSAGES[code]
    return fallback or "The card reader reported a problem. Try again, or take cash."
