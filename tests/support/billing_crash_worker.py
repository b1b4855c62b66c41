"""Invoices closed months and kills itself (SIGKILL) at the first step no earlier run was killed
at: the crash-injection test of billing (tests/sync_server/billing/test_billing_crashes.py).

Usage: python -m tests.support.billing_crash_worker KILLED_AT_FILE KINDS   (the SYNC_*
environment of the server, with SYNC_BILLING_STRIPE_KEY and SYNC_BILLING_STRIPE_URL). A step is each
transaction billing commits and each call to Stripe, both before it is sent and once its answer
has arrived (the effect happened at Stripe; the process dies before recording it), named with
what it is for and how many times this run has taken a step of that name. The steps runs were
killed at are kept in KILLED_AT_FILE, one a line: run after run, every step gets killed once,
each run taking up what the last ones left. KINDS: which steps may be killed at, of `db` (after a
transaction), `request` (before a call) and `answer` (after a call), comma-separated: a run
killed at every answer never reaches the transaction recording it, so each kind needs its own
loop to be killed at everywhere. Prints ``killed at STEP`` before dying, or
``completed STEPS`` when it met no new step.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import Counter
from pathlib import Path

from sync_server.billing import stripe_client
from sync_server.billing import tasks as billing_tasks
from sync_server.config import Settings
from sync_server.jobs import Runtime


def main() -> int:
    ledger = Path(sys.argv[1])
    kinds = set(sys.argv[2].split(","))
    killed_before = (
        set(ledger.read_text(encoding="utf-8").splitlines()) if ledger.exists() else set()
    )
    seen: Counter[str] = Counter()

    def step(what: str) -> None:
        seen[what] += 1
        name = f"{what} #{seen[what]}"
        if what.split()[0] in kinds and name not in killed_before:
            with ledger.open("a", encoding="utf-8") as out:
                out.write(name + "\n")
                out.flush()
                os.fsync(out.fileno())
            print(f"killed at {name}", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    settings = Settings.from_env()
    client = stripe_client.from_settings(
        settings, observer=lambda kind, what: step(f"{kind} {what}")
    )
    assert client is not None
    runtime = Runtime(settings)
    try:
        report = billing_tasks.invoice_all(
            runtime.app,
            runtime.admin,
            client,
            days_until_due=settings.billing_days_until_due,
            force=True,
            checkpoint=step,
            refresh=False,
        )
    finally:
        runtime.dispose()
        client.close()
    print(f"completed {sum(seen.values())} failed {len(report.failed)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
