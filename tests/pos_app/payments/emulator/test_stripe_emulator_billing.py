"""Billing against the emulator: customers, saved cards, invoices, retries, credit notes.

What the platform needs to bill each shop its monthly fee (issue 23), driven through the
official SDK over loopback HTTP as the server will drive Stripe, with raw HTTP where the wire
matters (idempotent replays, the hosted invoice page). Every request is checked against
Stripe's OpenAPI description: the fixtures fail a test that sent one Stripe would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.emulator.openapi_check import OpenAPIChecker
from tests.support.stripe_emulator_fixtures import (
    WebhookReceiver,
    assert_emulator_clean,
    make_stripe_client,
    require_openapi_spec,
)

pytestmark = pytest.mark.stripe_emulator

DAY = 86400
BILLING_EVENTS = ("customer.", "invoice.", "credit_note.", "payment_method.")


def legacy(obj: stripe.StripeObject, name: str) -> Any:
    """A field of API version 2023-08-16 (what the emulator and the app speak) that the SDK's
    types, written for a newer version, no longer declare (`Invoice.charge`, `.paid`,
    `.payment_intent`, `CreditNote.refund`, `Charge.invoice`): read by key."""
    return obj[name]


def tenant_of(obj: stripe.Customer | stripe.Invoice) -> str:
    assert obj.metadata is not None
    return str(obj.metadata["tenant_id"])


def default_card(customer: stripe.Customer) -> str | None:
    assert customer.invoice_settings is not None
    default = customer.invoice_settings.default_payment_method
    return default if isinstance(default, str) or default is None else default.id


def billing_events(emulator: StripeEmulator) -> list[str]:
    return [event["type"] for event in emulator.events if event["type"].startswith(BILLING_EVENTS)]


def shop_customer(
    client: stripe.StripeClient, tenant: str = "t-1", card: str | None = "pm_card_visa"
) -> stripe.Customer:
    """The platform's customer for one shop, with its card as the default for invoices."""
    if card is None:
        return client.v1.customers.create(
            params={
                "email": f"owner@{tenant}.example",
                "name": f"Shop {tenant}",
                "metadata": {"tenant_id": tenant},
            }
        )
    return client.v1.customers.create(
        params={
            "email": f"owner@{tenant}.example",
            "name": f"Shop {tenant}",
            "metadata": {"tenant_id": tenant},
            "payment_method": card,
            "invoice_settings": {"default_payment_method": card},
        }
    )


def fee_invoice(
    client: stripe.StripeClient,
    customer_id: str,
    amount: int,
    *,
    period: str = "2026-11",
    tenant: str = "t-1",
    auto_advance: bool = False,
) -> stripe.Invoice:
    """A draft invoice for one month's fee: one invoice item pulled in from pending."""
    client.v1.invoice_items.create(
        params={
            "customer": customer_id,
            "amount": amount,
            "currency": "usd",
            "description": f"Platform fee {period}",
            "metadata": {"period": period},
        }
    )
    return client.v1.invoices.create(
        params={
            "customer": customer_id,
            "collection_method": "charge_automatically",
            "auto_advance": auto_advance,
            "pending_invoice_items_behavior": "include",
            "description": f"Counter POS fee, {period}",
            "metadata": {"tenant_id": tenant, "period": period},
        }
    )


