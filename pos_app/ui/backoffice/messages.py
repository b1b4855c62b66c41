"""Fixed messages from the back office's set-up operations (domain and services), listed so
pyside6-lupdate extracts them into the "messages" context; the tabs show them through
`translate_message`."""

from PySide6.QtCore import QT_TRANSLATE_NOOP

MESSAGES = (
    # the shop's counter settings (domain/shop.py, services/shop_settings.py)
    QT_TRANSLATE_NOOP("messages", "the idle lock is 0 (never) to 60 minutes"),
    QT_TRANSLATE_NOOP("messages", "the discount limit is 0 to 100 %"),
    QT_TRANSLATE_NOOP("messages", "a receipt header or footer has at most 4 lines"),
    QT_TRANSLATE_NOOP("messages", "a receipt line can be at most 32 characters"),
    QT_TRANSLATE_NOOP("messages", "changing the shop's settings needs the owner"),
    # printers (domain/printers.py, services/printing.py, application/settings.py)
    QT_TRANSLATE_NOOP("messages", "give the printer a name, like “Kitchen” or “Front counter”"),
    QT_TRANSLATE_NOOP("messages", "a printer name can be at most 60 characters"),
    QT_TRANSLATE_NOOP("messages", "the printer port must be between 1 and 65535 (usually 9100)"),
    QT_TRANSLATE_NOOP("messages", "a cash drawer is wired to the receipt printer"),
    QT_TRANSLATE_NOOP("messages", "printer set-up needs the settings permission"),
    QT_TRANSLATE_NOOP("messages", "that printer is no longer set up"),
    QT_TRANSLATE_NOOP("messages", "no cash drawer is wired to this printer"),
    QT_TRANSLATE_NOOP("messages", "enter the server address and the pairing code"),
    # categories and modifier groups (services/catalog.py)
    QT_TRANSLATE_NOOP("messages", "catalog changes need a manager"),
    QT_TRANSLATE_NOOP("messages", "give the category a name"),
    QT_TRANSLATE_NOOP("messages", "a category name can be at most 60 characters"),
    QT_TRANSLATE_NOOP("messages", "there is already a category with that name"),
    QT_TRANSLATE_NOOP("messages", "move its products to another category first"),
    QT_TRANSLATE_NOOP("messages", "that category no longer exists"),
    QT_TRANSLATE_NOOP("messages", "give the group a name, like “Size” or “Milk”"),
    QT_TRANSLATE_NOOP("messages", "a group name can be at most 60 characters"),
    QT_TRANSLATE_NOOP("messages", "add at least one choice to the group"),
    QT_TRANSLATE_NOOP("messages", "every choice needs a name"),
    QT_TRANSLATE_NOOP("messages", "a choice name can be at most 60 characters"),
    QT_TRANSLATE_NOOP("messages", "two choices have the same name"),
    QT_TRANSLATE_NOOP("messages", "the most choices must be at least 1, and at least the fewest"),
    QT_TRANSLATE_NOOP("messages", "the fewest choices cannot be more than the choices offered"),
    QT_TRANSLATE_NOOP("messages", "the most choices cannot be more than the choices offered"),
    QT_TRANSLATE_NOOP("messages", "that modifier group no longer exists"),
    QT_TRANSLATE_NOOP("messages", "that product no longer exists"),
    QT_TRANSLATE_NOOP("messages", "a choice's price change is too large"),
    # staff (services/staff.py)
    QT_TRANSLATE_NOOP("messages", "staff changes need a manager"),
    QT_TRANSLATE_NOOP("messages", "only an owner can change an owner's account"),
    # the cart (domain/orders.py, services/checkout.py)
    QT_TRANSLATE_NOOP("messages", "a price cannot be negative"),
    QT_TRANSLATE_NOOP("messages", "a price change needs the price-override permission"),
)


def full_stop(text: str) -> str:
    """A message shown on its own as a sentence, ended with a full stop (the domain's messages
    have none: they are also read inside other sentences, in logs and by the CLI)."""
    text = text.rstrip()
    return text if not text or text.endswith((".", "!", "?", "…")) else f"{text}."
