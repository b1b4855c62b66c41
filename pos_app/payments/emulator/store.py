"""In-memory object storage shared by every resource: ids, lookups, lists, `expand`, JSON.

Objects are kept in the exact JSON shape Stripe returns (dicts), so answering a request is
one `json.dumps` under the lock. Everything that reads or writes objects holds `lock`.
"""

from __future__ import annotations

import json
import random
import secrets
import string
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pos_app.payments.emulator.clock import EmulatorClock
from pos_app.payments.emulator.errors import StripeError, resource_missing, validation_error
from pos_app.payments.emulator.forms import Params

JSONObject = dict[str, Any]

_ALPHABET = string.ascii_letters + string.digits

# Id prefix -> object name used in "No such ..." messages.
KINDS = {
    "pi": "payment_intent",
    "ch": "charge",
    "re": "refund",
    "pm": "payment_method",
    "tmr": "terminal.reader",
    "tml": "terminal.location",
    "du": "dispute",
    "evt": "event",
    "txn": "balance_transaction",
    "cus": "customer",
    "ii": "invoiceitem",
    "in": "invoice",
    "cn": "credit_note",
    "cs": "checkout.session",
    "seti": "setup_intent",
}


# Ids need to be unique, not secret: a seeded PRNG is ~20x cheaper than `secrets` per id.
_ids = random.Random(secrets.token_bytes(32))


def new_id(prefix: str, length: int = 24) -> str:
    return f"{prefix}_" + "".join(_ids.choices(_ALPHABET, k=length))


def new_request_id() -> str:
    return new_id("req", 14)


@dataclass(frozen=True)
class RequestContext:
    """Who asked: carried into events' `request` field."""

    request_id: str | None = None
    idempotency_key: str | None = None


AUTOMATIC = RequestContext()


