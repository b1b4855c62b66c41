"""Checks requests against Stripe's published OpenAPI description (API version 2023-08-16).

Generic OpenAPI request validators don't read Stripe's nested form keys, so this module:
matches method + path to the operation (literal paths before templated ones), decodes
`a[b][0]=x` / `x[]=1` into nested data, coerces the strings by the schema (integers,
booleans, numbers, arrays sent as indexed keys, `anyOf` with `""` meaning "unset"), then
validates with `openapi-schema-validator`: the form body against the operation's
`requestBody` schema, or the query against its parameters. Violations come back as
Stripe-worded messages (`Received unknown parameter: x`, `Missing required param: x.`,
`Invalid integer: x`).

The spec is found, in order: an explicit path, `$POS_STRIPE_OPENAPI_SPEC`, then
`../shared/stripe/openapi-spec3-2023-08-16.json` relative to the repository root (and the
same relative path from each folder above it, so a git worktree finds it too).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_app.payments.emulator.forms import as_list, bracket_name, decode_nested

SPEC_ENV = "POS_STRIPE_OPENAPI_SPEC"
SPEC_FILENAME = "openapi-spec3-2023-08-16.json"
SPEC_URI = "urn:stripe-openapi"
_FORM = "application/x-www-form-urlencoded"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def find_spec(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The spec file to use, or None when there is none (callers then skip with a reason)."""
    if explicit is not None:
        return Path(explicit)
    from_env = os.environ.get(SPEC_ENV)
    if from_env:
        return Path(from_env)
    root = repo_root()
    for folder in (root, *root.parents):
        candidate = folder.parent / "shared" / "stripe" / SPEC_FILENAME
        if candidate.is_file():
            return candidate
    return None


def spec_search_description() -> str:
    from_env = os.environ.get(SPEC_ENV)
    if from_env:
        return f"${SPEC_ENV}={from_env} (no such file)"
    return (
        f"${SPEC_ENV}, or ../shared/stripe/{SPEC_FILENAME} relative to the repository root "
        f"({repo_root()}) or one of the folders above it"
    )


@dataclass(frozen=True)
class Violation:
    message: str
    code: str | None = None
    param: str | None = None


@dataclass(frozen=True)
class _Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    pointer: str  # JSON pointer of the operation object inside the spec
    operation: dict[str, Any]


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


