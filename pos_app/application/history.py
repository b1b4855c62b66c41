"""Order history: search, one order's detail, receipts of past orders."""

from __future__ import annotations

from pos_app.application._area import Area


class History(Area):
    pass
