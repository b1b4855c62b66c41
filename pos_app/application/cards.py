"""Card payments at the counter: the reader's connection, start-up recovery, pay by card."""

from __future__ import annotations

from pos_app.application._area import Area


class Cards(Area):
    pass
