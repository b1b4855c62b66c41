"""Selling at the counter: ring up, pay cash or no charge, park, recall, void."""

from __future__ import annotations

from pos_app.application._area import Area


class Sales(Area):
    pass
