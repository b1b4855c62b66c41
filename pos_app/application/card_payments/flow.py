"""What every job of the card flow shares: the database, the gateway, the register's reader.

The flow runs on a network thread (the GUI's network pool, the CLI's main thread): its gateway
calls stay there, and each transaction is handed to the database worker and waited for
(`read`, `write`; inline when the caller already is the worker).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from pos_app.application.card_payments.outcomes import PollPolicy
from pos_app.db.database import Database
from pos_app.db.uow import UnitOfWork
from pos_app.domain.errors import NotEnoughStock, ValidationError
from pos_app.domain.orders import Order
from pos_app.domain.payments import PaymentRecord, PaymentStatus
from pos_app.domain.shop import Shop
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments.terminal import GatewayPayment, PaymentTerminal, TerminalError

T = TypeVar("T")

GATEWAY = "stripe"
UNKNOWN_OUTCOME_RETRIES = 3


def key(payment: PaymentRecord, step: str) -> str:
    """The idempotency key of one gateway step of an attempt."""
    return f"{payment.idempotency_key}:{step}"


def tender_plan(tenders: Sequence[TenderRequest]) -> dict[str, Any]:
    """The tenders taken for an order, as saved with it (see `plan_tenders`)."""
    return {
        "tenders": [
            {
                "kind": t.kind.value,
                "amount_minor": t.amount_minor,
                "tip_minor": t.tip_minor,
                "payment_id": str(t.payment_id) if t.payment_id else None,
            }
            for t in tenders
        ]
    }


def plan_tenders(plan: dict[str, Any]) -> list[TenderRequest]:
    return [
        TenderRequest(
            kind=TenderKind(t["kind"]),
            amount_minor=int(t["amount_minor"]),
            tip_minor=int(t["tip_minor"]),
            payment_id=UUID(t["payment_id"]) if t["payment_id"] else None,
        )
        for t in plan["tenders"]
    ]


def check_stock(uow: UnitOfWork, order: Order) -> None:
    """The stock rule of `checkout.place_order` (a manager's approved oversell passes)."""
    wanted: dict[UUID, int] = {}
    for line in order.lines:
        if line.track_stock and line.product_id is not None:
            wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    for product_id, quantity in wanted.items():
        if product_id in order.oversell_approved:
            continue
        level = uow.catalog.stock_level(product_id)
        if level < quantity:
            line = next(ln for ln in order.lines if ln.product_id == product_id)
            raise NotEnoughStock(line.sku, line.name, level, quantity)


class CardFlow:
    """One register's card context, shared by the jobs (attempts, capture, refunds...)."""

    def __init__(
        self,
        db: Database,
        terminal: PaymentTerminal,
        *,
        shop: Shop,
        reader_id: str,
        poll: PollPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        ephemeral_gateway: bool = False,
    ) -> None:
        self.db = db
        self.terminal = terminal
        self.shop = shop
        self.reader_id = reader_id
        self.poll = poll or PollPolicy()
        self.sleep = sleep
        self.monotonic = monotonic
        self.ephemeral_gateway = ephemeral_gateway

    # --- transactions, on the database worker -----------------------------------------------

    def read(self, fn: Callable[[UnitOfWork], T]) -> T:
        """`fn` in a read snapshot, on the database worker."""

        def job() -> T:
            with self.db.read() as uow:
                return fn(uow)

        return self.db.run(job)

    def write(self, fn: Callable[[UnitOfWork], T]) -> T:
        """`fn` in a write transaction, on the database worker (committed when it returns)."""

        def job() -> T:
            with self.db.write() as uow:
                return fn(uow)

        return self.db.run(job)

    def payment(self, payment_id: UUID) -> PaymentRecord:
        payment = self.read(lambda uow: uow.payments.get(payment_id))
        if payment is None:
            raise ValidationError("that card payment does not exist")
        return payment

    def update(
        self, payment_id: UUID, status: PaymentStatus, detail: str = "", **fields: Any
    ) -> None:
        self.write(
            lambda uow: uow.payments.update(payment_id, status=status, detail=detail, **fields)
        )

    def order_number(self, order_id: UUID) -> int | None:
        order = self.read(lambda uow: uow.orders.get(order_id))
        return order.number if order else None

    def audit(self, action: str, order_id: UUID, details: dict[str, Any]) -> None:
        """One audit entry about a payment, in a transaction of its own."""
        self.write(lambda uow: uow.audit.record(action, order_id=order_id, details=details))

    # --- the gateway --------------------------------------------------------------------------

    def resolve(
        self,
        call: Callable[[], GatewayPayment],
        reread: Callable[[], GatewayPayment],
        done: Callable[[GatewayPayment], bool],
    ) -> GatewayPayment:
        """Make a call whose effect may have happened even when it fails: on an unknown outcome,
        read the payment back and retry (same idempotency key) until the gateway answers."""
        last: TerminalError | None = None
        for attempt in range(UNKNOWN_OUTCOME_RETRIES):
            try:
                return call()
            except TerminalError as error:
                if not error.outcome_unknown:
                    raise
                last = error
            self.sleep(self.poll.retry_delay_s * (attempt + 1))
            try:
                current = reread()
            except TerminalError as error:
                if not error.outcome_unknown:
                    raise
                continue
            if done(current):
                return current
        assert last is not None
        raise last

    def create_payment(self, payment: PaymentRecord, order_number: int | None) -> GatewayPayment:
        """The attempt's one create call. Sent again with the same key it is its own read-back:
        the gateway answers with the payment the first call made, if it made one."""
        return self.terminal.create_payment(
            amount_minor=payment.charge_minor,
            currency=payment.currency,
            metadata={
                "order_id": str(payment.order_id),
                "order_number": str(order_number or ""),
                "register_id": str(self.shop.register_id),
                "attempt_id": str(payment.id),
            },
            description=(
                f"{self.shop.name} order {order_number}" if order_number else self.shop.name
            ),
            idempotency_key=key(payment, "create"),
        )

    def reread(self, gateway_id: str) -> GatewayPayment | None:
        try:
            return self.terminal.get_payment(gateway_id)
        except TerminalError:
            return None
