"""Set-based writes: one `INSERT … SELECT FROM jsonb_array_elements(:rows)` per table per batch.

A push of 500 lines is a handful of statements instead of hundreds of round trips. The rows
travel as one JSON document of positional arrays: the standard library's C encoder and
PostgreSQL's C parser do the work (adapting Python lists to typed arrays value by value cost
several times more). The tenant is a single parameter; row-level security checks every row.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql_type: str
    """The PostgreSQL type of the column (``jsonb`` columns take the JSON value as it is)."""

    def extract(self, index: int) -> str:
        """The SQL that reads this column from the JSON row ``e``."""
        if self.sql_type == "jsonb":
            return f"(e->{index})"
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


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    raise TypeError(f"cannot send {type(value).__name__} to PostgreSQL as JSON")


def rows_json(rows: Sequence[Sequence[Any]]) -> str:
    return json.dumps(rows, default=_default, separators=(",", ":"))


def bulk_insert(
    conn: Connection,
    table: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    tenant_id: Any,
    on_conflict: str | None = "DO NOTHING",
    conflict_target: str = "(tenant_id, id)",
    returning: str | None = None,
) -> list[Any]:
    """Insert `rows` (tuples in `columns` order) for one tenant; returns RETURNING rows if asked."""
    if not rows:
        return []
    names = ", ".join(column.name for column in columns)
    selects = ", ".join(column.extract(index) for index, column in enumerate(columns))
    params: dict[str, Any] = {"tenant_id": tenant_id, "rows": rows_json(rows)}
    sql = (
        f"INSERT INTO {table} (tenant_id, {names}) "
        f"SELECT CAST(:tenant_id AS uuid), {selects} "
        f"FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS e"
    )
    if on_conflict is not None:
        sql += f" ON CONFLICT {conflict_target} {on_conflict}"
    if returning:
        sql += f" RETURNING {returning}"
        return list(conn.execute(text(sql), params))
    conn.execute(text(sql), params)
    return []


def update_set(columns: Sequence[Column], *, skip: Sequence[str] = ("id",)) -> str:
    """``SET a = EXCLUDED.a, …`` for an upsert."""
    return ", ".join(
        f"{column.name} = EXCLUDED.{column.name}" for column in columns if column.name not in skip
    )
