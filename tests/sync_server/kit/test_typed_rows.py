"""Typed rows (`sync_server.kit.rows`) against real PostgreSQL: a query's rows arrive as its
NamedTuple, a query whose columns drift from the row type is refused, and with the value check
on (as in every server test) a value of another type than declared is refused too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

import pytest
from sqlalchemy import Connection, Engine, text

from sync_server.kit.rows import CHECK_VAR, RowShapeError, row_as, rows_as

pytestmark = pytest.mark.postgres


class Sample(NamedTuple):
    id: uuid.UUID
    label: str
    amount: int
    at: datetime | None


class Summed(NamedTuple):
    total: int


class SummedAsNumeric(NamedTuple):
    total: Decimal


_SAMPLES = (
    "SELECT CAST(x.id AS uuid) AS id, x.label, x.amount, CAST(x.at AS timestamptz) AS at "
    "FROM (VALUES ('00000000-0000-4000-8000-000000000001', 'coffee', 250, '2026-03-14 12:00Z'),"
    "             ('00000000-0000-4000-8000-000000000002', 'tea', 180, NULL)) "
    "AS x(id, label, amount, at) ORDER BY x.label"
)


@pytest.fixture
def conn(admin_db: Engine) -> Iterator[Connection]:
    with admin_db.connect() as connection:
        yield connection


def test_rows_arrive_as_their_named_tuple(conn: Connection) -> None:
    rows = rows_as(Sample, conn.execute(text(_SAMPLES)))
    assert [type(row) for row in rows] == [Sample, Sample]
    assert [(row.label, row.amount, row.at) for row in rows] == [
        ("coffee", 250, datetime.fromisoformat("2026-03-14T12:00:00+00:00")),
        ("tea", 180, None),
    ]
    assert rows[0].id == uuid.UUID("00000000-0000-4000-8000-000000000001")
    assert rows[1]._asdict()["label"] == "tea"  # what `sync-server refused --json` prints


def test_one_row_or_none(conn: Connection) -> None:
    found = row_as(Sample, conn.execute(text(f"{_SAMPLES} LIMIT 1")))
    assert found is not None
    assert found.label == "coffee"
    assert row_as(Sample, conn.execute(text(f"{_SAMPLES} LIMIT 0"))) is None


def test_columns_that_drift_from_the_row_type_are_refused(conn: Connection) -> None:
    swapped = "SELECT id, amount, label, at FROM (" + _SAMPLES + ") s"
    with pytest.raises(RowShapeError, match=r"\('id', 'amount', 'label', 'at'\)"):
        rows_as(Sample, conn.execute(text(swapped)))
    with pytest.raises(RowShapeError, match="Summed has fields"):
        row_as(Summed, conn.execute(text("SELECT 1 AS sum")))


def test_a_value_of_another_type_than_declared_is_refused(
    conn: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sum() of bigint is numeric: PostgreSQL answers a Decimal, which an `int` field is not.
    summed = "SELECT sum(x) AS total FROM (VALUES (CAST(1 AS bigint)), (2)) AS v(x)"
    monkeypatch.setenv(CHECK_VAR, "1")
    with pytest.raises(RowShapeError, match=r"Summed.total is declared \(<class 'int'>,\)"):
        rows_as(Summed, conn.execute(text(summed)))
    assert rows_as(SummedAsNumeric, conn.execute(text(summed))) == [SummedAsNumeric(Decimal(3))]
    # Off, only the columns are compared (the server's own setting: no cost per value).
    monkeypatch.setenv(CHECK_VAR, "0")
    assert [row.total for row in rows_as(Summed, conn.execute(text(summed)))] == [3]
