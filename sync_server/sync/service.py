"""The merge of a register's push, and the pull of what other registers and the platform changed.

One push is one transaction: device lock, the judgement of every change (`checks`, then the
set-based checks against stored state in `_judge`), set-based upserts per entity of the
accepted ones, the fee ledger rows, the change log, the quarantine of the refused ones and the
new high-water mark. The request scope commits it once. Nothing is written before every change
of the batch has been judged, so a refused change leaves nothing behind.

What a push does beyond sync's own tables (the notifications it carries, Stripe's word on its
refunds) goes through `PushEffects`, which the push flow (`sync_server.flows.push`) implements:
sync imports neither notifications nor reconciliation.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, StrictInt, TypeAdapter, ValidationError
from sqlalchemy import Connection

from sync_server.devices import service as devices
from sync_server.devices.schemas import DeviceAuth
from sync_server.fees.rules import RefundedLine, SoldLine, refund_entries, sale_entries
from sync_server.fees.service import LedgerWriter
from sync_server.kit.cursor import decode_cursor, encode_cursor
from sync_server.kit.errors import (
    Conflict,
    Forbidden,
    Unauthorized,
    Unprocessable,
    validation_details,
)
from sync_server.sync import checks, refund_caps, repository
from sync_server.sync import schemas as s
from sync_server.tenants.schemas import Tenant

_FINAL_REFUND = frozenset({"succeeded", "failed"})


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, seq: int, field: str, message: str) -> None:
        self.items.append({"seq": seq, "field": field, "message": message})

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            raise Unprocessable(
                f"change seq {first['seq']}: {first['field']}: {first['message']}",
                details=self.items[:100],
            )


@dataclass(frozen=True, slots=True)
class Malformed:
    """A change of the batch that does not fit the contract, kept as it came."""

    seq: int
    entity: str
    entity_id: str
    field: str
    message: str
    raw: str


@dataclass(frozen=True, slots=True)
class ParsedPush:
    device_id: uuid.UUID
    changes: list[s.Change]
    malformed: list[Malformed]


@dataclass(frozen=True, slots=True)
class PushLimits:
    max_batch: int = 1000
    sale_time_margin: timedelta = timedelta(days=1)
    """How long before the shop's creation on the server a sale or refund may be dated."""
    sale_time_ahead: timedelta = timedelta(minutes=5)
    """How far ahead of the server's clock a sale or refund may be dated (clock drift)."""
    max_amount_minor: int = 10_000_000_000


class PushEffects(Protocol):
    """What a push does beyond sync's own tables, in the same transaction: the notifications
    it carries, and what Stripe already said about its refunds. Sync declares the port, the
    push flow (`sync_server.flows.push`) implements it with the notifications and
    reconciliation services, so neither domain imports the other's way round."""

    def notifications_pushed(
        self,
        conn: Connection,
        *,
        tenant_id: uuid.UUID,
        device_id: uuid.UUID,
        changes: Sequence[s.NotificationChange],
    ) -> None:
        """Store the pushed notifications once each and queue their sending."""

    def refunds_failed_at_bank(
        self, conn: Connection, *, tenant: Tenant, refund_ids: list[uuid.UUID]
    ) -> None:
        """Apply the failures Stripe reported before these register refunds arrived."""

    def refunds_merged(
        self,
        conn: Connection,
        writer: LedgerWriter,
        *,
        tenant: Tenant,
        refunded_orders: list[uuid.UUID],
        settling: dict[uuid.UUID, list[uuid.UUID]],
        settled_before: dict[uuid.UUID, tuple[int, int]],
    ) -> None:
        """Reconcile the outside refunds and lost disputes of the orders these refunds touched,
        and move the fee entries of refunds already final (what they gave back, before and
        after this push)."""


