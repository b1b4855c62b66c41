"""Register ↔ server sync: pairing, pushing the outbox, pulling the shop's shared data, and the
background loop that does both with exponential backoff and jitter.

Push is at-least-once over the network and exactly-once in effect: the server stores each
device sequence number once and acknowledges the longest stored prefix; the register marks
entries pushed only up to that acknowledgement. Pull applies a page of changes and moves the
cursor in one local transaction, so a crash never applies a page twice or skips one.

Selling never waits for any of this: the loop runs on its own thread and its database writes
are short transactions.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from pos_app.db.database import Database
from pos_app.db.repositories.remote import RemoteChangeRepository
from pos_app.db.uow import UnitOfWork
from pos_app.db.worker import WORKER, allow_writes_here
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import DomainError, ValidationError
from pos_app.domain.fee_invoices import FeeInvoices, fee_invoices_from
from pos_app.domain.ids import uuid7
from pos_app.domain.outbox import RefusedEntry
from pos_app.domain.pricing import TaxMode
from pos_app.domain.shop import Shop
from pos_app.integrations.secrets import DEVICE_TOKEN, SecretStore
from pos_app.integrations.sync_client import SyncClient, SyncError, SyncErrorKind
from pos_app.services import refunds

log = logging.getLogger(__name__)

PUSH_BATCH = 500
PULL_PAGE = 500

# sync_state keys (no secret is ever kept there: the token lives in the keyring)
SERVER_URL = "server_url"
DEVICE_ID = "device_id"
TENANT = "tenant"
SEQ_BASE = "seq_base"
PULL_CURSOR = "pull_cursor"
LAST_SUCCESS = "last_success_at"
LAST_ERROR = "last_error"
OFFLINE_SINCE = "offline_since"
REVOKED_AT = "revoked_at"
"""When the server refused this register's token (revoked): it must be paired again."""
INSTALL_ID = "install_id"
"""This register install's own id, made once and never changed: the server knows the stock
movements recorded under any of its device ids (before a re-pairing) as its own."""
OWNER_INVITE = "owner_invite_pending"
"""The owner invitation being sent (`{"email", "key", "at"}`), recorded before the request: a
retry, or the manager's next try after a timeout or a crash, sends the same idempotency key for
the same email, so the server never mails a second link for it. Cleared once the server
answered. Reused only within `INVITE_RETRY_WINDOW` of being recorded: a try days later is a new
invitation (the old one's link may have expired), not a replay of the lost one."""
INVITE_RETRY_WINDOW = timedelta(hours=1)
FEE_INVOICES = "fee_invoices"
"""The server's last answer about the shop's fee invoices (JSON) and when it came."""
FEE_INVOICES_EVERY = timedelta(hours=1)
"""How often a sync round also reads the fee invoices again (a past-due state changes over
days; the back office's button reads them at once)."""
SHOP_TENANT_ID = "shop_tenant_id"
"""The server shop whose data this database holds, from its first pairing on; unpairing keeps
it, so a copied or unpaired data dir is still refused by another shop."""


UNPAIRED_ON_SERVER = (
    "this register was unpaired on the server: pair it again with "
    "`pos-app pair --server URL --code CODE` (a new code from `sync-server devices pair-code`); "
    "its sales are kept and sent after pairing"
)


class WrongShop(ValidationError):
    """The register holds another shop's data (or sells in another currency)."""


class SyncUnavailable(DomainError):
    """This register is not paired (or its token is gone)."""


class InviteProblem(StrEnum):
    NOT_PAIRED = "not_paired"
    UNPAIRED_ON_SERVER = "unpaired_on_server"
    OFFLINE = "offline"
    REFUSED = "refused"
    TOO_MANY = "too_many"
    SERVER = "server"


class OwnerInviteFailed(DomainError):
    """The owner was not invited: `problem` says why (the back office words it), `reason` is
    the server's own sentence when it refused."""

    def __init__(self, problem: InviteProblem, reason: str) -> None:
        super().__init__(reason)
        self.problem = problem
        self.reason = reason


