"""What the card flow answers and raises: outcomes, recovery notes, errors, the polling policy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from pos_app.domain.errors import DomainError
from pos_app.payments.terminal import TerminalErrorKind


class CardOutcomeKind(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELED = "canceled"
    TIMED_OUT = "timed_out"


@dataclass(frozen=True, slots=True)
class CardOutcome:
    payment_id: UUID
    kind: CardOutcomeKind
    message: str
    card_brand: str | None = None
    card_last4: str | None = None
    decline_code: str | None = None


class RecoveryKind(StrEnum):
    """What start-up recovery did about one payment or order (the counter says it in words)."""

    RECORDED = "recorded"
    """Captured before the crash: the order is now recorded as paid."""
    ALREADY_RECORDED = "already_recorded"
    FOUND_CAPTURED = "found_captured"
    """Stripe captured it without our capture step: check it in order history."""
    RELEASED = "released"
    """Not finished: the hold was released, the customer not charged."""
    LAPSED = "lapsed"
    """The approval lapsed before it could be captured: not charged."""
    NEVER_STARTED = "never_started"
    GONE = "gone"
    """The demo's card reader restarted with the app: its payments are gone, none charged."""
    LEFT_FOR_LATER = "left_for_later"
    """Stripe could not settle it now; tried again at the next start."""
    PARKED = "parked"
    """An order left unpaid by the restart is parked: recall it to take payment, or void it."""
    REFUND = "refund"
    """A card refund sent again (`detail` is the cashier's message)."""


@dataclass(frozen=True, slots=True)
class RecoveryNote:
    kind: RecoveryKind
    order_number: int | None
    detail: str = ""
    cash_minor: int = 0
    """Cash taken for the unpaid order before the restart: the drawer holds it, the order
    does not (it is due in full again), so the cashier hands it back."""

    def __str__(self) -> str:
        """In English, for the log and the command line (the counter words it by `kind`)."""
        cash = f"; hand back {self.cash_minor} (minor units) cash taken" if self.cash_minor else ""
        return self._what() + cash

    def _what(self) -> str:
        order = f"order {self.order_number}"
        return {
            RecoveryKind.RECORDED: f"{order}: captured card payment recorded after a restart",
            RecoveryKind.ALREADY_RECORDED: f"{order}: card payment already recorded",
            RecoveryKind.FOUND_CAPTURED: (
                f"{order}: payment found captured; check it in order history"
            ),
            RecoveryKind.RELEASED: (
                f"{order}: unfinished card payment released (customer not charged)"
            ),
            RecoveryKind.LAPSED: f"{order}: card approval had lapsed; the order is still open",
            RecoveryKind.NEVER_STARTED: f"{order}: card payment never started ({self.detail})",
            RecoveryKind.GONE: (
                f"{order}: the demo card reader restarted; its payment is gone (not charged)"
            ),
            RecoveryKind.LEFT_FOR_LATER: f"{order}: card payment left for later ({self.detail})",
            RecoveryKind.PARKED: f"{order}: left unpaid by the restart, parked",
            RecoveryKind.REFUND: self.detail,
        }[self.kind]


class CardPaymentError(DomainError):
    """A card step could not be done; the message is for the cashier."""

    def __init__(self, message: str, *, kind: TerminalErrorKind | None = None) -> None:
        super().__init__(message)
        self.kind = kind


class CardApprovalsReleased(CardPaymentError):
    """The order could not be placed, so its card approvals (`released`) were let go."""

    def __init__(self, message: str, *, released: Sequence[UUID]) -> None:
        super().__init__(message)
        self.released = tuple(released)


@dataclass(frozen=True, slots=True)
class PollPolicy:
    first_delay_s: float = 0.15
    max_delay_s: float = 1.0
    factor: float = 1.6
    reader_timeout_s: float = 120.0
    """How long a reader may wait for a card before the flow cancels the reader action."""
    retry_delay_s: float = 0.25


Progress = Callable[[str], None]
"""Called with a line for the cashier while the flow waits."""
