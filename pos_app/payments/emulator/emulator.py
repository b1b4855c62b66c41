"""`StripeEmulator`: builds the pieces, runs the server thread, exposes the test controls."""

from __future__ import annotations

import functools
import html
import json
import os
import threading
import traceback
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from pos_app.payments.emulator.api import StripeAPI
from pos_app.payments.emulator.billing import DEFAULT_RETRY_DAYS, HOSTED_PATH, Billing
from pos_app.payments.emulator.checkout import CHECKOUT_PATH, Checkout
from pos_app.payments.emulator.clock import EmulatorClock, Scheduler
from pos_app.payments.emulator.credit_notes import CreditNotes
from pos_app.payments.emulator.customers import Customers
from pos_app.payments.emulator.disputes import Disputes
from pos_app.payments.emulator.errors import StripeError
from pos_app.payments.emulator.events import (
    DeliveryAttempt,
    EventLog,
    WebhookDispatcher,
    WebhookEndpoint,
    new_webhook_secret,
)
from pos_app.payments.emulator.faults import FaultInjector
from pos_app.payments.emulator.idempotency import IdempotencyStore
from pos_app.payments.emulator.openapi_check import OpenAPIChecker, Violation
from pos_app.payments.emulator.payments import Payments
from pos_app.payments.emulator.persist import DiskState
from pos_app.payments.emulator.server import EmulatorHTTPServer, RecordedRequest
from pos_app.payments.emulator.store import JSONObject, Store
from pos_app.payments.emulator.terminal import ReaderRuntime, Terminal

TEST_KEY = "sk_test_emulator_51Counter0POS0Local0Key"
# Stripe's Terminal guide: manually captured card_present payments must be captured within
# two days or the authorization expires and the funds are released.
CARD_PRESENT_AUTH_VALIDITY_SECONDS = 2 * 86400


class SpecViolation:
    """A request that Stripe's published API description would not accept."""

    def __init__(self, method: str, path: str, violations: Sequence[Violation]) -> None:
        self.method = method
        self.path = path
        self.messages = [violation.message for violation in violations]

    def __repr__(self) -> str:
        return f"SpecViolation({self.method} {self.path}: {'; '.join(self.messages)})"


