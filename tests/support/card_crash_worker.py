"""A register that starts a card payment and is killed while the reader waits for the card.

Usage: python -m tests.support.card_crash_worker [--cash=MINOR] DATA_DIR [STRIPE_API_BASE
STRIPE_API_KEY]
Without a Stripe endpoint it runs the demo (its card reader is the in-process emulator, which
dies with it). With ``--cash`` that much cash is taken first and the card charges the rest.
Prints ``waiting ORDER_ID PAYMENT_ID`` once the payment is on the reader, then
waits to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pos_app.application.card_payments import CardPayments, connect_terminal
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.domain.tenders import TenderKind, TenderRequest


def main() -> int:
    cash = [int(a.removeprefix("--cash=")) for a in sys.argv[1:] if a.startswith("--cash=")]
    args = [a for a in sys.argv[1:] if not a.startswith("--cash=")]
    data_dir = Path(args[0])
    api_base, api_key = (args[1], args[2]) if len(args) > 2 else (None, None)
    config = AppConfig(data_dir=data_dir, stripe_api_base=api_base, stripe_api_key=api_key)
    register = Register.open(config, demo=True)
    alex = register.access.staff_by_name("Alex")
    register.shifts.ensure_open(register.access.staff_by_name("Sam"), float_minor=10_000)
    shift = register.shifts.current()
    assert shift is not None
    order = register.sales.ring_up([("DRK-COL", 2), ("BAK-CRO", 1)])
    runtime = connect_terminal(config, register.db, register.shop)
    card = CardPayments(
        register.db, runtime.terminal, shop=register.shop, reader_id=runtime.reader_id
    )
    taken = [TenderRequest(TenderKind.CASH, amount) for amount in cash]
    payment_id = register.cards.start(
        card,
        order,
        amount_minor=order.totals().total_minor - sum(cash),
        tip_minor=0,
        staff=alex,
        shift_id=shift.id,
        taken=taken,
    )
    print("waiting", order.id, payment_id, flush=True)
    while True:  # the customer never taps: the test kills this process here
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
