"""Disputes, events and webhook delivery to a real loopback receiver, verified with the SDK."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from tests.support.stripe_emulator_fixtures import WebhookReceiver, make_stripe_client
from tests.support.stripe_emulator_flows import captured_payment, create_payment_intent

pytestmark = pytest.mark.stripe_emulator


def test_dispute_lifecycle_submit_evidence_and_win(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    payment_intent = captured_payment(stripe_client, 4200)
    created = stripe_emulator.create_dispute(payment_intent.id, reason="product_not_received")
    assert created["id"].startswith("du_")
    dispute = stripe_client.v1.disputes.retrieve(created["id"])
    assert (dispute.status, dispute.amount, dispute.reason) == (
        "needs_response",
        4200,
        "product_not_received",
    )
    assert dispute.payment_intent == payment_intent.id
    assert dispute.charge == payment_intent.latest_charge
    assert dispute.evidence_details.due_by is not None
    assert dispute.evidence_details.due_by > dispute.created
    assert dispute.is_charge_refundable is False
    withdrawal = dispute.balance_transactions[0]
    assert (withdrawal.amount, withdrawal.fee) == (-4200, 1500)
    assert isinstance(payment_intent.latest_charge, str)
    assert stripe_client.v1.charges.retrieve(payment_intent.latest_charge).disputed is True

    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.refunds.create(params={"payment_intent": payment_intent.id})
    assert raised.value.code == "charge_disputed"

    staged = stripe_client.v1.disputes.update(
        dispute.id,
        params={
            "evidence": {"uncategorized_text": "Collected at the counter", "receipt": ""},
            "metadata": {"case": "c-1"},
        },
    )
    assert staged.status == "needs_response"
    assert staged.evidence.uncategorized_text == "Collected at the counter"
    assert staged.evidence_details.has_evidence is True
    submitted = stripe_client.v1.disputes.update(dispute.id, params={"submit": True})
    assert submitted.status == "under_review"
    assert submitted.evidence_details.submission_count == 1
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.disputes.update(dispute.id, params={"evidence": {"customer_name": "Late"}})

    stripe_emulator.resolve_dispute(dispute.id, won=True)
    won = stripe_client.v1.disputes.retrieve(dispute.id)
    assert won.status == "won"
    assert [t.amount for t in won.balance_transactions] == [-4200, 4200]
    assert [
        e["type"] for e in stripe_emulator.events if e["type"].startswith("charge.dispute")
    ] == [
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.updated",
        "charge.dispute.updated",
        "charge.dispute.closed",
        "charge.dispute.funds_reinstated",
    ]
    listed = stripe_client.v1.disputes.list(params={"payment_intent": payment_intent.id})
    assert [d.id for d in listed.data] == [dispute.id]


def test_closing_a_dispute_concedes_it(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    payment_intent = captured_payment(stripe_client)
    dispute_id = stripe_emulator.create_dispute(payment_intent.id)["id"]
    closed = stripe_client.v1.disputes.close(dispute_id)
    assert closed.status == "lost"
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.disputes.close(dispute_id)


def test_inquiry_stays_refundable_and_can_escalate(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    payment_intent = captured_payment(stripe_client)
    inquiry = stripe_emulator.create_dispute(payment_intent.id, reason="general", inquiry=True)
    assert inquiry["status"] == "warning_needs_response"
    assert inquiry["is_charge_refundable"] is True
    assert inquiry["balance_transactions"] == []
    escalated = stripe_emulator.resolve_dispute(inquiry["id"], won=False)
    assert escalated["status"] == "needs_response"
    assert escalated["is_charge_refundable"] is False


def test_unanswered_dispute_goes_past_due_and_staged_evidence_is_submitted(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    silent = stripe_emulator.create_dispute(captured_payment(stripe_client).id)
    staged = stripe_emulator.create_dispute(captured_payment(stripe_client).id)
    stripe_client.v1.disputes.update(
        staged["id"], params={"evidence": {"uncategorized_text": "Receipt attached"}}
    )
    stripe_emulator.advance_clock(8 * 86400)
    assert stripe_client.v1.disputes.retrieve(silent["id"]).evidence_details.past_due is True
    assert stripe_client.v1.disputes.retrieve(staged["id"]).status == "under_review"


def test_events_api_lists_and_retrieves(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    payment_intent = captured_payment(stripe_client)
    succeeded = stripe_client.v1.events.list(params={"type": "payment_intent.succeeded"})
    assert len(succeeded.data) == 1
    event = succeeded.data[0]
    assert event.id.startswith("evt_")
    assert event.api_version == "2023-08-16"
    assert event.livemode is False
    assert event.request is not None
    assert event.request.id is not None
    assert event.request.id.startswith("req_")
    assert event.request.idempotency_key
    assert event.data.object["id"] == payment_intent.id
    assert stripe_client.v1.events.retrieve(event.id).type == "payment_intent.succeeded"
    charges = stripe_client.v1.events.list(params={"type": "charge.*"})
    assert {e.type for e in charges.data} == {"charge.succeeded", "charge.captured"}


def test_webhooks_are_delivered_signed_as_stripe_signs_them(
    webhook_receiver: WebhookReceiver, make_stripe_emulator: Callable[..., StripeEmulator]
) -> None:
    secret = "whsec_test_counter_pos"
    with make_stripe_emulator(webhook_endpoints=[(webhook_receiver.url, secret)]) as emulator:
        client, http = make_stripe_client(emulator)
        payment_intent = captured_payment(client, 1500)
        expected = [event["type"] for event in emulator.events]
        received = webhook_receiver.wait_for(len(expected))
        http.close()
    assert [item.event["type"] for item in received] == expected
    for item in received:
        event = stripe.Webhook.construct_event(
            item.body.decode(), item.headers["Stripe-Signature"], secret
        )
        assert event.id.startswith("evt_")
        assert item.headers["Content-Type"].startswith("application/json")
    succeeded = next(i for i in received if i.event["type"] == "payment_intent.succeeded")
    assert succeeded.event["data"]["object"]["id"] == payment_intent.id
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            received[0].body.decode(), received[0].headers["Stripe-Signature"], "whsec_wrong"
        )


def test_failed_deliveries_are_retried_with_backoff(
    webhook_receiver: WebhookReceiver, make_stripe_emulator: Callable[..., StripeEmulator]
) -> None:
    webhook_receiver.statuses = [500, 503]
    with make_stripe_emulator(webhook_retry_delays=(0.05, 0.1, 0.2)) as emulator:
        emulator.add_webhook_endpoint(webhook_receiver.url, "whsec_retry")
        client, http = make_stripe_client(emulator)
        payment_intent = create_payment_intent(client)
        received = webhook_receiver.wait_for(1)
        assert emulator.wait_for_webhooks()
        attempts = [(a.attempt, a.status) for a in emulator.webhook_attempts]
        event = emulator.events[0]
        http.close()
    assert attempts == [(1, 500), (2, 503), (3, 200)]
    assert received[0].event["data"]["object"]["id"] == payment_intent.id
    assert event["pending_webhooks"] == 0


def test_redelivery_and_shuffled_batches(
    webhook_receiver: WebhookReceiver, make_stripe_emulator: Callable[..., StripeEmulator]
) -> None:
    with make_stripe_emulator() as emulator:
        emulator.add_webhook_endpoint(webhook_receiver.url, "whsec_dupes")
        client, http = make_stripe_client(emulator)
        captured_payment(client)
        event_ids = [event["id"] for event in emulator.events]
        webhook_receiver.wait_for(len(event_ids))
        emulator.redeliver(event_ids[0])
        webhook_receiver.wait_for(len(event_ids) + 1)
        order = emulator.deliver_shuffled(event_ids, seed=3)
        received = webhook_receiver.wait_for(2 * len(event_ids) + 1)
        http.close()
    ids = [item.event["id"] for item in received]
    assert ids[len(event_ids)] == event_ids[0]  # the duplicate
    assert ids[len(event_ids) + 1 :] == order
    assert order != event_ids
    assert sorted(order) == sorted(event_ids)


def test_paused_webhooks_wait(
    webhook_receiver: WebhookReceiver, make_stripe_emulator: Callable[..., StripeEmulator]
) -> None:
    with make_stripe_emulator(webhook_endpoints=[(webhook_receiver.url, "whsec_p")]) as emulator:
        emulator.pause_webhooks()
        client, http = make_stripe_client(emulator)
        create_payment_intent(client)
        time.sleep(0.2)
        assert webhook_receiver.received == []
        emulator.resume_webhooks()
        assert len(webhook_receiver.wait_for(1)) == 1
        http.close()
