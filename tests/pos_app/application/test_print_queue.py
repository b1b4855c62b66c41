"""The print queue end to end: real SQLite, the real services, loopback TCP printers.

What the cashier must be able to count on: a printer that is off never loses or blocks a
sale, what was queued prints when the printer is back, and the drawer opens for cash (and a
manager's no-sale) and at no other time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import select

from pos_app.application.print_queue import CLAIM_LEASE, PrintWorker, RetryPolicy
from pos_app.db.database import Database
from pos_app.db.models import ErrorRow
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.orders import OrderStatus
from pos_app.domain.printers import JobKind, JobStatus, PrinterConfig, PrinterRole, PrintJobRecord
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.integrations.printing import escpos_render
from pos_app.integrations.printing.transport import Timeouts
from pos_app.services import checkout, printing, refunds, shifts
from pos_app.services.checkout import PlacedOrder
from pos_app.services.printing import QueuedPrints
from tests.support.escpos_printer import LoopbackPrinter, decode, free_port
from tests.support.register import open_shift, ring_up

FAST = Timeouts(connect_s=1.0, write_s=1.0, close_wait_s=0.5)


class Clock:
    """The worker's clock, moved by hand so backoff and the drawer window take no real time."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return max(self.now, utcnow())

    def advance(self, seconds: float) -> None:
        self.now = max(self.now, utcnow()) + timedelta(seconds=seconds)


@dataclass
class Counter:
    db: Database
    shop: Shop
    staff: dict[str, StaffMember]
    front: LoopbackPrinter
    clock: Clock
    worker: PrintWorker
    receipt_printer: PrinterConfig

    def add_printer(self, printer: PrinterConfig) -> PrinterConfig:
        owner = authorize(self.staff["Sam"], Permission.MANAGE_SETTINGS)
        with self.db.write() as uow:
            return printing.save_printer(uow, printer=printer, authorization=owner)

    def sell(
        self,
        items: Sequence[tuple[str, int]],
        *,
        kind: TenderKind = TenderKind.CASH,
        extra_cash_minor: int = 0,
        card_last4: str = "4242",
    ) -> tuple[PlacedOrder, QueuedPrints]:
        """Ring up, pay and queue the prints in one transaction, as the checkout screen does."""
        order = ring_up(self.db, self.shop, items)
        total = order.totals().total_minor
        request = (
            TenderRequest(TenderKind.CASH, total + extra_cash_minor)
            if kind is TenderKind.CASH
            else TenderRequest(
                TenderKind.CARD, total, tip_minor=150, card_brand="visa", card_last4=card_last4
            )
        )
        with self.db.write() as uow:
            shift = uow.shifts.current(self.shop.register_id)
            placed = checkout.place_order(
                uow,
                order=order,
                tenders=[request],
                shop=self.shop,
                staff=self.staff["Alex"],
                shift_id=shift.id if shift else None,
            )
            queued = printing.enqueue_sale_prints(
                uow, order_id=placed.order_id, shop=self.shop, staff_id=self.staff["Alex"].id
            )
        return placed, queued

    def jobs(self, statuses: Sequence[JobStatus] | None = None) -> list[PrintJobRecord]:
        with self.db.read() as uow:
            return uow.printing.jobs(statuses=statuses)

    def order_jobs(self, order_id: UUID) -> list[PrintJobRecord]:
        with self.db.read() as uow:
            return uow.printing.jobs(order_id=order_id)

    def order_status(self, order_id: UUID) -> OrderStatus:
        with self.db.read() as uow:
            order = uow.orders.get(order_id)
        assert order is not None
        return order.status

    def audit(self, action: str) -> list[dict[str, object]]:
        with self.db.read() as uow:
            return [entry.details for entry in uow.audit.entries(action=action)]


def make_worker(db: Database, clock: Clock) -> PrintWorker:
    return PrintWorker(
        db, timeouts=FAST, clock=clock, policy=RetryPolicy(base_s=1.0), rng=random.Random(7)
    )


