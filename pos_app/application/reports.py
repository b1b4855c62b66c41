"""Back-office reports: sales, disputes, changes the sync server refused."""

from __future__ import annotations

from datetime import datetime

from pos_app.application import disputes
from pos_app.application import sync as sync_app
from pos_app.application._area import Area
from pos_app.application.disputes import DisputeView, Evidence
from pos_app.domain.clock import utcnow
from pos_app.domain.outbox import RefusedEntry
from pos_app.domain.staff import Authorization
from pos_app.payments.terminal import PaymentTerminal
from pos_app.services import reports as reports_service
from pos_app.services.reports import DaySales

__all__ = ["DaySales", "DisputeView", "Evidence", "Reports"]


class Reports(Area):
    def day_sales(self, *, at: datetime | None = None, top: int = 8) -> DaySales:
        """The sales of the business day `at` (now by default) falls in: figures, by hour and
        the best sellers."""
        with self.db.read() as uow:
            return reports_service.day_sales(uow, shop=self.shop, at=at or utcnow(), top=top)

    def disputes(self) -> list[DisputeView]:
        """The shop's chargebacks, with the order each is about."""
        with self.db.read() as uow:
            return disputes.list_disputes(uow)

    def submit_dispute_evidence(
        self, terminal: PaymentTerminal, *, dispute_id: str, authorization: Authorization
    ) -> str:
        """Build, send (through Stripe) and record a dispute's evidence, audited, on the
        caller's thread. A screen runs its three steps instead: `dispute_evidence` and
        `evidence_sent` on the database worker, `send_dispute_evidence` on the network pool."""
        return disputes.submit_evidence(
            self.db, terminal, dispute_id=dispute_id, authorization=authorization
        )

    def dispute_evidence(self, dispute_id: str, *, authorization: Authorization) -> Evidence:
        """The evidence for a dispute, from its order; a manager's authority is checked."""
        return disputes.prepare_evidence(
            self.db, dispute_id=dispute_id, authorization=authorization
        )

    @staticmethod
    def send_dispute_evidence(terminal: PaymentTerminal, evidence: Evidence) -> str:
        """Network only: send the evidence through Stripe; returns the dispute's new status."""
        return disputes.send_evidence(terminal, evidence)

    def evidence_sent(self, evidence: Evidence, status: str) -> None:
        """Record that the evidence was sent; audited as `dispute.evidence_submitted`."""
        disputes.record_evidence_sent(self.db, evidence, status)

    def refused_changes(self, limit: int = 200) -> list[RefusedEntry]:
        """The changes the sync server refused, newest first."""
        return sync_app.refused_changes(self.db, limit)