@dataclass(frozen=True, slots=True)
class _Refusal:
    seq: int
    entity: str
    entity_id: str
    problem: checks.Problem
    raw: str

    @classmethod
    def of(cls, change: s.Change, problem: checks.Problem) -> _Refusal:
        """A parsed change refused, kept as received (less its seq) for the quarantine."""
        raw = change.model_dump_json(exclude={"seq"}, by_alias=True)
        return cls(change.seq, change.entity, str(change.id), problem, raw)


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")
    device_id: uuid.UUID
    batch: Annotated[list[dict[str, Any]], Field(min_length=1)]


class _Seq(BaseModel):
    seq: Annotated[StrictInt, Field(ge=1, le=2**62)]


_CHANGE = TypeAdapter[s.Change](s.Change)


def parse_push(body: bytes) -> ParsedPush:
    """Validate a push body. A change that does not fit the contract is kept as *malformed*
    (refused on its own, see the contract); a 422 only when the request as a whole is not a
    push or a change has no usable seq, naming the seq and field."""
    try:
        request = s.PushRequest.model_validate_json(body)
        return ParsedPush(request.device_id, list(request.batch), [])
    except ValidationError as exc:
        first_error = exc
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # nested deeper than Python's stack: no details
        parsed = None
    try:
        envelope = _Envelope.model_validate(parsed)
        items = [(_Seq.model_validate(item).seq, item) for item in envelope.batch]
    except ValidationError:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in first_error.errors()]
        details = validation_details(errors, parsed)
        first = details[0] if details else {"field": "body", "message": "invalid"}
        where = f"change seq {first['seq']}: " if "seq" in first else ""
        raise Unprocessable(
            f"invalid request: {where}{first['field']}: {first['message']}", details=details
        ) from None
    changes: list[s.Change] = []
    malformed: list[Malformed] = []
    for seq, item in items:
        try:
            changes.append(_CHANGE.validate_python(item))
        except ValidationError as exc:
            error = exc.errors()[0]
            location = [part for part in error["loc"] if part != item.get("entity")]
            malformed.append(
                Malformed(
                    seq=seq,
                    entity=_plain(item.get("entity", ""), 40),
                    entity_id=_plain(item.get("id", ""), 80),
                    field=_plain(_field_path(location) or "change", 200),
                    message=_plain(error["msg"], 300),
                    raw=json.dumps(item, ensure_ascii=True),
                )
            )
    return ParsedPush(envelope.device_id, changes, malformed)


