"""Fees: statement figures, rounding, month boundaries in the tenant's zone, closed months,
disputes, effective-dated rates, and `verify` against a tampered ledger."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, text

from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.disputes.schemas import DisputeIn
from sync_server.disputes.service import upsert_dispute
from sync_server.fees import service as fees
from sync_server.fees.rules import (
    Amounts,
    RefundedLine,
    SoldLine,
    build_statement,
    refund_entries,
)
from sync_server.kit.ids import uuid7
from sync_server.kit.money import split_fee
from sync_server.kit.periods import period_of
from sync_server.tenants import repository as tenant_repository
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import Device, create_tenant, pair_device

PARIS = ZoneInfo("Europe/Paris")


def _half_even(numerator: int, denominator: int) -> int:
    return int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), ROUND_HALF_EVEN))


def _statement(settings: Settings, tenant: Tenant, period: str) -> dict[str, Any]:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            [statement] = fees.statements_for(conn, tenant, period)
            return statement.to_json()
    finally:
        engine.dispose()


def _revenue(order: dict[str, Any]) -> int:
    return sum(line["total_minor"] - line["tax_minor"] for line in order["lines"])


# --- pure rules (Hypothesis) ------------------------------------------------------------------


@given(
    nets=st.lists(st.integers(-(10**9), 10**9), min_size=0, max_size=30),
    rate=st.integers(0, 10_000),
)
def test_one_rounding_per_statement_and_rows_add_up(nets: list[int], rate: int) -> None:
    amounts = [Amounts(f"S{i:03d}", f"P{i}", "sale", net) for i, net in enumerate(nets)]
    statement = build_statement(
        tenant="t", period="2026-03", currency="EUR", rate_bps=rate, amounts=amounts
    )
    assert statement.net_minor == sum(nets)
    assert statement.fee_minor == _half_even(sum(nets) * rate, 10_000)
    assert sum(p.fee_minor for p in statement.products) == statement.fee_minor
    for product in statement.products:
        exact = Decimal(product.net_minor * rate) / 10_000
        assert abs(product.fee_minor - exact) < 1


@given(bases=st.lists(st.integers(-(10**6), 10**6), max_size=20), rate=st.integers(0, 10_000))
def test_split_fee_is_largest_remainder(bases: list[int], rate: int) -> None:
    total = _half_even(sum(bases) * rate, 10_000)
    parts = split_fee(total, bases, rate)
    assert sum(parts) == total
    floors = [(b * rate) // 10_000 for b in bases]
    assert all(part - floor in (0, 1) for part, floor in zip(parts, floors, strict=True))


@given(
    lines=st.lists(
        st.tuples(st.sampled_from("ABCD"), st.integers(0, 50_000), st.integers(0, 100)),
        min_size=1,
        max_size=6,
    ),
    share=st.integers(0, 1_000),
    rnd=st.randoms(use_true_random=False),
)
def test_a_partly_returned_refund_reverses_its_share_whatever_the_line_order(
    lines: list[tuple[str, int, int]], share: int, rnd: Any
) -> None:
    sold = [SoldLine(i, sku, sku, amount) for i, (sku, amount, _tax_pct) in enumerate(lines)]
    refunded = [
        RefundedLine(i, amount, amount * tax_pct // 100)
        for i, (_sku, amount, tax_pct) in enumerate(lines)
    ]
    amount = sum(line.amount_minor for line in refunded)
    tax = sum(line.tax_minor for line in refunded)
    if amount == 0:
        return
    returned = amount * share // 1_000
    entries = refund_entries(
        amount_minor=amount, tax_minor=tax, refunded_lines=refunded, order_lines=sold,
        returned_minor=returned,
    )  # fmt: skip
    kept_tax = (2 * tax * returned + amount) // (2 * amount)
    assert sum(e.amount_minor for e in entries) == -(returned - kept_tax)
    assert all(e.amount_minor <= 0 for e in entries)
    shuffled = list(refunded)
    rnd.shuffle(shuffled)
    again = refund_entries(
        amount_minor=amount, tax_minor=tax, refunded_lines=shuffled, order_lines=sold,
        returned_minor=returned,
    )  # fmt: skip
    assert _by_product(again) == _by_product(entries)


def _by_product(entries: list[Any]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for entry in entries:
        totals[entry.sku] += entry.amount_minor
    return dict(totals)


def test_half_even_at_exactly_half() -> None:
    # 1 % of 50 = 0.5 → 0 (even); of 150 = 1.5 → 2; of 250 = 2.5 → 2; of -150 → -2.
    for net, fee in ((50, 0), (150, 2), (250, 2), (-150, -2), (-250, -2)):
        statement = build_statement(
            tenant="t",
            period="2026-03",
            currency="EUR",
            rate_bps=100,
            amounts=[Amounts("A", "A", "sale", net)],
        )
        assert statement.fee_minor == fee, net


@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - Hypothesis wants naive bounds
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    zone=st.sampled_from(
        [
            "Europe/Paris",
            "America/New_York",
            "Asia/Kolkata",
            "Pacific/Auckland",
            "America/Sao_Paulo",
            "UTC",
        ]
    ),
)
def test_period_is_the_month_on_the_tenants_wall_clock(moment: datetime, zone: str) -> None:
    local = moment.astimezone(ZoneInfo(zone))
    assert period_of(moment, zone) == f"{local.year:04d}-{local.month:02d}"


# --- through the API ----------------------------------------------------------------------------


@pytest.mark.postgres
def test_statement_figures_json_keys_and_product_split(
    http: httpx.Client, settings: Settings
) -> None:
    tenant = create_tenant(settings, fee_bps=100)
    device = pair_device(http, settings, tenant)
    march = datetime(2026, 3, 10, 12, tzinfo=UTC)
    order_id, order = build_order(
        lines=[("LAT", "Latte", 3, 450, 100_000), ("CRO", "Croissant", 2, 250, 55_000)],
        paid_at=march,
        tip_minor=200,
    )
    refund_id, refund = build_refund(
        order, created_at=march + timedelta(days=1), line_indexes=[1], order_id=order_id
    )
    push(
        http, device, [change(1, "order", order_id, order), change(2, "refund", refund_id, refund)]
    )
    statement = _statement(settings, tenant, "2026-03")
    assert list(statement) == [
        "tenant", "period", "currency", "rate_bps", "gross_minor", "refunds_minor",
        "chargebacks_minor", "net_minor", "fee_minor", "adjustments_minor", "closed", "products",
    ]  # fmt: skip
    latte = order["lines"][0]["total_minor"] - order["lines"][0]["tax_minor"]
    croissant = order["lines"][1]["total_minor"] - order["lines"][1]["tax_minor"]
    assert statement["gross_minor"] == latte + croissant  # no tax, no tip
    assert statement["refunds_minor"] == croissant
    assert statement["net_minor"] == latte
    assert statement["fee_minor"] == _half_even(latte * 100, 10_000)
    assert statement["products"] == [
        {"sku": "CRO", "name": "Croissant", "net_minor": 0, "fee_minor": 0},
        {"sku": "LAT", "name": "Latte", "net_minor": latte, "fee_minor": statement["fee_minor"]},
    ]
    assert statement["tenant"] == tenant.slug


@pytest.mark.postgres
def test_month_boundary_is_the_tenants_local_midnight(
    http: httpx.Client, settings: Settings
) -> None:
    tenant = create_tenant(settings, timezone="Europe/Paris")
    device = pair_device(http, settings, tenant)
    late_march = datetime(2026, 3, 31, 23, 30, tzinfo=PARIS)  # 21:30 UTC: March in Paris
    early_april = datetime(2026, 4, 1, 0, 30, tzinfo=PARIS)  # 22:30 UTC on 31 March
    a_id, a = build_order(lines=[("A", "A", 1, 1000, 0)], paid_at=late_march.astimezone(UTC))
    b_id, b = build_order(lines=[("B", "B", 1, 3000, 0)], paid_at=early_april.astimezone(UTC))
    push(http, device, [change(1, "order", a_id, a), change(2, "order", b_id, b)])
    assert _statement(settings, tenant, "2026-03")["gross_minor"] == 1000
    assert _statement(settings, tenant, "2026-04")["gross_minor"] == 3000


@pytest.mark.postgres
@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(["Europe/Paris", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney"]),
    sales=st.lists(
        st.tuples(
            st.integers(-36 * 60, 36 * 60),  # minutes around a month boundary
            st.integers(1, 99_999),  # price
            st.sampled_from([0, 55_000, 100_000, 200_000]),  # tax ppm
            st.sampled_from(["inclusive", "exclusive"]),
        ),
        min_size=1,
        max_size=12,
    ),
    rate=st.integers(1, 500),
)
def test_statements_match_an_independent_recomputation(
    live: LiveServer,
    settings: Settings,
    zone: str,
    sales: list[tuple[int, int, int, str]],
    rate: int,
) -> None:
    tenant = create_tenant(settings, timezone=zone, fee_bps=rate)
    boundary = datetime(2026, 4, 1, tzinfo=ZoneInfo(zone))
    expected: dict[str, int] = defaultdict(int)
    batch = []
    with httpx.Client(base_url=live.url, timeout=30) as client:
        device = pair_device(client, settings, tenant)
        for seq, (minutes, price, tax, mode) in enumerate(sales, start=1):
            paid = (boundary + timedelta(minutes=minutes)).astimezone(UTC)
            order_id, order = build_order(
                lines=[("X", "X", 1, price, tax)], paid_at=paid, tax_mode=mode
            )
            batch.append(change(seq, "order", order_id, order))
            local = paid.astimezone(ZoneInfo(zone))
            expected[f"{local.year:04d}-{local.month:02d}"] += _revenue(order)
        assert push(client, device, batch).status_code == 200
    for period in ("2026-03", "2026-04"):
        statement = _statement(settings, tenant, period)
        assert statement["net_minor"] == expected[period]
        assert statement["fee_minor"] == _half_even(expected[period] * rate, 10_000)
        assert sum(p["fee_minor"] for p in statement["products"]) == statement["fee_minor"]


@pytest.mark.postgres
def test_lost_dispute_is_a_chargeback_in_the_month_lost_and_won_restores_it(
    http: httpx.Client, settings: Settings, app_db: Engine
) -> None:
    tenant = create_tenant(settings)
    device = pair_device(http, settings, tenant)
    order_id, order = build_order(
        lines=[("A", "A", 1, 5000, 0)], paid_at=datetime(2026, 3, 5, tzinfo=UTC)
    )
    push(http, device, [change(1, "order", order_id, order)])

    def dispute(status: str, at: datetime) -> bool:
        with tenant_transaction(app_db, tenant.id) as conn:
            return upsert_dispute(
                conn,
                tenant=tenant,
                dispute=DisputeIn(
                    id="dp_9",
                    order_id=order_id,
                    charge_id="ch_9",
                    amount_minor=5000,
                    currency="EUR",
                    reason="fraudulent",
                    status=status,
                    updated_at=at,
                ),
            )

    assert dispute("needs_response", datetime(2026, 3, 20, tzinfo=UTC))
    assert dispute("lost", datetime(2026, 4, 10, tzinfo=UTC))
    assert not dispute("needs_response", datetime(2026, 4, 1, tzinfo=UTC))  # stale: ignored
    april = _statement(settings, tenant, "2026-04")
    assert (april["chargebacks_minor"], april["net_minor"]) == (5000, -5000)
    assert april["fee_minor"] == -50
    assert _statement(settings, tenant, "2026-03")["chargebacks_minor"] == 0
    assert dispute("won", datetime(2026, 5, 2, tzinfo=UTC))
    may = _statement(settings, tenant, "2026-05")
    assert (may["chargebacks_minor"], may["net_minor"]) == (-5000, 5000)
    assert _statement(settings, tenant, "2026-04")["chargebacks_minor"] == 5000


@pytest.mark.postgres
def test_fee_rate_is_effective_dated(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    tenant = create_tenant(settings, fee_bps=100)
    with admin_db.begin() as conn:
        from datetime import date

        tenant_repository.insert_fee_rate(conn, tenant.id, date(2026, 4, 1), 250)
    device = pair_device(http, settings, tenant)
    batch = []
    for seq, day in enumerate(
        (datetime(2026, 3, 9, tzinfo=UTC), datetime(2026, 4, 9, tzinfo=UTC)), 1
    ):
        order_id, order = build_order(lines=[("A", "A", 1, 10_000, 0)], paid_at=day)
        batch.append(change(seq, "order", order_id, order))
    push(http, device, batch)
    assert _statement(settings, tenant, "2026-03")["fee_minor"] == 100
    april = _statement(settings, tenant, "2026-04")
    assert (april["rate_bps"], april["fee_minor"]) == (250, 250)


# --- closing and verification (databases of their own: closing is platform-wide) ---------------


@pytest.fixture
def fresh_live(fresh_settings: Settings) -> Any:
    server = start_live_server(fresh_settings)
    yield server
    server.stop()


@pytest.mark.postgres
def test_closed_month_never_changes_late_events_are_adjustments(
    fresh_settings: Settings, fresh_live: LiveServer
) -> None:
    settings = fresh_settings
    tenant = create_tenant(settings)
    admin = create_engine(settings.admin_database_url)
    with httpx.Client(base_url=fresh_live.url) as client:
        device = pair_device(client, settings, tenant)
        march = datetime(2026, 3, 15, 12, tzinfo=UTC)
        first_id, first = build_order(lines=[("A", "Apple", 1, 10_000, 0)], paid_at=march)
        push(client, device, [change(1, "order", first_id, first)])
        with admin.begin() as conn:
            closed = fees.close_period(conn, "2026-03")
        assert [s.fee_minor for _, s in closed.frozen] == [100]
        assert closed.held == {}
        closed_before = _statement(settings, tenant, "2026-03")
        # A late offline March order and a refund of the first order, made in March too.
        late_id, late = build_order(
            lines=[("B", "Bread", 1, 4_000, 0)], paid_at=march + timedelta(days=1)
        )
        refund_id, refund = build_refund(
            first, created_at=march + timedelta(days=2), order_id=first_id
        )
        april_id, april_order = build_order(
            lines=[("A", "Apple", 1, 2_000, 0)], paid_at=datetime(2026, 4, 2, tzinfo=UTC)
        )
        push(
            client,
            device,
            [
                change(2, "order", late_id, late),
                change(3, "refund", refund_id, refund),
                change(4, "order", april_id, april_order),
            ],
        )
    assert _statement(settings, tenant, "2026-03") == closed_before
    assert closed_before["closed"] is True
    april = _statement(settings, tenant, "2026-04")
    assert april["gross_minor"] == 4_000 + 2_000
    assert april["refunds_minor"] == 10_000
    assert april["adjustments_minor"] == 4_000 - 10_000
    assert april["net_minor"] == -4_000
    assert april["fee_minor"] == -40
    with admin.begin() as conn:
        assert fees.verify(conn) == []
        with pytest.raises(fees.FeeError, match="already closed"):
            fees.close_period(conn, "2026-02")
    admin.dispose()


@pytest.mark.postgres
def test_a_refund_whose_card_part_was_refused_reverses_the_fee_on_the_cash_that_went_back(
    fresh_settings: Settings, fresh_live: LiveServer
) -> None:
    # A split refund: 3.00 handed over in cash at once, then Stripe refused the card part. The
    # shop gave 3.00 back, so the fee is reversed on that (net of its share of tax), by the
    # register's rule; a late replay of the pending state changes nothing.
    settings = fresh_settings
    tenant = create_tenant(settings)
    march = datetime(2026, 3, 10, 12, tzinfo=UTC)
    order_id, order = build_order(
        lines=[("LAT", "Latte", 3, 450, 100_000), ("CRO", "Croissant", 2, 250, 55_000)],
        paid_at=march,
    )
    refund_id, pending = build_refund(
        order, created_at=march + timedelta(days=1), order_id=order_id, status="pending"
    )
    amount, tax = pending["amount_minor"], pending["tax_minor"]
    card, cash = str(uuid7()), str(uuid7())
    pending["allocations"] = [
        {"id": card, "tender_id": order["tenders"][0]["id"], "kind": "card",
         "amount_minor": amount - 300, "status": "pending", "gateway_refund_id": None},
        {"id": cash, "tender_id": None, "kind": "cash", "amount_minor": 300,
         "status": "succeeded", "gateway_refund_id": None},
    ]  # fmt: skip
    failed = {
        **pending,
        "status": "failed",
        "allocations": [
            {**pending["allocations"][0], "status": "failed"},
            pending["allocations"][1],
        ],
    }
    with httpx.Client(base_url=fresh_live.url) as client:
        device = pair_device(client, settings, tenant)
        push(
            client,
            device,
            [change(1, "order", order_id, order), change(2, "refund", refund_id, pending)],
        )
        assert _statement(settings, tenant, "2026-03")["refunds_minor"] == 0
        push(client, device, [change(3, "refund", refund_id, failed)])
        push(client, device, [change(4, "refund", refund_id, pending)])  # a late replay
    kept_tax = (2 * tax * 300 + amount) // (2 * amount)  # round half up
    statement = _statement(settings, tenant, "2026-03")
    assert statement["refunds_minor"] == 300 - kept_tax
    assert statement["net_minor"] == _revenue(order) - (300 - kept_tax)
    admin = create_engine(settings.admin_database_url)
    with admin.begin() as conn:
        rows = conn.execute(text("SELECT id::text, status FROM refund_allocations"))
        statuses = {row.id: row.status for row in rows}
        assert statuses == {card: "failed", cash: "succeeded"}
        assert fees.verify(conn) == []
    admin.dispose()


@pytest.mark.postgres
def test_verify_detects_a_tampered_ledger(fresh_settings: Settings, fresh_live: LiveServer) -> None:
    settings = fresh_settings
    tenant = create_tenant(settings)
    with httpx.Client(base_url=fresh_live.url) as client:
        device = pair_device(client, settings, tenant)
        batch = []
        for seq in range(1, 6):
            order_id, order = build_order(
                lines=[("A", "A", 2, 333, 100_000), ("B", "B", 1, 1250, 55_000)],
                paid_at=datetime(2026, 3, seq, tzinfo=UTC),
            )
            batch.append(change(seq, "order", order_id, order))
        push(client, device, batch)
    admin = create_engine(settings.admin_database_url)
    with admin.begin() as conn:
        fees.close_period(conn, "2026-02")
        assert fees.verify(conn) == []
    with admin.begin() as conn:
        conn.execute(
            text(
                "UPDATE fee_ledger SET amount_minor = amount_minor + 1 "
                "WHERE id = (SELECT min(id) FROM fee_ledger)"
            )
        )
    with admin.begin() as conn:
        problems = fees.verify(conn)
    assert problems
    assert any("ledger" in p and "!= recomputed" in p for p in problems)
    assert any(p.startswith("open statement") for p in problems)
    with admin.begin() as conn:
        conn.execute(
            text(
                "UPDATE fee_ledger SET amount_minor = amount_minor - 1 "
                "WHERE id = (SELECT min(id) FROM fee_ledger)"
            )
        )
        conn.execute(text("DELETE FROM fee_ledger WHERE id = (SELECT max(id) FROM fee_ledger)"))
    with admin.begin() as conn:
        assert fees.verify(conn)
    admin.dispose()


@pytest.mark.postgres
def test_platform_fee_run_covers_every_tenant(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    shops: list[tuple[Tenant, Device]] = []
    for _ in range(3):
        tenant = create_tenant(settings)
        shops.append((tenant, pair_device(http, settings, tenant)))
    for index, (_, device) in enumerate(shops):
        order_id, order = build_order(
            lines=[("A", "A", 1, 1000 * (index + 1), 0)], paid_at=datetime(2026, 6, 3, tzinfo=UTC)
        )
        push(http, device, [change(1, "order", order_id, order)])
    with admin_db.connect() as conn:
        run = {tenant_id: s.fee_minor for tenant_id, s in fees.platform_statements(conn, "2026-06")}
    for index, (tenant, _) in enumerate(shops):
        assert run[tenant.id] == 10 * (index + 1)


@pytest.mark.postgres
@hypothesis_settings(max_examples=60, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - Hypothesis wants naive bounds
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    zone=st.sampled_from(
        ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]
    ),
)
def test_python_and_postgresql_agree_on_the_month(
    admin_db: Engine, moment: datetime, zone: str
) -> None:
    # The ledger assigns months in Python; `fees verify` recomputes sales in SQL.
    with admin_db.connect() as conn:
        in_sql = conn.execute(
            text("SELECT to_char(CAST(:t AS timestamptz) AT TIME ZONE :z, 'YYYY-MM')"),
            {"t": moment, "z": zone},
        ).scalar_one()
    assert period_of(moment, zone) == in_sql
