"""The card attempt's and the refund allocation's states: every pair of states is either in
the table of allowed moves (and passes) or refused, and the stored values never change."""

from __future__ import annotations

import itertools

import pytest

from pos_app.domain.errors import InvalidTransition
from pos_app.domain.payments import (
    ALLOWED_TRANSITIONS,
    APPROVED,
    IN_FLIGHT,
    SETTLED,
    PaymentStatus,
    check_transition,
)
from pos_app.domain.refunds import (
    ALLOCATION_TRANSITIONS,
    AllocationStatus,
    check_allocation_transition,
)


def test_payment_status_values_are_the_stored_strings() -> None:
    # What SQLite holds and the outbox pushes to the server: renaming one would orphan rows.
    assert [s.value for s in PaymentStatus] == [
        "pending",
        "created",
        "processing",
        "declined",
        "authorized",
        "capturing",
        "canceling",
        "captured",
        "canceled",
        "failed",
    ]
    assert [s.value for s in AllocationStatus] == ["pending", "succeeded", "failed"]


def test_every_payment_status_has_a_row_in_the_table() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(PaymentStatus)
    assert set(ALLOCATION_TRANSITIONS) == set(AllocationStatus)


@pytest.mark.parametrize(
    ("old", "new"), list(itertools.product(PaymentStatus, PaymentStatus)), ids=str
)
def test_payment_transition_passes_exactly_when_the_table_allows_it(
    old: PaymentStatus, new: PaymentStatus
) -> None:
    if new in ALLOWED_TRANSITIONS[old]:
        check_transition(old, new)
    else:
        with pytest.raises(InvalidTransition, match=f"from {old} to {new}"):
            check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new"), list(itertools.product(AllocationStatus, AllocationStatus)), ids=str
)
def test_allocation_transition_passes_exactly_when_the_table_allows_it(
    old: AllocationStatus, new: AllocationStatus
) -> None:
    if new in ALLOCATION_TRANSITIONS[old]:
        check_allocation_transition(old, new)
    else:
        with pytest.raises(InvalidTransition, match=f"from {old} to {new}"):
            check_allocation_transition(old, new)


def test_the_tables_shape() -> None:
    # Settled payments go nowhere else (a captured one is only written again, for refunds).
    assert ALLOWED_TRANSITIONS[PaymentStatus.CANCELED] == frozenset()
    assert ALLOWED_TRANSITIONS[PaymentStatus.FAILED] == frozenset()
    assert ALLOWED_TRANSITIONS[PaymentStatus.CAPTURED] == {PaymentStatus.CAPTURED}
    # In flight: exactly the states that can still reach a settled one.
    assert set(IN_FLIGHT) == {
        s for s in PaymentStatus if ALLOWED_TRANSITIONS[s] - {s} and s not in SETTLED
    }
    for status in IN_FLIGHT:
        assert ALLOWED_TRANSITIONS[status] & SETTLED, status
    # Money is only taken from an approval.
    assert {s for s in PaymentStatus if PaymentStatus.CAPTURING in ALLOWED_TRANSITIONS[s]} == {
        PaymentStatus.AUTHORIZED,
        PaymentStatus.CAPTURING,
    }
    assert PaymentStatus.AUTHORIZED in APPROVED
    # A refund allocation never goes back to pending, and a failed one stays failed.
    assert not any(AllocationStatus.PENDING in moves for moves in ALLOCATION_TRANSITIONS.values())
    assert ALLOCATION_TRANSITIONS[AllocationStatus.FAILED] == frozenset()
