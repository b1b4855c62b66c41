"""Fixed messages from the domain and the payment layer, listed so pyside6-lupdate can
extract them into the "messages" context (they are translated with
`session.translate_message`). A test keeps this list in step with `payments.messages`."""

from PySide6.QtCore import QT_TRANSLATE_NOOP

MESSAGES = (
    QT_TRANSLATE_NOOP("messages", "A test card was used. Ask for another card."),
    QT_TRANSLATE_NOOP(
        "messages", "Cannot reach Stripe. Card payments are paused: take cash, or try again."
    ),
    QT_TRANSLATE_NOOP("messages", "Card declined. Ask for another card or take cash."),
    QT_TRANSLATE_NOOP("messages", "Card declined. Ask for another card."),
    QT_TRANSLATE_NOOP("messages", "Card declined. Ask for another way to pay."),
    QT_TRANSLATE_NOOP("messages", "Connection to Stripe lost: still trying…"),
    QT_TRANSLATE_NOOP(
        "messages", "Declined by the card's bank. Ask for another card or take cash."
    ),
    QT_TRANSLATE_NOOP(
        "messages",
        "Declined by the card's bank. Ask for another card; the customer can call their bank.",
    ),
    QT_TRANSLATE_NOOP("messages", "Declined: not enough funds. Ask for another card or take cash."),
    QT_TRANSLATE_NOOP("messages", "Declined: the card's limit is reached. Ask for another card."),
    QT_TRANSLATE_NOOP(
        "messages",
        "Stripe did not confirm the charge. The order will be completed as soon as Stripe answers; do not charge the card again.",
    ),
    QT_TRANSLATE_NOOP(
        "messages", "Stripe is having trouble right now. Try the card again, or take cash."
    ),
    QT_TRANSLATE_NOOP(
        "messages",
        "The Stripe key was refused. A manager must check the key in Back office → Card reader.",
    ),
    QT_TRANSLATE_NOOP(
        "messages",
        "The card approval has expired or was cancelled. Ask for the card again, or cash.",
    ),
    QT_TRANSLATE_NOOP("messages", "The card could not be processed. Try again in a moment."),
    QT_TRANSLATE_NOOP("messages", "The card could not be processed. Try the card again."),
    QT_TRANSLATE_NOOP("messages", "The card has expired. Ask for another card."),
    QT_TRANSLATE_NOOP("messages", "The card payment was cancelled."),
    QT_TRANSLATE_NOOP("messages", "The card reader did not answer in time. Try again."),
    QT_TRANSLATE_NOOP(
        "messages",
        "The card reader is busy with another payment. Cancel it on the reader, or wait.",
    ),
    QT_TRANSLATE_NOOP(
        "messages", "The card reader is offline. Check its power and Wi-Fi, or take cash."
    ),
    QT_TRANSLATE_NOOP("messages", "The card reader reported a fault. Restart it, or take cash."),
    QT_TRANSLATE_NOOP("messages", "The customer cancelled on the reader."),
    QT_TRANSLATE_NOOP("messages", "The payment was cancelled on the reader."),
    QT_TRANSLATE_NOOP("messages", "The reader stopped this payment. Try the card again."),
    QT_TRANSLATE_NOOP(
        "messages", "This card cannot be used for this purchase. Ask for another card."
    ),
    QT_TRANSLATE_NOOP("messages", "This card cannot be used here. Ask for another card."),
    QT_TRANSLATE_NOOP("messages", "This card cannot pay in this currency. Ask for another card."),
    QT_TRANSLATE_NOOP("messages", "This card needs its PIN: ask the customer to insert the card."),
    QT_TRANSLATE_NOOP("messages", "This card payment is already being charged; refund it instead."),
    QT_TRANSLATE_NOOP("messages", "Too many wrong PINs. Ask for another card."),
    QT_TRANSLATE_NOOP("messages", "Waiting for the customer's card: tap, insert or swipe."),
    QT_TRANSLATE_NOOP("messages", "Wrong PIN. Ask the customer to try again."),
    QT_TRANSLATE_NOOP("messages", "a card cannot be charged more than what is still due"),
    QT_TRANSLATE_NOOP("messages", "a refund must be more than zero"),
    QT_TRANSLATE_NOOP("messages", "a shift is already open on this register"),
    QT_TRANSLATE_NOOP("messages", "a tip cannot be more than the amount it is added to"),
    QT_TRANSLATE_NOOP(
        "messages",
        "Nothing went back to the card. Check the payment in Stripe (it may have been refunded "
        "there already); what is still owed can be refunded again as an amount, from the drawer.",
    ),
    QT_TRANSLATE_NOOP(
        "messages",
        "Stripe says this card payment was already refunded (in Stripe's dashboard?): the "
        "customer has that money back. Do not pay it again.",
    ),
    QT_TRANSLATE_NOOP(
        "messages",
        "This card payment is disputed: the customer's bank is returning the money. Do not pay "
        "it again.",
    ),
    QT_TRANSLATE_NOOP("messages", "an empty order cannot be parked"),
    QT_TRANSLATE_NOOP(
        "messages",
        "the drawer does not hold that much cash: record a paid-in from the safe first, or "
        "refund less",
    ),
    QT_TRANSLATE_NOOP("messages", "those units were free: there is no money to refund for them"),
    QT_TRANSLATE_NOOP(
        "messages",
        "those units' share of the line rounds to nothing: refund them together with other "
        "units of the line",
    ),
    QT_TRANSLATE_NOOP("messages", "enter an amount above zero"),
    QT_TRANSLATE_NOOP("messages", "give a reason"),
    QT_TRANSLATE_NOOP("messages", "give a reason for the refund"),
    QT_TRANSLATE_NOOP("messages", "give a reason for the void"),
    QT_TRANSLATE_NOOP("messages", "no shift is open on this register"),
    QT_TRANSLATE_NOOP("messages", "open a shift (count the float) before taking cash"),
    QT_TRANSLATE_NOOP("messages", "park the order under a name or number"),
    QT_TRANSLATE_NOOP("messages", "that refund is more than what remains paid on the order"),
    QT_TRANSLATE_NOOP("messages", "the float cannot be negative"),
    QT_TRANSLATE_NOOP("messages", "the order is already paid in full"),
    QT_TRANSLATE_NOOP("messages", "there is nothing to pay for"),
    QT_TRANSLATE_NOOP("messages", "tips are taken on card only"),
    QT_TRANSLATE_NOOP("messages", "wrong PIN"),
)
