"""Stripe's form encoding: nested keys (`a[b][0]=x`, `x[]=1`) to nested data, and typed reads.

Stripe bodies are `application/x-www-form-urlencoded` with bracketed keys. Decoding keeps
indexed arrays (`x[0]=a`) as dicts with digit keys, because only a schema (or the endpoint)
knows whether `metadata[0]` is an array element or a metadata key named "0"; `as_list`
turns them into lists where an array is expected. `x[]=a` always means a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from pos_app.payments.emulator.errors import (
    StripeError,
    invalid_boolean,
    invalid_choice,
    invalid_empty,
    invalid_integer,
    missing_parameter,
    validation_error,
)

FormData = dict[str, Any]


def parse_pairs(raw: str) -> list[tuple[str, str]]:
    return parse_qsl(raw, keep_blank_values=True)


def split_key(key: str) -> list[str]:
    """`a[b][0][]` -> ["a", "b", "0", ""]."""
    head, bracket, rest = key.partition("[")
    if not bracket:
        return [key]
    parts = [head]
    rest = bracket + rest
    while rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            break
        parts.append(rest[1:end])
        rest = rest[end + 1 :]
    if rest:
        # Malformed trailing text ("a[b]c"): keep it on the last segment like Rack does.
        parts[-1] += rest
    return parts


def decode_nested(pairs: Iterable[tuple[str, str]]) -> FormData:
    result: FormData = {}
    for key, value in pairs:
        _assign(result, split_key(key), value, key)
    return result


def _assign(container: FormData, parts: list[str], value: str, full_key: str) -> None:
    node: Any = container
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(node, list):
            # Only reached for `x[][...]`: each `[]` starts a new element.
            if last:
                node.append(value)
                return
            child: Any = {}
            node.append(child)
            node = child
            continue
        if last:
            if part == "" and index > 0:
                raise validation_error(f"Invalid array: {full_key}", param=full_key)
            if isinstance(node.get(part), dict | list):
                raise validation_error(f"Invalid hash: {full_key}", param=full_key)
            node[part] = value
            return
        next_part = parts[index + 1]
        existing = node.get(part)
        if next_part == "":
            if existing is None:
                existing = []
                node[part] = existing
            elif not isinstance(existing, list):
                raise validation_error(f"Invalid array: {full_key}", param=full_key)
            if index + 1 == len(parts) - 1:
                existing.append(value)
                return
            element: FormData = {}
            existing.append(element)
            _assign(element, parts[index + 2 :], value, full_key)
            return
        if existing is None:
            existing = {}
            node[part] = existing
        elif not isinstance(existing, dict):
            raise validation_error(f"Invalid hash: {full_key}", param=full_key)
        node = existing


def as_list(value: Any) -> list[Any]:
    """An array parameter sent as `x[]=..` (list) or `x[0]=..` (dict with digit keys)."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and all(key.isdigit() for key in value):
        return [value[key] for key in sorted(value, key=int)]
    raise TypeError("not an array")


def bracket_name(parts: Iterable[str | int]) -> str:
    items = [str(part) for part in parts]
    if not items:
        return ""
    return items[0] + "".join(f"[{item}]" for item in items[1:])


class Params:
    """Typed, Stripe-worded reads of one request's parameters (checked against the route's
    table in accepted.py before the endpoint runs)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)

    def has(self, name: str) -> bool:
        return name in self.data

    def get_str(self, name: str, *, required: bool = False, max_length: int = 5000) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise missing_parameter(name)
            return None
        if not isinstance(value, str):
            raise validation_error(f"Invalid string: {name}", param=name)
        if required and value == "":
            raise invalid_empty(name)
        if len(value) > max_length:
            raise validation_error(
                f"Invalid {name}: must be at most {max_length} characters", param=name
            )
        return value

    def get_int(
        self, name: str, *, required: bool = False, minimum: int | None = None
    ) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise missing_parameter(name)
            return None
        number = parse_int(value)
        if number is None:
            raise invalid_integer(name, value)
        if minimum is not None and number < minimum:
            raise validation_error(
                f"This value must be greater than or equal to {minimum}.", param=name
            )
        return number

    def get_bool(self, name: str) -> bool | None:
        value = self.data.get(name)
        if value is None:
            return None
        parsed = parse_bool(value)
        if parsed is None:
            raise invalid_boolean(name, value)
        return parsed

    def get_choice(
        self, name: str, choices: tuple[str, ...], *, required: bool = False
    ) -> str | None:
        value = self.get_str(name, required=required)
        if value is None:
            return None
        if value not in choices:
            raise invalid_choice(name, value, choices)
        return value

    def get_dict(self, name: str) -> dict[str, Any] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise validation_error(f"Invalid object: {name}", param=name)
        return value

    def get_list(self, name: str) -> list[Any] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if value == "":
            return []
        try:
            return as_list(value)
        except TypeError:
            raise validation_error(f"Invalid array: {name}", param=name) from None

    def metadata(self) -> dict[str, str] | None:
        """`metadata[k]=v` sets, `metadata[k]=` unsets a key, `metadata=` unsets all."""
        value = self.data.get("metadata")
        if value is None:
            return None
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise validation_error("Invalid object: metadata", param="metadata")
        for key, item in value.items():
            if not isinstance(item, str):
                raise validation_error(
                    f"Invalid value for metadata[{key}]: must be a string",
                    param=f"metadata[{key}]",
                )
            if len(key) > 40:
                raise validation_error(
                    f"Metadata keys can have up to 40 characters; '{key}' has {len(key)}.",
                    param=f"metadata[{key}]",
                )
            if len(item) > 500:
                raise validation_error(
                    f"Metadata values can have up to 500 characters; metadata[{key}] has "
                    f"{len(item)}.",
                    param=f"metadata[{key}]",
                )
        return dict(value)

    def expand(self) -> list[str]:
        value = self.data.get("expand")
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        try:
            return [str(item) for item in as_list(value)]
        except TypeError:
            raise validation_error("Invalid array: expand", param="expand") from None


def merge_metadata(current: dict[str, str], update: dict[str, str] | None) -> dict[str, str]:
    if update is None:
        return current
    if update == {}:
        return {}
    merged = dict(current)
    for key, value in update.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > 50:
        raise validation_error("You can have up to 50 metadata keys.", param="metadata")
    return merged


def parse_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    return None


__all__ = [
    "FormData",
    "Params",
    "StripeError",
    "as_list",
    "bracket_name",
    "decode_nested",
    "merge_metadata",
    "parse_bool",
    "parse_int",
    "parse_pairs",
    "split_key",
]
