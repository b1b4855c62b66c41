"""The unit of work: one transaction, with every repository bound to it.

Services receive a `UnitOfWork` and never commit; `Database.write()` commits once when the block
ends, or rolls everything back if it raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from sqlalchemy.orm import Session

from pos_app.db.repositories.audit import AuditRepository
from pos_app.db.repositories.catalog import CatalogRepository
from pos_app.db.repositories.orders import OrderRepository
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.db.repositories.payments import PaymentRepository
from pos_app.db.repositories.printing import PrintingRepository
from pos_app.db.repositories.refunds import RefundRepository
from pos_app.db.repositories.settings import SettingsRepository
from pos_app.db.repositories.shifts import ShiftRepository
from pos_app.db.repositories.staff import StaffRepository


class UnitOfWork:
    def __init__(self, session: Session) -> None:
        self.session = session

    @cached_property
    def settings(self) -> SettingsRepository:
        return SettingsRepository(self.session)

    @cached_property
    def catalog(self) -> CatalogRepository:
        return CatalogRepository(self.session)

    @cached_property
    def orders(self) -> OrderRepository:
        return OrderRepository(self.session)

    @cached_property
    def staff(self) -> StaffRepository:
        return StaffRepository(self.session)

    @cached_property
    def shifts(self) -> ShiftRepository:
        return ShiftRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session)

    @cached_property
    def payments(self) -> PaymentRepository:
        return PaymentRepository(self.session)

    @cached_property
    def refunds(self) -> RefundRepository:
        return RefundRepository(self.session)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.session)

    @cached_property
    def printing(self) -> PrintingRepository:
        return PrintingRepository(self.session)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: if the block raises, only its own writes are undone.

        For work that must never take the surrounding transaction down with it (queueing a
        receipt inside the sale that caused it).
        """
        with self.session.begin_nested():
            yield

    def flush(self) -> None:
        self.session.flush()