def test_a_customer_with_a_saved_card_pays_a_finalized_invoice(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    require_openapi_spec()
    customer = shop_customer(stripe_client, card=None)
    assert (customer.email, customer.name, tenant_of(customer)) == (
        "owner@t-1.example",
        "Shop t-1",
        "t-1",
    )
    card = stripe_client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    assert card.id.startswith("pm_")
    assert card.id != "pm_card_visa"  # a test PaymentMethod attaches as a fresh copy
    assert card.customer == customer.id
    assert card.card is not None
    assert (card.card.brand, card.card.last4) == ("visa", "4242")
    customer = stripe_client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": card.id}}
    )
    assert default_card(customer) == card.id
    listed = stripe_client.v1.payment_methods.list(params={"customer": customer.id})
    assert [pm.id for pm in listed.data] == [card.id]

    draft = fee_invoice(stripe_client, customer.id, 1234)
    assert draft.status == "draft"
    assert (draft.total, draft.amount_due, draft.currency) == (1234, 1234, "usd")
    assert [line.amount for line in draft.lines.data] == [1234]
    assert draft.number is None
    assert draft.hosted_invoice_url is None

    opened = stripe_client.v1.invoices.finalize_invoice(draft.id)
    assert opened.status == "open"
    assert opened.number is not None
    assert re.fullmatch(r"[0-9A-F]{8}-0001", opened.number)
    assert opened.hosted_invoice_url is not None
    assert opened.hosted_invoice_url.startswith(stripe_emulator.base_url)
    assert opened.attempt_count == 0
    assert opened.due_date is None
    assert isinstance(legacy(opened, "payment_intent"), str)

    paid = stripe_client.v1.invoices.pay(draft.id)
    assert (paid.status, legacy(paid, "paid"), paid.amount_paid, paid.amount_remaining) == (
        "paid",
        True,
        1234,
        0,
    )
    assert paid.attempt_count == 1
    assert paid.status_transitions.paid_at is not None
    assert isinstance(legacy(paid, "charge"), str)
    charge = stripe_client.v1.charges.retrieve(legacy(paid, "charge"))
    assert (charge.amount, charge.status, charge.captured) == (1234, "succeeded", True)
    assert (charge.customer, legacy(charge, "invoice"), charge.payment_method) == (
        customer.id,
        draft.id,
        card.id,
    )
    intent = stripe_client.v1.payment_intents.retrieve(legacy(opened, "payment_intent"))
    assert (intent.status, intent.amount_received) == ("succeeded", 1234)

    assert billing_events(stripe_emulator) == [
        "customer.created",
        "payment_method.attached",
        "customer.updated",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
    ]
    # Checked against Stripe's description, every one of them.
    assert stripe_emulator.checker is not None
    billing_requests = [r for r in stripe_emulator.requests if "/v1/" in r.path]
    assert len(billing_requests) == 10
    assert all(r.spec_violations == [] and r.status == 200 for r in billing_requests)


def test_a_card_set_when_the_customer_is_created_is_its_default(
    stripe_client: stripe.StripeClient,
) -> None:
    customer = shop_customer(stripe_client, card="pm_card_mastercard")
    default = default_card(customer)
    assert isinstance(default, str)
    assert default.startswith("pm_")
    assert default != "pm_card_mastercard"
    card = stripe_client.v1.payment_methods.retrieve(default)
    assert card.card is not None
    assert (card.customer, card.card.last4) == (customer.id, "4444")
    found = stripe_client.v1.customers.list(params={"email": "owner@t-1.example"})
    assert [c.id for c in found.data] == [customer.id]


def test_a_declining_card_fails_when_attached_but_charge_customer_fail_attaches(
    stripe_client: stripe.StripeClient,
) -> None:
    customer = shop_customer(stripe_client, card=None)
    with pytest.raises(stripe.CardError) as declined:
        stripe_client.v1.payment_methods.attach(
            "pm_card_chargeDeclinedInsufficientFunds", params={"customer": customer.id}
        )
    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"
    assert declined.value.error is not None
    assert declined.value.error.decline_code == "insufficient_funds"
    token_card = stripe_client.v1.payment_methods.create(
        params={"type": "card", "card": {"token": "tok_chargeCustomerFail"}}
    )
    assert token_card.customer is None
    attached = stripe_client.v1.payment_methods.attach(
        token_card.id, params={"customer": customer.id}
    )
    assert attached.customer == customer.id
    detached = stripe_client.v1.payment_methods.detach(token_card.id)
    assert detached.customer is None
    with pytest.raises(stripe.InvalidRequestError) as missing:
        stripe_client.v1.payment_methods.create(
            params={"type": "card", "card": {"token": "tok_nonsense"}}
        )
    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")