class OpenAPIChecker:
    def __init__(self, spec: dict[str, Any], source: Path | None = None) -> None:
        from openapi_schema_validator import OAS30Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        self.spec = spec
        self.source = source
        self._validator_class = OAS30Validator
        self._registry = Registry().with_resource(
            SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT4)
        )
        self._operations: dict[str, list[_Operation]] = {}
        for template, item in spec["paths"].items():
            regex = (
                "^"
                + re.sub(
                    r"\{[^}]+\}",
                    "[^/]+",
                    re.escape(template).replace(r"\{", "{").replace(r"\}", "}"),
                )
                + "$"
            )
            for method, operation in item.items():
                if method not in ("get", "post", "delete"):
                    continue
                pointer = f"/paths/{_escape(template)}/{method}"
                self._operations.setdefault(method.upper(), []).append(
                    _Operation(method.upper(), template, re.compile(regex), pointer, operation)
                )
        for operations in self._operations.values():
            operations.sort(key=lambda op: (op.template.count("{"), -len(op.template)))

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> OpenAPIChecker:
        """Parses (once per file: the spec is 2.7 MB) and returns a checker."""
        found = find_spec(path)
        if found is None:
            raise FileNotFoundError(
                f"Stripe's OpenAPI spec not found ({spec_search_description()})"
            )
        return _load_cached(str(found.resolve()))

    # -- matching ----------------------------------------------------------------------------
    def operation_for(self, method: str, path: str) -> _Operation | None:
        for operation in self._operations.get(method.upper(), []):
            if operation.pattern.match(path):
                return operation
        return None

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            ref: str = schema["$ref"]
            node: Any = self.spec
            for part in ref.lstrip("#/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
        return schema

    # -- checking ----------------------------------------------------------------------------
    def check(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]] = (),
        form: Sequence[tuple[str, str]] = (),
    ) -> list[Violation]:
        operation = self.operation_for(method, path)
        if operation is None:
            known = any(op.pattern.match(path) for ops in self._operations.values() for op in ops)
            what = "method" if known else "endpoint"
            return [
                Violation(
                    f"Unknown {what}: {method} {path} is not in Stripe's API "
                    f"(spec {SPEC_FILENAME})."
                )
            ]
        try:
            if method.upper() == "POST":
                return self._check_body(operation, decode_nested([*query, *form]))
            return self._check_query(operation, decode_nested(query))
        except Exception as error:  # a malformed key: report it, don't crash the server
            return [Violation(f"Could not read the parameters: {error}")]

    def _check_body(self, operation: _Operation, data: dict[str, Any]) -> list[Violation]:
        body = operation.operation.get("requestBody", {}).get("content", {}).get(_FORM)
        if body is None:
            return [
                Violation(f"Received unknown parameter: {name}", "parameter_unknown", name)
                for name in data
            ]
        schema = self._resolve(body["schema"])
        pointer = f"{operation.pointer}/requestBody/content/{_escape(_FORM)}/schema"
        value = self._coerce(data, schema)
        return [*self._validate(value, pointer, ()), *self._closed_extras(value, schema, ())]

    def _check_query(self, operation: _Operation, data: dict[str, Any]) -> list[Violation]:
        violations: list[Violation] = []
        parameters = operation.operation.get("parameters", [])
        by_name = {
            p["name"]: (index, p) for index, p in enumerate(parameters) if p.get("in") == "query"
        }
        for name in data:
            if name not in by_name:
                violations.append(
                    Violation(f"Received unknown parameter: {name}", "parameter_unknown", name)
                )
        for name, (index, parameter) in by_name.items():
            if name not in data:
                if parameter.get("required"):
                    violations.append(
                        Violation(f"Missing required param: {name}.", "parameter_missing", name)
                    )
                continue
            schema = self._resolve(parameter.get("schema", {}))
            value = self._coerce(data[name], schema)
            pointer = f"{operation.pointer}/parameters/{index}/schema"
            violations.extend(self._validate(value, pointer, (name,)))
        return violations

    def _closed_extras(
        self, value: Any, schema: dict[str, Any], path: tuple[str, ...]
    ) -> Iterator[Violation]:
        """Unknown keys in nested objects the spec leaves open but Stripe's server refuses.

        Stripe's description marks only top-level bodies `additionalProperties: false`; its
        server answers parameter_unknown for unknown nested keys too (`process_config[x]`).
        An object with `properties` and no `additionalProperties` is treated as closed.
        """
        schema = self._resolve(schema)
        if "anyOf" in schema or "oneOf" in schema:
            yield from self._closed_extras(
                value, self._pick_typed(value, schema.get("anyOf") or schema["oneOf"]), path
            )
            return
        if isinstance(value, dict) and schema.get("type") == "object":
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                if key in properties:
                    yield from self._closed_extras(item, properties[key], (*path, key))
                elif extra is None and properties and path:
                    name = bracket_name((*path, key))
                    yield Violation(
                        f"Received unknown parameter: {name}", "parameter_unknown", name
                    )
                elif isinstance(extra, dict):
                    yield from self._closed_extras(item, extra, (*path, key))
        elif isinstance(value, list) and schema.get("type") == "array":
            for index, item in enumerate(value):
                yield from self._closed_extras(item, schema.get("items", {}), (*path, str(index)))

    def _pick_typed(self, value: Any, options: list[dict[str, Any]]) -> dict[str, Any]:
        resolved = [self._resolve(option) for option in options]
        if isinstance(value, dict):
            return _best_object(value, resolved) or resolved[0]
        wanted = "array" if isinstance(value, list) else None
        return next((o for o in resolved if o.get("type") == wanted), resolved[0])

    # -- coercion: form strings to the schema's types ---------------------------------------
    def _coerce(self, value: Any, schema: dict[str, Any]) -> Any:
        schema = self._resolve(schema)
        if "anyOf" in schema or "oneOf" in schema:
            return self._coerce(value, self._pick(value, schema.get("anyOf") or schema["oneOf"]))
        kind = schema.get("type")
        if kind == "object" and isinstance(value, dict):
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            coerced = {}
            for key, item in value.items():
                sub = properties.get(key)
                if sub is None:
                    sub = extra if isinstance(extra, dict) else {}
                coerced[key] = self._coerce(item, sub)
            return coerced
        if kind == "array":
            if isinstance(value, dict):
                try:
                    value = as_list(value)
                except TypeError:
                    return value
            if isinstance(value, list):
                items = schema.get("items", {})
                return [self._coerce(item, items) for item in value]
            return value
        if isinstance(value, str):
            if kind == "integer" and re.fullmatch(r"-?\d+", value):
                return int(value)
            if kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", value):
                return float(value) if "." in value else int(value)
            if kind == "boolean" and value in ("true", "false"):
                return value == "true"
        return value

    def _pick(self, value: Any, options: list[dict[str, Any]]) -> dict[str, Any]:
        resolved = [self._resolve(option) for option in options]

        def first(kind: str) -> dict[str, Any] | None:
            return next((o for o in resolved if o.get("type") == kind and "enum" not in o), None)

        if value == "":
            unset = next((o for o in resolved if o.get("enum") == [""]), None)
            if unset is not None:
                return unset
        if isinstance(value, dict):
            is_indexed = bool(value) and all(key.isdigit() for key in value)
            choice = (
                (first("array") if is_indexed else None)
                or _best_object(value, resolved)
                or first("array")
            )
        elif isinstance(value, list):
            choice = first("array")
        else:
            choice = None
            if re.fullmatch(r"-?\d+", value):
                choice = first("integer") or first("number")
            elif value in ("true", "false"):
                choice = first("boolean")
            choice = (
                choice
                or first("string")
                or next((o for o in resolved if "enum" in o and value in o["enum"]), None)
            )
        return choice or resolved[0]

    # -- validation ----------------------------------------------------------------------------
    def _validate(
        self, instance: Any, pointer: str, prefix: tuple[str, ...]
    ) -> Iterator[Violation]:
        validator = self._validator_class(
            {"$ref": f"{SPEC_URI}#{pointer}"}, registry=self._registry
        )
        for error in validator.iter_errors(instance):
            yield from self._explain(error, prefix)

    def _explain(self, error: Any, prefix: tuple[str, ...]) -> Iterator[Violation]:
        from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

        path = (*prefix, *[str(part) for part in error.absolute_path])
        param = bracket_name(path) or None
        kind = error.validator
        schema = error.schema if isinstance(error.schema, dict) else {}
        if kind in ("anyOf", "oneOf") and error.context:
            yield from self._explain(best_match(error.context), prefix)
            return
        if kind == "additionalProperties":
            allowed = set(schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    name = bracket_name((*path, key))
                    yield Violation(
                        f"Received unknown parameter: {name}", "parameter_unknown", name
                    )
            return
        if kind == "required":
            for key in schema.get("required", []):
                if isinstance(error.instance, dict) and key not in error.instance:
                    name = bracket_name((*path, key))
                    yield Violation(f"Missing required param: {name}.", "parameter_missing", name)
            return
        value = error.instance
        if kind == "type":
            expected = error.validator_value
            if expected == "integer":
                yield Violation(f"Invalid integer: {value}", "parameter_invalid_integer", param)
            elif expected == "boolean":
                yield Violation(f"Invalid boolean: {value}", None, param)
            elif expected == "object" and value == "":
                yield Violation(
                    f"Invalid {param}: an empty string only unsets fields that allow it.",
                    "parameter_invalid_empty",
                    param,
                )
            else:
                yield Violation(f"Invalid {expected}: {param} got {json.dumps(value)}", None, param)
            return
        if kind == "enum":
            choices = ", ".join(str(choice) for choice in error.validator_value)
            yield Violation(f"Invalid {param}: must be one of {choices}", None, param)
            return
        if kind == "maxLength":
            yield Violation(
                f"Invalid {param}: must be at most {error.validator_value} characters", None, param
            )
            return
        yield Violation(f"Invalid {param}: {error.message}", None, param)


def _best_object(value: dict[str, Any], options: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Of several object shapes (`card`: a number with its expiry, or a `token`), the first
    whose properties name every key sent; else the first object shape."""
    objects = [o for o in options if o.get("type") == "object" and "enum" not in o]
    covering = (o for o in objects if set(value) <= set(o.get("properties", {})))
    return next(covering, objects[0] if objects else None)


@functools.lru_cache(maxsize=4)
def _load_cached(path: str) -> OpenAPIChecker:
    with open(path, encoding="utf-8") as handle:
        spec = json.load(handle)
    return OpenAPIChecker(spec, Path(path))


def format_violations(violations: Iterable[Violation]) -> str:
    return "; ".join(v.message for v in violations)
