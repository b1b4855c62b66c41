"""Fee ledger writes (inside the merge transaction), statements, closing months, verification."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cached_property

from sqlalchemy import Connection

from sync_server.fees import repository
from sync_server.fees.repository import LedgerRow
from sync_server.fees.rules import (
    CHARGEBACK_NAME,
    CHARGEBACK_SKU,
    Amounts,
    Entry,
    ProductFee,
    RefundedLine,
    SoldLine,
    Statement,
    build_statement,
    chargeback_delta,
    refund_entries,
)
from sync_server.kit.periods import (
    billing_period,
    check_period,
    first_day,
    next_period,
    period_end,
    period_of,
    previous_period,
)
from sync_server.tenants import service as tenant_service
from sync_server.tenants.schemas import Tenant


class FeeError(ValueError):
    """A fee operation that cannot be done (closing a closed month, ...)."""


# --- writing the ledger (tenant scope, same transaction as the merge) --------------------------


@dataclass(slots=True)
class LedgerWriter:
    """Collects a merge's ledger rows and writes them in one statement.

    Created after the shared period lock is taken, so `last_closed` cannot move under it.
    """

    tenant: Tenant
    last_closed: str | None
    rows: list[LedgerRow]

    @classmethod
    def open(cls, conn: Connection, tenant: Tenant) -> LedgerWriter:
        repository.share_period_lock(conn)
        return cls(tenant=tenant, last_closed=repository.last_closed_for(conn, tenant.id), rows=[])

    def add(self, *, source_id: str, currency: str, at: datetime, entries: Iterable[Entry]) -> None:
        natural = period_of(at, self.tenant.timezone)
        billed = billing_period(natural, self.last_closed)
        for entry in entries:
            if entry.amount_minor:
                self.rows.append(
                    LedgerRow(
                        kind=entry.kind,
                        source_id=source_id,
                        currency=currency,
                        sku=entry.sku,
                        name=entry.name,
                        natural_period=natural,
                        billing_period=billed,
                        amount_minor=entry.amount_minor,
                    )
                )

    def flush(self, conn: Connection) -> None:
        repository.insert_ledger(conn, self.tenant.id, self.rows)
        self.rows = []


def post_chargeback(
    conn: Connection,
    writer: LedgerWriter,
    *,
    dispute_id: str,
    status: str,
    amount_minor: int,
    currency: str,
    at: datetime,
) -> int:
    """Post what a dispute's new status changes in the fee base; returns the amount posted."""
    delta = chargeback_delta(
        status=status,
        amount_minor=amount_minor,
        contributed_minor=repository.contributed(conn, writer.tenant.id, "chargeback", dispute_id),
    )
    writer.add(
        source_id=dispute_id,
        currency=currency,
        at=at,
        entries=[Entry("chargeback", CHARGEBACK_SKU, CHARGEBACK_NAME, delta)],
    )
    return delta


# --- statements ---------------------------------------------------------------------------------


def _amounts(rows: Iterable[repository.LedgerSum]) -> dict[str, list[Amounts]]:
    by_currency: dict[str, list[Amounts]] = defaultdict(list)
    for row in rows:
        by_currency[row.currency].append(
            Amounts(
                sku=row.sku,
                name=row.name,
                kind=row.kind,
                amount_minor=int(row.amount),
                adjustment_minor=int(row.adjustment or 0),
            )
        )
    return by_currency


def _frozen(conn: Connection, tenant: Tenant, period: str) -> list[Statement]:
    return _frozen_months(conn, tenant, [period]).get(period, [])


def _frozen_months(
    conn: Connection, tenant: Tenant, periods: Sequence[str]
) -> dict[str, list[Statement]]:
    """The frozen statements of these closed months, with their products, read in two
    statements whatever the number of months (the console's list of months)."""
    lines: dict[tuple[str, str], list[ProductFee]] = {}
    for line in repository.frozen_lines_of(conn, tenant.id, list(periods)):
        lines.setdefault((line.period, line.currency), []).append(
            ProductFee(
                sku=line.sku,
                name=line.name,
                gross_minor=line.gross_minor,
                refunds_minor=line.refunds_minor,
                chargebacks_minor=line.chargebacks_minor,
                net_minor=line.net_minor,
                fee_minor=line.fee_minor,
            )
        )
    statements: dict[str, list[Statement]] = {}
    for row in repository.frozen_statements_of(conn, tenant.id, list(periods)):
        statements.setdefault(row.period, []).append(
            Statement(
                tenant=tenant.slug,
                period=row.period,
                currency=row.currency,
                rate_bps=row.rate_bps,
                gross_minor=row.gross_minor,
                refunds_minor=row.refunds_minor,
                chargebacks_minor=row.chargebacks_minor,
                net_minor=row.net_minor,
                fee_minor=row.fee_minor,
                adjustments_minor=row.adjustments_minor,
                products=tuple(lines.get((row.period, row.currency), ())),
                closed=True,
            )
        )
    return statements