def test_a_card_failing_then_a_new_default_card_paying_on_the_retry(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = shop_customer(stripe_client, card="pm_card_chargeCustomerFail")
    invoice = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 4200).id
    )

    with pytest.raises(stripe.CardError) as declined:
        stripe_client.v1.invoices.pay(invoice.id)
    assert (declined.value.http_status, declined.value.code) == (402, "card_declined")
    assert declined.value.error is not None
    assert declined.value.error.decline_code == "generic_decline"
    failed = stripe_client.v1.invoices.retrieve(invoice.id)
    assert (failed.status, failed.attempt_count, failed.attempted) == ("open", 1, True)
    assert failed.amount_remaining == 4200
    # Without auto_advance Stripe does not collect by itself: no retry is planned.
    assert failed.next_payment_attempt is None
    assert isinstance(legacy(failed, "charge"), str)
    assert stripe_client.v1.charges.retrieve(legacy(failed, "charge")).status == "failed"
    assert stripe_client.v1.customers.retrieve(customer.id).delinquent is True

    good = stripe_client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    stripe_client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": good.id}}
    )
    paid = stripe_client.v1.invoices.pay(invoice.id)
    assert (paid.status, paid.attempt_count, paid.amount_paid) == ("paid", 2, 4200)
    assert stripe_client.v1.customers.retrieve(customer.id).delinquent is False
    types = billing_events(stripe_emulator)
    assert types[types.index("invoice.finalized") :] == [
        "invoice.finalized",
        "invoice.payment_failed",
        "payment_method.attached",
        "customer.updated",
        "invoice.paid",
        "invoice.payment_succeeded",
    ]


def test_automatic_collection_retries_on_schedule_and_charges_the_swapped_card(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = shop_customer(stripe_client, card="pm_card_chargeCustomerFail")
    draft = fee_invoice(stripe_client, customer.id, 2500, auto_advance=True)
    finalized_at = stripe_emulator.now()
    stripe_client.v1.invoices.finalize_invoice(draft.id)  # collected right after
    failed = stripe_client.v1.invoices.retrieve(draft.id)
    assert (failed.status, failed.attempt_count) == ("open", 1)
    assert failed.next_payment_attempt is not None
    assert abs(failed.next_payment_attempt - (finalized_at + 3 * DAY)) < 5

    good = stripe_client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    stripe_client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": good.id}}
    )
    stripe_emulator.advance_clock(2 * DAY)
    assert stripe_client.v1.invoices.retrieve(draft.id).attempt_count == 1  # not yet
    stripe_emulator.advance_clock(1 * DAY + 10)
    paid = stripe_client.v1.invoices.retrieve(draft.id)
    assert (paid.status, paid.attempt_count, paid.next_payment_attempt) == ("paid", 2, None)
    assert isinstance(legacy(paid, "charge"), str)
    assert stripe_client.v1.charges.retrieve(legacy(paid, "charge")).payment_method == good.id
    failed_events = stripe_emulator.events_of_type("invoice.payment_failed")
    assert [e["data"]["object"]["attempt_count"] for e in failed_events] == [1]
    assert [e["request"]["id"] for e in stripe_emulator.events_of_type("invoice.paid")] == [None]


