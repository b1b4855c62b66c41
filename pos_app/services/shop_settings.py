"""The shop's counter settings a manager keeps in the back office: the idle lock, the discount
limit a cashier may give alone, and the receipt's header and footer lines."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pos_app.db.uow import UnitOfWork
from pos_app.domain.errors import PermissionDenied
from pos_app.domain.shop import (
    Shop,
    check_discount_limit,
    check_idle_lock_minutes,
    clean_receipt_text,
)
from pos_app.domain.staff import Authorization, Permission


@dataclass(frozen=True, slots=True)
class CounterSettings:
    idle_lock_minutes: int
    """Sign the cashier out after this many idle minutes (0: never)."""
    discount_limit_ppm: int
    """The largest discount (a share of the amount) a cashier may give without a manager."""
    receipt_header: str
    receipt_footer: str

    @classmethod
    def of(cls, shop: Shop) -> CounterSettings:
        return cls(
            idle_lock_minutes=shop.idle_lock_seconds // 60,
            discount_limit_ppm=shop.discount_threshold_ppm,
            receipt_header=shop.receipt_header,
            receipt_footer=shop.receipt_footer,
        )


def save_counter_settings(
    uow: UnitOfWork, *, shop: Shop, settings: CounterSettings, authorization: Authorization
) -> Shop:
    """Check and save the settings; audited as `settings.counter` with what changed. Returns
    the shop as saved, for the counter to use from its next action."""
    if authorization.permission is not Permission.MANAGE_SETTINGS:
        raise PermissionDenied("changing the shop's settings needs the owner")
    saved = uow.settings.shop() or shop
    updated = replace(
        saved,
        idle_lock_seconds=check_idle_lock_minutes(settings.idle_lock_minutes) * 60,
        discount_threshold_ppm=check_discount_limit(settings.discount_limit_ppm),
        receipt_header=clean_receipt_text(settings.receipt_header),
        receipt_footer=clean_receipt_text(settings.receipt_footer),
    )
    before, after = CounterSettings.of(saved), CounterSettings.of(updated)
    changes = {
        name: {"from": getattr(before, name), "to": getattr(after, name)}
        for name in CounterSettings.__dataclass_fields__
        if getattr(before, name) != getattr(after, name)
    }
    if not changes:
        return updated
    uow.settings.save_shop(updated)
    uow.audit.record(
        "settings.counter",
        staff_id=authorization.actor.id,
        approved_by_id=authorization.approver.id if authorization.approver else None,
        details=changes,
    )
    return updated