@dataclass(frozen=True, slots=True)
class OwnerInvitation:
    email: str
    """As the server stored it (trimmed, lower case)."""
    expires_at: datetime
    """Until when the emailed link works."""
    replayed: bool
    """The server had already done this request (a retry after a lost answer)."""


@dataclass(frozen=True, slots=True)
class SyncStatus:
    paired: bool
    server_url: str | None
    device_id: str | None
    pending: int
    last_success_at: datetime | None
    last_error: str | None
    offline_since: datetime | None
    negative_stock: tuple[str, ...] = ()
    refused: int = 0
    """Changes the server refused (Back office → Sync says what to do)."""
    revoked: bool = False
    """The server no longer accepts this register's token: `paired` is false, pair again."""
    fees: FeeInvoices | None = None
    """The shop's fee invoices as last read (None: never read); `fees.past_due` drives the
    counter's reminder."""

    def summary(self) -> str:
        """One line for the status bar and `pos-app sync --status`."""
        if self.revoked:
            return UNPAIRED_ON_SERVER
        if not self.paired:
            return "not paired"
        if self.last_error and self.offline_since is not None:
            return f"offline since {self.offline_since:%H:%M} UTC ({self.pending} pending)"
        if self.last_error:
            return f"sync error: {self.last_error}"
        if self.pending:
            return f"{self.pending} pending"
        return "synced"


@dataclass(frozen=True, slots=True)
class SyncReport:
    pushed: int
    pulled: int
    conflicts: int
    oversold: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairingResult:
    device_id: str
    tenant: dict[str, Any]
    shop_created: bool


ClientFactory = Callable[[str, str | None], SyncClient]

# Pulled changes are applied parents first (a stable sort keeps each entity's own order).
_APPLY_ORDER = {
    "category": 0,
    "product": 1,
    "modifier_group": 2,
    "eighty_six": 3,
    "staff": 4,
    "stock_movement": 5,
    "dispute": 6,
    "refund_allocation": 7,
    "outside_refund": 8,
}


def _cached_fees(raw: str | None) -> FeeInvoices | None:
    if not raw:
        return None
    try:
        kept = json.loads(raw)
        return fee_invoices_from(kept["body"], datetime.fromisoformat(kept["at"]))
    except (ValueError, KeyError, TypeError):
        return None


def _wrong_shop_message(shop: Shop | None, server_says: str) -> str:
    remedy = (
        "or set this register up afresh for that shop with `pos-app pair --wipe-local-data` "
        "(its data is moved aside, not deleted); the code was not used"
    )
    if shop is not None and "sells in" in server_says:
        return (
            f"this register sells in {shop.currency}, but the shop of this code uses another "
            f"currency: pair a register set up for that shop, {remedy}"
        )
    return f"this register holds another shop's data: pair it with a code from that shop, {remedy}"


def _tenant_id(tenant_json: str | None) -> str | None:
    """The shop id in the `tenant` state of a register paired before `shop_tenant_id` existed."""
    if not tenant_json:
        return None
    try:
        value = json.loads(tenant_json).get("id")
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None


def _pending_invite(raw: str | None) -> dict[str, str] | None:
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    email, key, at = value.get("email"), value.get("key"), value.get("at")
    if not (isinstance(email, str) and isinstance(key, str) and isinstance(at, str)):
        return None
    try:
        recorded = datetime.fromisoformat(at)
    except ValueError:
        return None
    if recorded.tzinfo is None or utcnow() - recorded > INVITE_RETRY_WINDOW:
        return None  # too old to be a retry of the same request: a new one
    return {"email": email, "key": key, "at": at}


def default_client_factory(ca_file: str | None = None) -> ClientFactory:
    def make(base_url: str, token: str | None) -> SyncClient:
        return SyncClient(base_url, token, ca_file=ca_file)

    return make


