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
    QT_TRANSLATE_NOOP("messages", "a PIN is 4 to 8 digits"),
    QT_TRANSLATE_NOOP(
        "messages",
        "this register is already set up: a new shop needs an empty data directory (POS_DATA_DIR)",
    ),
    QT_TRANSLATE_NOOP("messages", "enter the shop's name"),
    QT_TRANSLATE_NOOP("messages", "enter the owner's name"),
    QT_TRANSLATE_NOOP(
        "messages", "unknown currency: choose one this register knows, such as USD, EUR or BRL"
    ),
    QT_TRANSLATE_NOOP(
        "messages", "unknown time zone: use a name such as America/New_York or Europe/Paris"
    ),
    QT_TRANSLATE_NOOP("messages", "unknown language: en_US or pt_BR"),
    QT_TRANSLATE_NOOP("messages", "nothing to pay: complete the order at no charge, with a reason"),
    QT_TRANSLATE_NOOP("messages", "an order at no charge needs the discount permission"),
    QT_TRANSLATE_NOOP("messages", "give a reason for an order at no charge"),
    QT_TRANSLATE_NOOP("messages", "an order at no charge takes no payment"),
    QT_TRANSLATE_NOOP("messages", "only an order whose total is zero is completed at no charge"),
    QT_TRANSLATE_NOOP(
        "messages",
        "the drawer does not hold that much cash: record a paid-in from the safe first, or take "
        "out less",
    ),
    QT_TRANSLATE_NOOP("messages", "a no-sale moved no money: there is nothing to correct"),
    QT_TRANSLATE_NOOP("messages", "a correction cannot be corrected: record a new paid in or out"),
    QT_TRANSLATE_NOOP("messages", "that entry is already corrected"),
    QT_TRANSLATE_NOOP("messages", "that entry is not in the open shift"),
    # CSV import rules (services/catalog.py); {placeholders} are filled after translation.
    QT_TRANSLATE_NOOP("messages", "column is missing"),
    QT_TRANSLATE_NOOP("messages", "unknown column: the columns are {columns}"),
    QT_TRANSLATE_NOOP("messages", "the column appears twice"),
    QT_TRANSLATE_NOOP("messages", "more than {limit} rows"),
    QT_TRANSLATE_NOOP("messages", "more cells than columns"),
    QT_TRANSLATE_NOOP("messages", "is empty"),
    QT_TRANSLATE_NOOP("messages", "is longer than {limit} characters"),
    QT_TRANSLATE_NOOP("messages", "{value} repeats row {row}"),
    QT_TRANSLATE_NOOP("messages", "{value} is already used by {name} ({sku})"),
    QT_TRANSLATE_NOOP("messages", "{value} is not a price (digits and a dot, like 4.50)"),
    QT_TRANSLATE_NOOP("messages", "{value} has more than {decimals} decimal places"),
    QT_TRANSLATE_NOOP("messages", "cannot be negative"),
    QT_TRANSLATE_NOOP(
        "messages", "{value} is not a tax rate in percent from 0 to 100 (like 8.875)"
    ),
    QT_TRANSLATE_NOOP("messages", "{value} is not yes/no"),
    QT_TRANSLATE_NOOP("messages", "{value} is not a whole number"),
    QT_TRANSLATE_NOOP("messages", "changing the business day needs the owner"),
    QT_TRANSLATE_NOOP("messages", "the business day must end between 00:00 and 11:59"),
    QT_TRANSLATE_NOOP("messages", "that email address does not look right"),
    QT_TRANSLATE_NOOP("messages", "give the phone number with its country code, like +15551234567"),
)
