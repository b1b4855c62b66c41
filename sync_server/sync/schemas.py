"""The push/pull contract between a register and the server. Keep it stable: registers in the
field run older versions for months.

## `POST /v1/sync/push`

Request (``Authorization: Bearer cps_dev_…``)::

    {"device_id": "<uuid: must be the token's device>",
     "batch": [{"seq": 1, "entity": "order", "id": "<uuid>",
                "occurred_at": "2026-03-31T23:30:00+02:00", "data": {...}}, ...]}

Response 200::

    {"acknowledged_seq": N, "applied": A, "replayed": R, "conflicts": [...], "refused": [...]}

* ``acknowledged_seq`` is the highest N such that every change 1..N of this device is stored
  or refused (see below): either way the register never sends it again.
  Seqs are per device, strictly increasing, starting at 1.
* A batch may repeat stored seqs: those changes are skipped (a replay changes nothing).
* The server applies changes in seq order from ``acknowledged_seq + 1`` and stops at the first
  gap; changes after a gap are not stored (resend them from the gap, "go back N"). So an
  out-of-order batch is simply acknowledged as far as it connects; nothing is lost, and no
  change is ever applied before one it may depend on (a refund before its order).
* ``refused``: the server judges every change on its own before storing anything, and refuses
  one that breaks a rule instead of failing the request, so a bad change never wedges a
  register's queue. Each is ``{"seq", "entity", "id", "code", "field", "reason"}``; a refused
  change is acknowledged, stored nowhere but in the shop's quarantine (``push_quarantine``: the
  change as received, the code, the reason and the time; ``sync-server sync refused --tenant
  SLUG``), and never half-stored (an order is kept with all its lines and tenders, or not at
  all). The register marks it refused and shows it to the manager. ``code`` is one of:

  - ``malformed``: the change does not fit this contract (``field`` names the part);
  - ``money_mismatch``: a figure does not follow the pricing rule from the change's own inputs.
    The server recomputes each order with the register's rule (`pos_app.domain.pricing`:
    gross = unit price (its modifiers included) × quantity, the line and order discounts as stated
    amounts, the order discount split by largest remainder, tax once per rate, exclusive or
    inclusive, half up) and compares every line and order figure; tenders must pay the total,
    tips are on card only and at most the card amount they are added to;
  - ``currency``: not the shop's currency;
  - ``out_of_range``: an order total, tip or refund over ``SYNC_MAX_AMOUNT_MINOR``;
  - ``time_window``: a sale's or refund's time before the shop's creation on the server less
    ``SYNC_SALE_TIME_MARGIN_S`` (default a day) or more than ``SYNC_SALE_TIME_AHEAD_S``
    (default 5 minutes) after the server received it. A register offline for days still
    syncs its sales; one in a closed month is billed in the first open month;
  - ``structure``: parts that do not fit (a paid order without ``paid_at`` or lines, a
    repeated id, a refund line that is not a line of its order, …);
  - ``id_reused``: a line, tender or refund allocation id that belongs to another order or
    refund (stored, or earlier in the batch);
  - ``unknown_order``: a refund of an order the server does not hold as paid;
  - ``depends_on_refused``: a refund or payment of an order (stored nowhere) that was refused.

  Only a request that is not a push at all (not JSON, no ``device_id``, a change without a
  usable ``seq``, a seq twice) is a 422 naming the seq and field; nothing of it is stored.
  Two pushes that claim the same new line or tender id at the same moment: one stores it, the
  other's order is refused (``id_reused``); in the rare case where yet another push takes an
  id while a push is being judged again, that push is a 409 that stored nothing (push again).
* ``conflicts``: changes that were valid but could not be applied, and were acknowledged anyway
  so the register is never stuck: a different version of an already stored order (orders are
  immutable once stored — later changes are refund events; a voided order is never paid later),
  or a refund whose final status (succeeded/failed) would change. Each is
  ``{"seq", "entity", "id", "reason"}`` and is also kept server-side (``sync_conflicts``).
  Stock movements, cash movements and audit entries are insert-once: a second copy of an id is
  ignored without a conflict. Mutable entities lose silently when older than what is stored.
* Limits: at most ``SYNC_MAX_BATCH`` changes (default 1000) → 422 beyond; a body over
  ``SYNC_MAX_BODY_BYTES`` (default 5 MB) → 413.

Entities (money is integer minor units, ids are UUID strings, times ISO-8601 with an offset):

* ``order`` (immutable once stored): see `OrderData`. Product revenue of a line is
  ``total_minor − tax_minor``.
* ``payment`` (mutable, newer ``updated_at`` wins), ``refund`` (status evolves
  ``pending → succeeded | failed``; a final status never changes back), ``stock_movement``,
  ``cash_movement`` and ``audit`` (immutable), ``shift`` and ``customer`` (mutable; the version
  is ``occurred_at``, the newest wins), and the catalog edits ``category``, ``product``,
  ``modifier_group``, ``staff``, ``eighty_six`` (last writer wins by ``updated_at``).
* ``notification`` (insert-once; a resent id is ignored): a customer message the register
  queued, sent by the server's worker — see `NotificationData`::

      {"order_id": "<uuid>", "kind": "receipt" | "order_received" | "order_ready"
                                     | "order_cancelled" | "order_refunded",
       "channel": "email" | "sms", "to": "<email, or an E.164 phone such as +5511987654321>",
       "customer_id": "<uuid>" | null, "consent": <bool>, "locale": "en_US" | "pt_BR",
       "created_at": "<iso>"}

  ``order_id`` is required for these kinds (null is reserved for future kinds); the order may
  come in the same batch or a later one (the send waits for it, up to about a day). A receipt
  goes out without ``consent`` (the customer asked for it); the order updates need
  ``consent: true``; an opted-out address gets nothing (`sync_server.notifications.schemas`).
  An unknown locale is accepted and rendered in en_US.

## `GET /v1/sync/pull?cursor=<opaque or empty>&limit=N`

Response::

    {"cursor": "<next>", "has_more": bool,
     "changes": [{"entity": "product", "id": "...", "data": {...}}, ...]}

Entities pulled: ``category``, ``product``, ``modifier_group``, ``staff``, ``eighty_six`` (the
86 list: ``{"unavailable": bool, "reason", "updated_at"}``, id = the product's id), ``dispute``,
other registers' ``stock_movement`` (with their ``device_id``) and ``refund_allocation`` (a
register's card refund that Stripe failed after the register recorded it: ``{"refund_id",
"status": "failed", "amount_minor", ...}``; the register that made it marks it failed, the
others ignore it). Each entity appears with its
latest state; an entity changed again appears again later. The cursor never skips a row that
commits out of order: rows are only handed out once every older transaction in the server's
database has finished (transactions of other databases on the cluster do not hold them back).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt

EXTERNAL_DEVICE_ID = uuid.UUID(int=0)
"""`refunds.device_id` of refunds the server books for money given back outside any register
(reconciliation books them; the refund caps count them)."""

MAX_MINOR = 10**15
"""Larger than any sale, small enough that sums of a batch stay far inside bigint."""

Minor = Annotated[StrictInt, Field(ge=0, le=MAX_MINOR)]
SignedMinor = Annotated[StrictInt, Field(ge=-MAX_MINOR, le=MAX_MINOR)]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Ppm = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Last4 = Annotated[str, Field(pattern=r"^[0-9]{4}$")]
ShortText = Annotated[str, Field(max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Data(BaseModel):
    # Unknown keys are ignored so a newer register can add fields without breaking older servers.
    model_config = ConfigDict(extra="ignore", frozen=True)


class LineModifier(_Data):
    name: Name
    price_delta_minor: SignedMinor


class OrderLine(_Data):
    id: uuid.UUID
    position: Count
    product_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Name
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    unit_price_minor: Minor
    """The unit price with the line's modifiers included (`modifiers` says what they were)."""
    tax_rate_ppm: Ppm
    gross_minor: Minor
    line_discount_minor: Minor
    order_discount_minor: Minor
    net_minor: Minor
    tax_minor: Minor
    total_minor: Minor
    note: ShortText = ""
    modifiers: Annotated[list[LineModifier], Field(max_length=50)] = []


