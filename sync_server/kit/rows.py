"""Typed rows from raw SQL: a query's result read into a NamedTuple whose fields are its columns.

`mypy --strict` then knows each row's shape, and reading costs one tuple per row (no dict), so
the merge and the fee runs pay nothing for it. The result's column names are compared with the
row type's fields once per query: a SELECT that drifts from its row type fails at once instead
of quietly swapping two columns of the same type. With `SYNC_SERVER_CHECK_ROWS=1` (the server
tests set it) every value is also checked against its field's declared type, so what the
annotations claim about PostgreSQL's answers is proven by the suite rather than believed.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import CursorResult, Row

R = TypeVar("R", bound=NamedTuple)

CHECK_VAR = "SYNC_SERVER_CHECK_ROWS"


class RowShapeError(TypeError):
    """A query's columns (or, when checked, its values) are not what its row type declares."""


def rows_as(row_type: type[R], result: CursorResult[Any]) -> list[R]:
    """Every row of `result` as `row_type`."""
    _check_columns(row_type, result.keys())
    make = row_type._make
    rows = [make(row) for row in result]
    if os.environ.get(CHECK_VAR) == "1":
        for row in rows:
            _check_values(row)
    return rows


def row_as(row_type: type[R], result: CursorResult[Any]) -> R | None:
    """The first row of `result` as `row_type`, or None when there is none."""
    _check_columns(row_type, result.keys())
    first: Row[Any] | None = result.first()
    if first is None:
        return None
    row = row_type._make(first)
    if os.environ.get(CHECK_VAR) == "1":
        _check_values(row)
    return row


def _check_columns(row_type: type[NamedTuple], keys: Iterable[str]) -> None:
    columns = tuple(keys)
    if columns != row_type._fields:
        raise RowShapeError(
            f"{row_type.__name__} has fields {row_type._fields}, the query returns {columns}"
        )


def _check_values(row: NamedTuple) -> None:
    for name, value, allowed in zip(row._fields, row, _runtime_types(type(row)), strict=True):
        if not isinstance(value, allowed):
            raise RowShapeError(
                f"{type(row).__name__}.{name} is declared {allowed}, the query gave "
                f"{type(value).__name__} {value!r}"
            )


@cache
def _runtime_types(row_type: type[NamedTuple]) -> tuple[tuple[type, ...], ...]:
    hints = typing.get_type_hints(row_type)
    return tuple(_classes(hints[name]) for name in row_type._fields)


def _classes(hint: Any) -> tuple[type, ...]:
    """The classes a value of the annotation `hint` may be an instance of."""
    if hint is Any:
        return (object,)
    if hint is None or hint is type(None):
        return (type(None),)
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return tuple(cls for arg in typing.get_args(hint) for cls in _classes(arg))
    if origin is not None:
        return (origin,)
    return (hint,)
