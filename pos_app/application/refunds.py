"""Refunds of paid orders, cash and card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.staff import Authorization
from pos_app.services import refunds
from pos_app.services.refunds import RecordedRefund

if TYPE_CHECKING:
    from pos_app.application.card_payments import CardPayments

__all__ = ["RecordedRefund", "Refunds"]


class Refunds(Area):
    def record(
        self,
        order_id: UUID,
        *,
        authorization: Authorization,
        reason: str,
        lines: Sequence[LineRefundRequest] | None = None,
        amount_minor: int | None = None,
        to_cash_drawer: bool = False,
        restock: bool = True,
        shift_id: UUID | None = None,
        expected_refunded_minor: int | None = None,
        tip_minor: int = 0,
    ) -> RecordedRefund:
        """Record a refund of lines or of an amount: the cash part from the drawer now, the
        card part saved to send (`send_to_cards`). With `expected_refunded_minor` (what the
        screen showed as refunded already) a second tap is refused, never paid twice. With
        `tip_minor` card tips go back too, on the cards they were charged on."""
        with self.db.write() as uow:
            return refunds.record_refund(
                uow,
                order_id=order_id,
                authorization=authorization,
                reason=reason,
                lines=lines,
                amount_minor=amount_minor,
                to_cash_drawer=to_cash_drawer,
                restock=restock,
                shift_id=shift_id,
                expected_refunded_minor=expected_refunded_minor,
                tip_minor=tip_minor,
            )

    def send_to_cards(self, card: CardPayments, refund_id: UUID) -> list[str]:
        """Send a recorded refund's card part to the gateway (network: the network pool);
        returns the problems for the cashier."""
        return card.send_refunds(refund_id)
