"""A hostile fuzz of `POST /v1/sync/push`: Hypothesis mutates honest batches (amounts, types,
odd timestamps, reused child ids, refunds of other or unknown orders, missing fields, repeated
or missing seqs) and pushes them with a real device token to the live server on PostgreSQL.

Never a 5xx; every stored order is whole (its lines and tenders add up to its total); the
device's queue always moves past what was judged; `fees verify` stays clean. The short run is
part of the normal suite (about 10 s); `SYNC_PUSH_FUZZ_EXAMPLES=2000` (the soak does) runs a
longer one.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from sync_server.fees import service as fees
from sync_server.kit.ids import uuid7
from tests.support.push_payloads import build_order, build_refund, change
from tests.support.sync_server_tenants import Device

pytestmark = pytest.mark.postgres

EXAMPLES = int(os.environ.get("SYNC_PUSH_FUZZ_EXAMPLES", "40"))
NOW = datetime.now(UTC)

ODD_VALUES: list[object] = [
    None, "x", "", -1, 0, 1.5, True, [], {}, 2**63, -(2**63), 10**15, "\u0000", "\ud800",
]  # fmt: skip
ODD_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-23:59",
    "2026-02-30T00:00:00Z",
    "2026-03-14T12:00:00",
    "1970-01-01T00:00:00Z",
    (NOW + timedelta(days=365 * 40)).isoformat(),
    (NOW - timedelta(days=3)).isoformat(),
    "not a time",
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every leaf of a change's data (dict keys and list indexes)."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _paths(item, (*prefix, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _paths(item, (*prefix, index))]
    return [prefix]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


# Generation never depends on what earlier examples stored (Hypothesis replays examples): every
# draw is made whatever the state, and an index is taken modulo the size of what it picks from.


def _pick(draw: st.DrawFn, options: list[Any]) -> Any:
    index = draw(st.integers(0, 1_000_000))
    return options[index % len(options)] if options else None


def _mutate(draw: st.DrawFn, item: dict[str, Any], pool: list[dict[str, Any]]) -> None:
    kind = draw(
        st.sampled_from(
            ["amount", "odd", "time", "reuse_child", "drop", "currency", "entity", "order_ref"]
        )
    )
    delta = draw(st.integers(-(10**6), 10**6).filter(bool))
    odd = draw(st.sampled_from(ODD_VALUES))
    stamp = draw(st.sampled_from(ODD_TIMES))
    child = draw(st.sampled_from(["lines", "tenders"]))
    currency = draw(st.sampled_from(["USD", "JPY", "eur", "EURO"]))
    entity = draw(st.sampled_from(["order", "refund", "payment", "spaceship"]))
    data = item["data"]
    paths = _paths(data)
    path = _pick(draw, paths)
    other = _pick(draw, pool)
    if kind == "amount":
        numeric = [p for p in paths if type(_get(data, p)) is int]
        target = _pick(draw, numeric)
        if target is not None:
            _set(data, target, _get(data, target) + delta)
    elif kind == "odd" and path:
        _set(data, path, odd)
    elif kind == "time":
        times = [p for p in paths if str(p[-1]).endswith("_at")]
        target = _pick(draw, times)
        if target is None:
            item["occurred_at"] = stamp
        else:
            _set(data, target, stamp)
    elif kind == "reuse_child" and other is not None and item["entity"] == "order":
        if data.get(child) and other["data"].get(child):
            data[child][0]["id"] = other["data"][child][0]["id"]
    elif kind == "drop" and path:
        data.pop(path[0], None)
    elif kind == "currency":
        data["currency"] = currency
    elif kind == "entity":
        item["entity"] = entity
    elif kind == "order_ref" and item["entity"] == "refund":
        data["order_id"] = str(other["id"]) if other is not None else str(uuid7())


@st.composite
def _batch(draw: st.DrawFn, pool: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 4))):
        wants_refund = draw(st.booleans())
        order = _pick(draw, [o for o in pool if o["data"].get("lines")])
        chosen = draw(st.lists(st.integers(0, 3), min_size=1, max_size=4, unique=True))
        lines = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["A", "B", "C"]),
                    st.just("Item"),
                    st.integers(1, 5),
                    st.integers(0, 5_000),
                    st.sampled_from([0, 55_000, 200_000]),
                ),
                min_size=1,
                max_size=4,
            )
        )
        tax_mode = draw(st.sampled_from(["inclusive", "exclusive"]))
        if wants_refund and order is not None:
            count = len(order["data"]["lines"])
            indexes = sorted({index % count for index in chosen})
            refund_id, data = build_refund(
                order["data"], created_at=NOW, line_indexes=indexes, order_id=uuid.UUID(order["id"])
            )
            item = change(0, "refund", refund_id, data)
        else:
            order_id, data = build_order(
                lines=lines, paid_at=NOW - timedelta(hours=1), tax_mode=tax_mode
            )
            item = change(0, "order", order_id, data)
        for _ in range(draw(st.integers(0, 2))):
            _mutate(draw, item, pool)
        items.append(item)
    return items


def _half_stored(admin_db: Engine, device: Device) -> list[Any]:
    with admin_db.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT o.id FROM orders o WHERE o.tenant_id = :t AND o.status = 'paid' AND ("
                    " o.total_minor <> (SELECT coalesce(sum(l.total_minor), 0) FROM order_lines l"
                    "   WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)"
                    " OR o.total_minor <> (SELECT coalesce(sum(x.amount_minor), 0) FROM tenders x"
                    "   WHERE x.tenant_id = o.tenant_id AND x.order_id = o.id))"
                ),
                {"t": device.tenant.id},
            )
        )


@pytest.mark.slow
def test_hostile_pushes_never_5xx_never_half_store_and_keep_the_books_verifiable(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    pool: list[dict[str, Any]] = []
    state = {"next_seq": 1, "pushes": 0, "refused": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def push_one(data: st.DataObject) -> None:
        items = data.draw(_batch(pool))
        seq = state["next_seq"]
        for offset, item in enumerate(items):
            item["seq"] = seq + offset
        shuffle = data.draw(st.sampled_from(["none", "gap", "repeat", "replay"]))
        if shuffle == "gap" and len(items) > 1:
            items.pop(0)
        elif shuffle == "repeat":
            items.append(copy.deepcopy(items[-1]))
        elif shuffle == "replay" and seq > 1:
            items[0]["seq"] = seq - 1
        # Encoded here: a lone surrogate is valid JSON text (escaped), which httpx would refuse.
        body = json.dumps({"device_id": str(device.device_id), "batch": items})
        response = http.post(
            "/v1/sync/push",
            content=body,
            headers={**device.headers, "content-type": "application/json"},
        )
        state["pushes"] += 1
        assert response.status_code < 500, response.text
        if response.status_code != 200:
            assert 400 <= response.status_code < 500
            return
        answer = response.json()
        assert answer["acknowledged_seq"] >= seq - 1
        state["next_seq"] = answer["acknowledged_seq"] + 1
        state["refused"] += len(answer["refused"])
        refused = {item["seq"] for item in answer["refused"]}
        for item in items:
            if (
                item["entity"] == "order"
                and seq <= item["seq"] <= answer["acknowledged_seq"]  # judged by this push
                and item["seq"] not in refused
                and isinstance(item.get("data"), dict)
            ):
                pool.append(item)
        assert _half_stored(admin_db, device) == []

    push_one()
    assert state["pushes"] >= EXAMPLES // 2
    assert pool  # honest changes got through ...
    assert state["refused"]  # ... and hostile ones were refused
    with admin_db.connect() as conn:
        assert fees.verify(conn) == []
