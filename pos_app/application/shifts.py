"""Shifts and the drawer: open, close, paid in and out, no sale, X and Z reports."""

from __future__ import annotations

from pos_app.application._area import Area


class Shifts(Area):
    pass
