"""Refunds of paid orders, cash and card."""

from __future__ import annotations

from pos_app.application._area import Area


class Refunds(Area):
    pass