def statements_for(conn: Connection, tenant: Tenant, period: str) -> list[Statement]:
    """A tenant's statements for a month, one per currency: frozen if closed, live if open."""
    check_period(period)
    last_closed = repository.last_closed_for(conn, tenant.id)
    if last_closed is not None and period <= last_closed:
        frozen = _frozen(conn, tenant, period)
        if frozen:
            return frozen
    rate = repository.rate_on(conn, tenant.id, first_day(period))
    by_currency = _amounts(repository.statement_sums(conn, tenant.id, period))
    by_currency.setdefault(tenant.currency, [])
    # A closed month the shop had nothing in is as final as any other: nothing can be billed
    # into it any more (late events go to the first open month), and its rate cannot change.
    closed = last_closed is not None and period <= last_closed
    return [
        replace(
            build_statement(
                tenant=tenant.slug, period=period, currency=currency, rate_bps=rate, amounts=amounts
            ),
            closed=closed,
        )
        for currency, amounts in sorted(by_currency.items())
    ]


def statement_periods(
    conn: Connection, tenant: Tenant, *, today: date, limit: int = 36
) -> list[tuple[str, list[Statement]]]:
    """A shop's statements month by month, newest first: the months it has fees in (at most
    `limit`) and always the month of `today` (the shop's date), each as `statements_for`
    gives it (one implementation: the CLI's `fees statement` shows the same figures)."""
    current = f"{today.year:04d}-{today.month:02d}"
    months = sorted({current, *repository.statement_periods(conn, tenant.id, limit)}, reverse=True)
    months = months[:limit]
    last_closed = repository.last_closed_for(conn, tenant.id)
    closed = [month for month in months if last_closed is not None and month <= last_closed]
    frozen = _frozen_months(conn, tenant, closed)
    # A closed month with a frozen statement reads it (as `statements_for` does, two statements
    # for all of them); any other month is `statements_for` itself.
    return [
        (month, frozen[month] if month in frozen else statements_for(conn, tenant, month))
        for month in months
    ]


def closed_statements(conn: Connection, tenant: Tenant) -> list[Statement]:
    """Every frozen statement of a shop (closed months it had fees in), oldest first, with its
    products: what the platform invoices."""
    periods = sorted({row.period for row in repository.tenant_frozen_statements(conn, tenant.id)})
    return [statement for period in periods for statement in _frozen(conn, tenant, period)]


@dataclass(frozen=True, slots=True)
class ClosedFee:
    tenant_id: uuid.UUID
    period: str
    currency: str
    fee_minor: int


def closed_fees(conn: Connection) -> list[ClosedFee]:
    """Every shop's frozen fee per closed month and currency (admin role: verification)."""
    return [
        ClosedFee(row.tenant_id, row.period, row.currency, row.fee_minor)
        for row in repository.all_frozen_statements(conn)
    ]


def platform_statements(conn: Connection, period: str) -> list[tuple[uuid.UUID, Statement]]:
    """Every tenant's statement for a month from the ledger: the platform-wide fee run."""
    check_period(period)
    tenants = repository.tenant_slugs(conn)
    rates = repository.platform_rates(conn, first_day(period))
    grouped: dict[tuple[uuid.UUID, str], list[Amounts]] = defaultdict(list)
    for row in repository.platform_sums(conn, period):
        grouped[(row.tenant_id, row.currency)].append(
            Amounts(row.sku, row.name, row.kind, int(row.amount), int(row.adjustment or 0))
        )
    return [
        (
            tenant_id,
            build_statement(
                tenant=tenants[tenant_id][0],
                period=period,
                currency=currency,
                rate_bps=rates.get(tenant_id, 100),
                amounts=amounts,
            ),
        )
        for (tenant_id, currency), amounts in sorted(grouped.items(), key=lambda item: item[0])
    ]


