"""The shop's settings: shop details, the Stripe key and card reader, printers."""

from __future__ import annotations

from pos_app.application._area import Area


class Settings(Area):
    pass
