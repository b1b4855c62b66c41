"""Who is at the counter: sign in by PIN, a manager's approval on the spot."""

from __future__ import annotations

from pos_app.application._area import Area


class Access(Area):
    pass