@pytest.fixture
def counter(db: Database, shop: Shop, staff: dict[str, StaffMember]) -> Iterator[Counter]:
    front = LoopbackPrinter().start()
    clock = Clock()
    owner = authorize(staff["Sam"], Permission.MANAGE_SETTINGS)
    with db.write() as uow:
        receipt_printer = printing.save_printer(
            uow,
            printer=PrinterConfig(
                "Front counter",
                PrinterRole.RECEIPT,
                "127.0.0.1",
                front.port,
                has_cash_drawer=True,
            ),
            authorization=owner,
        )
    open_shift(db, shop, staff["Alex"])
    yield Counter(db, shop, staff, front, clock, make_worker(db, clock), receipt_printer)
    front.stop()


def kicks(data: bytes) -> int:
    """How many drawer kicks a stream holds (one kick is a pulse on each connector pin)."""
    return len([kick for kick in decode(data).drawer_kicks if kick[0] == 0])


# --- the drawer ----------------------------------------------------------------------------


def test_cash_sale_opens_the_drawer_first_then_prints_the_receipt(counter: Counter) -> None:
    placed, queued = counter.sell([("COF-LAT", 2), ("BAK-CRO", 1)], extra_cash_minor=666)
    assert queued.drawer_job_id is not None
    assert queued.receipt_job_id is not None
    assert queued.errors == ()
    assert counter.front.jobs == []  # queueing sends nothing: the sale never waits on paper

    result = counter.worker.run_once()
    assert result.printed == 2

    drawer_job, receipt_job = counter.front.wait_for_jobs(2)
    assert kicks(drawer_job) == 1
    assert decode(drawer_job).lines == []
    slip = decode(receipt_job)
    assert kicks(receipt_job) == 0
    assert "Corner Café" in slip.text
    assert f"Order {placed.number}" in slip.text
    assert "2 x Latte" in slip.text
    assert "1 x Croissant" in slip.text
    assert slip.line_with("TOTAL").text.endswith(f"${placed.totals.total_minor / 100:.2f}")
    assert slip.line_with("CHANGE").text.endswith("$6.66")
    assert slip.qr_codes == [f"pos:order:{placed.order_id}"]
    assert [job.status for job in counter.order_jobs(placed.order_id)] == [JobStatus.PRINTED] * 2
    assert counter.audit("drawer.cash_sale")[0]["order"] == placed.number


def test_card_sale_prints_the_card_and_never_kicks_the_drawer(counter: Counter) -> None:
    placed, queued = counter.sell([("COF-LAT", 1)], kind=TenderKind.CARD, card_last4="1881")
    assert queued.drawer_job_id is None
    counter.worker.run_once()
    (receipt_job,) = counter.front.wait_for_jobs(1)
    slip = decode(receipt_job)
    assert slip.drawer_kicks == []
    charged = placed.totals.total_minor + 150
    assert slip.line_with("Visa •••• 1881").text.endswith(f"${charged / 100:.2f}")
    assert slip.line_with("incl. tip").text.endswith("$1.50")
    assert "CHANGE" not in slip.text
    assert counter.audit("drawer.cash_sale") == []


def test_no_sale_opens_the_drawer_and_is_audited_with_the_approver(counter: Counter) -> None:
    cashier, manager = counter.staff["Alex"], counter.staff["Morgan"]
    with pytest.raises(PermissionDenied), counter.db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=counter.shop,
            kind=CashMovementKind.NO_SALE,
            amount_minor=0,
            reason="change for the float",
            authorization=authorize(cashier, Permission.NO_SALE),
        )
    assert counter.jobs() == []

    approved = authorize(cashier, Permission.NO_SALE, approver=manager)
    with counter.db.write() as uow:
        job_id = shifts.cash_movement(
            uow,
            shop=counter.shop,
            kind=CashMovementKind.NO_SALE,
            amount_minor=0,
            reason="change for the float",
            authorization=approved,
        )
    assert job_id is not None
    counter.worker.run_once()
    (job,) = counter.front.wait_for_jobs(1)
    assert kicks(job) == 1
    with counter.db.read() as uow:
        (entry,) = uow.audit.entries(action="drawer.no_sale")
    assert entry.staff_id == cashier.id
    assert entry.approved_by_id == manager.id
    assert entry.details["drawer_job_id"] == str(job_id)