class StripeEmulator:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        auto_present_delay: float | None = None,
        openapi_spec: OpenAPIChecker | str | os.PathLike[str] | None = None,
        webhook_endpoints: Iterable[tuple[str, str] | WebhookEndpoint] = (),
        latency: float = 0.0,
        reader_action_timeout: float | None = 300.0,
        authorization_delay: float = 0.0,
        auth_validity_seconds: float = CARD_PRESENT_AUTH_VALIDITY_SECONDS,
        search_delay: float = 0.0,
        webhook_retry_delays: Sequence[float] = (0.25, 0.5, 1.0, 2.0, 4.0),
        max_recorded_requests: int = 10_000,
        data_dir: str | os.PathLike[str] | None = None,
        invoice_retry_days: Sequence[float] = DEFAULT_RETRY_DAYS,
        invoice_final_action: str = "mark_uncollectible",
    ) -> None:
        self.host = host
        self.port = port
        self.latency = latency
        self.test_key = TEST_KEY
        self.clock = EmulatorClock()
        self.store = Store(self.clock)
        self.scheduler = Scheduler(self.clock, self._internal_error)
        endpoints = [
            e if isinstance(e, WebhookEndpoint) else WebhookEndpoint(e[0], e[1])
            for e in webhook_endpoints
        ]
        self.webhooks = WebhookDispatcher(self.store, endpoints, retry_delays=webhook_retry_delays)
        self.event_log = EventLog(self.store, self.webhooks)
        self.payments_api = Payments(
            self.store,
            self.event_log,
            self.scheduler.call_at,
            auth_validity_seconds=auth_validity_seconds,
            search_delay=search_delay,
        )
        self.terminal = Terminal(
            self.store,
            self.event_log,
            self.payments_api,
            self.scheduler.call_at,
            action_timeout=reader_action_timeout,
            auto_present_delay=auto_present_delay,
            authorization_delay=authorization_delay,
        )
        self.disputes_api = Disputes(
            self.store, self.event_log, self.payments_api, self.scheduler.call_at
        )
        self.customers_api = Customers(self.store, self.event_log, search_delay=search_delay)
        self.billing_api = Billing(
            self.store,
            self.event_log,
            self.payments_api,
            self.customers_api,
            self.scheduler.call_at,
            lambda: self.base_url,
            retry_days=invoice_retry_days,
            final_action=invoice_final_action,
            search_delay=search_delay,
        )
        self.credit_notes_api = CreditNotes(
            self.store, self.event_log, self.billing_api, self.disputes_api.charge_blocks_refund
        )
        self.checkout_api = Checkout(
            self.store,
            self.event_log,
            self.customers_api,
            self.scheduler.call_at,
            lambda: self.base_url,
        )
        self.api = StripeAPI(
            self.store,
            self.payments_api,
            self.terminal,
            self.disputes_api,
            self.customers_api,
            self.billing_api,
            self.credit_notes_api,
            self.checkout_api,
        )
        self.idempotency = IdempotencyStore(self.clock)
        self.faults = FaultInjector()
        if openapi_spec is None or isinstance(openapi_spec, OpenAPIChecker):
            self.checker = openapi_spec
        else:
            self.checker = OpenAPIChecker.load(Path(openapi_spec))
        self._requests: deque[RecordedRequest] = deque(maxlen=max_recorded_requests)
        self._violations: list[SpecViolation] = []
        self.internal_errors: list[str] = []
        self._record_lock = threading.Lock()
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.disk = DiskState(Path(data_dir)) if data_dir is not None else None
        if self.disk is not None:
            self.disk.load(self)
            self._resume_timers()
            self.scheduler.after_run = self.save

    def save(self) -> None:
        """Writes what changed to the data directory (if any); the server calls it."""
        if self.disk is not None:
            self.disk.save(self)

    def _resume_timers(self) -> None:
        """After a restart: readers answer again; authorizations and disputes keep expiring;
        invoices keep being finalized and retried."""
        with self.store.lock:
            for reader in self.store.all("tmr"):
                self.terminal.runtime[reader["id"]] = ReaderRuntime()
                action = reader["action"]
                if (
                    action
                    and action["type"] == "process_payment_intent"
                    and action["status"] == "in_progress"
                ):
                    pi_id = action["process_payment_intent"]["payment_intent"]
                    self.payments_api.on_reader[pi_id] = reader["id"]
            for pi in self.store.all("pi"):
                charge = self.store.find(pi["latest_charge"])
                if pi["status"] != "requires_capture" or charge is None:
                    continue
                details = charge["payment_method_details"].get("card_present") or {}
                if "capture_before" in details:
                    self.scheduler.call_at(
                        details["capture_before"],
                        functools.partial(
                            self.payments_api._expire_authorization, pi["id"], charge["id"]
                        ),
                    )
            for dispute in self.store.all("du"):
                if dispute["status"] in ("needs_response", "warning_needs_response"):
                    self.scheduler.call_at(
                        dispute["evidence_details"]["due_by"],
                        functools.partial(self.disputes_api._due, dispute["id"]),
                    )
            self.billing_api.resume_timers()
            self.checkout_api.resume_timers()

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> StripeEmulator:
        if self._server is not None:
            return self
        server = EmulatorHTTPServer((self.host, self.port), self)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="stripe-emulator-http",
            daemon=True,
        )
        self._thread.start()
        self.scheduler.start()
        self.webhooks.start()
        return self

    def stop(self) -> None:
        server = self._server
        if server is None:
            return
        self._server = None
        server.shutdown()
        server.close_open_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.scheduler.stop()
        self.webhooks.stop()
        if self.disk is not None:
            self.disk.save(self)

    def __enter__(self) -> StripeEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # -- recording -----------------------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> None:
        with self._record_lock:
            self._requests.append(request)

    def _spec_violation(self, method: str, path: str, violations: Sequence[Violation]) -> None:
        with self._record_lock:
            self._violations.append(SpecViolation(method, path, violations))

    def _internal_error(self, error: BaseException) -> None:
        with self._record_lock:
            self.internal_errors.append("".join(traceback.format_exception(error)))

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._record_lock:
            return list(self._requests)

    @property
    def spec_violations(self) -> list[SpecViolation]:
        with self._record_lock:
            return list(self._violations)

    def take_spec_violations(self) -> list[SpecViolation]:
        """Returns and forgets the violations: for tests that send bad requests on purpose."""
        with self._record_lock:
            taken, self._violations = self._violations, []
            return taken

    def clear_requests(self) -> None:
        with self._record_lock:
            self._requests.clear()

    # -- read access for assertions (snapshots, taken under the lock) ------------------------
    def _snapshot(self, prefix: str) -> dict[str, JSONObject]:
        with self.store.lock:
            return {obj["id"]: Store.snapshot(obj) for obj in self.store.all(prefix)}

    def get(self, object_id: str) -> JSONObject | None:
        with self.store.lock:
            obj = self.store.find(object_id)
            return Store.snapshot(obj) if obj is not None else None

    @property
    def payment_intents(self) -> dict[str, JSONObject]:
        return self._snapshot("pi")

    @property
    def charges(self) -> dict[str, JSONObject]:
        return self._snapshot("ch")

    @property
    def refunds(self) -> dict[str, JSONObject]:
        return self._snapshot("re")

    @property
    def readers(self) -> dict[str, JSONObject]:
        return self._snapshot("tmr")

    @property
    def locations(self) -> dict[str, JSONObject]:
        return self._snapshot("tml")

    @property
    def disputes(self) -> dict[str, JSONObject]:
        return self._snapshot("du")

    @property
    def customers(self) -> dict[str, JSONObject]:
        return self._snapshot("cus")

    @property
    def invoices(self) -> dict[str, JSONObject]:
        return self._snapshot("in")

    @property
    def invoice_items(self) -> dict[str, JSONObject]:
        return self._snapshot("ii")

    @property
    def credit_notes(self) -> dict[str, JSONObject]:
        return self._snapshot("cn")

    @property
    def checkout_sessions(self) -> dict[str, JSONObject]:
        return self._snapshot("cs")

    @property
    def setup_intents(self) -> dict[str, JSONObject]:
        return self._snapshot("seti")

    @property
    def payment_methods(self) -> dict[str, JSONObject]:
        return self._snapshot("pm")

    @property
    def events(self) -> list[JSONObject]:
        """Every event so far, oldest first."""
        return list(self._snapshot("evt").values())

    def events_of_type(self, event_type: str) -> list[JSONObject]:
        return [event for event in self.events if event["type"] == event_type]

    @property
    def state(self) -> dict[str, Any]:
        return {
            "payment_intents": self.payment_intents,
            "charges": self.charges,
            "refunds": self.refunds,
            "readers": self.readers,
            "locations": self.locations,
            "disputes": self.disputes,
            "customers": self.customers,
            "invoices": self.invoices,
            "invoice_items": self.invoice_items,
            "credit_notes": self.credit_notes,
            "events": self.events,
        }

    # -- test controls -----------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> None:
        """Move emulator time forward and run whatever became due (auth expiry, timeouts)."""
        self.clock.advance(seconds)
        self.idempotency.prune()
        self.scheduler.run_due()

    def now(self) -> float:
        return self.clock.now()

    def set_latency(self, seconds: float) -> None:
        self.latency = seconds

    def set_reader_online(self, reader_id: str, online: bool) -> None:
        with self.store.lock:
            self.terminal.set_online(reader_id, online)

    def set_reader_busy(self, reader_id: str, busy: bool) -> None:
        """Busy as when installing an update: every command answers terminal_reader_busy."""
        with self.store.lock:
            self.terminal.set_busy(reader_id, busy)

    def add_reader_fault(self, reader_id: str, kind: str, times: int = 1) -> None:
        """Reader-side failures for the next commands/payments on this reader:

        - ack_timeout: the next command answers terminal_reader_timeout, not delivered.
        - ack_timeout_delivered: terminal_reader_timeout, but the reader got it (false negative).
        - connection_error: the next card presented fails with connection_error, no charge.
        - connection_error_after_auth: the card is authorized, yet the action fails with
          connection_error (check the PaymentIntent!).
        """
        with self.store.lock:
            self.terminal.add_fault(reader_id, kind, times)

    def customer_cancel(self, reader_id: str) -> JSONObject:
        """The customer presses Cancel on the reader screen."""
        with self.store.lock:
            return Store.snapshot(self.terminal.customer_cancel(reader_id))

    def present_card(self, reader_id: str, number: str | None = None, tip: int = 0) -> JSONObject:
        """Same as the present_payment_method test helper, without HTTP."""
        from pos_app.payments.emulator.forms import Params
        from pos_app.payments.emulator.store import AUTOMATIC

        data: dict[str, Any] = {}
        if number:
            data["card_present"] = {"number": number}
        if tip:
            data["amount_tip"] = str(tip)
        with self.store.lock:
            reader = self.terminal.present_payment_method(reader_id, Params(data), AUTOMATIC)
            return Store.snapshot(reader)

    def create_dispute(
        self,
        charge_or_pi_id: str,
        reason: str = "fraudulent",
        amount: int | None = None,
        *,
        inquiry: bool = False,
    ) -> JSONObject:
        with self.store.lock:
            return Store.snapshot(
                self.disputes_api.create(
                    charge_or_pi_id, reason=reason, amount=amount, inquiry=inquiry
                )
            )

    def resolve_dispute(self, dispute_id: str, won: bool) -> JSONObject:
        with self.store.lock:
            return Store.snapshot(self.disputes_api.resolve(dispute_id, won=won))

    # -- webhooks ------------------------------------------------------------------------------
    def add_webhook_endpoint(
        self, url: str, secret: str | None = None, enabled_events: Sequence[str] | None = None
    ) -> str:
        """Registers an endpoint; returns its signing secret (`whsec_...`)."""
        secret = secret or new_webhook_secret()
        self.webhooks.add_endpoint(
            WebhookEndpoint(url, secret, tuple(enabled_events) if enabled_events else None)
        )
        return secret

    def redeliver(self, event_id: str) -> None:
        with self.store.lock:
            self.store.get("evt", event_id)
        self.webhooks.redeliver(event_id)

    def deliver_shuffled(self, event_ids: Sequence[str], seed: int | None = None) -> list[str]:
        """Deliver these events again in a random order; returns the order used."""
        return self.webhooks.deliver_batch(event_ids, seed=seed)

    def pause_webhooks(self) -> None:
        self.webhooks.pause()

    def resume_webhooks(self) -> None:
        self.webhooks.resume()

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        return self.webhooks.wait_idle(timeout)

    @property
    def webhook_attempts(self) -> list[DeliveryAttempt]:
        return list(self.webhooks.attempts)

    # -- the hosted invoice page (/i/{invoice}: what `hosted_invoice_url` points at) ----------
    def _hosted_invoice(self, method: str, path: str, body: bytes) -> tuple[int, str]:
        """Returns (status, HTML). POST .../pay pays with the card picked in the form (a test
        PaymentMethod such as pm_card_visa) and answers with the page as it now is."""
        from urllib.parse import parse_qs

        parts = path[len(HOSTED_PATH) :].split("/")
        invoice_id = parts[0]
        try:
            with self.store.lock:
                if method == "POST" and parts[1:] == ["pay"]:
                    form = parse_qs(body.decode("utf-8", errors="replace"))
                    reference = (form.get("payment_method") or ["pm_card_visa"])[0]
                    problem = self.billing_api.pay_from_hosted_page(invoice_id, reference)
                    page = self.billing_api.hosted_page(invoice_id, problem)
                    status = 402 if problem else 200
                elif method == "GET" and len(parts) == 1:
                    page, status = self.billing_api.hosted_page(invoice_id), 200
                else:
                    return 404, "<!doctype html><p>Not found</p>"
        except StripeError as error:
            return error.status, f"<!doctype html><p>{html.escape(error.message)}</p>"
        finally:
            self.save()
        return status, page

    # -- the hosted Checkout page (/c/pay/{session}: what a session's `url` points at) ---------
    def _hosted_checkout(
        self, method: str, path: str, body: bytes
    ) -> tuple[int, str, dict[str, str]]:
        """Returns (status, HTML, headers). POST .../confirm saves the card picked in the form
        (a test card number) and redirects (303) to the session's success_url; a declined
        card answers the page again with the card's message (402). POST .../cancel redirects
        (303) to its cancel_url."""
        from urllib.parse import parse_qs

        parts = path[len(CHECKOUT_PATH) :].split("/")
        session_id = parts[0]
        try:
            with self.store.lock:
                if method == "POST" and parts[1:] == ["confirm"]:
                    form = parse_qs(body.decode("utf-8", errors="replace"))
                    number = (form.get("card") or [""])[0]
                    problem, target = self.checkout_api.confirm_from_hosted_page(session_id, number)
                    if problem is None:
                        return 303, "", {"Location": target}
                    return 402, self.checkout_api.hosted_page(session_id, problem), {}
                if method == "POST" and parts[1:] == ["cancel"]:
                    target = self.checkout_api.cancel_from_hosted_page(session_id)
                    return 303, "", {"Location": target}
                if method == "GET" and len(parts) == 1:
                    return 200, self.checkout_api.hosted_page(session_id), {}
                return 404, "<!doctype html><p>Not found</p>", {}
        except StripeError as error:
            return error.status, f"<!doctype html><p>{html.escape(error.message)}</p>", {}
        finally:
            self.save()

    # -- HTTP control endpoints (/_emulator/...) ---------------------------------------------
    def _control(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        try:
            data: dict[str, Any] = json.loads(body) if body else {}
            answer = self._control_dispatch(method, path.split("/")[2:], data)
            self.save()
            return 200, answer
        except (KeyError, ValueError, TypeError) as error:
            return 400, {"error": {"type": "emulator_control_error", "message": str(error)}}
        except Exception as error:  # the API's own errors (e.g. resource_missing)
            status = getattr(error, "status", 500)
            message = getattr(error, "message", str(error))
            return status, {"error": {"type": "emulator_control_error", "message": message}}

    def _control_dispatch(self, method: str, parts: list[str], data: dict[str, Any]) -> Any:
        route = (method, *parts)
        match route:
            case ("GET", "health"):
                return {"ok": True, "base_url": self.base_url, "test_key": self.test_key}
            case ("POST", "clock", "advance"):
                self.advance_clock(float(data["seconds"]))
                return {"now": self.now()}
            case ("POST", "latency"):
                self.set_latency(float(data["seconds"]))
                return {"latency": self.latency}
            case ("POST", "faults"):
                rule = self.faults.add(**data)
                return {"kind": rule.kind, "method": rule.method, "path": rule.path}
            case ("DELETE", "faults"):
                self.faults.clear()
                return {"cleared": True}
            case ("POST", "readers", reader_id, "online"):
                self.set_reader_online(reader_id, bool(data.get("online", True)))
                return {"reader": reader_id, "online": bool(data.get("online", True))}
            case ("POST", "readers", reader_id, "busy"):
                self.set_reader_busy(reader_id, bool(data.get("busy", True)))
                return {"reader": reader_id, "busy": bool(data.get("busy", True))}
            case ("POST", "readers", reader_id, "customer_cancel"):
                return self.customer_cancel(reader_id)
            case ("POST", "readers", reader_id, "faults"):
                self.add_reader_fault(reader_id, str(data["kind"]), int(data.get("times", 1)))
                return {"reader": reader_id, "fault": data["kind"]}
            case ("POST", "disputes"):
                return self.create_dispute(
                    str(data["charge"]),
                    str(data.get("reason", "fraudulent")),
                    data.get("amount"),
                    inquiry=bool(data.get("inquiry", False)),
                )
            case ("POST", "disputes", dispute_id, "resolve"):
                return self.resolve_dispute(dispute_id, bool(data["won"]))
            case ("POST", "events", event_id, "redeliver"):
                self.redeliver(event_id)
                return {"redelivered": event_id}
            case ("POST", "events", "deliver_shuffled"):
                return {"order": self.deliver_shuffled(list(data["events"]), data.get("seed"))}
            case ("POST", "webhook_endpoints"):
                secret = self.add_webhook_endpoint(
                    str(data["url"]), data.get("secret"), data.get("enabled_events")
                )
                return {"url": data["url"], "secret": secret}
            case ("GET", "requests"):
                return [
                    {
                        "method": r.method,
                        "path": r.path,
                        "query": r.query,
                        "params": r.params,
                        "status": r.status,
                        "request_id": r.request_id,
                        "idempotency_key": r.idempotency_key,
                        "replayed": r.replayed,
                        "fault": r.fault,
                    }
                    for r in self.requests
                ]
            case ("GET", "spec_violations"):
                return [
                    {"method": v.method, "path": v.path, "messages": v.messages}
                    for v in self.spec_violations
                ]
        raise KeyError(f"unknown emulator control: {method} /_emulator/{'/'.join(parts)}")