class Tender(_Data):
    id: uuid.UUID
    kind: Literal["cash", "card"]
    amount_minor: Minor
    tip_minor: Minor = 0
    tendered_minor: Minor
    change_minor: Minor = 0
    card_brand: Annotated[str, Field(max_length=20)] | None = None
    card_last4: Last4 | None = None
    payment_id: uuid.UUID | None = None


class OrderData(_Data):
    number: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
    register_id: uuid.UUID
    status: Literal["paid", "voided"]
    currency: Currency
    tax_mode: Literal["exclusive", "inclusive"]
    subtotal_minor: Minor
    line_discount_minor: Minor
    order_discount_minor: Minor
    tax_minor: Minor
    total_minor: Minor
    tip_minor: Minor = 0
    created_at: AwareDatetime
    paid_at: AwareDatetime | None = None
    voided_at: AwareDatetime | None = None
    void_reason: ShortText | None = None
    staff_id: uuid.UUID | None = None
    shift_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    lines: Annotated[list[OrderLine], Field(max_length=500)]
    tenders: Annotated[list[Tender], Field(max_length=50)] = []


class PaymentData(_Data):
    order_id: uuid.UUID
    gateway: Annotated[str, Field(min_length=1, max_length=16)]
    gateway_payment_id: Annotated[str, Field(max_length=64)] | None = None
    gateway_charge_id: Annotated[str, Field(max_length=64)] | None = None
    status: Annotated[str, Field(min_length=1, max_length=24)]
    amount_minor: Minor
    tip_minor: Minor = 0
    currency: Currency
    card_brand: Annotated[str, Field(max_length=20)] | None = None
    card_last4: Last4 | None = None
    captured_minor: Minor = 0
    refunded_minor: Minor = 0
    created_at: AwareDatetime
    updated_at: AwareDatetime


