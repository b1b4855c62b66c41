"""A Hypothesis state machine over several shops' fee ledgers on real PostgreSQL (issue 14):
honest and hostile changes mixed (sales with tax and tips, refunds by line within and beyond
what is left, refunds of another shop's order, refunds made in Stripe's dashboard, lost
disputes), pushed over HTTP to the live server or applied through the webhook worker's own
service functions. After every step:

* no answer was a 5xx;
* `fees verify` finds nothing in any shop (the ledger equals the recomputation);
* the shops the step did not touch have the same statements as before;
* no order gives back more revenue than it sold (its refunds and disputes together), no
  shop's month goes below zero (net and fee), its sales are what it sold, and a register
  refund is accepted exactly when the model says it fits.

``SYNC_STATEFUL_EXAMPLES=100 SYNC_STATEFUL_STEPS=40`` runs it longer than `make test` does.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import Engine, create_engine, text

from sync_server.config import Settings
from sync_server.db import app_engine, tenant_transaction
from sync_server.disputes.schemas import DisputeIn
from sync_server.disputes.service import upsert_dispute
from sync_server.fees import service as fees
from sync_server.kit.ids import uuid7
from sync_server.kit.money import div_round_half_up
from sync_server.reconciliation import service as reconciliation
from sync_server.reconciliation.schemas import GatewayRefund
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_payment, change, iso, push
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import Device, create_tenant, pair_device

pytestmark = pytest.mark.postgres

EXAMPLES = int(os.environ.get("SYNC_STATEFUL_EXAMPLES", "6"))
STEPS = int(os.environ.get("SYNC_STATEFUL_STEPS", "14"))
SHOPS = 3
PERIOD = "2026-03"
PAID = datetime(2026, 3, 10, 12, tzinfo=UTC)
REFUNDED = datetime(2026, 3, 12, 12, tzinfo=UTC)


@dataclass
class SoldOrder:
    order_id: uuid.UUID
    data: dict[str, Any]
    intent_id: str
    refunded_units: dict[str, int] = field(default_factory=dict)
    register_minor: int = 0
    outside_minor: int = 0
    disputed_minor: int = 0

    @property
    def total(self) -> int:
        return int(self.data["total_minor"])

    @property
    def left(self) -> int:
        return self.total - self.register_minor - self.outside_minor - self.disputed_minor


@dataclass
class ShopModel:
    tenant: Tenant
    device: Device
    seq: int = 0
    gross: int = 0
    orders: list[SoldOrder] = field(default_factory=list)


@dataclass(frozen=True)
class World:
    settings: Settings
    live: LiveServer
    admin: Engine
    app: Engine


@pytest.fixture
def world(fresh_settings: Settings) -> Iterator[World]:
    live = start_live_server(fresh_settings)
    admin = create_engine(fresh_settings.admin_database_url)
    app = app_engine(fresh_settings)
    try:
        yield World(fresh_settings, live, admin, app)
    finally:
        app.dispose()
        admin.dispose()
        live.stop()


_LINES = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=4),  # quantity
        st.integers(min_value=1, max_value=3000),  # unit price
        st.sampled_from([0, 55_000, 83_750, 200_000]),  # tax ppm
    ),
    min_size=1,
    max_size=3,
)


class FeeLedgerMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self.http = httpx.Client(base_url=self.world.live.url, timeout=30)
        self.shops: list[ShopModel] = []
        for _ in range(SHOPS):
            tenant = create_tenant(self.world.settings)
            self.shops.append(
                ShopModel(tenant, pair_device(self.http, self.world.settings, tenant))
            )
        self.before = self._statements()
        self.touched: set[int] = set()

    def teardown(self) -> None:
        self.http.close()

    # --- plumbing ---------------------------------------------------------------------------

    def _push(self, shop: ShopModel, *changes: tuple[str, uuid.UUID, dict[str, Any]]) -> Any:
        batch = [
            change(shop.seq + n, entity, entity_id, data)
            for n, (entity, entity_id, data) in enumerate(changes, start=1)
        ]
        response = push(self.http, shop.device, batch)
        assert response.status_code < 500, response.text
        if response.status_code == 200:
            shop.seq += len(changes)
        return response

    def _statements(self) -> list[dict[str, Any]]:
        with self.world.admin.connect() as conn:
            return [
                fees.statements_for(conn, shop.tenant, PERIOD)[0].to_json() for shop in self.shops
            ]

    def _touch(self, index: int) -> ShopModel:
        self.touched.add(index)
        return self.shops[index]

    # --- honest -----------------------------------------------------------------------------

    @rule(index=st.integers(0, SHOPS - 1), lines=_LINES, tip=st.integers(0, 500))
    def sell(self, index: int, lines: list[tuple[int, int, int]], tip: int) -> None:
        shop = self._touch(index)
        order_id, order = build_order(
            lines=[(f"S{n}", f"Item {n}", *line) for n, line in enumerate(lines)],
            paid_at=PAID,
            tax_mode="exclusive",
            tip_minor=tip,
            number=len(shop.orders) + 1,
        )
        intent_id = f"pi_{uuid.uuid4().hex[:20]}"
        payment_id, payment = build_payment(
            order_id, order, gateway_payment_id=intent_id, gateway_charge_id=None
        )
        response = self._push(shop, ("order", order_id, order), ("payment", payment_id, payment))
        assert response.status_code == 200, response.text
        if tip > order["total_minor"]:
            # A tip is at most the card amount it is added to (`tenders.check_tip`, both
            # sides): the sale is refused, its payment with it, and nothing is billed.
            refused = response.json()["refused"]
            assert [(r["entity"], r["code"]) for r in refused] == [
                ("order", "money_mismatch"),
                ("payment", "depends_on_refused"),
            ], refused
            return
        assert response.json()["refused"] == [], response.text
        shop.orders.append(SoldOrder(order_id, order, intent_id))
        shop.gross += sum(line["total_minor"] - line["tax_minor"] for line in order["lines"])

    @rule(index=st.integers(0, SHOPS - 1), pick=st.integers(0, 10**6), units=st.integers(1, 4))
    def refund_units(self, index: int, pick: int, units: int) -> None:
        """A register refund of some units of a line, by the register's cumulative rule; it
        fits exactly when the model says what is left of the order covers it."""
        shop = self._touch(index)
        if not shop.orders:
            return
        order = shop.orders[pick % len(shop.orders)]
        line = order.data["lines"][pick % len(order.data["lines"])]
        done = order.refunded_units.get(line["id"], 0)
        quantity = min(units, line["quantity"] - done)
        if quantity <= 0:
            return

        def through(total: int, k: int) -> int:
            return div_round_half_up(total * k, line["quantity"])

        amount = through(line["total_minor"], done + quantity) - through(line["total_minor"], done)
        tax = through(line["tax_minor"], done + quantity) - through(line["tax_minor"], done)
        refund = {
            "order_id": str(order.order_id), "amount_minor": amount, "tax_minor": tax,
            "reason": "cold", "status": "succeeded", "created_at": iso(REFUNDED),
            "lines": [{"line_id": line["id"], "quantity": quantity, "amount_minor": amount,
                       "tax_minor": tax}],
            "allocations": [{"id": str(uuid7()), "tender_id": order.data["tenders"][0]["id"],
                             "kind": "card", "amount_minor": amount, "status": "succeeded",
                             "gateway_refund_id": None}],
        }  # fmt: skip
        if amount == 0:
            return  # the register refuses a unit whose share rounds to nothing
        fits = amount <= order.total - order.register_minor - order.disputed_minor
        body = self._push(shop, ("refund", uuid7(), refund)).json()
        if fits:
            assert body["conflicts"] == body["refused"] == [], body
            order.refunded_units[line["id"]] = done + quantity
            order.register_minor += amount
            # Outside refunds give way to the register's (`sync.refund_caps`).
            room = order.total - order.register_minor - order.disputed_minor
            order.outside_minor = min(order.outside_minor, max(room, 0))
        else:
            assert [(r["code"], r["reason"].split(":")[0]) for r in body["refused"]] == [
                ("over_refund", "refund_exceeds_order")
            ], body

    @rule(index=st.integers(0, SHOPS - 1), pick=st.integers(0, 10**6), share=st.integers(1, 150))
    def outside_refund(self, index: int, pick: int, share: int) -> None:
        """A refund made in Stripe's dashboard (`share` percent of the card payment, tip
        included), as the webhook worker applies it."""
        shop = self._touch(index)
        if not shop.orders:
            return
        order = shop.orders[pick % len(shop.orders)]
        paid = order.total + int(order.data["tip_minor"])
        amount = max(1, min(paid, paid * share // 100))
        refund = GatewayRefund(
            id=f"re_{uuid.uuid4().hex[:20]}", payment_intent_id=order.intent_id, charge_id=None,
            amount_minor=amount, currency=shop.tenant.currency, status="succeeded",
            reason=None, register_refund_id=None, metadata={}, created_at=REFUNDED,
            updated_at=REFUNDED,
        )  # fmt: skip
        with tenant_transaction(self.world.app, shop.tenant.id) as conn:
            reconciliation.record_stripe_refund(
                conn, tenant=shop.tenant, refund=refund, now=datetime.now(UTC)
            )
        order.outside_minor += min(amount, max(order.left, 0))

    @rule(index=st.integers(0, SHOPS - 1), pick=st.integers(0, 10**6), won=st.booleans())
    def dispute(self, index: int, pick: int, won: bool) -> None:
        """The cardholder's bank takes the whole card payment back (tip included)."""
        shop = self._touch(index)
        if not shop.orders:
            return
        order = shop.orders[pick % len(shop.orders)]
        dispute_id = f"dp_{order.order_id.hex[:20]}"
        status = "won" if won else "lost"
        with tenant_transaction(self.world.app, shop.tenant.id) as conn:
            upsert_dispute(
                conn,
                tenant=shop.tenant,
                dispute=DisputeIn(
                    id=dispute_id, order_id=order.order_id, charge_id=None,
                    amount_minor=order.total + int(order.data["tip_minor"]),
                    currency=shop.tenant.currency, status=status, updated_at=REFUNDED,
                ),
                known_newer=True,
            )  # fmt: skip
        order.disputed_minor = 0
        if not won:
            order.disputed_minor = max(order.left, 0)

    # --- hostile ----------------------------------------------------------------------------

    @rule(index=st.integers(0, SHOPS - 1), pick=st.integers(0, 10**6), extra=st.integers(1, 10**6))
    def refund_more_than_left(self, index: int, pick: int, extra: int) -> None:
        shop = self._touch(index)
        if not shop.orders:
            return
        order = shop.orders[pick % len(shop.orders)]
        amount = min(order.total - order.register_minor - order.disputed_minor + extra, 10**9)
        refund = {
            "order_id": str(order.order_id), "amount_minor": amount, "tax_minor": 0,
            "reason": "x", "status": "succeeded", "created_at": iso(REFUNDED), "lines": [],
            "allocations": [{"id": str(uuid7()), "tender_id": None, "kind": "cash",
                             "amount_minor": amount, "status": "succeeded",
                             "gateway_refund_id": None}],
        }  # fmt: skip
        body = self._push(shop, ("refund", uuid7(), refund)).json()
        assert body["applied"] == 0
        assert body["refused"][0]["reason"].startswith("refund_exceeds_order")

    @rule(index=st.integers(0, SHOPS - 1), other=st.integers(1, SHOPS - 1), pick=st.integers())
    def refund_another_shops_order(self, index: int, other: int, pick: int) -> None:
        """A register aims a refund at another shop's order: it never reaches that shop."""
        shop = self._touch(index)
        victim = self.shops[(index + other) % SHOPS]
        if not victim.orders:
            return
        target = victim.orders[pick % len(victim.orders)]
        refund = {
            "order_id": str(target.order_id), "amount_minor": 100, "tax_minor": 0,
            "reason": "x", "status": "succeeded", "created_at": iso(REFUNDED), "lines": [],
            "allocations": [],
        }  # fmt: skip
        response = self._push(shop, ("refund", uuid7(), refund))
        assert response.status_code == 422 or response.json()["applied"] == 0

    @rule(index=st.integers(0, SHOPS - 1), amount=st.integers(-(10**20), 10**20))
    def malformed_refund(self, index: int, amount: int) -> None:
        shop = self._touch(index)
        refund = {
            "order_id": "not-a-uuid", "amount_minor": amount, "tax_minor": -1, "reason": "",
            "status": "maybe", "created_at": "yesterday", "lines": [], "allocations": [],
        }  # fmt: skip
        # Refused on its own (quarantined with a reason), never a 422 that would wedge the
        # register's queue behind it.
        response = self._push(shop, ("refund", uuid7(), refund))
        assert response.status_code == 200, response.text
        [refused] = response.json()["refused"]
        assert refused["code"] == "malformed"

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def the_ledger_agrees_and_only_touched_shops_move(self) -> None:
        with self.world.admin.connect() as conn:
            problems = fees.verify_by_shop(conn)
        assert {shop.tenant.id: problems.get(shop.tenant.id) for shop in self.shops} == {
            shop.tenant.id: None for shop in self.shops
        }
        now = self._statements()
        for index, (shop, statement) in enumerate(zip(self.shops, now, strict=True)):
            if index not in self.touched:
                assert statement == self.before[index]
            assert statement["gross_minor"] == shop.gross
            assert statement["net_minor"] >= 0, statement
            assert statement["fee_minor"] >= 0, statement
        self.before = now
        self.touched = set()

    @invariant()
    def no_order_gives_back_more_revenue_than_it_sold(self) -> None:
        with self.world.admin.connect() as conn:
            over = conn.execute(
                text(
                    "SELECT o.id, (SELECT sum(l.total_minor - l.tax_minor) FROM order_lines l "
                    "  WHERE l.order_id = o.id) AS sold, coalesce((SELECT sum(f.amount_minor) "
                    "  FROM fee_ledger f WHERE f.kind <> 'sale' AND f.source_id IN ("
                    "    SELECT r.id::text FROM refunds r WHERE r.order_id = o.id "
                    "    UNION ALL SELECT d.id FROM disputes d WHERE d.order_id = o.id)"
                    "), 0) AS taken FROM orders o WHERE o.tenant_id = ANY(CAST(:t AS uuid[]))"
                ),
                {"t": [shop.tenant.id for shop in self.shops]},
            ).all()
        assert [row for row in over if row.sold + row.taken < 0 or row.taken > 0] == []


def test_fee_ledgers_of_several_shops_under_honest_and_hostile_changes(world: World) -> None:
    FeeLedgerMachine.world = world
    run_state_machine_as_test(
        FeeLedgerMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
