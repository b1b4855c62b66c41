"""Back-office reports: sales, disputes, changes the sync server refused."""

from __future__ import annotations

from pos_app.application._area import Area


class Reports(Area):
    pass
