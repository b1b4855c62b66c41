"""The merge of a register's push, and the pull of what other registers and the platform changed.

One push is one transaction: device lock, validation, set-based upserts per entity, the fee
ledger rows, the change log and the new high-water mark. The request scope commits it once.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from sync_server.devices import repository as device_repository
from sync_server.devices.schemas import DeviceAuth
from sync_server.fees.rules import RefundedLine, SoldLine, refund_entries, sale_entries
from sync_server.fees.service import LedgerWriter
from sync_server.kit import queue
from sync_server.kit.cursor import decode_cursor, encode_cursor
from sync_server.kit.errors import Forbidden, Unauthorized, Unprocessable, validation_details
from sync_server.notifications import repository as notification_repository
from sync_server.notifications.schemas import valid_address
from sync_server.reconciliation import repository as reconciliation_repository
from sync_server.reconciliation import service as reconciliation
from sync_server.sync import refund_caps, repository
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


def parse_push(body: bytes) -> s.PushRequest:
    """Validate a push body; a 422 names the failing change's seq and field."""
    try:
        return s.PushRequest.model_validate_json(body)
    except ValidationError as exc:
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):  # nested deeper than Python's stack: no details
            parsed = None
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        details = validation_details(errors, parsed)
        first = details[0] if details else {"field": "body", "message": "invalid"}
        where = f"change seq {first['seq']}: " if "seq" in first else ""
        raise Unprocessable(
            f"invalid request: {where}{first['field']}: {first['message']}", details=details
        ) from None


# --- validation ---------------------------------------------------------------------------------


def _check_order(change: s.OrderChange, tenant: Tenant, errors: _Errors) -> None:
    d, seq = change.data, change.seq
    if d.currency != tenant.currency:
        errors.add(
            seq, "data.currency", f"{d.currency} is not this shop's currency {tenant.currency}"
        )
    if d.status == "paid" and d.paid_at is None:
        errors.add(seq, "data.paid_at", "a paid order needs paid_at")
    if d.status == "voided" and d.paid_at is not None:
        errors.add(seq, "data.paid_at", "a voided order was never paid")
    if not d.lines and d.status == "paid":
        errors.add(seq, "data.lines", "a paid order has at least one line")
    line_ids: set[uuid.UUID] = set()
    for index, line in enumerate(d.lines):
        where = f"data.lines[{index}]"
        if line.id in line_ids:
            errors.add(seq, f"{where}.id", "line id repeated")
        line_ids.add(line.id)
        if (
            line.net_minor
            != line.gross_minor - line.line_discount_minor - line.order_discount_minor
        ):
            errors.add(seq, f"{where}.net_minor", "net is not gross minus discounts")
        expected_total = line.net_minor + (line.tax_minor if d.tax_mode == "exclusive" else 0)
        if line.total_minor != expected_total:
            errors.add(seq, f"{where}.total_minor", f"total should be {expected_total}")
        if line.tax_minor > line.total_minor:
            errors.add(seq, f"{where}.tax_minor", "tax exceeds the line total")
    sums = {
        "subtotal_minor": sum(line.gross_minor for line in d.lines),
        "line_discount_minor": sum(line.line_discount_minor for line in d.lines),
        "order_discount_minor": sum(line.order_discount_minor for line in d.lines),
        "tax_minor": sum(line.tax_minor for line in d.lines),
        "total_minor": sum(line.total_minor for line in d.lines),
    }
    for name, expected in sums.items():
        if getattr(d, name) != expected:
            errors.add(seq, f"data.{name}", f"the lines add up to {expected}")
    if d.status == "paid":
        tendered = sum(tender.amount_minor for tender in d.tenders)
        if tendered != d.total_minor:
            errors.add(seq, "data.tenders", f"tenders add up to {tendered}, not {d.total_minor}")
        tips = sum(tender.tip_minor for tender in d.tenders)
        if tips != d.tip_minor:
            errors.add(seq, "data.tip_minor", f"tenders' tips add up to {tips}")
    for index, tender in enumerate(d.tenders):
        if tender.kind == "cash" and (tender.card_last4 or tender.card_brand):
            errors.add(seq, f"data.tenders[{index}]", "a cash tender has no card")