def _field_path(location: list[Any]) -> str:
    """``data.lines[0].quantity``, as the other refusals name fields."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


def _plain(value: object, limit: int) -> str:
    """Text that any column holds: no NUL, no lone surrogate (both shown escaped)."""
    text = str(value)[:limit].replace("\x00", "\\x00")
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# --- the merge ----------------------------------------------------------------------------------


def _content_hash(change: s.OrderChange) -> bytes:
    return hashlib.sha256(change.data.model_dump_json().encode()).digest()


def push(
    conn: Connection,
    *,
    auth: DeviceAuth,
    tenant: Tenant,
    request: ParsedPush,
    limits: PushLimits,
    received_at: datetime,
    effects: PushEffects,
) -> s.PushResponse:
    if request.device_id != auth.device_id:
        raise Forbidden("device_id is not the device this token belongs to")
    size = len(request.changes) + len(request.malformed)
    if size > limits.max_batch:
        raise Unprocessable(
            f"batch of {size} changes is over the limit of {limits.max_batch}: split it"
        )
    errors = _Errors()
    seen: set[int] = set()
    entries: list[tuple[int, s.Change | Malformed]] = [
        *((change.seq, change) for change in request.changes),
        *((item.seq, item) for item in request.malformed),
    ]
    for seq, _ in entries:
        if seq in seen:
            errors.add(seq, "seq", "seq repeated within the batch")
        seen.add(seq)
    errors.raise_if_any()

    locked = repository.lock_device(conn, tenant.id, auth.device_id)
    if locked is None:  # the token resolved, so only a revocation race can get here
        raise Unauthorized("unknown or revoked device token")
    acknowledged, created = locked
    entries.sort(key=lambda entry: entry[0])
    replayed = sum(1 for seq, _ in entries if seq <= acknowledged)
    pending: list[s.Change] = []
    refused: dict[int, _Refusal] = {}
    next_seq = acknowledged + 1
    for seq, entry in entries:
        if seq < next_seq:
            continue
        if seq != next_seq:
            break  # a gap: stop here; the register resends from acknowledged_seq + 1
        if isinstance(entry, Malformed):
            problem = checks.Problem(checks.MALFORMED, entry.field, entry.message)
            refused[seq] = _Refusal(seq, entry.entity, entry.entity_id, problem, entry.raw)
        else:
            pending.append(entry)
        next_seq += 1

    if pending:
        bounds = checks.Bounds(
            currency=tenant.currency,
            earliest=created - limits.sale_time_margin,
            latest=received_at + limits.sale_time_ahead,
            max_amount_minor=limits.max_amount_minor,
        )
        _judge(conn, tenant.id, pending, bounds, refused, probe_stored=False)
    accepted = [change for change in pending if change.seq not in refused]

    conflicts: list[tuple[int, str, uuid.UUID, str, str]] = []
    # Refunds beyond what the stored state leaves (`refund_caps`) are judged inside the merge,
    # under the order's lock: they are refused and quarantined like the changes `_judge` refuses.
    capped: dict[int, _Refusal] = {}

    def refuse_capped(change: s.Change, problem: checks.Problem) -> None:
        capped[change.seq] = _Refusal.of(change, problem)

    if accepted:
        try:
            with conn.begin_nested():
                _merge(conn, auth, tenant, accepted, conflicts, refuse_capped, effects)
        except repository.ChildIdTaken:
            # A line or tender id of the batch is already stored under another order. Honest
            # registers never get here, so only this path pays for looking up who holds
            # which id: judge again with the stored owners, then merge what is left.
            conflicts.clear()
            capped.clear()
            _judge(conn, tenant.id, pending, bounds, refused, probe_stored=True)
            accepted = [change for change in pending if change.seq not in refused]
            try:
                _merge(conn, auth, tenant, accepted, conflicts, refuse_capped, effects)
            except repository.ChildIdTaken:  # taken by a push that committed meanwhile
                raise Conflict(
                    "another push stored one of these ids meanwhile: push again"
                ) from None
    refused.update(capped)
    if next_seq - 1 > acknowledged:
        repository.set_acknowledged(conn, tenant.id, auth.device_id, next_seq - 1)
    if conflicts:
        repository.record_conflicts(conn, tenant.id, auth.device_id, conflicts)
    ordered_refusals = [refused[seq] for seq in sorted(refused)]
    if ordered_refusals:
        repository.quarantine(
            conn,
            tenant.id,
            auth.device_id,
            [
                (r.seq, r.entity, r.entity_id, r.problem.code, r.problem.field,
                 r.problem.message, r.raw)
                for r in ordered_refusals
            ],
        )  # fmt: skip
    return s.PushResponse(
        acknowledged_seq=next_seq - 1,
        applied=len(accepted) - len(conflicts) - len(capped),
        replayed=replayed,
        conflicts=[
            s.ConflictOut(seq=seq, entity=entity, id=entity_id, reason=reason)
            for seq, entity, entity_id, reason, _ in conflicts
        ],
        refused=[
            s.RefusedOut(
                seq=r.seq,
                entity=r.entity,
                id=r.entity_id,
                code=r.problem.code,
                field=r.problem.field,
                reason=r.problem.message,
            )
            for r in ordered_refusals
        ],
    )


def _judge(
    conn: Connection,
    tenant_id: uuid.UUID,
    pending: Sequence[s.Change],
    bounds: checks.Bounds,
    refused: dict[int, _Refusal],
    *,
    probe_stored: bool,
) -> None:
    """Refuse every pending change that breaks a rule; nothing is written here. With
    `probe_stored`, also the orders whose lines or tenders are stored under another order
    (without it, the insert finds them: see `push`)."""

    def refuse(change: s.Change, problem: checks.Problem) -> None:
        refused[change.seq] = _Refusal.of(change, problem)

    orders: list[s.OrderChange] = []
    refunds: list[s.RefundChange] = []
    payments: list[s.PaymentChange] = []
    for change in pending:
        if isinstance(change, s.OrderChange):
            problem = checks.check_order(change, bounds)
            orders.append(change)
        elif isinstance(change, s.RefundChange):
            problem = checks.check_refund(change, bounds)
            refunds.append(change)
        else:
            problem = checks.check_other(change, bounds)
            if isinstance(change, s.PaymentChange):
                payments.append(change)
        if problem is not None:
            refuse(change, problem)

    # Children (lines, tenders) of another order: stored, or earlier in this batch.
    fresh: dict[uuid.UUID, s.OrderChange] = {}
    for change in orders:
        if change.seq not in refused:
            fresh.setdefault(change.id, change)
    owners: dict[str, dict[uuid.UUID, uuid.UUID]] = {"order_lines": {}, "tenders": {}}
    if probe_stored:
        owners = repository.foreign_children(
            conn,
            tenant_id,
            [
                ("order_lines", "order_id",
                 [(line.id, order.id) for order in fresh.values() for line in order.data.lines]),
                ("tenders", "order_id",
                 [(tender.id, order.id) for order in fresh.values()
                  for tender in order.data.tenders]),
            ],
        )  # fmt: skip
    owner_of_line, owner_of_tender = owners["order_lines"], owners["tenders"]
    claimed: dict[uuid.UUID, uuid.UUID] = {}
    for order in fresh.values():
        problem = _reused(order.id, "line", order.data.lines, owner_of_line, claimed) or _reused(
            order.id, "tender", order.data.tenders, owner_of_tender, claimed
        )
        if problem is not None:
            refuse(order, problem)
            continue
        children: list[s.OrderLine | s.Tender] = [*order.data.lines, *order.data.tenders]
        for child in children:
            claimed[child.id] = order.id
    for change in orders:  # a resend of a refused order in the same batch goes with it
        first = fresh.get(change.id)
        if first is not None and first.seq in refused and change.seq not in refused:
            refuse(change, refused[first.seq].problem)

    # Malformed orders count when they still name a usable id (their refunds depend on them).
    refused_orders = {
        order_id
        for r in refused.values()
        if r.entity == "order" and (order_id := _as_uuid(r.entity_id)) is not None
    }
    batch_orders = {
        change.id: change.data
        for change in orders
        if change.seq not in refused and change.data.status == "paid"
    }
    live_refunds = [refund for refund in refunds if refund.seq not in refused]
    _judge_refunds(conn, tenant_id, live_refunds, batch_orders, refused_orders, refuse)
    wanted = {payment.data.order_id for payment in payments if payment.seq not in refused}
    quarantined = repository.quarantined_ids(
        conn, tenant_id, "order", list(wanted - refused_orders)
    )
    for payment in payments:
        if payment.seq in refused:
            continue
        if payment.data.order_id in refused_orders | quarantined:
            refuse(payment, _depends("data.order_id", "order"))


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _depends(field: str, entity: str) -> checks.Problem:
    return checks.Problem(
        checks.DEPENDS_ON_REFUSED, field, f"its {entity} was refused by the server"
    )


def _reused(
    parent: uuid.UUID,
    kind: str,
    children: Sequence[s.OrderLine | s.Tender],
    stored_owner: dict[uuid.UUID, uuid.UUID],
    claimed: dict[uuid.UUID, uuid.UUID],
) -> checks.Problem | None:
    for index, child in enumerate(children):
        owner = stored_owner.get(child.id) or claimed.get(child.id)
        if owner is not None and owner != parent:
            return checks.Problem(
                checks.ID_REUSED,
                f"data.{kind}s[{index}].id",
                f"{kind} {child.id} already belongs to order {owner}",
            )
    return None


def _judge_refunds(
    conn: Connection,
    tenant_id: uuid.UUID,
    refunds: Sequence[s.RefundChange],
    batch_orders: dict[uuid.UUID, s.OrderData],
    refused_orders: set[uuid.UUID],
    refuse: Callable[[s.Change, checks.Problem], None],
) -> None:
    """A refund names a paid order the server holds (or one accepted in this batch), lines of
    that order, and allocation ids no other refund uses."""
    live = refunds
    if not live:
        return
    order_ids = list({refund.data.order_id for refund in live} - set(batch_orders))
    stored_paid = repository.paid_orders(conn, tenant_id, order_ids)
    lines_of: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for row in repository.lines_of_orders(conn, tenant_id, list(stored_paid)):
        lines_of[row.order_id].add(row.id)
    for order_id, data in batch_orders.items():
        lines_of[order_id] = {line.id for line in data.lines}
    unknown = {refund.data.order_id for refund in live} - set(stored_paid) - set(batch_orders)
    quarantined = repository.quarantined_ids(
        conn, tenant_id, "order", list(unknown - refused_orders)
    )
    allocations = [(a.id, refund.id) for refund in live for a in refund.data.allocations]
    owner_of_allocation = repository.foreign_children(
        conn, tenant_id, [("refund_allocations", "refund_id", allocations)]
    )["refund_allocations"]
    claimed: dict[uuid.UUID, uuid.UUID] = {}
    for refund in live:
        d = refund.data
        if d.order_id in unknown:
            if d.order_id in refused_orders or d.order_id in quarantined:
                refuse(refund, _depends("data.order_id", "order"))
            else:
                refuse(
                    refund,
                    checks.Problem(
                        checks.UNKNOWN_ORDER,
                        "data.order_id",
                        "not a paid order stored on the server",
                    ),
                )
            continue
        own_lines = lines_of[d.order_id]
        problem: checks.Problem | None = None
        for index, line in enumerate(d.lines):
            if line.line_id not in own_lines:
                problem = checks.Problem(
                    checks.STRUCTURE, f"data.lines[{index}].line_id", "not a line of this order"
                )
                break
        for index, allocation in enumerate(d.allocations):
            if problem is not None:
                break
            owner = owner_of_allocation.get(allocation.id) or claimed.get(allocation.id)
            if owner is not None and owner != refund.id:
                problem = checks.Problem(
                    checks.ID_REUSED,
                    f"data.allocations[{index}].id",
                    f"allocation {allocation.id} already belongs to refund {owner}",
                )
        if problem is not None:
            refuse(refund, problem)
            continue
        for allocation in d.allocations:
            claimed[allocation.id] = refund.id


def _merge(
    conn: Connection,
    auth: DeviceAuth,
    tenant: Tenant,
    pending: Sequence[s.Change],
    conflicts: list[tuple[int, str, uuid.UUID, str, str]],
    refuse: Callable[[s.Change, checks.Problem], None],
    effects: PushEffects,
) -> None:
    by_kind: dict[type[Any], list[Any]] = defaultdict(list)
    for change in pending:
        by_kind[type(change)].append(change)
    writer = LedgerWriter.open(conn, tenant)
    changed: list[tuple[str, str, uuid.UUID | None]] = []
    device = auth.device_id

    orders: list[s.OrderChange] = by_kind[s.OrderChange]
    if orders:
        _merge_orders(conn, tenant, device, orders, writer, conflicts)
    refunds: list[s.RefundChange] = by_kind[s.RefundChange]
    if refunds:
        _merge_refunds(conn, tenant, device, refunds, writer, conflicts, refuse, effects)

    if by_kind[s.PaymentChange]:
        repository.upsert_payments(conn, tenant.id, _newest(by_kind[s.PaymentChange], "updated_at"))
    if by_kind[s.ShiftChange]:
        repository.upsert_shifts(conn, tenant.id, _newest(by_kind[s.ShiftChange], None))
    if by_kind[s.CustomerChange]:
        repository.upsert_customers(
            conn, tenant.id, device, _newest(by_kind[s.CustomerChange], None)
        )
    if by_kind[s.CashMovementChange]:
        repository.insert_cash_movements(conn, tenant.id, _first(by_kind[s.CashMovementChange]))
    if by_kind[s.AuditChange]:
        repository.insert_audit(conn, tenant.id, device, _first(by_kind[s.AuditChange]))
    if by_kind[s.StockMovementChange]:
        inserted = repository.insert_stock_movements(
            conn, tenant.id, device, _first(by_kind[s.StockMovementChange])
        )
        changed.extend(("stock_movement", str(item), device) for item in inserted)

    catalog: tuple[tuple[str, type[Any], Any], ...] = (
        ("category", s.CategoryChange, repository.upsert_categories),
        ("product", s.ProductChange, repository.upsert_products),
        ("modifier_group", s.ModifierGroupChange, repository.upsert_modifier_groups),
        ("staff", s.StaffChange, repository.upsert_staff),
        ("eighty_six", s.EightySixChange, repository.upsert_eighty_six),
    )
    for entity, kind, upsert in catalog:
        if by_kind[kind]:
            written = upsert(conn, tenant.id, device, _newest(by_kind[kind], "updated_at"))
            changed.extend((entity, str(item), device) for item in written)

    if by_kind[s.NotificationChange]:
        effects.notifications_pushed(
            conn,
            tenant_id=tenant.id,
            device_id=device,
            changes=_first(by_kind[s.NotificationChange]),
        )

    writer.flush(conn)
    if changed:
        repository.record_changes(conn, tenant.id, changed)


def _first(changes: Sequence[Any]) -> list[Any]:
    """Immutable rows: the first change of each id in the batch counts."""
    kept: dict[uuid.UUID, Any] = {}
    for change in changes:
        kept.setdefault(change.id, change)
    return list(kept.values())


def _newest(changes: Sequence[Any], field: str | None) -> list[Any]:
    """Mutable rows: one per id (a statement cannot upsert a row twice), the newest version."""
    kept: dict[uuid.UUID, Any] = {}
    for change in changes:
        version = getattr(change.data, field) if field else change.occurred_at
        current = kept.get(change.id)
        current_version = None
        if current is not None:
            current_version = getattr(current.data, field) if field else current.occurred_at
        if current is None or version >= current_version:
            kept[change.id] = change
    return list(kept.values())


def _merge_orders(
    conn: Connection,
    tenant: Tenant,
    device: uuid.UUID,
    orders: Sequence[s.OrderChange],
    writer: LedgerWriter,
    conflicts: list[tuple[int, str, uuid.UUID, str, str]],
) -> None:
    hashed = [(change, _content_hash(change)) for change in orders]
    stored = repository.existing_orders(conn, tenant.id, [change.id for change in orders])
    fresh: dict[uuid.UUID, tuple[s.OrderChange, bytes]] = {}
    for change, content_hash in hashed:
        known = stored.get(change.id)
        if known is None and change.id in fresh:
            known = fresh[change.id][1]
        if known is None:
            fresh[change.id] = (change, content_hash)
        elif known != content_hash:
            conflicts.append(_conflict(change, "a stored order is immutable: use refund events"))
    inserted = repository.insert_orders(conn, tenant.id, device, list(fresh.values()))
    for order_id, (change, _) in fresh.items():
        if order_id not in inserted:  # another register stored the same id a moment earlier
            conflicts.append(_conflict(change, "order stored concurrently by another push"))
            continue
        if change.data.status == "paid" and change.data.paid_at is not None:
            writer.add(
                source_id=str(order_id),
                currency=change.data.currency,
                at=change.data.paid_at,
                entries=sale_entries(
                    SoldLine(line.id, line.sku, line.name, line.total_minor - line.tax_minor)
                    for line in change.data.lines
                ),
            )


def _conflict(change: s.Change, reason: str) -> tuple[int, str, uuid.UUID, str, str]:
    return (change.seq, change.entity, change.id, reason, change.data.model_dump_json())


def _merge_refunds(
    conn: Connection,
    tenant: Tenant,
    device: uuid.UUID,
    refunds: Sequence[s.RefundChange],
    writer: LedgerWriter,
    conflicts: list[tuple[int, str, uuid.UUID, str, str]],
    refuse: Callable[[s.Change, checks.Problem], None],
    effects: PushEffects,
) -> None:
    # One state per refund: the first final status in the batch, else the last pending one.
    state: dict[uuid.UUID, s.RefundChange] = {}
    for change in refunds:
        current = state.get(change.id)
        if current is None or current.data.status not in _FINAL_REFUND:
            state[change.id] = change
    rooms = repository.lock_refund_rooms(conn, tenant.id, [c.data.order_id for c in state.values()])
    order_currency = {order_id: room.currency for order_id, room in rooms.items()}
    lines_by_order: dict[uuid.UUID, list[SoldLine]] = defaultdict(list)
    for row in repository.lines_of_orders(conn, tenant.id, list(order_currency)):
        lines_by_order[row.order_id].append(
            SoldLine(row.id, row.sku, row.name, row.total_minor - row.tax_minor)
        )
    # `_judge_refunds` refused every refund of an order not stored or of a foreign line.
    stored = repository.existing_refunds(conn, tenant.id, list(state))
    # Orders whose outside refunds and lost disputes the new register refunds may displace
    # (see `refund_caps`), with those refunds.
    settling: dict[uuid.UUID, list[uuid.UUID]] = {}
    for refund_id, change in list(state.items()):
        if refund_id in stored:
            continue
        room = rooms[change.data.order_id]
        shared = bool(room.outside_minor or room.disputed_minor)
        outcome = refund_caps.claim(room, change)
        if isinstance(outcome, refund_caps.Refusal):
            del state[refund_id]
            refuse(change, checks.Problem(checks.OVER_REFUND, "data", outcome.reason))
        elif outcome or shared:
            settling.setdefault(change.data.order_id, []).append(refund_id)
    new = [change for refund_id, change in state.items() if refund_id not in stored]
    inserted = repository.insert_refunds(conn, tenant.id, device, new)
    finishing = [
        (refund_id, change.data.status)
        for refund_id, change in state.items()
        if stored.get(refund_id) == "pending" and change.data.status in _FINAL_REFUND
    ]
    finished = repository.finish_refunds(conn, tenant.id, finishing)
    for refund_id, change in state.items():
        old = stored.get(refund_id)
        if old in _FINAL_REFUND and change.data.status != old:
            conflicts.append(_conflict(change, f"refund is already {old}; a final status stays"))
    repository.upsert_allocations(
        conn, tenant.id, [c for rid, c in state.items() if rid in inserted or rid in stored]
    )
    # Stripe may already have said a card refund failed at the bank (its webhook came before
    # this push): that part did not go back, whatever the register believes.
    settled_before = [
        rid for rid in state if stored.get(rid) in _FINAL_REFUND and rid not in finished
    ]
    before = repository.returned_amounts(conn, tenant.id, settled_before)
    effects.refunds_failed_at_bank(conn, tenant=tenant, refund_ids=list(state))
    returned_now = repository.returned_amounts(conn, tenant.id, list(state))
    effects.refunds_merged(
        conn,
        writer,
        tenant=tenant,
        # A refund booked from Stripe's `charge.refunded` alone may stand for one of these.
        refunded_orders=list({state[refund_id].data.order_id for refund_id in inserted}),
        settling=settling,
        settled_before={
            refund_id: (before[refund_id], returned_now[refund_id]) for refund_id in settled_before
        },
    )
    for refund_id in inserted | finished:
        change = state[refund_id]
        returned = returned_now.get(refund_id, 0)
        if not returned:
            continue
        writer.add(
            source_id=str(refund_id),
            currency=order_currency[change.data.order_id],
            at=change.data.created_at,
            entries=refund_entries(
                amount_minor=change.data.amount_minor,
                tax_minor=change.data.tax_minor,
                refunded_lines=[
                    RefundedLine(line.line_id, line.amount_minor, line.tax_minor)
                    for line in change.data.lines
                ],
                order_lines=lines_by_order[change.data.order_id],
                returned_minor=returned,
            ),
        )


# --- the pull -----------------------------------------------------------------------------------


def pull(conn: Connection, *, auth: DeviceAuth, cursor: str, limit: int) -> s.PullResponse:
    after: tuple[int, str, str] | None = None
    if cursor:
        xid, entity, entity_id = decode_cursor(cursor, 3)
        if not (
            isinstance(xid, int)
            and 0 <= xid < 2**64  # an xid8
            and isinstance(entity, str)
            and isinstance(entity_id, str)
        ):
            raise Unprocessable("cursor is not one this server handed out")
        after = (xid, entity, entity_id)
    rows = repository.changes_after(conn, auth.tenant_id, after, limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    wanted: dict[str, list[str]] = defaultdict(list)
    # A register's own stock movements are already in its stock level, under whichever device
    # id (before a re-pairing, say) its install recorded them.
    own_devices = (
        devices.same_install_devices(conn, auth.tenant_id, auth.device_id)
        if any(row.entity == "stock_movement" for row in rows)
        else set()
    )
    for row in rows:
        if row.entity == "stock_movement" and row.origin_device_id in own_devices:
            continue
        if row.entity in repository.PULL_TABLES:
            wanted[row.entity].append(row.entity_id)
    data: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, ids in wanted.items():
        for entity_id, item in repository.entity_data(conn, auth.tenant_id, entity, ids).items():
            data[(entity, entity_id)] = item
    changes = [
        s.PulledChange(entity=row.entity, id=row.entity_id, data=data[(row.entity, row.entity_id)])
        for row in rows
        if (row.entity, row.entity_id) in data
    ]
    if rows:
        last = rows[-1]
        next_cursor = encode_cursor([int(last.xid), last.entity, last.entity_id])
    else:
        next_cursor = cursor
    return s.PullResponse(cursor=next_cursor, has_more=has_more, changes=changes)


def refused(
    conn: Connection, tenant_id: uuid.UUID, limit: int
) -> list[repository.QuarantinedChange]:
    """The shop's refused changes (the quarantine), newest first."""
    return repository.quarantine_rows(conn, tenant_id, limit)


