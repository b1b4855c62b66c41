"""Customers who asked for receipts or updates: contact details only with their consent."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_app.db.models import CustomerRow, OrderRow
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.ids import uuid7


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find_or_add(
        self,
        *,
        email: str | None = None,
        phone: str | None = None,
        name: str | None = None,
        email_consent: bool = False,
        sms_consent: bool = False,
    ) -> UUID:
        query = select(CustomerRow)
        if email:
            query = query.where(CustomerRow.email == email)
        elif phone:
            query = query.where(CustomerRow.phone == phone)
        else:
            raise ValueError("a customer needs an email address or a phone number")
        row = self.session.scalar(query.limit(1))
        if row is None:
            row = CustomerRow(
                id=uuid7(),
                name=name,
                email=email,
                phone=phone,
                email_consent=email_consent,
                sms_consent=sms_consent,
            )
            self.session.add(row)
            self.session.flush()
        else:
            row.email_consent = row.email_consent or email_consent
            row.sms_consent = row.sms_consent or sms_consent
            if name and not row.name:
                row.name = name
        OutboxRepository(self.session).record_customer(row)
        return row.id

    def contact(self, customer_id: UUID) -> tuple[str | None, str | None, bool, bool] | None:
        """(email, phone, email consent, SMS consent) of a customer."""
        row = self.session.get(CustomerRow, customer_id)
        if row is None:
            return None
        return row.email, row.phone, row.email_consent, row.sms_consent

    def attach_to_order(self, order_id: UUID, customer_id: UUID, *, replace: bool = False) -> None:
        """Make the customer the order's; `replace` also when it has one already."""
        condition = [OrderRow.id == order_id]
        if not replace:
            condition.append(OrderRow.customer_id.is_(None))
        self.session.execute(
            update(OrderRow)
            .where(*condition)
            .values(customer_id=customer_id)
            .execution_options(synchronize_session=False)
        )