def _check_refund(change: s.RefundChange, errors: _Errors) -> None:
    d, seq = change.data, change.seq
    if d.tax_minor > d.amount_minor:
        errors.add(seq, "data.tax_minor", "tax exceeds the refund amount")
    if sum(line.amount_minor for line in d.lines) > d.amount_minor:
        errors.add(seq, "data.lines", "refund lines exceed the refund amount")
    if len({line.line_id for line in d.lines}) != len(d.lines):
        errors.add(seq, "data.lines", "a line is refunded twice in one refund")
    for index, line in enumerate(d.lines):
        if line.tax_minor > line.amount_minor:
            errors.add(seq, f"data.lines[{index}].tax_minor", "tax exceeds the line amount")


def _check_simple(change: s.Change, tenant: Tenant, errors: _Errors) -> None:
    if isinstance(change, s.PaymentChange) and change.data.currency != tenant.currency:
        errors.add(change.seq, "data.currency", f"not this shop's currency {tenant.currency}")
    if isinstance(change, s.ProductChange) and change.data.currency != tenant.currency:
        errors.add(change.seq, "data.currency", f"not this shop's currency {tenant.currency}")
    if (
        isinstance(change, s.ShiftChange)
        and change.data.status == "closed"
        and change.data.closed_at is None
    ):
        errors.add(change.seq, "data.closed_at", "a closed shift needs closed_at")
    if isinstance(change, s.NotificationChange):
        data = change.data
        if data.order_id is None:
            errors.add(change.seq, "data.order_id", f"a {data.kind} notification names its order")
        if not valid_address(data.channel, data.to.strip()):
            expected = "an email address" if data.channel == "email" else "an E.164 phone (+…)"
            errors.add(change.seq, "data.to", f"{data.to!r} is not {expected}")


# --- the merge ----------------------------------------------------------------------------------


def _content_hash(change: s.OrderChange) -> bytes:
    return hashlib.sha256(change.data.model_dump_json().encode()).digest()


def push(
    conn: Connection, *, auth: DeviceAuth, tenant: Tenant, request: s.PushRequest, max_batch: int
) -> s.PushResponse:
    if request.device_id != auth.device_id:
        raise Forbidden("device_id is not the device this token belongs to")
    if len(request.batch) > max_batch:
        raise Unprocessable(
            f"batch of {len(request.batch)} changes is over the limit of {max_batch}: split it"
        )
    errors = _Errors()
    seen: set[int] = set()
    for change in request.batch:
        if change.seq in seen:
            errors.add(change.seq, "seq", "seq repeated within the batch")
        seen.add(change.seq)
    errors.raise_if_any()

    acknowledged = repository.lock_device(conn, auth.device_id)
    if acknowledged is None:  # the token resolved, so only a revocation race can get here
        raise Unauthorized("unknown or revoked device token")
    ordered = sorted(request.batch, key=lambda change: change.seq)
    replayed = sum(1 for change in ordered if change.seq <= acknowledged)
    pending: list[s.Change] = []
    next_seq = acknowledged + 1
    for change in ordered:
        if change.seq < next_seq:
            continue
        if change.seq != next_seq:
            break  # a gap: stop here; the register resends from acknowledged_seq + 1
        pending.append(change)
        next_seq += 1

    for change in pending:
        if isinstance(change, s.OrderChange):
            _check_order(change, tenant, errors)
        elif isinstance(change, s.RefundChange):
            _check_refund(change, errors)
        else:
            _check_simple(change, tenant, errors)
    errors.raise_if_any()

    conflicts: list[tuple[int, str, uuid.UUID, str, str]] = []
    if pending:
        _merge(conn, auth, tenant, pending, conflicts, errors)
        errors.raise_if_any()
        repository.set_acknowledged(conn, auth.device_id, next_seq - 1)
    if conflicts:
        repository.record_conflicts(conn, tenant.id, auth.device_id, conflicts)
    return s.PushResponse(
        acknowledged_seq=next_seq - 1,
        applied=len(pending) - len(conflicts),
        replayed=replayed,
        conflicts=[
            s.ConflictOut(seq=seq, entity=entity, id=entity_id, reason=reason)
            for seq, entity, entity_id, reason, _ in conflicts
        ],
    )


