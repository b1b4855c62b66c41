"""The catalog in the back office: products, categories, modifier groups, stock, CSV import."""

from __future__ import annotations

from pos_app.application._area import Area


class Catalog(Area):
    pass
