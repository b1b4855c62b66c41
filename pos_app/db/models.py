"""Typed SQLAlchemy models of the register's database.

Ids are UUIDv7 made on the device; money is integer minor units; timestamps are UTC-aware.
No card number is stored anywhere: a card is its brand and last four digits.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pos_app.db.types import UTCDateTime
from pos_app.domain.clock import utcnow
from pos_app.domain.ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
        dict[str, Any]: JSON(),
        bytes: LargeBinary(),
    }


def _id() -> Mapped[uuid.UUID]:
    return mapped_column(primary_key=True, default=uuid7)


def _created() -> Mapped[datetime]:
    return mapped_column(default=utcnow)


# --- shop and gateway configuration -----------------------------------------------------------


class ShopSettings(Base):
    """One row: this register's shop. Secrets never live here (they are in the OS keyring)."""

    __tablename__ = "shop_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_name: Mapped[str] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    tax_mode: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(16), default="en_US")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    register_id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    register_name: Mapped[str] = mapped_column(String(40), default="Register 1")
    discount_threshold_ppm: Mapped[int] = mapped_column(Integer, default=100_000)
    idle_lock_seconds: Mapped[int] = mapped_column(Integer, default=120)
    receipt_footer: Mapped[str] = mapped_column(String(200), default="")
    receipt_header: Mapped[str] = mapped_column(String(200), default="", server_default="")
    business_day_ends_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class GatewayConfig(Base):
    """The card reader set-up: which reader, which location, which mode. No keys."""

    __tablename__ = "gateway_config"
    id: Mapped[int] = mapped_column(primary_key=True)
    gateway: Mapped[str] = mapped_column(String(16), default="stripe")
    mode: Mapped[str] = mapped_column(String(8), default="demo")  # demo | test | live
    location_id: Mapped[str | None] = mapped_column(String(64))
    reader_id: Mapped[str | None] = mapped_column(String(64))
    reader_label: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


# --- catalog ----------------------------------------------------------------------------------


class CategoryRow(Base):
    __tablename__ = "categories"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProductRow(Base):
    __tablename__ = "products"
    id: Mapped[uuid.UUID] = _id()
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"))
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    tax_rate_ppm: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    track_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    stock_quantity: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    modifier_links: Mapped[list[ProductModifierGroupRow]] = relationship(
        order_by="ProductModifierGroupRow.position", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("tax_rate_ppm BETWEEN 0 AND 1000000", name="tax_rate_range"),
        Index("ix_products_category_position", "category_id", "position"),
    )


class ModifierGroupRow(Base):
    __tablename__ = "modifier_groups"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(String(60))
    min_choices: Mapped[int] = mapped_column(Integer, default=0)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    modifiers: Mapped[list[ModifierRow]] = relationship(
        order_by="ModifierRow.position", cascade="all, delete-orphan"
    )


class ModifierRow(Base):
    __tablename__ = "modifiers"
    id: Mapped[uuid.UUID] = _id()
    group_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("modifier_groups.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(60))
    price_delta_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProductModifierGroupRow(Base):
    __tablename__ = "product_modifier_groups"
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("modifier_groups.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    group: Mapped[ModifierGroupRow] = relationship(lazy="joined")


# --- people -----------------------------------------------------------------------------------


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CustomerRow(Base):
    """Optional, for receipts; contact details only with the customer's consent."""

    __tablename__ = "customers"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _created()


# --- shifts and cash --------------------------------------------------------------------------


class ShiftRow(Base):
    __tablename__ = "shifts"
    id: Mapped[uuid.UUID] = _id()
    register_id: Mapped[uuid.UUID] = mapped_column()
    status: Mapped[str] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3))
    opened_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = _created()
    opening_float_minor: Mapped[int] = mapped_column(BigInteger)
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column()
    expected_cash_minor: Mapped[int | None] = mapped_column(BigInteger)
    counted_cash_minor: Mapped[int | None] = mapped_column(BigInteger)
    over_short_minor: Mapped[int | None] = mapped_column(BigInteger)
    cash_count: Mapped[dict[str, Any] | None] = mapped_column()
    __table_args__ = (
        # At most one open shift per register, enforced by the database itself.
        Index(
            "uq_shifts_one_open_per_register",
            "register_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
        ),
    )


class CashMovementRow(Base):
    __tablename__ = "cash_movements"
    id: Mapped[uuid.UUID] = _id()
    shift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = _created()


# --- orders -----------------------------------------------------------------------------------