@dataclass(frozen=True, slots=True)
class Closed:
    """What a month close did: the statements it froze, and the shops whose close it held
    (with why: their ledger's differences from the recomputation, or an earlier hold)."""

    frozen: list[tuple[uuid.UUID, Statement]]
    held: dict[str, list[str]]
    """Shop slug → why its close is held."""

    def fees_by_currency(self) -> dict[str, int]:
        """The frozen fees per currency (minor units): amounts in different currencies never
        add up."""
        totals: dict[str, int] = defaultdict(int)
        for _, statement in self.frozen:
            totals[statement.currency] += statement.fee_minor
        return dict(sorted(totals.items()))


def _check_ended(conn: Connection, period: str, now: datetime) -> None:
    """A month closes only once it has ended on every shop's wall clock: closed earlier, a sale
    still to come in it would be billed to the next month as an adjustment."""
    zones = repository.tenant_zones(conn) or ["UTC"]
    ends = {zone_name: period_end(period, zone_name) for zone_name in zones}
    last_zone = max(sorted(ends), key=lambda zone_name: ends[zone_name])
    if now < ends[last_zone]:
        raise FeeError(
            f"{period} has not ended in every shop's time zone yet: it can be closed from "
            f"{ends[last_zone]:%Y-%m-%d %H:%M} UTC (when it ends in {last_zone})"
        )


def close_period(conn: Connection, period: str, *, now: datetime | None = None) -> Closed:
    """Freeze `period` and every earlier open month (admin role); later events are adjustments.

    Refused until `period` has ended in every shop's time zone. The ledger is verified first,
    shop by shop: a shop whose ledger disagrees with the recomputation (or whose close is
    already held) is not frozen; its months stay open for it (`fee_holds`) until `close_held`
    closes them, and every other shop's month closes."""
    check_period(period)
    repository.take_period_lock(conn)
    _check_ended(conn, period, now or datetime.now(UTC))
    last_closed = repository.last_closed_period(conn)
    if last_closed is not None and period <= last_closed:
        raise FeeError(f"{period} is already closed (months up to {last_closed} are)")
    held: dict[uuid.UUID, list[str]] = verify_by_shop(conn)
    for tenant_id, first_held in repository.held_tenants(conn).items():
        held.setdefault(tenant_id, []).append(f"close held since {first_held}")
    months = repository.open_periods_up_to(conn, period, last_closed)
    if period not in months:
        months.append(period)
    frozen: list[tuple[uuid.UUID, Statement]] = []
    for month in months:
        for tenant_id, statement in platform_statements(conn, month):
            if tenant_id not in held:
                _freeze(conn, tenant_id, statement)
                frozen.append((tenant_id, statement))
        repository.insert_closed_period(conn, month)
        for tenant_id, problems in held.items():
            repository.insert_hold(conn, tenant_id, month, problems[0])
    slugs = repository.tenant_slugs(conn)
    return Closed(
        frozen=frozen,
        held={slugs[tenant_id][0]: problems for tenant_id, problems in sorted(held.items())},
    )


@dataclass(frozen=True, slots=True)
class Hold:
    """A shop's month whose close is held, and why."""

    tenant_id: uuid.UUID
    slug: str
    period: str
    reason: str


def holds(conn: Connection) -> list[Hold]:
    """Every held month of every shop (admin role), by shop then month."""
    slugs = repository.tenant_slugs(conn)
    found = [
        Hold(row.tenant_id, slugs[row.tenant_id][0], row.period, row.reason)
        for row in repository.all_holds(conn)
    ]
    return sorted(found, key=lambda hold: (hold.slug, hold.period))


def last_closed(conn: Connection) -> str | None:
    """The last month closed for the platform (a held shop's may be earlier)."""
    return repository.last_closed_period(conn)


@dataclass(frozen=True, slots=True)
class ShopMonth:
    """One shop's statement of one month in the platform-wide table, with its state: `closed`
    (frozen), `held` (closed for the others, not for this shop) or `open`."""

    tenant_id: uuid.UUID
    statement: Statement
    status: str


