"""Declarative parameter shapes, checked the way Stripe's API checks them, before any endpoint runs.

Each route's table (see `accepted.py`) is an `Obj` of `Str`/`Int`/`Bool`/`Obj`/`Arr`/`Meta`/
`IntOrRange` fields. `check` walks the decoded form data and raises the first problem as the
400 Stripe answers: `parameter_unknown` at any depth, `parameter_missing`,
`parameter_invalid_integer`, `parameter_invalid_empty` (an empty string for something that
cannot be unset), with `param` in Stripe's bracket notation (`process_config[skip_tiping]`).
The tables are hand-written subsets of Stripe's OpenAPI description; a test holds them to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pos_app.payments.emulator.errors import (
    invalid_boolean,
    invalid_choice,
    invalid_empty,
    invalid_integer,
    missing_parameter,
    unknown_parameter,
    validation_error,
)
from pos_app.payments.emulator.forms import as_list, bracket_name, parse_int

Path = tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """`unsettable`: Stripe's description allows `""` here (meaning "unset")."""

    unsettable: bool = field(default=False, kw_only=True)

    def check(self, value: Any, path: Path) -> None:
        if value == "" and not self.unsettable:
            raise invalid_empty(bracket_name(path))
        if value != "":
            self.check_value(value, path)

    def check_value(self, value: Any, path: Path) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Str(Field):
    max_length: int | None = 5000
    enum: tuple[str, ...] | None = None

    def check(self, value: Any, path: Path) -> None:
        # A plain optional string may be empty; an enum only when "" is one of its values.
        if value == "" and self.enum is None:
            return
        self.check_value(value, path)

    def check_value(self, value: Any, path: Path) -> None:
        name = bracket_name(path)
        if not isinstance(value, str):
            raise validation_error(f"Invalid string: {name}", param=name)
        if self.enum is not None and value not in self.enum:
            raise invalid_choice(name, value, self.enum)
        if self.max_length is not None and len(value) > self.max_length:
            raise validation_error(
                f"Invalid {name}: must be at most {self.max_length} characters", param=name
            )


@dataclass(frozen=True)
class Int(Field):
    def check_value(self, value: Any, path: Path) -> None:
        if parse_int(value) is None:
            raise invalid_integer(bracket_name(path), value)


@dataclass(frozen=True)
class Bool(Field):
    def check_value(self, value: Any, path: Path) -> None:
        if not isinstance(value, str) or value not in ("true", "false"):
            raise invalid_boolean(bracket_name(path), value)


@dataclass(frozen=True)
class Meta(Field):
    """`metadata`: any keys, string values; `metadata=""` clears it (limits: forms.py)."""

    unsettable: bool = field(default=True, kw_only=True)

    def check_value(self, value: Any, path: Path) -> None:
        name = bracket_name(path)
        if not isinstance(value, dict):
            raise validation_error(f"Invalid object: {name}", param=name)
        for key, item in value.items():
            if not isinstance(item, str):
                inner = bracket_name((*path, key))
                raise validation_error(f"Invalid string: {inner}", param=inner)


@dataclass(frozen=True)
class Arr(Field):
    item: Field = field(default_factory=Str)

    def check_value(self, value: Any, path: Path) -> None:
        name = bracket_name(path)
        try:
            items = as_list(value)
        except TypeError:
            raise validation_error(f"Invalid array: {name}", param=name) from None
        for index, item in enumerate(items):
            self.item.check(item, (*path, str(index)))


@dataclass(frozen=True)
class Obj(Field):
    fields: Mapping[str, Field] = field(default_factory=dict)
    required: tuple[str, ...] = ()

    def check_value(self, value: Any, path: Path) -> None:
        if not isinstance(value, dict):
            name = bracket_name(path)
            raise validation_error(f"Invalid object: {name}", param=name)
        for key in value:
            if key not in self.fields:
                raise unknown_parameter(bracket_name((*path, key)))
        for key in self.required:
            if key not in value:
                raise missing_parameter(bracket_name((*path, key)))
        for key, item in value.items():
            if key in self.required and item == "":
                raise invalid_empty(bracket_name((*path, key)))
            self.fields[key].check(item, (*path, key))


RANGE = Obj({"gt": Int(), "gte": Int(), "lt": Int(), "lte": Int()})


@dataclass(frozen=True)
class IntOrRange(Field):
    """`created`: an exact timestamp, or `created[gte]=...` bounds."""

    def check_value(self, value: Any, path: Path) -> None:
        if isinstance(value, dict):
            RANGE.check(value, path)
        else:
            Int().check_value(value, path)


EXPAND = Arr(Str())


def body(required: tuple[str, ...] = (), /, **fields: Field) -> Obj:
    """A route's parameters; every Stripe route also takes `expand[]`."""
    return Obj({"expand": EXPAND, **fields}, required)


def obj(required: tuple[str, ...] = (), /, *, unsettable: bool = False, **fields: Field) -> Obj:
    return Obj(fields, required, unsettable=unsettable)


def enum(*values: str) -> Str:
    return Str(max_length=None, enum=values)


def check(table: Obj, data: Mapping[str, Any]) -> None:
    """Raises the 400 Stripe answers for the first parameter `table` does not accept."""
    table.check_value(dict(data), ())
