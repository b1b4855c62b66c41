"""A known week of a bar's sales for the owner's report tests: written straight into the
tables as the schema owner (the register's push checks are not what these tests are about),
timed from the start of a business day so the figures do not depend on the clock.

The shop's business day D starts at `start` (D at the day end time, e.g. 02:00):
- O1 start+1h: card, Front till, Ana; Coffee 2 x 4.50 and a Muffin 4.00 less a 1.00 order
  discount = 12.00, tip 2.00. Refunded start+4h: the Muffin 3.00 and 0.50 of the tip.
- O2 D+1 00:30 local (before the day ends at 02:00): cash 8.00 (10.00 tendered), Bar till,
  Bruno; Beer 2 x 4.00.
- O3 start+2h: voided, 5.00, Front till.
- O4 start+3h: card 15.00, Bar till, no staff member; Wine 1 (an open price, no product).
- O5 D 01:30 local (before D's start: the day before with a 02:00 end): card 9.00 + tip
  1.00, Front till, Ana; Coffee 2 x 4.50.
- O6 D-10 start+5h: cash 20.00, Bar till, Bruno; Beer 5 x 4.00.
- O7 D-40: card 50.00 (outside the 30 days).
- Disputes: dp_yesterday (O5, 9.00) needs_response D-1 start+5h; dp_won (7.00)
  needs_response D-20, won start+6h; dp_inquiry (4.00) warning_needs_response start+1h (an
  inquiry: Stripe takes nothing)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, create_engine, text

from sync_server.config import Settings
from sync_server.kit.ids import uuid7
from sync_server.tenants.schemas import Tenant

COFFEE, MUFFIN, BEER = uuid7(), uuid7(), uuid7()


@dataclass(frozen=True, slots=True)
class Seeded:
    day: date
    start: datetime
    front: uuid.UUID
    bar: uuid.UUID
    ana: uuid.UUID
    bruno: uuid.UUID


def local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def seed_week(settings: Settings, shop: Tenant, day: date, day_ends_at: time) -> Seeded:
    tz = ZoneInfo(shop.timezone)
    start = local(day, day_ends_at, tz)
    hour = timedelta(hours=1)
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            front, bar, ana, bruno = uuid7(), uuid7(), uuid7(), uuid7()
            for device, name in ((front, "Front till"), (bar, "Bar till")):
                conn.execute(
                    text("INSERT INTO devices (tenant_id, id, name) VALUES (:t, :i, :n)"),
                    {"t": shop.id, "i": device, "n": name},
                )
            for staff, name in ((ana, "Ana"), (bruno, "Bruno")):
                conn.execute(
                    text(
                        "INSERT INTO staff (tenant_id, id, name, role, pin_hash, active, "
                        "updated_at) VALUES (:t, :i, :n, 'cashier', 'x', true, now())"
                    ),
                    {"t": shop.id, "i": staff, "n": name},
                )
            seeder = _Seeder(conn, shop)
            o1 = seeder.order(
                start + hour, front, ana, "card",
                [(COFFEE, "Coffee", 2, 450, 0), (MUFFIN, "Muffin", 1, 400, 100)], tip=200,
            )  # fmt: skip
            seeder.order(local(day + timedelta(days=1), time(0, 30), tz), bar, bruno, "cash",
                         [(BEER, "Beer", 2, 400, 0)], tendered=1000)  # fmt: skip
            seeder.order(start + 2 * hour, front, None, "card", [(None, "Soup", 1, 500, 0)],
                         voided=True)  # fmt: skip
            seeder.order(start + 3 * hour, bar, None, "card", [(None, "Wine", 1, 1500, 0)])
            o5 = seeder.order(local(day, time(1, 30), tz), front, ana, "card",
                              [(COFFEE, "Coffee", 2, 450, 0)], tip=100)  # fmt: skip
            seeder.order(start - timedelta(days=10) + 5 * hour, bar, bruno, "cash",
                         [(BEER, "Beer", 5, 400, 0)])  # fmt: skip
            seeder.order(start - timedelta(days=40), front, ana, "card",
                         [(None, "Party", 1, 5000, 0)])  # fmt: skip
            seeder.refund(o1, start + 4 * hour, front, amount=300, tip=50)
            seeder.dispute("dp_yesterday", o5[0], 900, [
                ("needs_response", start - timedelta(days=1) + 5 * hour)])  # fmt: skip
            won = [("needs_response", start - timedelta(days=20)), ("won", start + 6 * hour)]
            seeder.dispute("dp_won", None, 700, won)
            seeder.dispute("dp_inquiry", None, 400, [("warning_needs_response", start + hour)])
    finally:
        engine.dispose()
    return Seeded(day=day, start=start, front=front, bar=bar, ana=ana, bruno=bruno)


Line = tuple[uuid.UUID | None, str, int, int, int]


class _Seeder:
    def __init__(self, conn: Connection, shop: Tenant) -> None:
        self.conn = conn
        self.shop = shop
        self.number = 0

    def order(
        self, at: datetime, device: uuid.UUID, staff: uuid.UUID | None, kind: str,
        lines: list[Line], *, tip: int = 0, tendered: int | None = None, voided: bool = False,
    ) -> tuple[uuid.UUID, uuid.UUID]:  # fmt: skip
        """The order's id and its tender's."""
        self.number += 1
        order_id, tender_id = uuid7(), uuid7()
        subtotal = sum(quantity * price for _, _, quantity, price, _ in lines)
        discount = sum(off for *_, off in lines)
        total = subtotal - discount
        self.conn.execute(
            text(
                "INSERT INTO orders (tenant_id, id, device_id, number, register_id, status, "
                "currency, tax_mode, subtotal_minor, line_discount_minor, order_discount_minor, "
                "tax_minor, total_minor, tip_minor, created_at, paid_at, voided_at, staff_id, "
                "content_hash) VALUES (:t, :i, :d, :n, :d, :s, :c, 'inclusive', :sub, 0, :off, "
                "0, :total, :tip, :at, :paid, :void, :staff, '\\x00')"
            ),
            {
                "t": self.shop.id,
                "i": order_id,
                "d": device,
                "n": self.number,
                "s": "voided" if voided else "paid",
                "c": self.shop.currency,
                "sub": subtotal,
                "off": discount,
                "total": total,
                "tip": tip,
                "at": at,
                "paid": None if voided else at,
                "void": at if voided else None,
                "staff": staff,
            },
        )
        for position, (product, name, quantity, price, off) in enumerate(lines):
            self.conn.execute(
                text(
                    "INSERT INTO order_lines (tenant_id, id, order_id, position, product_id, sku, "
                    "name, quantity, unit_price_minor, tax_rate_ppm, gross_minor, "
                    "line_discount_minor, order_discount_minor, net_minor, tax_minor, "
                    "total_minor) VALUES (:t, :i, :o, :p, :product, :name, :name, :q, :price, 0, "
                    ":gross, 0, :off, :net, 0, :net)"
                ),
                {
                    "t": self.shop.id,
                    "i": uuid7(),
                    "o": order_id,
                    "p": position,
                    "product": product,
                    "name": name,
                    "q": quantity,
                    "price": price,
                    "gross": quantity * price,
                    "off": off,
                    "net": quantity * price - off,
                },
            )
        if not voided:
            given = total + tip if tendered is None else tendered
            self.conn.execute(
                text(
                    "INSERT INTO tenders (tenant_id, id, order_id, kind, amount_minor, tip_minor, "
                    "tendered_minor, change_minor) VALUES (:t, :i, :o, :k, :a, :tip, :g, :ch)"
                ),
                {
                    "t": self.shop.id,
                    "i": tender_id,
                    "o": order_id,
                    "k": kind,
                    "a": total,
                    "tip": tip,
                    "g": given,
                    "ch": given - total - tip,
                },
            )
        return order_id, tender_id

    def refund(
        self, order: tuple[uuid.UUID, uuid.UUID], at: datetime, device: uuid.UUID, *,
        amount: int, tip: int,
    ) -> None:  # fmt: skip
        refund_id = uuid7()
        self.conn.execute(
            text(
                "INSERT INTO refunds (tenant_id, id, order_id, device_id, amount_minor, "
                "tax_minor, reason, status, created_at, tip_minor) "
                "VALUES (:t, :i, :o, :d, :a, 0, 'returned', 'succeeded', :at, :tip)"
            ),
            {
                "t": self.shop.id,
                "i": refund_id,
                "o": order[0],
                "d": device,
                "a": amount,
                "at": at,
                "tip": tip,
            },
        )
        self.conn.execute(
            text(
                "INSERT INTO refund_allocations (tenant_id, id, refund_id, tender_id, kind, "
                "amount_minor, status, tip_minor) "
                "VALUES (:t, :i, :r, :tender, 'card', :a, 'succeeded', :tip)"
            ),
            {
                "t": self.shop.id,
                "i": uuid7(),
                "r": refund_id,
                "tender": order[1],
                "a": amount,
                "tip": tip,
            },
        )

    def dispute(
        self, dispute_id: str, order_id: uuid.UUID | None, amount: int,
        events: list[tuple[str, datetime]],
    ) -> None:  # fmt: skip
        self.conn.execute(
            text(
                "INSERT INTO disputes (tenant_id, id, order_id, charge_id, amount_minor, "
                "currency, reason, status, updated_at) "
                "VALUES (:t, :i, :o, :i, :a, :c, 'fraudulent', :s, :at)"
            ),
            {
                "t": self.shop.id,
                "i": dispute_id,
                "o": order_id,
                "a": amount,
                "c": self.shop.currency,
                "s": events[-1][0],
                "at": events[-1][1],
            },
        )
        for status, at in events:
            self.conn.execute(
                text(
                    "INSERT INTO dispute_events (tenant_id, dispute_id, status, amount_minor, "
                    "currency, at) VALUES (:t, :i, :s, :a, :c, :at)"
                ),
                {
                    "t": self.shop.id,
                    "i": dispute_id,
                    "s": status,
                    "a": amount,
                    "c": self.shop.currency,
                    "at": at,
                },
            )
