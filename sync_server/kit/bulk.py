"""Set-based writes: one `INSERT … SELECT FROM unnest(arrays)` per table per batch.

A push of 500 lines is a handful of statements instead of hundreds of round trips. The tenant is
a single parameter (row-level security checks it on every row all the same).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    array_type: str
    """The PostgreSQL array type the Python list is cast to, e.g. ``uuid[]``."""
    select: str | None = None
    """An expression over ``u.<name>`` when the stored type differs (``u.details::jsonb``)."""


def uuid_col(name: str) -> Column:
    return Column(name, "uuid[]")


def int_col(name: str) -> Column:
    return Column(name, "bigint[]")


def text_col(name: str) -> Column:
    return Column(name, "text[]")


def bool_col(name: str) -> Column:
    return Column(name, "boolean[]")


def time_col(name: str) -> Column:
    return Column(name, "timestamptz[]")


def json_col(name: str) -> Column:
    return Column(name, "text[]", f"u.{name}::jsonb")


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
    params: dict[str, Any] = {"tenant_id": tenant_id}
    unnest_args = []
    for index, column in enumerate(columns):
        params[f"c{index}"] = [row[index] for row in rows]
        unnest_args.append(f"CAST(:c{index} AS {column.array_type})")
    names = ", ".join(column.name for column in columns)
    selects = ", ".join(column.select or f"u.{column.name}" for column in columns)
    sql = (
        f"INSERT INTO {table} (tenant_id, {names}) "
        f"SELECT CAST(:tenant_id AS uuid), {selects} "
        f"FROM unnest({', '.join(unnest_args)}) AS u({names})"
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