class OrderRow(Base):
    __tablename__ = "orders"
    id: Mapped[uuid.UUID] = _id()
    number: Mapped[int] = mapped_column(Integer, unique=True)
    register_id: Mapped[uuid.UUID] = mapped_column()
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    tax_mode: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(40), default="")
    discount_kind: Mapped[str | None] = mapped_column(String(8))
    discount_value: Mapped[int | None] = mapped_column(BigInteger)
    discount_reason: Mapped[str] = mapped_column(String(120), default="")
    subtotal_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    line_discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    order_discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    total_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tip_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    card_last4: Mapped[str | None] = mapped_column(String(4))
    """Denormalised from the card tender so history can search by it."""
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customers.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    shift_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    pending_tenders: Mapped[dict[str, Any] | None] = mapped_column()
    """The tenders an order will be paid with, saved before its card payments are captured, so
    a crash between capture and recording can be finished at the next start."""
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column()
    voided_at: Mapped[datetime | None] = mapped_column()
    business_at: Mapped[datetime] = mapped_column()
    """When the order happened for the books: paid, voided, or (still open) last saved. Its
    business day is this moment's (`domain.business_day`), never the cart's creation."""
    lines: Mapped[list[OrderLineRow]] = relationship(
        order_by="OrderLineRow.position", cascade="all, delete-orphan"
    )
    tenders: Mapped[list[TenderRow]] = relationship(
        order_by="TenderRow.created_at", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("total_minor >= 0", name="total_not_negative"),
        CheckConstraint("refunded_minor <= paid_minor", name="refund_within_paid"),
        Index("ix_orders_created_at", "created_at"),
        Index("ix_orders_status_created_at", "status", "created_at"),
        Index("ix_orders_total_minor", "total_minor"),
        Index("ix_orders_card_last4", "card_last4"),
        Index("ix_orders_business_at", "business_at"),
        Index("ix_orders_status_business_at", "status", "business_at"),
    )


class OrderLineRow(Base):
    __tablename__ = "order_lines"
    id: Mapped[uuid.UUID] = _id()
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"))
    category_id: Mapped[uuid.UUID | None] = mapped_column()
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    tax_rate_ppm: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    discount_kind: Mapped[str | None] = mapped_column(String(8))
    discount_value: Mapped[int | None] = mapped_column(BigInteger)
    track_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    gross_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    line_discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    order_discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    net_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    total_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_quantity: Mapped[int] = mapped_column(Integer, default=0)
    modifiers: Mapped[list[OrderLineModifierRow]] = relationship(
        order_by="OrderLineModifierRow.position", cascade="all, delete-orphan", lazy="selectin"
    )
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("refunded_quantity BETWEEN 0 AND quantity", name="refund_within_qty"),
    )


class OrderLineModifierRow(Base):
    __tablename__ = "order_line_modifiers"
    id: Mapped[uuid.UUID] = _id()
    line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), index=True
    )
    modifier_id: Mapped[uuid.UUID | None] = mapped_column()
    name: Mapped[str] = mapped_column(String(60))
    price_delta_minor: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer)


class TenderRow(Base):
    __tablename__ = "tenders"
    id: Mapped[uuid.UUID] = _id()
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tip_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tendered_minor: Mapped[int] = mapped_column(BigInteger)
    change_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payment_transactions.id"))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        CheckConstraint("amount_minor >= 0 AND tip_minor >= 0", name="amounts_not_negative"),
        CheckConstraint("refunded_minor <= amount_minor", name="refund_within_amount"),
        CheckConstraint(
            "card_last4 IS NULL OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*')",
            name="last4_only",
        ),
    )


# --- card payments ----------------------------------------------------------------------------


