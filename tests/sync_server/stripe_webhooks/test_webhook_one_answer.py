"""The webhook endpoint does not tell shop names apart: an unknown shop, a shop without a
webhook secret and a wrong signature get one answer, byte for byte, after the same work."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.db import app_engine
from sync_server.stripe_webhooks.signature import sign
from tests.support.sync_server_tenants import create_tenant, set_stripe_secret
from tests.support.sync_shop import Shop

pytestmark = pytest.mark.postgres

SECRET = "whsec_" + "a1b2c3d4" * 4
GUESS = "whsec_" + "f0e1d2c3" * 4


def _event() -> bytes:
    return json.dumps(
        {
            "id": "evt_1Guess",
            "object": "event",
            "api_version": "2023-08-16",
            "created": int(time.time()),
            "type": "charge.dispute.created",
            "data": {"object": {"id": "du_1Guess", "object": "dispute"}},
        }
    ).encode()


def _deliver(http: httpx.Client, slug: str, body: bytes, header: str) -> httpx.Response:
    return http.post(
        f"/v1/stripe/webhooks/{slug}",
        content=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": header},
    )


def _answer(response: httpx.Response) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
    headers = tuple(
        sorted((k, v) for k, v in response.headers.items() if k not in ("date", "server"))
    )
    return response.status_code, headers, response.content


def test_unknown_shop_no_secret_and_bad_signature_get_one_answer(
    shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    secured = create_tenant(shop.settings)
    set_stripe_secret(shop.settings, secured, SECRET)
    body = _event()
    header = sign(body, GUESS, int(time.time()))
    with caplog.at_level("WARNING", logger="sync_server.stripe_webhooks.service"):
        unknown = _deliver(shop.http, "no-such-shop", body, header)
        malformed = _deliver(shop.http, "Not A Slug!", body, header)
        no_secret = _deliver(shop.http, shop.tenant.slug, body, header)  # none set for it
        bad_signature = _deliver(shop.http, secured.slug, body, header)
    answers = {_answer(r) for r in (unknown, malformed, no_secret, bad_signature)}
    assert len(answers) == 1, answers
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "bad_signature"
    assert "set-stripe" in unknown.json()["error"]["message"]
    # The operator still learns which it was, from the server's log.
    logged = [record.getMessage() for record in caplog.records]
    assert any("'no-such-shop'" in line and "no such shop" in line for line in logged)
    assert any(shop.tenant.slug in line and "no webhook secret" in line for line in logged)
    assert any(secured.slug in line and "does not match" in line for line in logged)
    # The right secret still gets in.
    assert _deliver(shop.http, secured.slug, body, sign(body, SECRET, int(time.time()))).is_success


def test_the_check_does_the_same_work_for_every_refusal(shop: Shop) -> None:
    """The database check, timed: an unknown shop and a shop
    without a secret cost what a wrong signature costs (before, they returned at once)."""
    secured = create_tenant(shop.settings)
    set_stripe_secret(shop.settings, secured, SECRET)
    # A large body and the most signatures a header may carry make the work worth timing.
    payload = b"1700000000." + b"x" * 200_000
    signatures = [bytes(32)] * 8
    engine = app_engine(shop.settings)
    try:
        timings = _time_checks(
            engine,
            {"unknown": "no-such-shop", "no_secret": shop.tenant.slug, "bad": secured.slug},
            payload,
            signatures,
        )
    finally:
        engine.dispose()
    slowest, fastest = max(timings.values()), min(timings.values())
    assert fastest > 0.5 * slowest, timings  # on 0003's check: about 0.05


def _time_checks(
    engine: Engine, slugs: dict[str, str], payload: bytes, signatures: list[bytes]
) -> dict[str, float]:
    """The fastest of 15 interleaved rounds of 20 checks each, run inside the database (the
    body crosses the wire once, keeping the network's noise out); the fastest, because a busy
    machine only ever adds time."""
    samples: dict[str, list[float]] = {case: [] for case in slugs}
    query = text(
        "SELECT count(*) FROM generate_series(1, 20) AS g, LATERAL stripe_webhook_check("
        "CASE WHEN g > 0 THEN CAST(:slug AS text) END, :payload, CAST(:sigs AS bytea[]))"
    )
    params: dict[str, Any] = {"payload": payload, "sigs": signatures}
    with engine.connect() as conn:
        for _ in range(15):
            for case, slug in slugs.items():
                started = time.perf_counter()
                conn.execute(query, {**params, "slug": slug}).scalar_one()
                samples[case].append(time.perf_counter() - started)
    return {case: min(times) for case, times in samples.items()}