def test_paid_out_opens_the_drawer_too(counter: Counter) -> None:
    with counter.db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=counter.shop,
            kind=CashMovementKind.PAID_OUT,
            amount_minor=1200,
            reason="milk from the corner shop",
            authorization=authorize(counter.staff["Morgan"], Permission.PAID_IN_OUT),
        )
    counter.worker.run_once()
    assert kicks(counter.front.wait_for_jobs(1)[0]) == 1


def test_a_cash_refund_opens_the_drawer_and_prints_a_refund_receipt(counter: Counter) -> None:
    placed, _ = counter.sell([("COF-LAT", 2)])
    counter.worker.run_once()
    counter.front.wait_for_jobs(2)
    with counter.db.read() as uow:
        order = uow.orders.get(placed.order_id)
    assert order is not None
    with counter.db.write() as uow:
        recorded = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(counter.staff["Morgan"], Permission.REFUND),
            reason="spilled",
            lines=[LineRefundRequest(order.lines[0].id, 1)],
            shift_id=uow.shifts.current(counter.shop.register_id).id,  # type: ignore[union-attr]
        )
        queued = printing.enqueue_refund_prints(uow, refund_id=recorded.refund_id)
    assert queued.drawer_job_id is not None
    counter.worker.run_once()
    drawer_job, refund_job = counter.front.wait_for_jobs(4)[2:]
    assert kicks(drawer_job) == 1
    slip = decode(refund_job)
    assert slip.line_with("REFUND").inverted
    assert "1 x Latte" in slip.text
    assert "Reason: spilled" in slip.text
    assert slip.line_with("Cash back").text.endswith(f"${recorded.plan.amount_minor / 100:.2f}")


# --- a printer that is away ------------------------------------------------------------------


