"""A business day's sales for the back office: takings, refunds, tax, by hour, best sellers.

The same figures as the X and Z reports (one repository rule), over the shop's business day
instead of a shift: orders count on the day they were paid or voided, refunds on the day they
were made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from pos_app.db.uow import UnitOfWork
from pos_app.domain.business_day import business_date, business_days_utc, check_day_end
from pos_app.domain.errors import PermissionDenied
from pos_app.domain.reports import SalesFigures
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission


@dataclass(frozen=True, slots=True)
class DaySales:
    day: date
    since: datetime
    until: datetime
    figures: SalesFigures
    by_hour: tuple[tuple[str, int], ...]
    """(UTC hour as ``YYYY-MM-DDTHH``, total) of the day's paid orders."""
    top: tuple[tuple[str, int, int], ...]
    """(name, quantity, net before tax), best first, net of refunds."""


def day_sales(uow: UnitOfWork, *, shop: Shop, at: datetime, top: int = 8) -> DaySales:
    """The business day `at` falls in (the shop's clock and day end)."""
    day = business_date(at, shop.timezone, shop.business_day_ends_minutes)
    since, until = business_days_utc(day, day, shop.timezone, shop.business_day_ends_minutes)
    figures = uow.shifts.day_figures(since, until)
    return DaySales(
        day=day,
        since=since,
        until=until,
        figures=figures,
        by_hour=tuple(uow.shifts.sales_by_hour(since, until)),
        # The reports' own by-product figures, so best sellers are net of refunds too.
        top=tuple((p.name, p.quantity, p.net_minor) for p in figures.products if p.quantity > 0)[
            :top
        ],
    )


def set_business_day_end(
    uow: UnitOfWork, *, shop: Shop, authorization: Authorization, minutes: int
) -> Shop:
    """When the shop's business day ends (minutes after local midnight); audited."""
    if authorization.permission is not Permission.MANAGE_SETTINGS:
        raise PermissionDenied("changing the business day needs the owner")
    updated = replace(shop, business_day_ends_minutes=check_day_end(minutes))
    uow.settings.save_shop(updated)
    uow.audit.record(
        "settings.business_day_end",
        staff_id=authorization.actor.id,
        approved_by_id=authorization.approver.id if authorization.approver else None,
        details={"from": shop.business_day_ends_minutes, "to": minutes},
    )
    return updated