def _merge(
    conn: Connection,
    auth: DeviceAuth,
    tenant: Tenant,
    pending: Sequence[s.Change],
    conflicts: list[tuple[int, str, uuid.UUID, str, str]],
    errors: _Errors,
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
        _merge_refunds(conn, tenant, device, refunds, writer, conflicts, errors)
        if errors.items:
            return

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
        queued = notification_repository.insert_notifications(
            conn, tenant.id, device, _first(by_kind[s.NotificationChange])
        )
        # Same transaction: the send job exists exactly when the notification does.
        queue.defer(
            conn,
            queue.SEND_NOTIFICATION,
            [{"tenant_id": str(tenant.id), "notification_id": str(item)} for item in queued],
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
    stored = repository.existing_orders(conn, [change.id for change in orders])
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
    errors: _Errors,
) -> None:
    # One state per refund: the first final status in the batch, else the last pending one.
    state: dict[uuid.UUID, s.RefundChange] = {}
    for change in refunds:
        current = state.get(change.id)
        if current is None or current.data.status not in _FINAL_REFUND:
            state[change.id] = change
    rooms = repository.lock_refund_rooms(conn, [c.data.order_id for c in state.values()])
    order_currency = {order_id: room.currency for order_id, room in rooms.items()}
    lines_by_order: dict[uuid.UUID, list[SoldLine]] = defaultdict(list)
    for row in repository.lines_of_orders(conn, list(order_currency)):
        lines_by_order[row.order_id].append(
            SoldLine(row.id, row.sku, row.name, row.total_minor - row.tax_minor)
        )
    for change in state.values():
        if change.data.order_id not in order_currency:
            errors.add(change.seq, "data.order_id", "not a paid order stored on the server")
            continue
        own_lines = {line.line_id for line in lines_by_order[change.data.order_id]}
        for index, line in enumerate(change.data.lines):
            if line.line_id not in own_lines:
                errors.add(change.seq, f"data.lines[{index}].line_id", "not a line of this order")
    if errors.items:
        return

    stored = repository.existing_refunds(conn, list(state))
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
            conflicts.append(_conflict(change, outcome.reason))
        elif outcome or shared:
            settling.setdefault(change.data.order_id, []).append(refund_id)
    new = [change for refund_id, change in state.items() if refund_id not in stored]
    inserted = repository.insert_refunds(conn, tenant.id, device, new)
    finishing = [
        (refund_id, change.data.status)
        for refund_id, change in state.items()
        if stored.get(refund_id) == "pending" and change.data.status in _FINAL_REFUND
    ]
    finished = repository.finish_refunds(conn, finishing)
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
    before = repository.returned_amounts(conn, settled_before)
    reconciliation.fail_register_refunds(
        conn, tenant=tenant, refund_ids=list(state), now=datetime.now(UTC)
    )
    returned_now = repository.returned_amounts(conn, list(state))
    # A refund booked from Stripe's `charge.refunded` alone may stand for one of these.
    refunded_orders = list({state[refund_id].data.order_id for refund_id in inserted})
    for charge_id in reconciliation_repository.unitemised_charges_of_orders(conn, refunded_orders):
        reconciliation.reconcile_charge_refunds(
            conn, tenant=tenant, charge_id=charge_id, now=datetime.now(UTC)
        )
    for order_id, by in settling.items():
        reconciliation.settle_order_claims(
            conn, writer, tenant=tenant, order_id=order_id, register_refund_ids=by,
            now=datetime.now(UTC),
        )  # fmt: skip
    for refund_id in settled_before:
        booked = reconciliation_repository.lock_refund(conn, refund_id)
        assert booked is not None
        reconciliation.post_returned_change(
            conn, writer, booked, before=before[refund_id], after=returned_now[refund_id]
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
    rows = repository.changes_after(conn, after, limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    wanted: dict[str, list[str]] = defaultdict(list)
    # A register's own stock movements are already in its stock level, under whichever device
    # id (before a re-pairing, say) its install recorded them.
    own_devices = (
        device_repository.same_install_devices(conn, auth.device_id)
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
        for entity_id, item in repository.entity_data(conn, entity, ids).items():
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