class PaymentTransactionRow(Base):
    """One attempt to take a card payment. Written before the first call to the gateway."""

    __tablename__ = "payment_transactions"
    id: Mapped[uuid.UUID] = _id()
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    gateway: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(24))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tip_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    reader_id: Mapped[str | None] = mapped_column(String(64))
    gateway_payment_id: Mapped[str | None] = mapped_column(String(64), index=True)
    gateway_charge_id: Mapped[str | None] = mapped_column(String(64))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    decline_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(String(300))
    captured_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    process_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How many times the payment was sent to the reader (each try has its own key)."""
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    events: Mapped[list[PaymentEventRow]] = relationship(
        order_by="PaymentEventRow.at", cascade="all, delete-orphan"
    )
    __table_args__ = (
        Index("ix_payment_transactions_status", "status"),
        CheckConstraint(
            "card_last4 IS NULL OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*')",
            name="last4_only",
        ),
    )


class PaymentEventRow(Base):
    """The status history of a payment attempt."""

    __tablename__ = "payment_events"
    id: Mapped[uuid.UUID] = _id()
    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("payment_transactions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(24))
    detail: Mapped[str] = mapped_column(String(300), default="")


# --- refunds ----------------------------------------------------------------------------------


class RefundRow(Base):
    __tablename__ = "refunds"
    id: Mapped[uuid.UUID] = _id()
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    tip_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    """Card tips given back with the refund (apart from its amount: a tip is not revenue)."""
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))  # pending | succeeded | failed
    restock: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    shift_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("shifts.id"), index=True)
    created_at: Mapped[datetime] = _created()
    lines: Mapped[list[RefundLineRow]] = relationship(cascade="all, delete-orphan")
    allocations: Mapped[list[RefundAllocationRow]] = relationship(cascade="all, delete-orphan")
    __table_args__ = (CheckConstraint("amount_minor > 0", name="amount_positive"),)


class RefundLineRow(Base):
    __tablename__ = "refund_lines"
    id: Mapped[uuid.UUID] = _id()
    refund_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("refunds.id", ondelete="CASCADE"), index=True
    )
    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)


class RefundAllocationRow(Base):
    """The part of a refund returned through one tender (a card refund, or cash from the drawer)."""

    __tablename__ = "refund_allocations"
    id: Mapped[uuid.UUID] = _id()
    refund_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("refunds.id", ondelete="CASCADE"), index=True
    )
    tender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenders.id"))
    kind: Mapped[str] = mapped_column(String(8))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tip_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    """The card tip given back through this tender, on top of `amount_minor`."""
    status: Mapped[str] = mapped_column(String(12))
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    gateway_refund_id: Mapped[str | None] = mapped_column(String(64))


# --- stock ------------------------------------------------------------------------------------


class StockMovementRow(Base):
    __tablename__ = "stock_movements"
    id: Mapped[uuid.UUID] = _id()
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    quantity_delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(12))  # sale | refund | count | adjust
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"), index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = _created()


# --- audit and errors -------------------------------------------------------------------------


class AuditRow(Base):
    """Who did what, and who approved it: voids, refunds, discounts, drawer opens, overrides."""

    __tablename__ = "audit_log"
    id: Mapped[uuid.UUID] = _id()
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ErrorRow(Base):
    __tablename__ = "error_log"
    id: Mapped[uuid.UUID] = _id()
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- printing ---------------------------------------------------------------------------------


class PrinterRow(Base):
    """A receipt or kitchen printer on the network (ESC/POS over TCP, usually port 9100)."""

    __tablename__ = "printers"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(10))  # receipt | kitchen
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer, default=9100)
    paper_width_chars: Mapped[int] = mapped_column(Integer, default=42)
    category_ids: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """For kitchen printers: ``{"ids": [category uuid, ...]}`` routed to this printer."""
    has_cash_drawer: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PrintJobRow(Base):
    """A queued print: the rendered bytes wait here until the printer takes them."""

    __tablename__ = "print_jobs"
    id: Mapped[uuid.UUID] = _id()
    printer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("printers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # receipt | kitchen | drawer | reprint | test
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    payload: Mapped[bytes] = mapped_column()
    status: Mapped[str] = mapped_column(String(10))  # queued | printing | printed | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = _created()
    printed_at: Mapped[datetime | None] = mapped_column()
    __table_args__ = (Index("ix_print_jobs_status_next", "status", "next_attempt_at"),)


# --- sync -------------------------------------------------------------------------------------


class OutboxRow(Base):
    """Every change to push to the sync server, written in the same transaction as the change.

    `seq` is the per-device sequence number the server acknowledges (its high-water mark).
    """

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[uuid.UUID] = mapped_column()
    payload: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = _created()
    pushed_at: Mapped[datetime | None] = mapped_column()
    refused_at: Mapped[datetime | None] = mapped_column()
    """The server refused this change (it is acknowledged, kept in the shop's quarantine on the
    server, and shown to the manager in the back office)."""
    refused_code: Mapped[str | None] = mapped_column(String(32))
    refused_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index("ix_outbox_unpushed", "seq", sqlite_where=text("pushed_at IS NULL")),
        Index("ix_outbox_refused", "seq", sqlite_where=text("refused_at IS NOT NULL")),
        {"sqlite_autoincrement": True},
    )


class SyncStateRow(Base):
    """Key/value state of the sync loop (pull cursor, last success, last error)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RemoteStockMovementRow(Base):
    """Stock sold or counted on the shop's other registers, pulled from the server.

    Kept apart from `stock_movements` (this register's own, which it pushes) and applied once:
    the id is the other register's movement id.
    """

    __tablename__ = "remote_stock_movements"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column()
    quantity_delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column()
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutsideRefundRow(Base):
    """A refund of one of this register's orders made outside it (in Stripe's dashboard),
    pulled from the server, with what of it is counted as refunded on the order."""

    __tablename__ = "outside_refunds"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))  # pending | succeeded | failed
    counted_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    counted_tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tender_id: Mapped[uuid.UUID | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class DisputeRow(Base):
    """A chargeback on one of the shop's card payments, pulled from the server."""

    __tablename__ = "disputes"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    charge_id: Mapped[str | None] = mapped_column(String(64))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(32))
    evidence_due_by: Mapped[datetime | None] = mapped_column()
    fee_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    outcome: Mapped[str | None] = mapped_column(String(64))
    evidence_submitted_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