class RefundLine(_Data):
    line_id: uuid.UUID
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    amount_minor: Minor
    tax_minor: Minor


class RefundAllocation(_Data):
    id: uuid.UUID
    tender_id: uuid.UUID | None = None
    kind: Annotated[str, Field(min_length=1, max_length=8)]
    amount_minor: Minor
    tip_minor: Minor = 0
    """The card tip given back through this allocation, on top of its amount (a register
    that knows no tips sends none: 0)."""
    status: Annotated[str, Field(min_length=1, max_length=12)]
    gateway_refund_id: Annotated[str, Field(max_length=64)] | None = None


class RefundData(_Data):
    order_id: uuid.UUID
    amount_minor: Annotated[StrictInt, Field(ge=1, le=MAX_MINOR)]
    """The sale part: what the order's refund caps and the fee base count."""
    tax_minor: Minor
    tip_minor: Minor = 0
    """Card tips given back with it, apart from the amount (not revenue; absent from older
    registers' pushes: 0)."""
    reason: ShortText
    status: Literal["pending", "succeeded", "failed"]
    created_at: AwareDatetime
    staff_id: uuid.UUID | None = None
    approved_by_id: uuid.UUID | None = None
    lines: Annotated[list[RefundLine], Field(max_length=500)] = []
    allocations: Annotated[list[RefundAllocation], Field(max_length=50)] = []


class StockMovementData(_Data):
    product_id: uuid.UUID
    quantity_delta: Annotated[StrictInt, Field(ge=-1_000_000, le=1_000_000)]
    reason: Literal["sale", "refund", "count", "adjust"]
    order_id: uuid.UUID | None = None
    created_at: AwareDatetime


class ShiftData(_Data):
    register_id: uuid.UUID
    status: Literal["open", "closed"]
    opened_at: AwareDatetime
    opened_by_id: uuid.UUID
    opening_float_minor: Minor
    closed_at: AwareDatetime | None = None
    closed_by_id: uuid.UUID | None = None
    expected_cash_minor: SignedMinor | None = None
    counted_cash_minor: Minor | None = None
    over_short_minor: SignedMinor | None = None


class CashMovementData(_Data):
    shift_id: uuid.UUID
    kind: Annotated[str, Field(min_length=1, max_length=10)]
    amount_minor: SignedMinor
    reason: ShortText
    staff_id: uuid.UUID
    approved_by_id: uuid.UUID | None = None
    created_at: AwareDatetime


class CustomerData(_Data):
    name: Annotated[str, Field(max_length=80)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    phone: Annotated[str, Field(max_length=32)] | None = None
    email_consent: StrictBool = False
    sms_consent: StrictBool = False
    created_at: AwareDatetime


class AuditData(_Data):
    at: AwareDatetime
    action: Annotated[str, Field(min_length=1, max_length=40)]
    staff_id: uuid.UUID | None = None
    approved_by_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    details: dict[str, Any] = {}


class CategoryData(_Data):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    position: Count = 0
    updated_at: AwareDatetime


class ProductData(_Data):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Name
    category_id: uuid.UUID | None = None
    barcode: Annotated[str, Field(max_length=64)] | None = None
    price_minor: Minor
    currency: Currency
    tax_rate_ppm: Ppm
    active: StrictBool = True
    track_stock: StrictBool = False
    updated_at: AwareDatetime


class Modifier(_Data):
    id: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=60)]
    price_delta_minor: SignedMinor
    position: Count = 0