def test_a_card_failing_for_good_leaves_the_invoice_uncollectible(
    make_stripe_emulator: Callable[..., StripeEmulator],
) -> None:
    emulator = make_stripe_emulator(invoice_retry_days=(1, 2))
    client, http_client = make_stripe_client(emulator)
    try:
        customer = shop_customer(client, card="pm_card_chargeCustomerFail")
        draft = fee_invoice(client, customer.id, 900, auto_advance=True)
        client.v1.invoices.finalize_invoice(draft.id)
        first = client.v1.invoices.retrieve(draft.id)
        assert (first.attempt_count, first.status) == (1, "open")
        assert first.next_payment_attempt is not None
        emulator.advance_clock(1 * DAY + 10)
        second = client.v1.invoices.retrieve(draft.id)
        assert (second.attempt_count, second.status) == (2, "open")
        assert second.next_payment_attempt is not None
        gap = second.next_payment_attempt - first.next_payment_attempt
        assert gap == pytest.approx(2 * DAY + 10, abs=5)  # retry_days: after the previous one
        emulator.advance_clock(2 * DAY + 10)
        final = client.v1.invoices.retrieve(draft.id)
        assert (final.attempt_count, final.status, final.next_payment_attempt) == (
            3,
            "uncollectible",
            None,
        )
        assert final.status_transitions.marked_uncollectible_at is not None
        emulator.advance_clock(30 * DAY)
        assert client.v1.invoices.retrieve(draft.id).attempt_count == 3
        types = billing_events(emulator)
        assert types[types.index("invoice.finalized") :] == [
            "invoice.finalized",
            "invoice.payment_failed",
            "invoice.payment_failed",
            "invoice.payment_failed",
            "invoice.marked_uncollectible",
        ]
        listed = client.v1.invoices.list(
            params={"customer": customer.id, "status": "uncollectible"}
        )
        assert [i.id for i in listed.data] == [draft.id]
        # An uncollectible invoice can still be paid, and can be voided.
        good = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
        paid = client.v1.invoices.pay(draft.id, params={"payment_method": good.id})
        assert (paid.status, paid.amount_paid) == ("paid", 900)
    finally:
        http_client.close()


def test_voiding_and_the_state_machine_refusals(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = shop_customer(stripe_client)
    invoice = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 700).id
    )
    with pytest.raises(stripe.InvalidRequestError) as again:
        stripe_client.v1.invoices.finalize_invoice(invoice.id)
    assert (again.value.http_status, again.value.code) == (400, "invoice_not_editable")
    with pytest.raises(stripe.InvalidRequestError) as frozen:
        stripe_client.v1.invoices.update(invoice.id, params={"collection_method": "send_invoice"})
    assert frozen.value.code == "invoice_not_editable"

    voided = stripe_client.v1.invoices.void_invoice(invoice.id)
    assert voided.status == "void"
    assert voided.status_transitions.voided_at is not None
    assert isinstance(legacy(voided, "payment_intent"), str)
    assert (
        stripe_client.v1.payment_intents.retrieve(legacy(voided, "payment_intent")).status
        == "canceled"
    )
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.invoices.pay(invoice.id)
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.invoices.mark_uncollectible(invoice.id)

    paid = stripe_client.v1.invoices.pay(fee_invoice(stripe_client, customer.id, 800).id)
    assert paid.status == "paid"  # a draft is finalized, then paid
    with pytest.raises(stripe.InvalidRequestError) as not_voidable:
        stripe_client.v1.invoices.void_invoice(paid.id)
    assert not_voidable.value.http_status == 400
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.invoices.pay(paid.id)

    draft = fee_invoice(stripe_client, customer.id, 900)
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.invoices.void_invoice(draft.id)
    deleted = stripe_client.v1.invoices.delete(draft.id)
    assert deleted.deleted is True
    pending = stripe_client.v1.invoice_items.list(params={"customer": customer.id, "pending": True})
    assert [item.amount for item in pending.data] == [900]  # back to pending
    with pytest.raises(stripe.InvalidRequestError) as gone:
        stripe_client.v1.invoices.retrieve(draft.id)
    assert (gone.value.http_status, gone.value.code) == (404, "resource_missing")
    assert "invoice.voided" in billing_events(stripe_emulator)