def months_across_shops(conn: Connection, periods: Iterable[str]) -> dict[str, list[ShopMonth]]:
    """Every shop's statement of each month (admin role): `platform_statements` month by
    month, each marked closed, held or open for its shop."""
    closed_for = repository.last_closed_by_tenant(conn)
    held = {(row.tenant_id, row.period) for row in repository.all_holds(conn)}
    table: dict[str, list[ShopMonth]] = {}
    for period in periods:
        rows = []
        for tenant_id, statement in platform_statements(conn, period):
            own_last = closed_for.get(tenant_id)
            status = "open"
            if (tenant_id, period) in held:
                status = "held"
            elif own_last is not None and period <= own_last:
                status = "closed"
            rows.append(ShopMonth(tenant_id, statement, status))
        table[period] = rows
    return table


def close_held(conn: Connection, tenant: Tenant) -> list[Statement]:
    """Close the months a shop's close was held for, once its ledger agrees (admin role)."""
    repository.take_period_lock(conn)
    held = repository.held_periods(conn, tenant.id)
    if not held:
        raise FeeError(f"{tenant.slug} has no held month")
    problems = verify_by_shop(conn).get(tenant.id, [])
    if problems:
        raise FeeError(f"{tenant.slug}: the ledger still differs: {problems[0]}")
    last_closed = repository.last_closed_period(conn)
    assert last_closed is not None  # a hold is only written by a close
    own_last_closed = repository.last_closed_for(conn, tenant.id)
    frozen: list[Statement] = []
    for month in repository.open_periods_up_to(conn, last_closed, own_last_closed):
        for tenant_id, statement in platform_statements(conn, month):
            if tenant_id == tenant.id:
                _freeze(conn, tenant_id, statement)
                frozen.append(statement)
    repository.release_holds(conn, tenant.id, last_closed)
    return frozen


def reopen_period(
    conn: Connection, period: str, *, reason: str, tenant: Tenant | None = None
) -> tuple[str, str]:
    """Open a closed month again, with every later closed month (closed months are a prefix),
    for every shop or for one; returns the first and last month reopened. Their frozen
    statements are discarded, and the ledger rows billed into them are billed again by the rule
    they were written with: late events of a reopened month go back into it. For one shop the
    reopened months are held (`fee_holds`), so `close_held` closes them again when it agrees."""
    check_period(period)
    reason = reason.strip()
    if not reason:
        raise FeeError("--reason must say why the month is reopened")
    repository.take_period_lock(conn)
    last_closed = (
        repository.last_closed_period(conn)
        if tenant is None
        else repository.last_closed_for(conn, tenant.id)
    )
    if last_closed is None or period > last_closed:
        whom = "" if tenant is None else f" for {tenant.slug}"
        raise FeeError(f"{period} is not closed{whom} (months up to {last_closed or '-'} are)")
    reopened = sorted({period, *repository.closed_periods_from(conn, period)})
    reopened = [month for month in reopened if month <= last_closed]
    before = previous_period(period)
    # Keeps the month before the reopened one closed, even when it closed as part of a later one.
    repository.insert_closed_period(conn, before)
    if tenant is None:
        repository.reopen_platform(conn, period)
    else:
        repository.discard_frozen(conn, tenant.id, period)
        for month in reopened:
            repository.insert_hold(conn, tenant.id, month, f"reopened: {reason}")
    repository.rebill(conn, before, period, None if tenant is None else tenant.id)
    repository.insert_reopening(conn, period, None if tenant is None else tenant.id, reason)
    return period, last_closed


def _freeze(conn: Connection, tenant_id: uuid.UUID, statement: Statement) -> None:
    figures = statement.to_json()
    del figures["products"], figures["tenant"], figures["closed"]
    repository.insert_frozen_statement(conn, tenant_id, figures)
    repository.insert_frozen_lines(
        conn,
        [
            {
                "tenant_id": tenant_id,
                "period": statement.period,
                "currency": statement.currency,
                "sku": product.sku,
                "name": product.name,
                "gross_minor": product.gross_minor,
                "refunds_minor": product.refunds_minor,
                "chargebacks_minor": product.chargebacks_minor,
                "net_minor": product.net_minor,
                "fee_minor": product.fee_minor,
            }
            for product in statement.products
        ],
    )