class ModifierGroupData(_Data):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    min_choices: Count = 0
    max_choices: Count = 1
    modifiers: Annotated[list[Modifier], Field(max_length=100)] = []
    product_ids: Annotated[list[uuid.UUID], Field(max_length=10_000)] = []
    updated_at: AwareDatetime


class StaffData(_Data):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    role: Annotated[str, Field(min_length=1, max_length=16)]
    pin_hash: Annotated[str, Field(min_length=1, max_length=200)]
    active: StrictBool = True
    updated_at: AwareDatetime


class EightySixData(_Data):
    unavailable: StrictBool
    reason: ShortText | None = None
    updated_at: AwareDatetime


class NotificationData(_Data):
    order_id: uuid.UUID | None = None
    kind: Literal["receipt", "order_received", "order_ready", "order_cancelled", "order_refunded"]
    channel: Literal["email", "sms"]
    to: Annotated[str, Field(min_length=3, max_length=254)]
    customer_id: uuid.UUID | None = None
    consent: StrictBool = False
    locale: Annotated[str, Field(pattern=r"^[a-z]{2}_[A-Z]{2}$")] = "en_US"
    created_at: AwareDatetime


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    seq: Annotated[StrictInt, Field(ge=1, le=2**62)]
    id: uuid.UUID
    occurred_at: AwareDatetime


class OrderChange(_Change):
    entity: Literal["order"]
    data: OrderData


class PaymentChange(_Change):
    entity: Literal["payment"]
    data: PaymentData


class RefundChange(_Change):
    entity: Literal["refund"]
    data: RefundData


class StockMovementChange(_Change):
    entity: Literal["stock_movement"]
    data: StockMovementData


class ShiftChange(_Change):
    entity: Literal["shift"]
    data: ShiftData


class CashMovementChange(_Change):
    entity: Literal["cash_movement"]
    data: CashMovementData


class CustomerChange(_Change):
    entity: Literal["customer"]
    data: CustomerData


class AuditChange(_Change):
    entity: Literal["audit"]
    data: AuditData


class CategoryChange(_Change):
    entity: Literal["category"]
    data: CategoryData


class ProductChange(_Change):
    entity: Literal["product"]
    data: ProductData


class ModifierGroupChange(_Change):
    entity: Literal["modifier_group"]
    data: ModifierGroupData


class StaffChange(_Change):
    entity: Literal["staff"]
    data: StaffData


class EightySixChange(_Change):
    entity: Literal["eighty_six"]
    data: EightySixData


class NotificationChange(_Change):
    entity: Literal["notification"]
    data: NotificationData


Change = Annotated[
    OrderChange
    | PaymentChange
    | RefundChange
    | StockMovementChange
    | ShiftChange
    | CashMovementChange
    | CustomerChange
    | AuditChange
    | CategoryChange
    | ProductChange
    | ModifierGroupChange
    | StaffChange
    | EightySixChange
    | NotificationChange,
    Field(discriminator="entity"),
]


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    device_id: uuid.UUID
    batch: list[Change] = Field(min_length=1)


class ConflictOut(BaseModel):
    seq: int
    entity: str
    id: uuid.UUID
    reason: str


class RefusedOut(BaseModel):
    seq: int
    entity: str
    id: str = Field(description="The change's id as sent (it may not be a UUID if malformed)")
    code: str = Field(description="Why, as a stable code (see the push contract)")
    field: str = Field(description="The part of the change that breaks the rule")
    reason: str


class PushResponse(BaseModel):
    acknowledged_seq: int = Field(
        description="All changes 1..N of this device are stored or refused"
    )
    applied: int = Field(description="Changes stored by this request")
    replayed: int = Field(description="Changes skipped because they were already stored")
    conflicts: list[ConflictOut] = []
    refused: list[RefusedOut] = Field(
        default=[], description="Changes refused and kept in the shop's quarantine"
    )


class PulledChange(BaseModel):
    entity: str
    id: str
    data: dict[str, Any]


class PullResponse(BaseModel):
    cursor: str
    has_more: bool
    changes: list[PulledChange]
