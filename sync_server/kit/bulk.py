"""Set-based writes: one `INSERT … SELECT FROM jsonb_array_elements(:rows)` per table per batch.

A push of 500 lines is a handful of statements instead of hundreds of round trips. The rows
travel as one JSON document of positional arrays: pydantic-core's Rust encoder (it writes
UUIDs, datetimes and bytes itself, where the standard library's encoder calls back into Python
for each) and PostgreSQL's C parser do the work (adapting Python lists to typed arrays value
by value cost several times more). The tenant is a single parameter; row-level security
checks every row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pydantic_core
from sqlalchemy import Connection, CursorResult, text


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql_type: str
    """The PostgreSQL type of the column (``jsonb`` columns take the JSON value as it is)."""

    def extract(self, index: int) -> str:
        """The SQL that reads this column from the JSON row ``e``."""
        if self.sql_type == "jsonb":
            return f"(e->{index})"
        if self.sql_type == "bytea":  # `rows_json` writes bytes as bare hex digits
            return f"decode(e->>{index}, 'hex')"
        return f"CAST(e->>{index} AS {self.sql_type})"


def uuid_col(name: str) -> Column:
    return Column(name, "uuid")


def int_col(name: str) -> Column:
    return Column(name, "bigint")


def text_col(name: str) -> Column:
    return Column(name, "text")


def bool_col(name: str) -> Column:
    return Column(name, "boolean")


def time_col(name: str) -> Column:
    return Column(name, "timestamptz")


def json_col(name: str) -> Column:
    return Column(name, "jsonb")


def _unsendable(value: Any) -> Any:
    raise TypeError(f"cannot send {type(value).__name__} to PostgreSQL as JSON")


def rows_json(rows: Sequence[Sequence[Any]]) -> str:
    # UUIDs and datetimes as their ISO text, which PostgreSQL's casts read back exactly.
    return pydantic_core.to_json(rows, bytes_mode="hex", fallback=_unsendable).decode()


def _insert(
    conn: Connection,
    table: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    tenant_id: uuid.UUID,
    tail: str,
) -> CursorResult[Any]:
    names = ", ".join(column.name for column in columns)
    selects = ", ".join(column.extract(index) for index, column in enumerate(columns))
    params: dict[str, Any] = {"tenant_id": tenant_id, "rows": rows_json(rows)}
    sql = (
        f"INSERT INTO {table} (tenant_id, {names}) "
        f"SELECT CAST(:tenant_id AS uuid), {selects} "
        f"FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS e{tail}"
    )
    return conn.execute(text(sql), params)


def bulk_insert(
    conn: Connection,
    table: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    tenant_id: uuid.UUID,
    on_conflict: str | None = "DO NOTHING",
    conflict_target: str = "(tenant_id, id)",
) -> None:
    """Insert `rows` (tuples in `columns` order) for one tenant."""
    if rows:
        tail = f" ON CONFLICT {conflict_target} {on_conflict}" if on_conflict is not None else ""
        _insert(conn, table, columns, rows, tenant_id, tail)


def bulk_insert_ids(
    conn: Connection,
    table: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    tenant_id: uuid.UUID,
    on_conflict: str = "DO NOTHING",
) -> list[uuid.UUID]:
    """Insert `rows` like `bulk_insert`; answers the ids of the rows written (a conflict that
    did nothing writes none)."""
    if not rows:
        return []
    tail = f" ON CONFLICT (tenant_id, id) {on_conflict} RETURNING id"
    return list(_insert(conn, table, columns, rows, tenant_id, tail).scalars())


def bulk_insert_count(
    conn: Connection,
    table: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    tenant_id: uuid.UUID,
) -> int:
    """Insert `rows` for one tenant, skipping any whose id is taken; answers how many went in.

    The count alone tells whether a conflict skipped a row, without sending the rows back.
    """
    if not rows:
        return 0
    tail = " ON CONFLICT (tenant_id, id) DO NOTHING"
    return _insert(conn, table, columns, rows, tenant_id, tail).rowcount


def update_set(columns: Sequence[Column], *, skip: Sequence[str] = ("id",)) -> str:
    """``SET a = EXCLUDED.a, …`` for an upsert."""
    return ", ".join(
        f"{column.name} = EXCLUDED.{column.name}" for column in columns if column.name not in skip
    )