def test_offline_printer_queues_with_a_clear_error_and_prints_when_back(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    port = free_port()  # the printer is switched off: nothing listens here
    clock = Clock()
    worker = make_worker(db, clock)
    with db.write() as uow:
        printing.save_printer(
            uow,
            printer=PrinterConfig("Front counter", PrinterRole.RECEIPT, "127.0.0.1", port),
            authorization=authorize(staff["Sam"], Permission.MANAGE_SETTINGS),
        )
    open_shift(db, shop, staff["Alex"])
    front = LoopbackPrinter(port)
    with db.read() as uow:
        receipt_printer = printing.receipt_printer(uow)
    assert receipt_printer is not None
    counter = Counter(db, shop, staff, front, clock, worker, receipt_printer)

    first, queued = counter.sell([("COF-ESP", 1)], kind=TenderKind.CARD)
    assert queued.receipt_job_id is not None
    result = worker.run_once()
    assert (result.printed, result.retried) == (0, 1)

    (job,) = counter.jobs()
    assert job.status is JobStatus.QUEUED
    assert job.attempts == 1
    assert job.last_error is not None
    assert job.last_error.startswith("Front counter printer (127.0.0.1) refused the connection")
    assert job.last_error.endswith("the receipt is queued and will print when it is back")
    assert job.next_attempt_at > clock()
    assert counter.order_status(first.order_id) is OrderStatus.PAID
    with db.read() as uow:
        status = printing.queue_status(uow)
    assert status.pending == 1
    assert status.problems == (job.last_error,)

    # The next sale goes through while the printer is still off.
    second, _ = counter.sell([("COF-AME", 1)], kind=TenderKind.CARD)
    assert counter.order_status(second.order_id) is OrderStatus.PAID
    assert worker.run_once().retried == 0  # not due yet: nothing tried
    clock.advance(60)
    assert worker.run_once().retried == 1  # one try per printer per pass, not one per job
    assert counter.jobs()[0].attempts == 2

    front.start()
    try:
        clock.advance(60)
        assert worker.run_once().printed == 2
        numbers = [
            int(line.text.split()[1])
            for job in front.wait_for_jobs(2)
            for line in decode(job).lines
            if line.double_height and line.text.startswith("Order ")
        ]
        assert numbers == [first.number, second.number]  # in the order they were sold
        assert [job.status for job in counter.jobs()] == [JobStatus.PRINTED] * 2
        with db.read() as uow:
            assert printing.queue_status(uow).problems == ()
    finally:
        front.stop()


def test_a_drawer_kick_is_sent_late_never(counter: Counter) -> None:
    counter.front.stop()  # the receipt printer is unplugged during a cash sale
    port = counter.front.port
    placed, queued = counter.sell([("COF-ESP", 1)])
    counter.worker.run_once()
    counter.clock.advance(120)  # it comes back two minutes later
    back = LoopbackPrinter(port).start()
    try:
        result = counter.worker.run_once()
        assert (result.printed, result.failed) == (1, 1)
        (receipt_job,) = back.wait_for_jobs(1)
        assert kicks(receipt_job) == 0  # the receipt prints, the drawer stays shut
        drawer = next(job for job in counter.jobs() if job.id == queued.drawer_job_id)
        assert drawer.status is JobStatus.FAILED
        assert drawer.last_error is not None
        assert "dropped rather than open the drawer late: use the drawer's key" in drawer.last_error
        # Failed kicks are never re-queued, even when someone asks for failed jobs again.
        with counter.db.write() as uow:
            assert printing.requeue_failed(uow, staff=counter.staff["Morgan"]) == 0
        assert counter.order_status(placed.order_id) is OrderStatus.PAID
    finally:
        back.stop()


def test_a_drawer_kick_within_its_window_is_delivered_after_a_retry(counter: Counter) -> None:
    counter.front.stop()
    port = counter.front.port
    counter.sell([("COF-ESP", 1)])
    assert counter.worker.run_once().retried == 1
    counter.clock.advance(3)
    back = LoopbackPrinter(port).start()
    try:
        counter.worker.run_once()
        drawer_job, _receipt = back.wait_for_jobs(2)
        assert kicks(drawer_job) == 1
    finally:
        back.stop()


def test_a_kitchen_printer_that_is_away_does_not_hold_up_receipts(counter: Counter) -> None:
    with counter.db.read() as uow:
        food = next(c for c in uow.catalog.categories() if c.name == "Food")
    kitchen_port = free_port()
    counter.add_printer(
        PrinterConfig(
            "Kitchen",
            PrinterRole.KITCHEN,
            "127.0.0.1",
            kitchen_port,
            category_ids=frozenset({food.id}),
        )
    )
    counter.sell([("FOD-FRI", 1)], kind=TenderKind.CARD)
    result = counter.worker.run_once()
    assert (result.printed, result.retried) == (1, 1)
    counter.front.wait_for_jobs(1)
    (ticket,) = counter.jobs(statuses=[JobStatus.QUEUED])
    assert ticket.kind is JobKind.KITCHEN
    assert ticket.last_error is not None
    assert ticket.last_error.startswith("Kitchen printer (127.0.0.1) refused the connection")
    assert "the ticket is queued and will print when it is back" in ticket.last_error


def test_a_failure_to_queue_a_print_never_undoes_the_sale(
    counter: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(escpos_render, "render_receipt", broken)
    placed, queued = counter.sell([("COF-LAT", 1)])
    assert queued.receipt_job_id is None
    assert queued.errors == ("The receipt could not be queued for printing (renderer bug)",)
    assert queued.drawer_job_id is not None  # the cash drawer still opens
    assert counter.order_status(placed.order_id) is OrderStatus.PAID
    with counter.db.read() as uow:
        logged = [(row.source, row.context) for row in uow.session.scalars(select(ErrorRow))]
    assert logged == [("printing", {"order_id": str(placed.order_id)})]
    assert [job.kind for job in counter.jobs()] == [JobKind.DRAWER]


# --- reprints, routing, settings -------------------------------------------------------------


def test_reprint_from_history_is_marked_and_audited(counter: Counter) -> None:
    placed, _ = counter.sell([("COF-LAT", 1)], kind=TenderKind.CARD)
    counter.worker.run_once()
    cashier = counter.staff["Alex"]
    with counter.db.write() as uow:
        job_id = printing.reprint(uow, order_id=placed.order_id, staff=cashier)
    counter.worker.run_once()
    original, copy = counter.front.wait_for_jobs(2)
    assert "REPRINT" not in decode(original).text
    assert decode(copy).lines[0].text.strip() == "REPRINT"
    assert decode(copy).lines[0].inverted
    assert decode(copy).drawer_kicks == []
    with counter.db.read() as uow:
        (entry,) = uow.audit.entries(action="receipt.reprinted")
        job = uow.printing.job(job_id)
    assert entry.staff_id == cashier.id
    assert entry.order_id == placed.order_id
    assert job is not None
    assert job.kind is JobKind.REPRINT


def test_an_unpaid_order_has_no_receipt(counter: Counter) -> None:
    order = ring_up(counter.db, counter.shop, [("COF-LAT", 1)])
    with counter.db.write() as uow:
        checkout.park_order(
            uow,
            order=order,
            label="Table 2",
            shop=counter.shop,
            staff=counter.staff["Alex"],
            shift_id=None,
        )
    with (
        pytest.raises(ValidationError, match="is parked: it has no receipt"),
        counter.db.write() as uow,
    ):
        printing.reprint(uow, order_id=order.id, staff=counter.staff["Alex"])


def test_kitchen_tickets_go_to_the_printer_of_each_category_once(counter: Counter) -> None:
    with counter.db.read() as uow:
        categories = {c.name: c.id for c in uow.catalog.categories()}
    grill = LoopbackPrinter().start()
    bar = LoopbackPrinter().start()
    try:
        counter.add_printer(
            PrinterConfig(
                "Grill",
                PrinterRole.KITCHEN,
                "127.0.0.1",
                grill.port,
                category_ids=frozenset({categories["Food"]}),
            )
        )
        counter.add_printer(
            PrinterConfig(
                "Bar",
                PrinterRole.KITCHEN,
                "127.0.0.1",
                bar.port,
                category_ids=frozenset({categories["Coffee"], categories["Drinks"]}),
            )
        )
        # Parked at a table: the kitchen gets its tickets now...
        order = ring_up(
            counter.db,
            counter.shop,
            [("FOD-CHB", 2), ("COF-LAT", 1), ("BAK-CRO", 1), ("DRK-COL", 1)],
        )
        with counter.db.write() as uow:
            checkout.park_order(
                uow,
                order=order,
                label="Table 9",
                shop=counter.shop,
                staff=counter.staff["Alex"],
                shift_id=None,
            )
            printing.print_kitchen_tickets(uow, order_id=order.id, shop=counter.shop)
        counter.worker.run_once()
        (grill_ticket,) = grill.wait_for_jobs(1)
        (bar_ticket,) = bar.wait_for_jobs(1)
        grill_slip, bar_slip = decode(grill_ticket), decode(bar_ticket)
        assert "2 x Cheeseburger" in grill_slip.text
        assert "Latte" not in grill_slip.text
        assert "Table 9" in grill_slip.text
        assert "GRILL" in grill_slip.text
        assert "1 x Latte" in bar_slip.text
        assert "1 x Cola" in bar_slip.text
        assert "Croissant" not in bar_slip.text + grill_slip.text  # bakery has no printer
        assert "$" not in bar_slip.text + grill_slip.text

        # ...and paying later prints the receipt without sending the tickets again.
        with counter.db.write() as uow:
            recalled = checkout.recall_order(uow, order_id=order.id)
            shift = uow.shifts.current(counter.shop.register_id)
            assert shift is not None
            placed = checkout.place_order(
                uow,
                order=recalled,
                tenders=[TenderRequest(TenderKind.CASH, recalled.totals().total_minor)],
                shop=counter.shop,
                staff=counter.staff["Alex"],
                shift_id=shift.id,
            )
            queued = printing.enqueue_sale_prints(uow, order_id=placed.order_id)
        assert queued.kitchen_job_ids == ()
        counter.worker.run_once()
        assert len(counter.front.wait_for_jobs(2)) == 2  # drawer kick and receipt
        assert len(grill.jobs) == 1
        assert len(bar.jobs) == 1
    finally:
        grill.stop()
        bar.stop()


def test_a_switched_off_printer_fails_its_jobs_with_the_reason(counter: Counter) -> None:
    counter.sell([("COF-LAT", 1)], kind=TenderKind.CARD)
    counter.add_printer(
        PrinterConfig(
            "Front counter",
            PrinterRole.RECEIPT,
            "127.0.0.1",
            counter.front.port,
            enabled=False,
            id=counter.receipt_printer.id,
        )
    )
    assert counter.worker.run_once().failed == 1
    (job,) = counter.jobs()
    assert job.status is JobStatus.FAILED
    assert job.last_error is not None
    assert "is switched off in the settings" in job.last_error
    with counter.db.read() as uow:
        assert printing.queue_status(uow).failed == 1

    counter.add_printer(counter.receipt_printer)  # back on: print what was given up
    with counter.db.write() as uow:
        assert printing.requeue_failed(uow, staff=counter.staff["Morgan"]) == 1
    assert counter.worker.run_once().printed == 1
    assert len(counter.front.wait_for_jobs(1)) == 1


def test_a_job_left_printing_by_a_crash_is_sent_again_after_its_lease(counter: Counter) -> None:
    counter.sell([("COF-LAT", 1)], kind=TenderKind.CARD)
    with counter.db.write() as uow:  # a worker claims the job, then the app is killed
        (head,) = uow.printing.pending_heads()
        assert uow.printing.claim(head, lease_until=counter.clock() + CLAIM_LEASE) is not None
    assert counter.worker.run_once().printed == 0  # still leased: not sent twice at once
    counter.clock.advance(CLAIM_LEASE.total_seconds() + 1)
    assert counter.worker.run_once().printed == 1
    (job,) = counter.jobs()
    assert (job.status, job.attempts) == (JobStatus.PRINTED, 2)
    assert len(counter.front.wait_for_jobs(1)) == 1


def test_one_receipt_printer_per_register_and_no_removal_while_jobs_wait(
    counter: Counter,
) -> None:
    with pytest.raises(ValidationError, match="already prints receipts on Front counter"):
        counter.add_printer(PrinterConfig("Second till", PrinterRole.RECEIPT, "127.0.0.2"))
    counter.sell([("COF-LAT", 1)], kind=TenderKind.CARD)
    owner = authorize(counter.staff["Sam"], Permission.MANAGE_SETTINGS)
    waiting = pytest.raises(ValidationError, match="still waiting for Front counter")
    with waiting, counter.db.write() as uow:
        printing.remove_printer(uow, printer_id=counter.receipt_printer.id, authorization=owner)
    counter.worker.run_once()
    with counter.db.write() as uow:
        printing.remove_printer(uow, printer_id=counter.receipt_printer.id, authorization=owner)
        assert printing.list_printers(uow) == []
    cashier = Authorization(counter.staff["Alex"], Permission.SELL)
    with pytest.raises(PermissionDenied), counter.db.write() as uow:
        printing.save_printer(uow, printer=counter.receipt_printer, authorization=cashier)


def test_print_history_of_an_order_and_a_test_page(counter: Counter) -> None:
    placed, _ = counter.sell([("COF-LAT", 1)])
    with counter.db.write() as uow:
        printing.print_test_page(uow, printer_id=counter.receipt_printer.id)
    counter.worker.run_once()
    assert "Test page: Front counter" in decode(counter.front.wait_for_jobs(3)[2]).text
    with counter.db.read() as uow:
        history = printing.print_jobs_for_order(uow, order_id=placed.order_id)
    assert [(job.kind, job.status) for job in history] == [
        (JobKind.DRAWER, JobStatus.PRINTED),
        (JobKind.RECEIPT, JobStatus.PRINTED),
    ]


def test_the_background_worker_prints_as_soon_as_it_is_woken(counter: Counter) -> None:
    worker = PrintWorker(counter.db, timeouts=FAST, idle_poll_s=30)
    worker.start()
    try:
        counter.sell([("COF-LAT", 1)], kind=TenderKind.CARD)
        worker.wake()
        (job,) = counter.front.wait_for_jobs(1, timeout_s=5)
        assert "1 x Latte" in decode(job).text
    finally:
        worker.stop()
    assert not worker.running


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=30.0, jitter=0.5)
    rng = random.Random(1)
    for attempts, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (40, 30.0)]:
        delays = [policy.delay_s(attempts, rng) for _ in range(200)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(set(delays)) > 100  # jittered, so printers don't retry in lock step