class Store:
    def __init__(self, clock: EmulatorClock) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self.objects: dict[str, JSONObject] = {}
        self._order: dict[str, list[str]] = {}
        # When each object became visible to search (emulator time).
        self.indexed_at: dict[str, float] = {}
        # Ids handed out since the last save (callers may have changed them in place):
        # persist.py writes only these.
        self.touched: set[str] = set()
        # Creation order across every kind, so a restart lists objects as before.
        self.added: dict[str, int] = {}

    # -- storage -----------------------------------------------------------------------
    def add(self, obj: JSONObject) -> JSONObject:
        object_id = obj["id"]
        self.objects[object_id] = obj
        self.touched.add(object_id)
        self.added.setdefault(object_id, len(self.added))
        self._order.setdefault(self.kind_of(object_id), []).append(object_id)
        self.indexed_at[object_id] = self.clock.now()
        return obj

    def remove(self, object_id: str) -> None:
        obj = self.objects.pop(object_id, None)
        self.touched.add(object_id)
        if obj is not None:
            self._order[self.kind_of(object_id)].remove(object_id)

    @staticmethod
    def kind_of(object_id: str) -> str:
        return object_id.split("_", 1)[0]

    def get(self, prefix: str, object_id: str | None, param: str = "id") -> JSONObject:
        obj = self.find(object_id)
        if obj is None or self.kind_of(object_id or "") != prefix:
            raise resource_missing(KINDS.get(prefix, prefix), object_id or "", param)
        return obj

    def find(self, object_id: str | None) -> JSONObject | None:
        obj = self.objects.get(object_id or "")
        if obj is not None:
            self.touched.add(obj["id"])
        return obj

    def all(self, prefix: str) -> list[JSONObject]:
        ids = self._order.get(prefix, [])
        self.touched.update(ids)
        return [self.objects[i] for i in ids]

    # -- rendering ---------------------------------------------------------------------
    def dump(self, obj: JSONObject, expand: Iterable[str] = ()) -> bytes:
        for path in expand:
            obj = self._expand(obj, path.split("."), path)
        return json.dumps(obj, separators=(",", ":")).encode()

    @staticmethod
    def snapshot(obj: JSONObject) -> JSONObject:
        copied: JSONObject = json.loads(json.dumps(obj))
        return copied

    def _expand(self, value: Any, parts: list[str], path: str) -> Any:
        if not parts or value is None:
            return value
        if isinstance(value, list):
            return [self._expand(item, parts, path) for item in value]
        if not isinstance(value, dict):
            raise validation_error(f"This property cannot be expanded ({path}).", param="expand")
        head, rest = parts[0], parts[1:]
        if head not in value:
            raise validation_error(f"This property cannot be expanded ({path}).", param="expand")
        child = value[head]
        if head == "refunds" and value.get("object") == "charge" and child is None:
            child = self.refund_list_for(value["id"])
        elif isinstance(child, str):
            target = self.objects.get(child)
            if target is None:
                raise validation_error(
                    f"This property cannot be expanded ({path}).", param="expand"
                )
            child = target
        elif child is not None and not isinstance(child, dict | list):
            raise validation_error(f"This property cannot be expanded ({path}).", param="expand")
        copied = dict(value)
        copied[head] = self._expand(child, rest, path)
        return copied

    def refund_list_for(self, charge_id: str) -> JSONObject:
        refunds = [r for r in reversed(self.all("re")) if r["charge"] == charge_id]
        return {
            "object": "list",
            "data": refunds,
            "has_more": False,
            "url": f"/v1/charges/{charge_id}/refunds",
        }

    # -- lists -------------------------------------------------------------------------
    def list_page(
        self,
        prefix: str,
        params: Params,
        url: str,
        keep: Callable[[JSONObject], bool] = lambda _obj: True,
    ) -> JSONObject:
        """A Stripe list object, newest first; limit, starting_after, ending_before, created."""
        limit = params.get_int("limit")
        if limit is None:
            limit = 10
        if not 1 <= limit <= 100:
            raise validation_error("Invalid limit: must be between 1 and 100", param="limit")
        created = created_filter(params)
        items = [
            obj
            for obj in reversed(self.all(prefix))
            if keep(obj) and created(obj.get("created", 0))
        ]
        starting_after = params.get_str("starting_after")
        ending_before = params.get_str("ending_before")
        if starting_after:
            index = _index_of(items, starting_after, "starting_after", prefix)
            page = items[index + 1 : index + 1 + limit]
            has_more = index + 1 + limit < len(items)
        elif ending_before:
            index = _index_of(items, ending_before, "ending_before", prefix)
            start = max(0, index - limit)
            page = items[start:index]
            has_more = start > 0
        else:
            page = items[:limit]
            has_more = len(items) > limit
        return {"object": "list", "data": page, "has_more": has_more, "url": url}


def _index_of(items: list[JSONObject], object_id: str, param: str, prefix: str) -> int:
    for index, obj in enumerate(items):
        if obj["id"] == object_id:
            return index
    raise resource_missing(KINDS.get(prefix, prefix), object_id, param)


def created_filter(params: Params) -> Callable[[int], bool]:
    raw = params.data.get("created")
    if raw is None:
        return lambda _created: True
    if isinstance(raw, str):
        exact = params.get_int("created")
        return lambda created: created == exact
    if not isinstance(raw, dict):
        raise validation_error("Invalid created", param="created")
    bounds: dict[str, int] = {}
    for op, value in raw.items():
        if op not in ("gt", "gte", "lt", "lte"):
            raise validation_error(
                f"Received unknown parameter: created[{op}]",
                param=f"created[{op}]",
                code="parameter_unknown",
            )
        number = Params({op: value}).get_int(op)
        assert number is not None
        bounds[op] = number

    def check(created: int) -> bool:
        return (
            ("gt" not in bounds or created > bounds["gt"])
            and ("gte" not in bounds or created >= bounds["gte"])
            and ("lt" not in bounds or created < bounds["lt"])
            and ("lte" not in bounds or created <= bounds["lte"])
        )

    return check


__all__ = [
    "AUTOMATIC",
    "KINDS",
    "JSONObject",
    "RequestContext",
    "Store",
    "StripeError",
    "created_filter",
    "new_id",
    "new_request_id",
]