# --- rate schedules -----------------------------------------------------------------------------


def parse_effective_from(value: str) -> date:
    """A rate starts on the first day of a month: a month's statement has one rate, so a
    mid-month date could only be honoured from the next month (and would say otherwise)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FeeError(f"--from must be a date like 2026-09-01, got {value!r}") from None
    if day.day != 1:
        month = f"{day.year:04d}-{day.month:02d}"
        raise FeeError(
            f"--from must be the first day of a month (a month's fees use one rate): "
            f"use {month}-01 or {next_period(month)}-01, not {value}"
        )
    return day


def set_rate(conn: Connection, tenant: Tenant, *, bps: int, effective_from: str) -> date:
    """A new rate from the first day of an open month on (admin role); returns that day.
    Refused for a month before the shop was created (no month of its own to bill) and for
    the rate already in force that month (it would change nothing)."""
    if not 0 <= bps <= 10_000:
        raise FeeError("--bps must be between 0 and 10000")
    day = parse_effective_from(effective_from)
    repository.take_period_lock(conn)
    month = f"{day.year:04d}-{day.month:02d}"
    first = tenant_service.first_month(conn, tenant)
    if month < first:
        raise FeeError(
            f"{month} is before {tenant.slug} was created (in {first}): a rate can start on "
            f"{first}-01 at the earliest"
        )
    last_closed = repository.last_closed_for(conn, tenant.id)
    if last_closed is not None and month <= last_closed:
        raise FeeError(
            f"{month} is closed for {tenant.slug} (months up to {last_closed} are): a new rate "
            f"can start on {next_period(last_closed)}-01 at the earliest"
        )
    if repository.rate_on(conn, tenant.id, day) == bps:
        raise FeeError(
            f"{tenant.slug} already pays {bps} bps in {month}: that rate changes nothing"
        )
    tenant_service.set_fee_rate(conn, tenant.id, effective_from=day, bps=bps)
    return day


def schedule(conn: Connection, tenant: Tenant) -> list[tuple[date, int]]:
    """A shop's fee rates, each with the day it starts, oldest first."""
    return repository.rate_schedule(conn, tenant.id)


# --- verification -------------------------------------------------------------------------------

Key = tuple[uuid.UUID, str, str, str, str, str]
"""(tenant, currency, month, kind, sku, name)"""


def _spread_refunds(raw: dict[Key, int], rows: Iterable[repository.RawRefund]) -> None:
    for row in rows:
        entries = refund_entries(
            amount_minor=row.amount_minor,
            tax_minor=row.tax_minor,
            refunded_lines=[
                RefundedLine(item[0], int(item[1]), int(item[2])) for item in row.refunded_lines
            ],
            order_lines=[
                SoldLine(item[0], item[1], item[2], int(item[3])) for item in row.lines or []
            ],
            returned_minor=row.returned,
        )
        natural = period_of(row.created_at, row.timezone)
        for entry in entries:
            key = (row.tenant_id, row.currency, natural, "refund", entry.sku, entry.name)
            raw[key] += entry.amount_minor


def _raw_by_natural(conn: Connection) -> dict[Key, int]:
    """The fee base recomputed from orders, refunds and dispute history, by natural month."""
    raw: dict[Key, int] = defaultdict(int)
    for row in (*repository.raw_sums(conn, "sale"), *repository.raw_sums(conn, "refund")):
        raw[(row.tenant_id, row.currency, row.period, row.kind, row.sku, row.name)] += int(
            row.amount
        )
    _spread_refunds(raw, repository.raw_refunds(conn, "residual"))
    _spread_refunds(raw, repository.raw_refunds(conn, "partly_returned"))
    contributed: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    for event in repository.raw_dispute_events(conn):
        source = (event.tenant_id, event.dispute_id)
        delta = chargeback_delta(
            status=event.status,
            amount_minor=event.amount_minor,
            contributed_minor=contributed[source],
        )
        contributed[source] += delta
        natural = period_of(event.at, event.timezone)
        key = (
            event.tenant_id, event.currency, natural, "chargeback", CHARGEBACK_SKU,
            CHARGEBACK_NAME,
        )  # fmt: skip
        raw[key] += delta
    return {key: amount for key, amount in raw.items() if amount}


