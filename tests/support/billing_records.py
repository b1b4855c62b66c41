"""A shop's fee invoices as billing leaves them (rows written directly, as the owner's database
would hold them after invoicing and the payment webhooks): for pages that show them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from sync_server.config import Settings
from sync_server.tenants.schemas import Tenant


def seed_invoices(settings: Settings, tenant: Tenant, *, past_due: bool = True) -> list[uuid.UUID]:
    """January paid, February's card failing for 20 days (past due when `past_due`, else it
    failed yesterday), March carried (below the minimum charge). Returns their ids."""
    now = datetime.now(UTC)
    failed = now - (timedelta(days=20) if past_due else timedelta(days=1))
    currency = tenant.currency
    rows = [
        ("2026-01", 1250, "paid", now - timedelta(days=40), None, "in_jan"),
        ("2026-02", 980, "open", None, failed, "in_feb"),
        ("2026-03", 0, "carried", None, None, None),
    ]
    ids = []
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            for period, amount, status, paid_at, failed_at, stripe_id in rows:
                invoice_id = uuid.uuid4()
                ids.append(invoice_id)
                conn.execute(
                    text(
                        "INSERT INTO billing_invoices (tenant_id, id, period, currency, "
                        "fee_minor, charge_minor, credit_minor, carried_out_minor, description, "
                        "status, step, stripe_invoice_id, hosted_invoice_url, "
                        "stripe_attempt_count, paid_at, first_failed_at) VALUES (:t, :i, :p, :c, "
                        ":fee, :charge, 0, :out, 'fee', :s, 'done', :sid, :url, :n, :paid, :ff)"
                    ),
                    {
                        "t": tenant.id,
                        "i": invoice_id,
                        "p": period,
                        "c": currency,
                        "fee": amount or 30,
                        "charge": amount,
                        "out": 0 if amount else 30,
                        "s": status,
                        "sid": stripe_id and f"{stripe_id}_{tenant.slug}",
                        "url": stripe_id
                        and f"https://invoice.stripe.test/i/{stripe_id}_{tenant.slug}",
                        "n": 2 if failed_at else 1,
                        "paid": paid_at,
                        "ff": failed_at,
                    },
                )
    finally:
        engine.dispose()
    return ids