def refused_in_shops(
    conn: Connection, shops: Sequence[Tenant], limit: int
) -> list[tuple[Tenant, repository.QuarantinedChange]]:
    """The newest `limit` refused changes of all these shops (admin role: the console's
    operator page): `refused` shop by shop (each statement names its shop), merged."""
    found = [(shop, row) for shop in shops for row in refused(conn, shop.id, limit)]
    found.sort(key=lambda item: item[1].received_at, reverse=True)
    return found[:limit]


# --- for the domains above (reconciliation, disputes): the refund caps and the pull log -----------


def lock_refund_rooms(
    conn: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, refund_caps.OrderRoom]:
    """Lock the paid orders among `order_ids` and read what their refunds and lost disputes
    claim of them (see `refund_caps` for the locking order)."""
    return repository.lock_refund_rooms(conn, tenant_id, order_ids)


def returned_amounts(
    conn: Connection, tenant_id: uuid.UUID, refund_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """What each refund gave back (the fee base follows this)."""
    return repository.returned_amounts(conn, tenant_id, refund_ids)


def revenue_left(
    conn: Connection,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    *,
    except_refund: uuid.UUID | None = None,
    except_dispute: str | None = None,
) -> int:
    """The order's product revenue its refunds and lost disputes have not yet taken out of
    the fee base, leaving one out."""
    return repository.revenue_left(
        conn, tenant_id, order_id, except_refund=except_refund, except_dispute=except_dispute
    )


def lines_of_orders(
    conn: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID]
) -> list[repository.OrderLine]:
    return repository.lines_of_orders(conn, tenant_id, order_ids)


def record_changes(
    conn: Connection, tenant_id: uuid.UUID, changes: Sequence[tuple[str, str, uuid.UUID | None]]
) -> None:
    """Put rows in the pull log: every register pulls them (`pull`)."""
    repository.record_changes(conn, tenant_id, changes)