class Books:
    """What the checks of `fees verify` compare, each read once however many checks use it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._slugs = repository.tenant_slugs(conn)
        self.closed_for = repository.last_closed_by_tenant(conn)

    def name(self, tenant_id: uuid.UUID) -> str:
        return self._slugs.get(tenant_id, (str(tenant_id), ""))[0]

    @cached_property
    def recomputed(self) -> dict[Key, int]:
        """The fee base from orders, refunds and dispute history, by natural month."""
        return _raw_by_natural(self.conn)

    @cached_property
    def billed(self) -> dict[tuple[uuid.UUID, str, str], list[Amounts]]:
        """The ledger by (tenant, billing month, currency)."""
        billed: dict[tuple[uuid.UUID, str, str], list[Amounts]] = defaultdict(list)
        for row in repository.ledger_by_billing(self.conn):
            billed[(row.tenant_id, row.billing_period, row.currency)].append(
                Amounts(row.sku, row.name, row.kind, int(row.amount), int(row.adjustment or 0))
            )
        return billed


Problems = dict[uuid.UUID, list[str]]
"""Each shop's differences (a shop that is not listed agrees)."""


def ledger_equals_recomputation(books: Books) -> Problems:
    """The ledger, summed by the month each event belongs to, equals the recomputation from the
    raw orders, refunds and dispute history (catches a lost, doubled or altered ledger row)."""
    problems: Problems = defaultdict(list)
    raw = books.recomputed
    ledger: dict[Key, int] = {}
    for row in repository.ledger_by_natural(books.conn):
        key = (row.tenant_id, row.currency, row.period, row.kind, row.sku, row.name)
        if int(row.amount):
            ledger[key] = int(row.amount)
    for key in sorted(set(raw) | set(ledger), key=str):
        if raw.get(key, 0) != ledger.get(key, 0):
            tenant_id, currency, month, kind, sku, item = key
            problems[tenant_id].append(
                f"ledger {books.name(tenant_id)} {month} {currency} {kind} sku={sku!r} ({item}): "
                f"ledger {ledger.get(key, 0)} != recomputed {raw.get(key, 0)}"
            )
    return dict(problems)


def closed_statements_equal_ledger(books: Books) -> Problems:
    """Every closed statement still equals the ledger rows billed in its month."""
    problems: Problems = defaultdict(list)
    for row in repository.all_frozen_statements(books.conn):
        live = build_statement(
            tenant=books.name(row.tenant_id),
            period=row.period,
            currency=row.currency,
            rate_bps=row.rate_bps,
            amounts=books.billed.get((row.tenant_id, row.period, row.currency), []),
        )
        frozen_figures = (row.net_minor, row.fee_minor, row.gross_minor, row.adjustments_minor)
        live_figures = (live.net_minor, live.fee_minor, live.gross_minor, live.adjustments_minor)
        if frozen_figures != live_figures:
            problems[row.tenant_id].append(
                f"closed statement {books.name(row.tenant_id)} {row.period} {row.currency}: "
                f"frozen (net, fee, gross, adj) {frozen_figures} != ledger {live_figures}"
            )
    return dict(problems)


