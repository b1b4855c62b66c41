"""Staff accounts in the back office: add, edit, PINs, roles."""

from __future__ import annotations

from pos_app.application._area import Area


class Staff(Area):
    pass