def _describe(error: BaseException) -> str:
    if isinstance(error, SyncError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _refusals(refused: list[dict[str, Any]], base: int) -> list[tuple[int, str, str]]:
    """(local seq, code, "field: reason") of the server's refusals; odd items are skipped."""
    kept = []
    for item in refused:
        seq = item.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            continue
        field = str(item.get("field") or "")
        reason = str(item.get("reason") or "")
        kept.append((seq + base, str(item.get("code") or "refused"), f"{field}: {reason}"[:500]))
    return kept


def refused_changes(db: Database, limit: int = 200) -> list[RefusedEntry]:
    """What the server refused, newest first (Back office → Sync)."""
    with db.read() as uow:
        return uow.outbox.refused(limit=limit)


class SyncEngine:
    def __init__(
        self,
        db: Database,
        *,
        secrets: SecretStore | None = None,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.db = db
        self._secrets = secrets
        self.client_factory = client_factory or default_client_factory()
        self._lock = threading.Lock()  # one sync at a time (loop, "sync now", CLI)
        self._client: SyncClient | None = None
        self._client_key: tuple[str, str] | None = None
        self.keep_alive = False
        """Keep the connection between rounds (the background loop turns this on)."""

    def _client_for(self, server_url: str, token: str) -> SyncClient:
        """One client (and its kept-alive connection) across rounds: building one costs more
        than a whole idle round."""
        key = (server_url, token)
        if self._client is None or self._client_key != key:
            self._drop_client()
            self._client = self.client_factory(server_url, token)
            self._client_key = key
        return self._client

    def _drop_client(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None
        self._client_key = None

    def close(self) -> None:
        with self._lock:
            self._drop_client()

    @property
    def secrets(self) -> SecretStore:
        if self._secrets is None:
            self._secrets = SecretStore()
        return self._secrets

    # --- pairing ------------------------------------------------------------------------------

    def pair(
        self, *, server_url: str, code: str, device_name: str, owner: tuple[str, str] | None = None
    ) -> PairingResult:
        """Turn a one-time code into this register's device token (kept in the keyring).

        A register with no shop yet takes the server's shop (name, currency, time zone); the
        shop's staff arrive with the first pull. `owner` (name, PIN) creates a local owner when
        the shop has no staff yet.
        """
        from pos_app.services.setup import initialize_shop

        device_name = device_name.strip()
        if not device_name:
            raise ValidationError("give this register a name (for example: Till 2)")
        with self.db.write() as uow:
            shop = uow.settings.shop()
            already = uow.outbox.state(DEVICE_ID)
            held_tenant = uow.outbox.state(SHOP_TENANT_ID) or _tenant_id(uow.outbox.state(TENANT))
            install_id = uow.outbox.state(INSTALL_ID)
            if install_id is None:
                install_id = str(uuid7())
                uow.outbox.set_state(INSTALL_ID, install_id)
        try:
            with self.client_factory(server_url, None) as client:
                result = client.pair(
                    code,
                    device_name,
                    install_id=install_id,
                    held_tenant_id=held_tenant,
                    held_currency=shop.currency if shop is not None else None,
                )
        except SyncError as error:
            if error.status == 409:
                raise WrongShop(_wrong_shop_message(shop, str(error))) from error
            raise
        tenant = result.tenant
        if held_tenant is not None and str(tenant.get("id")) != held_tenant:
            raise WrongShop("this register holds another shop's data")  # an older server
        if shop is not None and shop.currency != tenant.get("currency"):
            raise WrongShop(
                f"this register sells in {shop.currency}, but the shop on the server uses "
                f"{tenant.get('currency')}: pair a register set up for that shop"
            )
        self.secrets.set(DEVICE_TOKEN, result.token)
        created = False
        with self.db.write() as uow:
            if shop is None:
                initialize_shop(
                    uow,
                    name=str(tenant.get("name") or "Shop"),
                    currency=str(tenant["currency"]),
                    tax_mode=TaxMode(str(tenant.get("tax_mode", "exclusive"))),
                    timezone=str(tenant.get("timezone") or "UTC"),
                    owner_name=owner[0] if owner else None,
                    owner_pin=owner[1] if owner else None,
                )
                created = True
            # A new device id starts its sequence at 1: everything pushed so far stays behind.
            pushed = uow.outbox.max_seq() - uow.outbox.pending_count()
            uow.outbox.set_state(SEQ_BASE, str(max(0, pushed) if already else 0))
            uow.outbox.set_state(SERVER_URL, server_url.rstrip("/"))
            uow.outbox.set_state(DEVICE_ID, result.device_id)
            uow.outbox.set_state(TENANT, json.dumps(tenant))
            uow.outbox.set_state(SHOP_TENANT_ID, str(tenant["id"]))
            uow.outbox.set_state(PULL_CURSOR, "")
            uow.outbox.set_state(LAST_ERROR, None)
            uow.outbox.set_state(REVOKED_AT, None)
            uow.audit.record(
                "sync.paired", details={"server": server_url, "device_id": result.device_id}
            )
        return PairingResult(result.device_id, tenant, created)

    def unpair(self) -> None:
        self.secrets.delete(DEVICE_TOKEN)
        with self.db.write() as uow:
            for key in (SERVER_URL, DEVICE_ID, TENANT, REVOKED_AT, FEE_INVOICES):
                uow.outbox.set_state(key, None)
            uow.audit.record("sync.unpaired")

    # --- inviting an owner to the web console ---------------------------------------------------

    def invite_owner(
        self, email: str, *, attempts: int = 3, retry_delay_s: float = 1.0
    ) -> OwnerInvitation:
        """Ask the sync server to invite `email` to own this register's shop in the web console
        (the server emails a one-time set-password link). The request's idempotency key is
        recorded before the call (`OWNER_INVITE`); a lost answer or a server failure is retried
        up to `attempts` times with that key. Raises `OwnerInviteFailed`. Network work: run it
        on the network pool: its short database writes are handed to the database worker."""
        address = email.strip()
        if not address:
            raise ValidationError("enter the owner's email address")
        server_url, key = WORKER.run(lambda: self._record_invite(address.lower()))
        token = self.secrets.get(DEVICE_TOKEN)
        if not token:
            raise OwnerInviteFailed(
                InviteProblem.NOT_PAIRED, "the device token is missing from the keyring"
            )
        try:
            answer = self._send_invite(server_url, token, address, key, attempts, retry_delay_s)
        except OwnerInviteFailed as failed:
            if failed.problem is InviteProblem.REFUSED:
                # A refusal is final for this request: the next try makes a new one.
                WORKER.run(self._forget_invite)
            raise
        WORKER.run(self._forget_invite)
        return OwnerInvitation(
            email=str(answer["email"]),
            expires_at=datetime.fromisoformat(str(answer["expires_at"])),
            replayed=bool(answer["replayed"]),
        )

    def _record_invite(self, email: str) -> tuple[str, str]:
        """(server address, idempotency key): the key of the pending request for this email,
        else a new one, recorded before any request leaves."""
        with self.db.write() as uow:
            server_url = uow.outbox.state(SERVER_URL)
            if not server_url or not uow.outbox.state(DEVICE_ID):
                raise OwnerInviteFailed(
                    InviteProblem.NOT_PAIRED, "this register is not paired with a sync server"
                )
            if uow.outbox.state(REVOKED_AT):
                raise OwnerInviteFailed(InviteProblem.UNPAIRED_ON_SERVER, UNPAIRED_ON_SERVER)
            pending = _pending_invite(uow.outbox.state(OWNER_INVITE))
            same = pending is not None and pending["email"] == email
            if pending is not None and same:
                key, at = pending["key"], pending["at"]
            else:
                key, at = str(uuid7()), utcnow().isoformat()
            uow.outbox.set_state(OWNER_INVITE, json.dumps({"email": email, "key": key, "at": at}))
        return server_url, key

    def _forget_invite(self) -> None:
        with self.db.write() as uow:
            uow.outbox.set_state(OWNER_INVITE, None)

    def _send_invite(
        self, server_url: str, token: str, email: str, key: str, attempts: int, delay_s: float
    ) -> dict[str, Any]:
        with self.client_factory(server_url, token) as client:
            for attempt in range(1, max(1, attempts) + 1):
                try:
                    return client.invite_owner(email, key)
                except SyncError as error:
                    retry = error.kind in (SyncErrorKind.NETWORK, SyncErrorKind.SERVER)
                    if retry and attempt < attempts:
                        time.sleep(delay_s * attempt)
                        continue
                    raise self._invite_failure(error) from error
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _invite_failure(error: SyncError) -> OwnerInviteFailed:
        problem = {
            SyncErrorKind.NETWORK: InviteProblem.OFFLINE,
            SyncErrorKind.AUTH: InviteProblem.UNPAIRED_ON_SERVER,
            SyncErrorKind.RATE_LIMITED: InviteProblem.TOO_MANY,
            SyncErrorKind.SERVER: InviteProblem.SERVER,
        }.get(error.kind, InviteProblem.REFUSED)
        return OwnerInviteFailed(problem, str(error))

    # --- the platform's fee invoices ------------------------------------------------------------

    def fee_invoices(self) -> FeeInvoices | None:
        """As last read from the server (None: never): no network."""
        with self.db.read() as uow:
            return _cached_fees(uow.outbox.state(FEE_INVOICES))

    def read_fee_invoices(self) -> FeeInvoices:
        """Ask the server now, keep the answer, return it. Network work: run it on the network
        pool. Raises `SyncUnavailable` (not paired) or `SyncError`."""
        with self.db.read() as uow:
            server_url = uow.outbox.state(SERVER_URL)
            paired = uow.outbox.state(DEVICE_ID) and not uow.outbox.state(REVOKED_AT)
        token = self.secrets.get(DEVICE_TOKEN)
        if not server_url or not paired or not token:
            raise SyncUnavailable("this register is not paired with a sync server")
        with self.client_factory(server_url, token) as client:
            body = client.fee_invoices()
        return WORKER.run(lambda: self._keep_fees(body))

    def _keep_fees(self, body: dict[str, Any]) -> FeeInvoices:
        fees = fee_invoices_from(body, utcnow())
        with self.db.write() as uow:
            uow.outbox.set_state(
                FEE_INVOICES, json.dumps({"at": fees.fetched_at.isoformat(), "body": body})
            )
        return fees

    def _maybe_read_fees(self, client: SyncClient) -> None:
        """After a good round, the fee invoices again when the copy is older than
        `FEE_INVOICES_EVERY`; a failure here is logged and never fails the round."""
        try:
            with self.db.read() as uow:
                cached = _cached_fees(uow.outbox.state(FEE_INVOICES))
            if cached is not None and utcnow() - cached.fetched_at < FEE_INVOICES_EVERY:
                return
            self._keep_fees(client.fee_invoices())
        except Exception as error:  # the invoices are information: syncing goes on
            log.info("reading the fee invoices failed: %s", _describe(error))

    # --- status --------------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        with self.db.read() as uow:
            state = {
                key: uow.outbox.state(key)
                for key in (
                    SERVER_URL,
                    DEVICE_ID,
                    LAST_SUCCESS,
                    LAST_ERROR,
                    OFFLINE_SINCE,
                    REVOKED_AT,
                )
            }
            pending = uow.outbox.pending_count()
            refused = uow.outbox.refused_count()
            fees = _cached_fees(uow.outbox.state(FEE_INVOICES))
            negative = tuple(
                f"{o.name} ({o.level})"
                for o in RemoteChangeRepository(uow.session).negative_stock()
            )
        success, offline = state[LAST_SUCCESS], state[OFFLINE_SINCE]
        return SyncStatus(
            paired=state[DEVICE_ID] is not None and state[REVOKED_AT] is None,
            revoked=state[DEVICE_ID] is not None and state[REVOKED_AT] is not None,
            server_url=state[SERVER_URL],
            device_id=state[DEVICE_ID],
            pending=pending,
            last_success_at=datetime.fromisoformat(success) if success else None,
            last_error=state[LAST_ERROR],
            offline_since=datetime.fromisoformat(offline) if offline else None,
            negative_stock=negative,
            refused=refused,
            fees=fees,
        )

    # --- one round ------------------------------------------------------------------------------

    def sync_once(self) -> SyncReport:
        """Push everything pending, then pull until up to date. Raises SyncError on failure
        (after recording it for the status bar)."""
        with self._lock:
            with self.db.read() as uow:
                server_url = uow.outbox.state(SERVER_URL)
                device_id = uow.outbox.state(DEVICE_ID)
            if not server_url or not device_id:
                raise SyncUnavailable("this register is not paired with a sync server")
            token = self.secrets.get(DEVICE_TOKEN)
            if not token:
                raise SyncUnavailable("the device token is missing from the keyring: pair again")
            client = self._client_for(server_url, token)
            try:
                pushed, conflicts = self._push(client, device_id)
                pulled, oversold = self._pull(client)
                self._maybe_read_fees(client)  # never raises: information only
            except (SyncError, OSError) as error:
                self._drop_client()  # a fresh connection next time
                if isinstance(error, SyncError) and error.kind is SyncErrorKind.AUTH:
                    # Only a revoked (or unknown) token gets 401/403 on push and pull.
                    error = SyncError(SyncErrorKind.AUTH, UNPAIRED_ON_SERVER, status=error.status)
                self._record_failure(error)
                raise error from None
            finally:
                if not self.keep_alive:
                    self._drop_client()
            self._record_success()
            return SyncReport(pushed, pulled, conflicts, tuple(oversold))

    def _push(self, client: SyncClient, device_id: str) -> tuple[int, int]:
        pushed = conflicts = 0
        with self.db.read() as uow:
            base = int(uow.outbox.state(SEQ_BASE) or 0)
            # The round pushes what is pending now; sales made meanwhile wait for the next
            # round. Otherwise a busy counter keeps the round pushing and the pull never runs.
            goal = uow.outbox.max_seq()
        after = base
        while after < goal:
            with self.db.read() as uow:
                entries = uow.outbox.pending(after_seq=after, limit=PUSH_BATCH)
            if not entries:
                return pushed, conflicts
            batch = [
                {
                    "seq": entry.seq - base,
                    "entity": entry.entity,
                    "id": str(entry.entity_id),
                    "occurred_at": entry.created_at.isoformat(),
                    "data": entry.payload,
                }
                for entry in entries
            ]
            result = client.push(device_id, batch)
            acknowledged = result.acknowledged_seq + base
            with self.db.write() as uow:
                pushed += uow.outbox.acknowledge(acknowledged)
                for conflict in result.conflicts:
                    uow.audit.record_error(
                        "sync", "conflict", str(conflict.get("reason")), {"conflict": conflict}
                    )
                # Refused changes are acknowledged like the rest (the queue moves on); they are
                # marked for the manager, who sees them in Back office → Sync.
                refusals = _refusals(result.refused, base)
                uow.outbox.mark_refused(refusals)
                for seq, code, reason in refusals:
                    uow.audit.record_error("sync", "refused", reason, {"seq": seq, "code": code})
            conflicts += len(result.conflicts)
            # A gap on the server side (it lost a change, or one is missing here): the next
            # batch resends from just after what it holds. Never skip an unacknowledged change;
            # give up (loudly) only if the server accepted nothing at all.
            if acknowledged < entries[-1].seq and acknowledged <= after:
                raise SyncError(
                    SyncErrorKind.REJECTED,
                    f"the server is missing change {acknowledged - base + 1} and did not accept it",
                )
            after = acknowledged
        return pushed, conflicts

    def _pull(self, client: SyncClient) -> tuple[int, list[str]]:
        """Fetch every page, then apply them in dependency order in one transaction with the
        new cursor: products before the modifier groups that name them, and a crash applies
        all of it or none of it."""
        oversold: list[str] = []
        with self.db.read() as uow:
            cursor = uow.outbox.state(PULL_CURSOR) or ""
        start_cursor = cursor
        changes: list[dict[str, Any]] = []
        while True:
            page = client.pull(cursor, PULL_PAGE)
            changes.extend(page.changes)
            cursor = page.cursor
            if not page.has_more:
                break
        if not changes and cursor == start_cursor:
            return 0, oversold  # nothing new: no write transaction to compete with a sale
        changes.sort(key=lambda change: _APPLY_ORDER.get(str(change.get("entity")), 99))
        with self.db.write() as uow:
            remote = RemoteChangeRepository(uow.session)
            for change in changes:
                if change.get("entity") == "refund_allocation":
                    self._apply_refund_allocation(uow, change)
                    continue
                if change.get("entity") == "outside_refund":
                    self._apply_outside_refund(uow, change)
                    continue
                hit = self._apply(remote, change)
                if hit is not None:
                    oversold.append(hit.sku)
                    uow.audit.record(
                        "stock.oversold",
                        details={
                            "sku": hit.sku,
                            "name": hit.name,
                            "level": hit.level,
                            "source": "other register",
                        },
                    )
            uow.outbox.set_state(PULL_CURSOR, cursor)
        return len(changes), oversold

    @staticmethod
    def _apply_refund_allocation(uow: UnitOfWork, change: dict[str, Any]) -> None:
        """Stripe failed one of our card refunds after we were told it went through."""
        data = change.get("data") or {}
        try:
            if data.get("status") != "failed":
                return
            refunds.record_late_failure(uow, allocation_id=UUID(str(change.get("id"))))
        except (KeyError, ValueError, TypeError) as error:
            log.warning(
                "could not apply a pulled refund allocation %s: %s", change.get("id"), error
            )

    @staticmethod
    def _apply_outside_refund(uow: UnitOfWork, change: dict[str, Any]) -> None:
        """A refund of one of our orders made in Stripe's dashboard (booked by the server)."""
        data = change.get("data") or {}
        try:
            refunds.record_outside_refund(
                uow,
                refund_id=UUID(str(change.get("id"))),
                order_id=UUID(str(data["order_id"])),
                amount_minor=int(data["amount_minor"]),
                tax_minor=int(data["tax_minor"]),
                status=str(data["status"]),
            )
        except (KeyError, ValueError, TypeError) as error:
            log.warning("could not apply a pulled outside refund %s: %s", change.get("id"), error)

    @staticmethod
    def _apply(remote: RemoteChangeRepository, change: dict[str, Any]) -> Any:
        entity = change.get("entity")
        data = change.get("data") or {}
        raw_id = change.get("id")
        try:
            if entity == "dispute":
                remote.apply_dispute({**data, "id": raw_id})
                return None
            entity_id = UUID(str(raw_id))
            if entity == "category":
                remote.apply_category(entity_id, data)
            elif entity == "product":
                remote.apply_product(entity_id, data)
            elif entity == "eighty_six":
                remote.apply_eighty_six(entity_id, data)
            elif entity == "modifier_group":
                remote.apply_modifier_group(entity_id, data)
            elif entity == "staff":
                remote.apply_staff(entity_id, data)
            elif entity == "stock_movement":
                return remote.apply_stock_movement(entity_id, data)
            else:
                log.info("ignored a pulled %s (this register does not use it)", entity)
        except (KeyError, ValueError, TypeError) as error:
            # One malformed change must not stop the rest of the shop's data from arriving.
            log.warning("could not apply a pulled %s %s: %s", entity, raw_id, error)
        return None

    def _record_success(self) -> None:
        # At most one small write a minute while all is well: a sync round should not take the
        # write lock a sale is waiting for.
        now = utcnow()
        with self.db.read() as uow:
            error = uow.outbox.state(LAST_ERROR)
            last = uow.outbox.state(LAST_SUCCESS)
        if (
            error is None
            and last is not None
            and now - datetime.fromisoformat(last) < timedelta(minutes=1)
        ):
            return
        with self.db.write() as uow:
            uow.outbox.set_state(LAST_SUCCESS, now.isoformat())
            uow.outbox.set_state(LAST_ERROR, None)
            uow.outbox.set_state(OFFLINE_SINCE, None)
            uow.outbox.prune(older_than=timedelta(days=30))

    def _record_failure(self, error: BaseException) -> None:
        offline = isinstance(error, SyncError) and error.kind is SyncErrorKind.NETWORK
        with self.db.write() as uow:
            uow.outbox.set_state(LAST_ERROR, _describe(error)[:300])
            if isinstance(error, SyncError) and error.kind is SyncErrorKind.AUTH:
                uow.outbox.set_state(REVOKED_AT, utcnow().isoformat())
            if offline and uow.outbox.state(OFFLINE_SINCE) is None:
                uow.outbox.set_state(OFFLINE_SINCE, utcnow().isoformat())
            elif not offline:
                uow.outbox.set_state(OFFLINE_SINCE, None)


class SyncLoop:
    """Syncs every `interval_s`, sooner when woken (after a sale), backing off exponentially
    with jitter while the server is unreachable. Runs on its own daemon thread.

    While backing off, a sale's `wake()` does not cut the wait short: fifty registers selling
    through an outage would otherwise each retry after every sale, all at once when the server
    comes back. The sale is safe in the outbox either way. `sync_now()` (the manager's button)
    always retries at once."""

    def __init__(
        self,
        engine: SyncEngine,
        *,
        interval_s: float = 30.0,
        min_backoff_s: float = 2.0,
        max_backoff_s: float = 300.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self.min_backoff_s = min_backoff_s
        self.max_backoff_s = max_backoff_s
        self.on_status = on_status
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._urgent = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0
        self.rounds = 0

    def start(self) -> SyncLoop:
        self.engine.keep_alive = True
        self._thread = threading.Thread(target=self._run, name="pos-sync", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """Something new to push: sync soon (at once unless backing off after failures)."""
        self._wake.set()

    def sync_now(self) -> None:
        """Sync at once, even while backing off (asked for by a person)."""
        self._urgent = True
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.engine.keep_alive = False
        self.engine.close()

    def next_delay(self) -> float:
        if self.failures == 0:
            return self.interval_s
        backoff = min(self.max_backoff_s, self.min_backoff_s * 2.0 ** (self.failures - 1))
        return float(backoff * self._rng.uniform(0.5, 1.5))

    def _run(self) -> None:
        allow_writes_here()  # the sync loop's own thread records what it pushed and pulled
        while not self._stop.is_set():
            try:
                self.engine.sync_once()
                self.failures = 0
            except SyncUnavailable:
                self.failures = 0
            except Exception as error:  # the loop must outlive any one failure
                self.failures += 1
                log.info(
                    "sync failed (%s), retrying in about %.0f s",
                    _describe(error),
                    self.next_delay(),
                )
            self.rounds += 1
            if self.on_status is not None:
                try:
                    self.on_status(self.engine.status())
                except Exception:  # a status listener never stops syncing
                    log.exception("sync status listener failed")
            self._sleep(self.next_delay())

    def _sleep(self, delay: float) -> None:
        """Wait `delay` seconds; a wake ends it early unless backing off (then only an urgent
        one, or stopping, does)."""
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._wake.wait(remaining):
                break
            self._wake.clear()
            if self.failures == 0 or self._urgent:
                break
        self._urgent = False
        self._wake.clear()