def open_statements_equal_recomputation(books: Books) -> Problems:
    """Every open month's statement, rebuilt from the recomputation alone (its own month's
    events, plus, for the first open month, whatever the recomputation has for closed months
    beyond what their frozen statements billed), equals the statement from the ledger."""
    conn, closed_for, billed = books.conn, books.closed_for, books.billed
    frozen_billed: dict[tuple[uuid.UUID, str, str, str, str], int] = defaultdict(int)
    for line in repository.all_frozen_lines(conn):
        for kind, amount in (
            ("sale", line.gross_minor),
            ("refund", -line.refunds_minor),
            ("chargeback", -line.chargebacks_minor),
        ):
            if amount:
                frozen_billed[(line.tenant_id, line.currency, kind, line.sku, line.name)] += amount

    scratch: dict[tuple[uuid.UUID, str, str], dict[tuple[str, str, str], list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    late: dict[tuple[uuid.UUID, str, str, str, str], int] = defaultdict(int)
    for (tenant_id, currency, month, kind, sku, item), amount in books.recomputed.items():
        last_closed = closed_for.get(tenant_id)
        if last_closed is None or month > last_closed:
            scratch[(tenant_id, month, currency)][(kind, sku, item)][0] += amount
        else:
            late[(tenant_id, currency, kind, sku, item)] += amount
    for billed_key, amount in frozen_billed.items():
        late[billed_key] -= amount
    for (tenant_id, currency, kind, sku, item), amount in late.items():
        last_closed = closed_for.get(tenant_id)
        if amount and last_closed is not None:
            cell = scratch[(tenant_id, next_period(last_closed), currency)][(kind, sku, item)]
            cell[0] += amount
            cell[1] += amount

    problems: Problems = defaultdict(list)
    open_keys = {
        key
        for key in billed
        if closed_for.get(key[0]) is None or key[1] > str(closed_for.get(key[0]))
    }
    for tenant_id, month, currency in sorted(open_keys | set(scratch), key=str):
        rate = repository.rate_on(conn, tenant_id, first_day(month))
        from_ledger = build_statement(
            tenant=books.name(tenant_id),
            period=month,
            currency=currency,
            rate_bps=rate,
            amounts=billed.get((tenant_id, month, currency), []),
        )
        cells = scratch.get((tenant_id, month, currency), {})
        from_scratch = build_statement(
            tenant=books.name(tenant_id),
            period=month,
            currency=currency,
            rate_bps=rate,
            amounts=[
                Amounts(sku, item, kind, amounts[0], amounts[1])
                for (kind, sku, item), amounts in cells.items()
            ],
        )
        if from_ledger.to_json() != from_scratch.to_json():
            problems[tenant_id].append(
                f"open statement {books.name(tenant_id)} {month} {currency}: ledger "
                f"net={from_ledger.net_minor} fee={from_ledger.fee_minor} "
                f"adj={from_ledger.adjustments_minor} != recomputed "
                f"net={from_scratch.net_minor} fee={from_scratch.fee_minor} "
                f"adj={from_scratch.adjustments_minor}"
            )
    return dict(problems)


@dataclass(frozen=True, slots=True)
class Check:
    """One audit of `fees verify`: its name, what it asserts (one line), and the audit."""

    name: str
    description: str
    run: Callable[[Books], Problems]


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    description: str
    problems: Problems

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def count(self) -> int:
        return sum(len(found) for found in self.problems.values())


CHECKS = (
    Check(
        "ledger",
        "the ledger, by the month of each event, equals the recomputation from orders, "
        "refunds and disputes",
        ledger_equals_recomputation,
    ),
    Check(
        "closed statements",
        "every closed statement equals the ledger rows billed in its month",
        closed_statements_equal_ledger,
    ),
    Check(
        "open statements",
        "every open month's statement from the ledger equals the one rebuilt from the "
        "recomputation",
        open_statements_equal_recomputation,
    ),
)
"""The checks of `fees verify`, in the order they run and report."""


def run_checks(conn: Connection) -> list[CheckResult]:
    """Recompute the fee base from scratch and compare, check by check (see `CHECKS`)."""
    books = Books(conn)
    return [CheckResult(check.name, check.description, check.run(books)) for check in CHECKS]


def by_shop(results: Iterable[CheckResult]) -> Problems:
    """Every check's differences, shop by shop, in check order."""
    problems: Problems = {}
    for result in results:
        for tenant_id, found in result.problems.items():
            problems.setdefault(tenant_id, []).extend(found)
    return problems


def verify(conn: Connection) -> list[str]:
    """Every shop's differences (`verify_by_shop`), in one list (empty = OK)."""
    return [problem for problems in verify_by_shop(conn).values() for problem in problems]


def verify_by_shop(conn: Connection) -> Problems:
    """Recompute the fee base from scratch and compare (every check of `CHECKS`); returns each
    shop's differences (a shop that is not listed agrees)."""
    return by_shop(run_checks(conn))


def share_period_lock(conn: Connection) -> None:
    """Held by every transaction that writes the ledger, so a month cannot close under it."""
    repository.share_period_lock(conn)


def rates_on(conn: Connection, day: date) -> dict[uuid.UUID, int]:
    """Every shop's fee rate (basis points) in force on `day` (admin role; the console's
    operator pages)."""
    return repository.platform_rates(conn, day)
