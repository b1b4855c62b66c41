"""Disputes: created by a test control (the cardholder's bank), answered through the API.

Lifecycle: needs_response (funds withdrawn with the dispute fee) -> under_review (evidence
submitted) -> won (funds and fee reinstated) | lost. An inquiry starts as
warning_needs_response -> warning_under_review -> warning_closed, or escalates to a
chargeback. Closing a dispute concedes it (needs_response -> lost). At `evidence_details.due_by`
staged evidence is submitted automatically, otherwise the dispute is marked past due.

Callers hold `store.lock` for every public method here.
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.payments.emulator.errors import invalid_request
from pos_app.payments.emulator.events import EventLog
from pos_app.payments.emulator.forms import Params, merge_metadata
from pos_app.payments.emulator.payments import Payments
from pos_app.payments.emulator.store import AUTOMATIC, JSONObject, RequestContext, Store, new_id

EVIDENCE_FIELDS = (
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
)
REASONS = (
    "bank_cannot_process",
    "check_returned",
    "credit_not_processed",
    "customer_initiated",
    "debit_not_authorized",
    "duplicate",
    "fraudulent",
    "general",
    "incorrect_account_details",
    "insufficient_funds",
    "product_not_received",
    "product_unacceptable",
    "subscription_canceled",
    "unrecognized",
)
NETWORK_REASON_CODES = {"fraudulent": "10.4", "product_not_received": "13.1", "duplicate": "12.6.1"}
DISPUTE_FEES = {"usd": 1500, "eur": 2000, "gbp": 2000, "cad": 1500, "aud": 2500}
CLOSED = ("won", "lost", "warning_closed")
RESPONSE_WINDOW_SECONDS = 7 * 86400


class Disputes:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        payments: Payments,
        schedule: Callable[[float, Callable[[], None]], None],
    ) -> None:
        self.store = store
        self.events = events
        self.payments = payments
        self.schedule = schedule

    def charge_blocks_refund(self, charge: JSONObject) -> bool:
        return any(
            dispute["charge"] == charge["id"] and not dispute["is_charge_refundable"]
            for dispute in self.store.all("du")
        )

    # -- the cardholder's side (test control) ------------------------------------------------
    def create(
        self,
        charge_or_payment_intent: str,
        *,
        reason: str = "fraudulent",
        amount: int | None = None,
        inquiry: bool = False,
    ) -> JSONObject:
        if reason not in REASONS:
            raise ValueError(f"unknown dispute reason {reason!r}")
        if charge_or_payment_intent.startswith("pi_"):
            pi = self.store.get("pi", charge_or_payment_intent)
            charge = self.store.get("ch", pi["latest_charge"])
        else:
            charge = self.store.get("ch", charge_or_payment_intent)
        if not charge["captured"]:
            raise ValueError(
                f"charge {charge['id']} is not captured; only payments can be disputed"
            )
        if any(d["charge"] == charge["id"] for d in self.store.all("du")):
            raise ValueError(f"charge {charge['id']} is already disputed")
        amount = charge["amount_captured"] if amount is None else amount
        now = self.store.clock.timestamp()
        card = charge["payment_method_details"].get("card_present") or {}
        dispute: JSONObject = {
            "id": new_id("du"),
            "object": "dispute",
            "amount": amount,
            "balance_transactions": [],
            "charge": charge["id"],
            "created": now,
            "currency": charge["currency"],
            "evidence": dict.fromkeys(EVIDENCE_FIELDS),
            "evidence_details": {
                "due_by": now + RESPONSE_WINDOW_SECONDS,
                "has_evidence": False,
                "past_due": False,
                "submission_count": 0,
            },
            "is_charge_refundable": inquiry,
            "livemode": False,
            "metadata": {},
            "payment_intent": charge["payment_intent"],
            "payment_method_details": {
                "card": {
                    "brand": card.get("brand"),
                    "network_reason_code": NETWORK_REASON_CODES.get(reason, "13.7"),
                },
                "type": "card",
            },
            "reason": reason,
            "status": "warning_needs_response" if inquiry else "needs_response",
        }
        self.store.add(dispute)
        charge["disputed"] = True
        self.events.emit("charge.dispute.created", dispute, AUTOMATIC)
        if not inquiry:
            self._withdraw(dispute)
        dispute_id = dispute["id"]
        self.schedule(dispute["evidence_details"]["due_by"], lambda: self._due(dispute_id))
        return dispute

    def _withdraw(self, dispute: JSONObject) -> None:
        fee = DISPUTE_FEES.get(dispute["currency"], 1500)
        txn = self.payments._balance_transaction(
            -dispute["amount"],
            dispute["currency"],
            dispute["id"],
            "adjustment",
            "dispute",
            fee=fee,
            description=f"Chargeback withdrawal for {dispute['charge']}",
        )
        dispute["balance_transactions"].append(Store.snapshot(txn))
        dispute["is_charge_refundable"] = False
        self.events.emit("charge.dispute.funds_withdrawn", dispute, AUTOMATIC)

    def resolve(self, dispute_id: str, *, won: bool) -> JSONObject:
        """The bank decides. An inquiry that goes against the merchant becomes a chargeback."""
        dispute = self.store.get("du", dispute_id)
        status = dispute["status"]
        if status in CLOSED:
            raise ValueError(f"dispute {dispute_id} is already closed ({status})")
        previous = {"status": status}
        if status.startswith("warning_"):
            if won:
                dispute["status"] = "warning_closed"
                self.events.emit("charge.dispute.closed", dispute, AUTOMATIC, previous)
            else:
                dispute["status"] = "needs_response"
                self.events.emit("charge.dispute.updated", dispute, AUTOMATIC, previous)
                self._withdraw(dispute)
            return dispute
        if won:
            dispute["status"] = "won"
            withdrawn = (
                dispute["balance_transactions"][0] if dispute["balance_transactions"] else None
            )
            fee = withdrawn["fee"] if withdrawn else 0
            txn = self.payments._balance_transaction(
                dispute["amount"],
                dispute["currency"],
                dispute["id"],
                "adjustment",
                "dispute_reversal",
                fee=-fee,
                description=f"Chargeback reversal for {dispute['charge']}",
            )
            dispute["balance_transactions"].append(Store.snapshot(txn))
            self.events.emit("charge.dispute.closed", dispute, AUTOMATIC, previous)
            self.events.emit("charge.dispute.funds_reinstated", dispute, AUTOMATIC)
        else:
            dispute["status"] = "lost"
            self.events.emit("charge.dispute.closed", dispute, AUTOMATIC, previous)
        return dispute

    def _due(self, dispute_id: str) -> None:
        with self.store.lock:
            dispute = self.store.find(dispute_id)
            if dispute is None or dispute["status"] not in (
                "needs_response",
                "warning_needs_response",
            ):
                return
            previous = {
                "evidence_details": dict(dispute["evidence_details"]),
                "status": dispute["status"],
            }
            dispute["evidence_details"]["past_due"] = True
            if dispute["evidence_details"]["has_evidence"]:
                self._submit(dispute)
            self.events.emit("charge.dispute.updated", dispute, AUTOMATIC, previous)

    # -- the merchant's side (API) ---------------------------------------------------------
    def get(self, dispute_id: str) -> JSONObject:
        return self.store.get("du", dispute_id, "dispute")

    def list(self, params: Params) -> JSONObject:
        charge = params.get_str("charge")
        payment_intent = params.get_str("payment_intent")
        return self.store.list_page(
            "du",
            params,
            "/v1/disputes",
            lambda d: (
                (charge is None or d["charge"] == charge)
                and (payment_intent is None or d["payment_intent"] == payment_intent)
            ),
        )

    def update(self, dispute_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        dispute = self.get(dispute_id)
        evidence = params.get_dict("evidence")
        submit = params.get_bool("submit")
        metadata = params.metadata()
        previous: JSONObject = {}
        if evidence or submit:
            if dispute["status"] in CLOSED:
                raise invalid_request(
                    f"This dispute is already closed ({dispute['status']}); its evidence can no "
                    "longer be changed.",
                    param="evidence" if evidence else "submit",
                )
            if dispute["status"] in ("under_review", "warning_under_review"):
                raise invalid_request(
                    "This dispute's evidence was already submitted and is under review; it can "
                    "no longer be changed.",
                    param="evidence" if evidence else "submit",
                )
            if dispute["evidence_details"]["past_due"]:
                raise invalid_request(
                    "The deadline to respond to this dispute has passed.",
                    param="evidence" if evidence else "submit",
                )
        if evidence:
            previous["evidence"] = dict(dispute["evidence"])
            for name, value in evidence.items():  # names and types checked by accepted.py
                dispute["evidence"][name] = value or None
            dispute["evidence_details"]["has_evidence"] = any(
                value is not None for value in dispute["evidence"].values()
            )
        if metadata is not None:
            previous["metadata"] = dispute["metadata"]
            dispute["metadata"] = merge_metadata(dispute["metadata"], metadata)
        if submit:
            previous["status"] = dispute["status"]
            self._submit(dispute)
        if previous:
            self.events.emit("charge.dispute.updated", dispute, ctx, previous)
        return dispute

    @staticmethod
    def _submit(dispute: JSONObject) -> None:
        dispute["status"] = (
            "warning_under_review" if dispute["status"].startswith("warning_") else "under_review"
        )
        dispute["evidence_details"]["submission_count"] += 1

    def close(self, dispute_id: str, ctx: RequestContext) -> JSONObject:
        dispute = self.get(dispute_id)
        status = dispute["status"]
        if status not in ("needs_response", "warning_needs_response"):
            raise invalid_request(
                f"This dispute has a status of {status} and cannot be closed. Only disputes "
                "that need a response (needs_response, warning_needs_response) can be closed.",
            )
        dispute["status"] = "warning_closed" if status.startswith("warning_") else "lost"
        self.events.emit("charge.dispute.closed", dispute, ctx, {"status": status})
        return dispute
