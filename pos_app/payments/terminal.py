"""The gateway-neutral card terminal: what the register needs from any card-present gateway.

Plain result types and one error type. Amounts are minor units; statuses are ours, converted
from the gateway's own at the boundary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class GatewayPaymentStatus(StrEnum):
    AWAITING_CARD = "awaiting_card"
    """Created, or declined and ready for another card."""
    PROCESSING = "processing"
    AUTHORIZED = "authorized"
    """Approved and held on the customer's card; not yet captured."""
    CAPTURED = "captured"
    CANCELED = "canceled"


@dataclass(frozen=True, slots=True)
class GatewayPayment:
    gateway_payment_id: str
    status: GatewayPaymentStatus
    amount_minor: int
    currency: str
    amount_capturable_minor: int = 0
    amount_received_minor: int = 0
    charge_id: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    decline_code: str | None = None
    failure_message: str | None = None
    cancellation_reason: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)


class ReaderActionStatus(StrEnum):
    IDLE = "idle"
    IN_PROGRESS = "in_progress"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ReaderState:
    reader_id: str
    label: str
    online: bool
    action_type: str | None = None
    action_status: ReaderActionStatus = ReaderActionStatus.IDLE
    action_payment_id: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    device_type: str | None = None


@dataclass(frozen=True, slots=True)
class GatewayRefund:
    gateway_refund_id: str
    status: str
    """pending | succeeded | failed | canceled (as gateways report them)."""
    amount_minor: int


@dataclass(frozen=True, slots=True)
class CartLine:
    description: str
    amount_minor: int
    quantity: int


@dataclass(frozen=True, slots=True)
class CartDisplay:
    currency: str
    lines: Sequence[CartLine]
    tax_minor: int
    total_minor: int


class TerminalErrorKind(StrEnum):
    NETWORK = "network"
    """No answer: the request may or may not have taken effect."""
    GATEWAY_UNAVAILABLE = "gateway_unavailable"
    """The gateway answered 5xx: the outcome is unknown as well."""
    READER_OFFLINE = "reader_offline"
    READER_BUSY = "reader_busy"
    READER_TIMEOUT = "reader_timeout"
    DECLINED = "declined"
    AUTHENTICATION = "authentication"
    RATE_LIMITED = "rate_limited"
    INVALID_REQUEST = "invalid_request"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"


UNKNOWN_OUTCOME = frozenset(
    {
        TerminalErrorKind.NETWORK,
        TerminalErrorKind.GATEWAY_UNAVAILABLE,
        TerminalErrorKind.IDEMPOTENCY_CONFLICT,
    }
)


class TerminalError(Exception):
    """A gateway call failed. `str()` is the message for the person at the counter."""

    def __init__(
        self,
        kind: TerminalErrorKind,
        message: str,
        *,
        code: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.detail = detail

    @property
    def outcome_unknown(self) -> bool:
        """True when the call may have taken effect: re-read before telling anyone anything."""
        return self.kind in UNKNOWN_OUTCOME


class PaymentTerminal(Protocol):
    """A card-present gateway with a server-driven reader (Stripe Terminal's model)."""

    def create_payment(
        self,
        *,
        amount_minor: int,
        currency: str,
        metadata: Mapping[str, str],
        description: str,
        idempotency_key: str,
    ) -> GatewayPayment: ...

    def get_payment(self, gateway_payment_id: str) -> GatewayPayment: ...

    def find_payment(self, *, attempt_id: str) -> GatewayPayment | None:
        """The payment created for one of our attempts, found by its metadata."""
        ...

    def process_on_reader(
        self, *, reader_id: str, gateway_payment_id: str, idempotency_key: str
    ) -> ReaderState: ...

    def reader_state(self, reader_id: str) -> ReaderState: ...

    def cancel_reader_action(self, *, reader_id: str, idempotency_key: str) -> ReaderState: ...

    def capture(self, gateway_payment_id: str, *, idempotency_key: str) -> GatewayPayment: ...

    def cancel_payment(
        self, gateway_payment_id: str, *, idempotency_key: str
    ) -> GatewayPayment: ...

    def refund(
        self,
        gateway_payment_id: str,
        *,
        amount_minor: int,
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> GatewayRefund: ...

    def show_cart(self, *, reader_id: str, cart: CartDisplay, idempotency_key: str) -> None: ...

    def clear_display(self, *, reader_id: str, idempotency_key: str) -> None: ...

    def register_reader(
        self, *, registration_code: str, label: str, location_id: str, idempotency_key: str
    ) -> ReaderState: ...

    def ensure_location(self, *, display_name: str, idempotency_key: str) -> str: ...

    def submit_dispute_evidence(
        self, dispute_id: str, *, evidence: Mapping[str, str], idempotency_key: str
    ) -> str:
        """Send evidence for a chargeback and submit it; returns the dispute's new status."""
        ...

    def present_test_card(self, *, reader_id: str, card_number: str | None = None) -> None:
        """Simulated readers only: tap a test card (Stripe's test helper)."""
        ...