def test_credit_notes_lower_what_is_due_or_are_allotted_once_paid(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = shop_customer(stripe_client)
    invoice = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 5000).id
    )
    note = stripe_client.v1.credit_notes.create(
        params={
            "invoice": invoice.id,
            "amount": 1500,
            "reason": "order_change",
            "memo": "November adjustment",
            "metadata": {"adjustment_id": "adj-1"},
        }
    )
    assert (note.amount, note.total, note.status, note.type) == (
        1500,
        1500,
        "issued",
        "pre_payment",
    )
    assert note.number == f"{invoice.number}-CN-01"
    credited = stripe_client.v1.invoices.retrieve(invoice.id)
    assert (credited.total, credited.amount_due, credited.amount_remaining) == (5000, 3500, 3500)
    assert credited.pre_payment_credit_notes_amount == 1500

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        stripe_client.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 3501})
    assert too_much.value.param == "amount"

    voided = stripe_client.v1.credit_notes.void_credit_note(note.id)
    assert voided.status == "void"
    assert stripe_client.v1.invoices.retrieve(invoice.id).amount_due == 5000
    line_id = invoice.lines.data[0].id
    by_line = stripe_client.v1.credit_notes.create(
        params={
            "invoice": invoice.id,
            "lines": [{"type": "invoice_line_item", "invoice_line_item": line_id, "amount": 1000}],
        }
    )
    assert by_line.amount == 1000
    assert by_line.lines.data[0].invoice_line_item == line_id

    paid = stripe_client.v1.invoices.pay(invoice.id)
    assert (paid.amount_paid, paid.status) == (4000, "paid")
    assert isinstance(legacy(paid, "charge"), str)
    assert stripe_client.v1.charges.retrieve(legacy(paid, "charge")).amount == 4000

    with pytest.raises(stripe.InvalidRequestError) as unallotted:
        stripe_client.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 500})
    assert unallotted.value.param == "amount"
    after = stripe_client.v1.credit_notes.create(
        params={
            "invoice": invoice.id,
            "amount": 700,
            "credit_amount": 400,
            "out_of_band_amount": 300,
        }
    )
    assert (after.type, after.out_of_band_amount) == ("post_payment", 300)
    assert stripe_client.v1.customers.retrieve(customer.id).balance == -400
    assert stripe_client.v1.invoices.retrieve(invoice.id).post_payment_credit_notes_amount == 700
    refunded = stripe_client.v1.credit_notes.create(
        params={"invoice": invoice.id, "amount": 250, "refund_amount": 250}
    )
    assert isinstance(legacy(refunded, "refund"), str)
    assert stripe_client.v1.refunds.retrieve(legacy(refunded, "refund")).amount == 250
    assert stripe_client.v1.charges.retrieve(legacy(paid, "charge")).amount_refunded == 250

    listed = stripe_client.v1.credit_notes.list(params={"invoice": invoice.id})
    assert [n.id for n in listed.data] == [refunded.id, after.id, by_line.id, note.id]

    # The customer's credit comes off the next invoice at finalization.
    following = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 1000, period="2026-12").id
    )
    assert (following.total, following.starting_balance, following.amount_due) == (
        1000,
        -400,
        600,
    )
    assert following.ending_balance == 0
    assert stripe_client.v1.customers.retrieve(customer.id).balance == 0
    assert stripe_emulator.events_of_type("credit_note.created")[0]["data"]["object"]["id"] == (
        note.id
    )


def test_an_invoice_credited_to_zero_is_paid(stripe_client: stripe.StripeClient) -> None:
    customer = shop_customer(stripe_client)
    invoice = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 600).id
    )
    stripe_client.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 600})
    settled = stripe_client.v1.invoices.retrieve(invoice.id)
    assert (settled.status, settled.amount_remaining, settled.amount_paid) == ("paid", 0, 0)


def test_a_disputed_invoice_payment_is_not_refunded_by_a_credit_note(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = shop_customer(stripe_client)
    paid = stripe_client.v1.invoices.pay(fee_invoice(stripe_client, customer.id, 3000).id)
    stripe_emulator.create_dispute(legacy(paid, "charge"), reason="unrecognized")
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe_client.v1.credit_notes.create(
            params={"invoice": paid.id, "amount": 3000, "refund_amount": 3000}
        )
    assert refused.value.code == "charge_disputed"
    assert stripe_client.v1.credit_notes.list(params={"invoice": paid.id}).data == []
    note = stripe_client.v1.credit_notes.create(
        params={"invoice": paid.id, "amount": 3000, "out_of_band_amount": 3000}
    )
    with pytest.raises(stripe.InvalidRequestError) as not_voidable:
        stripe_client.v1.credit_notes.void_credit_note(note.id)
    assert not_voidable.value.http_status == 400


def test_a_fee_below_the_minimum_charge_is_carried_to_the_next_invoice(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = shop_customer(stripe_client)
    small = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 30).id
    )
    assert (small.status, small.amount_paid, small.ending_balance) == ("paid", 0, 30)
    assert legacy(small, "charge") is None
    assert stripe_client.v1.customers.retrieve(customer.id).balance == 30
    following = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 1000, period="2026-12").id
    )
    assert (following.starting_balance, following.amount_due) == (30, 1030)
    assert stripe_emulator.events_of_type("invoice.payment_succeeded")[0]["data"]["object"][
        "id"
    ] == (small.id)


def test_idempotent_retries_of_creates_return_the_same_objects(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer_params: stripe.params.CustomerCreateParams = {
        "email": "owner@t-7.example",
        "metadata": {"tenant_id": "t-7"},
        "payment_method": "pm_card_visa",
        "invoice_settings": {"default_payment_method": "pm_card_visa"},
    }
    first = stripe_client.v1.customers.create(
        params=customer_params, options={"idempotency_key": "customer-t-7"}
    )
    again = stripe_client.v1.customers.create(
        params=customer_params, options={"idempotency_key": "customer-t-7"}
    )
    assert again.id == first.id
    assert again.last_response is not None
    assert again.last_response.headers.get("Idempotent-Replayed") == "true"
    assert list(stripe_emulator.customers) == [first.id]

    with httpx.Client(
        base_url=stripe_emulator.base_url,
        headers={"Authorization": f"Bearer {stripe_emulator.test_key}"},
        timeout=5,
    ) as raw:
        item_form = {"customer": first.id, "amount": "1500", "currency": "usd"}
        items = [
            raw.post("/v1/invoiceitems", data=item_form, headers={"Idempotency-Key": "ii-t-7"})
            for _ in range(2)
        ]
        assert items[0].json()["id"] == items[1].json()["id"]
        form = {
            "customer": first.id,
            "pending_invoice_items_behavior": "include",
            "metadata[tenant_id]": "t-7",
            "metadata[period]": "2026-11",
        }
        created = raw.post("/v1/invoices", data=form, headers={"Idempotency-Key": "in-t-7"})
        replayed = raw.post("/v1/invoices", data=form, headers={"Idempotency-Key": "in-t-7"})
        assert created.status_code == replayed.status_code == 200
        assert replayed.content == created.content
        assert replayed.headers["Idempotent-Replayed"] == "true"
        changed = raw.post(
            "/v1/invoices",
            data={**form, "metadata[period]": "2026-12"},
            headers={"Idempotency-Key": "in-t-7"},
        )
        assert changed.status_code == 400
        assert changed.json()["error"]["type"] == "idempotency_error"
        invoice_id = created.json()["id"]
        finalized = [
            raw.post(f"/v1/invoices/{invoice_id}/finalize", headers={"Idempotency-Key": "fin-1"})
            for _ in range(2)
        ]
        assert [r.status_code for r in finalized] == [200, 200]
        assert finalized[1].headers["Idempotent-Replayed"] == "true"
        paid = [
            raw.post(f"/v1/invoices/{invoice_id}/pay", headers={"Idempotency-Key": "pay-1"})
            for _ in range(2)
        ]
        assert paid[0].content == paid[1].content
        assert paid[1].json()["status"] == "paid"
    assert list(stripe_emulator.invoices) == [invoice_id]
    assert len(stripe_emulator.invoice_items) == 1
    assert len(stripe_emulator.events_of_type("invoice.paid")) == 1
    assert len([c for c in stripe_emulator.charges.values() if c["invoice"] == invoice_id]) == 1


def test_search_by_metadata_finds_the_customer_and_invoice_after_a_crash(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    """A close-period run that died after Stripe made the objects (its answers lost) finds
    them again by the metadata written with them, days after the idempotency keys expired."""
    for tenant in ("t-8", "t-9"):
        customer = shop_customer(stripe_client, tenant)
        fee_invoice(stripe_client, customer.id, 1100, tenant=tenant)
    stripe_emulator.advance_clock(3 * DAY)
    client, http_client = make_stripe_client(stripe_emulator)  # a new process, say
    try:
        customers = client.v1.customers.search(params={"query": "metadata['tenant_id']:'t-9'"})
        assert [tenant_of(c) for c in customers.data] == ["t-9"]
        found = client.v1.invoices.search(
            params={"query": f"customer:'{customers.data[0].id}' AND metadata['period']:'2026-11'"}
        )
        assert len(found.data) == 1
        assert tenant_of(found.data[0]) == "t-9"
        by_tenant = client.v1.invoices.search(
            params={"query": "metadata['tenant_id']:'t-8' AND status:'draft'"}
        )
        assert [tenant_of(i) for i in by_tenant.data] == ["t-8"]
        with pytest.raises(stripe.InvalidRequestError) as bad:
            client.v1.invoices.search(params={"query": "colour:'red'"})
        assert bad.value.param == "query"
    finally:
        http_client.close()


def test_the_hosted_invoice_page_shows_the_invoice_and_pays_it(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = shop_customer(stripe_client, card=None)
    stripe_client.v1.invoice_items.create(
        params={"customer": customer.id, "amount": 2599, "currency": "usd", "description": "Fee"}
    )
    draft = stripe_client.v1.invoices.create(
        params={
            "customer": customer.id,
            "collection_method": "send_invoice",
            "days_until_due": 30,
            "pending_invoice_items_behavior": "include",
        }
    )
    invoice = stripe_client.v1.invoices.finalize_invoice(draft.id)
    assert invoice.status_transitions.finalized_at is not None
    assert invoice.due_date == invoice.status_transitions.finalized_at + 30 * DAY
    sent = stripe_client.v1.invoices.send_invoice(invoice.id)
    assert sent.status == "open"
    url = invoice.hosted_invoice_url
    assert url is not None
    with httpx.Client(timeout=5) as browser:
        page = browser.get(url)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "$25.99" in page.text
        assert '<strong class="status">open</strong>' in page.text
        assert "<button" in page.text
        declined = browser.post(f"{url}/pay", data={"payment_method": "pm_card_chargeCustomerFail"})
        assert declined.status_code == 402
        assert "Your card was declined." in declined.text
        assert stripe_client.v1.invoices.retrieve(invoice.id).status == "open"
        paid_page = browser.post(f"{url}/pay", data={"payment_method": "pm_card_visa"})
        assert paid_page.status_code == 200
        assert '<strong class="status">paid</strong>' in paid_page.text
        assert "<button" not in paid_page.text
        assert browser.get(f"{stripe_emulator.base_url}/i/in_nothing").status_code == 404
    paid = stripe_client.v1.invoices.retrieve(invoice.id)
    assert (paid.status, paid.amount_paid, paid.attempt_count) == ("paid", 2599, 2)
    cards = stripe_client.v1.customers.payment_methods.list(customer.id)
    assert len(cards.data) == 2


def test_events_reach_a_webhook_endpoint_in_order_and_signed(
    stripe_client: stripe.StripeClient,
    stripe_emulator: StripeEmulator,
    webhook_receiver: WebhookReceiver,
) -> None:
    secret = stripe_emulator.add_webhook_endpoint(
        webhook_receiver.url,
        enabled_events=["customer.created", "invoice.*", "credit_note.created"],
    )
    customer = shop_customer(stripe_client, card="pm_card_chargeCustomerFail")
    invoice = stripe_client.v1.invoices.finalize_invoice(
        fee_invoice(stripe_client, customer.id, 3000, auto_advance=True).id
    )
    stripe_client.v1.credit_notes.create(params={"invoice": invoice.id, "amount": 500})
    good = stripe_client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    stripe_client.v1.invoices.update(invoice.id, params={"default_payment_method": good.id})
    stripe_emulator.advance_clock(3 * DAY + 10)
    expected = [
        "customer.created",
        "invoice.created",
        "invoice.finalized",
        "invoice.payment_failed",
        "credit_note.created",
        "invoice.updated",
        "invoice.paid",
        "invoice.payment_succeeded",
    ]
    received = webhook_receiver.wait_for(len(expected))
    assert webhook_receiver.event_types() == expected
    last = received[-1]
    event = stripe.Webhook.construct_event(
        last.body.decode(), last.headers["Stripe-Signature"], secret
    )
    assert event.data.object["amount_paid"] == 2500
    assert event.data.object["attempt_count"] == 2


@pytest.fixture
def checked_emulators(
    stripe_openapi_checker: OpenAPIChecker | None,
) -> Iterator[Callable[[Path], StripeEmulator]]:
    made: list[StripeEmulator] = []

    def make(data_dir: Path) -> StripeEmulator:
        emulator = StripeEmulator(data_dir=data_dir, openapi_spec=stripe_openapi_checker).start()
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.stop()
        assert_emulator_clean(emulator)


def test_billing_objects_keys_and_retries_survive_a_restart(
    tmp_path: Path, checked_emulators: Callable[[Path], StripeEmulator]
) -> None:
    first = checked_emulators(tmp_path)
    client, http_client = make_stripe_client(first)
    try:
        customer = shop_customer(client, card="pm_card_chargeCustomerFail")
        draft = fee_invoice(client, customer.id, 1999, auto_advance=True)
        client.v1.invoices.finalize_invoice(draft.id, options={"idempotency_key": "fin-t-1"})
        note = client.v1.credit_notes.create(params={"invoice": draft.id, "amount": 999})
        failed = client.v1.invoices.retrieve(draft.id)
        assert (failed.attempt_count, failed.amount_remaining) == (1, 1000)
    finally:
        http_client.close()
        first.stop()

    second = checked_emulators(tmp_path)
    client, http_client = make_stripe_client(second)
    try:
        again = client.v1.invoices.finalize_invoice(
            draft.id, options={"idempotency_key": "fin-t-1"}
        )
        assert again.last_response is not None
        assert again.last_response.headers.get("Idempotent-Replayed") == "true"
        kept = client.v1.invoices.retrieve(draft.id)
        assert (kept.status, kept.number, kept.next_payment_attempt) == (
            "open",
            failed.number,
            failed.next_payment_attempt,
        )
        assert client.v1.credit_notes.retrieve(note.id).amount == 999
        assert tenant_of(client.v1.customers.retrieve(customer.id)) == "t-1"
        good = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
        client.v1.customers.update(
            customer.id, params={"invoice_settings": {"default_payment_method": good.id}}
        )
        second.advance_clock(3 * DAY + 10)  # the retry planned before the restart still runs
        paid = client.v1.invoices.retrieve(draft.id)
        assert (paid.status, paid.attempt_count, paid.amount_paid) == ("paid", 2, 1000)
    finally:
        http_client.close()


def test_requests_stripe_would_refuse_are_refused_with_its_codes(
    stripe_emulator: StripeEmulator,
) -> None:
    require_openapi_spec()
    with httpx.Client(
        base_url=stripe_emulator.base_url,
        headers={"Authorization": f"Bearer {stripe_emulator.test_key}"},
        timeout=5,
    ) as raw:
        unknown = raw.post("/v1/invoices", data={"customer": "cus_1", "colour": "red"})
        nested = raw.post(
            "/v1/customers", data={"invoice_settings[default_payment_methods]": "pm_1"}
        )
        bad_enum = raw.get("/v1/invoices", params={"status": "overdue"})
        missing = raw.post("/v1/credit_notes", data={"amount": "100"})
        no_customer = raw.post("/v1/invoices", data={})
    assert unknown.status_code == nested.status_code == 400
    assert (unknown.json()["error"]["code"], unknown.json()["error"]["param"]) == (
        "parameter_unknown",
        "colour",
    )
    assert nested.json()["error"]["param"] == "invoice_settings[default_payment_methods]"
    assert bad_enum.status_code == 400
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "parameter_missing")
    assert (no_customer.status_code, no_customer.json()["error"]["param"]) == (400, "customer")
    refused = stripe_emulator.take_spec_violations()
    assert [(v.method, v.path) for v in refused] == [
        ("POST", "/v1/invoices"),
        ("POST", "/v1/customers"),
        ("GET", "/v1/invoices"),
        ("POST", "/v1/credit_notes"),
    ]
