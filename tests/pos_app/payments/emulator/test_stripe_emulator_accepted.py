"""The emulator's own parameter tables, held to Stripe's OpenAPI description (2023-08-16).

The tables in `pos_app/payments/emulator/accepted.py` are written by hand; these tests read
Stripe's description from `../shared/stripe/` (never copied into the project) and check, for
every route the emulator serves, that what the emulator accepts is a subset of what Stripe
allows, and that requests generated from the tables are accepted and refused exactly as the
description says: valid ones, one with an unknown key at each nesting level, one with a wrong
type at each leaf.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pos_app.payments.emulator.accepted import ACCEPTED
from pos_app.payments.emulator.errors import StripeError
from pos_app.payments.emulator.forms import bracket_name
from pos_app.payments.emulator.openapi_check import OpenAPIChecker
from pos_app.payments.emulator.schema import (
    Arr,
    Bool,
    Field,
    Int,
    IntOrRange,
    Meta,
    Obj,
    Str,
    check,
)
from tests.support.stripe_emulator_fixtures import require_openapi_spec

pytestmark = pytest.mark.stripe_emulator

ROUTES = sorted(ACCEPTED, key=lambda route: (route[1], route[0]))
ROUTE_IDS = [f"{method} {template}" for method, template in ROUTES]


@pytest.fixture(scope="module")
def checker() -> OpenAPIChecker:
    return require_openapi_spec()


def concrete(template: str) -> str:
    """A request path for a route template (`{intent}` -> `x_1`)."""
    import re

    return re.sub(r"\{\w+\}", "x_1", template)


def spec_parameters(checker: OpenAPIChecker, method: str, template: str) -> dict[str, Any]:
    """The operation's parameters as one object schema: the form body, or the query."""
    operation = checker.operation_for(method, concrete(template))
    assert operation is not None, f"{method} {template} is not in Stripe's description"
    if method == "POST":
        content = operation.operation.get("requestBody", {}).get("content", {})
        form = content.get("application/x-www-form-urlencoded")
        return checker._resolve(form["schema"]) if form else {"properties": {}}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for parameter in operation.operation.get("parameters", []):
        if parameter.get("in") == "query":
            properties[parameter["name"]] = parameter.get("schema", {})
            if parameter.get("required"):
                required.append(parameter["name"])
    return {"type": "object", "properties": properties, "required": required}


def options(checker: OpenAPIChecker, schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = checker._resolve(schema)
    choices = schema.get("anyOf") or schema.get("oneOf")
    if choices is None:
        return [schema]
    return [resolved for choice in choices for resolved in options(checker, choice)]


def unsettable_in_spec(checker: OpenAPIChecker, schema: dict[str, Any]) -> bool:
    return any(option.get("enum") == [""] for option in options(checker, schema))


def typed(checker: OpenAPIChecker, schema: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((o for o in options(checker, schema) if o.get("type") == kind), None)


def assert_subset(checker: OpenAPIChecker, mine: Field, spec: dict[str, Any], path: str) -> None:
    if mine.unsettable:
        assert unsettable_in_spec(checker, spec), f"{path}: Stripe does not allow '' here"
    match mine:
        case Obj(fields=fields, required=required):
            # Of several object shapes (`card`: a number, or a `token`), the one naming them.
            shapes = [o for o in options(checker, spec) if o.get("type") == "object"]
            found = next(
                (o for o in shapes if set(fields) <= set(o.get("properties", {}))),
                shapes[0] if shapes else None,
            )
            assert found is not None, f"{path}: not an object in Stripe"
            assert "properties" in found, f"{path}: Stripe lists no keys here"
            properties = found["properties"]
            for name, field in fields.items():
                inner = f"{path}[{name}]" if path else name
                assert name in properties, f"{inner}: Stripe does not accept this parameter"
                assert_subset(checker, field, properties[name], inner)
            assert sorted(required) == sorted(found.get("required", [])), (
                f"{path or 'top level'}: required {required}, Stripe says {found.get('required')}"
            )
        case Meta():
            found = typed(checker, spec, "object")
            assert found is not None
            assert found.get("additionalProperties") == {"type": "string"}
        case Arr(item=item):
            found = typed(checker, spec, "array")
            assert found is not None, f"{path}: not an array in Stripe"
            assert_subset(checker, item, found["items"], f"{path}[0]")
        case IntOrRange():
            assert typed(checker, spec, "integer") is not None, path
            assert typed(checker, spec, "object") is not None, path
        case Str(max_length=max_length, enum=choices):
            found = typed(checker, spec, "string")
            assert found is not None, f"{path}: not a string in Stripe"
            allowed = found.get("maxLength")
            if allowed is not None and choices is None:
                assert max_length is not None, f"{path}: Stripe limits the length"
                assert max_length <= allowed, f"{path}: max length"
            if choices is not None:
                assert set(choices) <= set(found.get("enum") or choices), f"{path}: enum"
            else:
                assert found.get("enum") is None, f"{path}: Stripe restricts it to an enum"
        case Int():
            assert typed(checker, spec, "integer") is not None, f"{path}: not an integer"
        case Bool():
            assert typed(checker, spec, "boolean") is not None, f"{path}: not a boolean"
        case _:
            raise AssertionError(f"{path}: no rule for {mine!r}")


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_every_accepted_parameter_is_one_stripe_allows(
    checker: OpenAPIChecker, route: tuple[str, str]
) -> None:
    method, template = route
    assert_subset(checker, ACCEPTED[route], spec_parameters(checker, method, template), "")


# -- requests generated from the tables ------------------------------------------------------
def sample(field: Field) -> Any:
    """A valid value, in the nested shape the form decoder produces."""
    match field:
        case Obj(fields=fields):
            return {name: sample(inner) for name, inner in fields.items()}
        case Meta():
            return {"order": "o-1"}
        case Arr(item=item):
            return [sample(item)]
        case Str(enum=choices):
            return choices[0] if choices else "usd"
        case Int() | IntOrRange():
            return "1200"
        case Bool():
            return "true"
    raise AssertionError(field)


def objects(field: Field, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every path at which the request holds a closed object (where an unknown key can go)."""
    match field:
        case Obj(fields=fields):
            # An object Stripe's description lists no keys for (`interac_present`) is open
            # there: the description is silent, the emulator refuses keys as for the others.
            if fields:
                yield path
            for name, inner in fields.items():
                yield from objects(inner, (*path, name))
        case Arr(item=item):
            yield from objects(item, (*path, "0"))


def leaves(field: Field, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Field]]:
    match field:
        case Obj(fields=fields):
            for name, inner in fields.items():
                yield from leaves(inner, (*path, name))
        case Arr(item=item):
            yield from leaves(item, (*path, "0"))
        case _:
            yield path, field


def encode(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [
            pair
            for key, item in value.items()
            for pair in encode(item, f"{prefix}[{key}]" if prefix else key)
        ]
    if isinstance(value, list):
        return [
            pair for index, item in enumerate(value) for pair in encode(item, f"{prefix}[{index}]")
        ]
    return [(prefix, value)]


def put(data: Any, path: tuple[str, ...], value: Any) -> Any:
    node = data
    for part in path[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(path[-1])] = value
    else:
        node[path[-1]] = value
    return data


def spec_verdict(checker: OpenAPIChecker, method: str, template: str, data: Any) -> list[str]:
    pairs = encode(data)
    path = concrete(template)
    if method == "POST":
        return [v.message for v in checker.check(method, path, (), pairs)]
    return [v.message for v in checker.check(method, path, pairs, ())]


def emulator_verdict(template: str, method: str, data: Any) -> StripeError | None:
    from pos_app.payments.emulator.forms import decode_nested

    try:
        check(ACCEPTED[(method, template)], decode_nested(encode(data)))
    except StripeError as error:
        return error
    return None


def fresh(route: tuple[str, str]) -> Any:
    data = sample(ACCEPTED[route])
    # `expand` names fields of the answer, not parameters: the decoder needs none here.
    data.pop("expand", None)
    return data


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_request_using_every_accepted_parameter_is_valid_for_both(
    checker: OpenAPIChecker, route: tuple[str, str]
) -> None:
    method, template = route
    data = fresh(route)
    assert spec_verdict(checker, method, template, data) == []
    assert emulator_verdict(template, method, data) is None


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_an_unknown_key_at_every_depth_is_refused_by_both_naming_it(
    checker: OpenAPIChecker, route: tuple[str, str]
) -> None:
    """Stripe answers parameter_unknown for unknown nested keys too (issue 18:
    `process_config[skip_tiping]`); the description marks only top levels closed, and the
    checker treats nested objects with listed properties as closed, as Stripe's server does."""
    method, template = route
    for at in objects(ACCEPTED[route]):
        data = (
            put(fresh(route), (*at, "bogus_key"), "1") if at else {**fresh(route), "bogus_key": "1"}
        )
        name = bracket_name((*at, "bogus_key"))
        assert f"Received unknown parameter: {name}" in spec_verdict(
            checker, method, template, data
        )
        error = emulator_verdict(template, method, data)
        assert error is not None
        assert error.status == 400
        assert (error.code, error.param) == ("parameter_unknown", name)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_wrong_type_at_every_leaf_is_refused_by_both(
    checker: OpenAPIChecker, route: tuple[str, str]
) -> None:
    method, template = route
    for at, field in leaves(ACCEPTED[route]):
        if isinstance(field, Int | IntOrRange):
            wrong, code = "twelve", "parameter_invalid_integer"
        elif isinstance(field, Bool):
            wrong, code = "maybe", None
        elif isinstance(field, Str) and field.enum:
            wrong, code = "not_a_choice", None
        else:
            continue
        data = put(fresh(route), at, wrong)
        assert spec_verdict(checker, method, template, data), f"{at}: Stripe accepts {wrong!r}"
        error = emulator_verdict(template, method, data)
        assert error is not None, f"{at}: the emulator accepts {wrong!r}"
        assert (error.code, error.param) == (code, bracket_name(at))


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_missing_required_parameter_is_refused_by_both(
    checker: OpenAPIChecker, route: tuple[str, str]
) -> None:
    method, template = route

    def required(field: Field, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
        if isinstance(field, Obj):
            for name in field.required:
                yield (*path, name)
            for name, inner in field.fields.items():
                yield from required(inner, (*path, name))

    for at in required(ACCEPTED[route]):
        data = fresh(route)
        node = data
        for part in at[:-1]:
            node = node[part]
        del node[at[-1]]
        if not node and len(at) > 1:
            # `card[token]` is `card`'s only key: without it the form sends no `card` at all,
            # which is another request (one the endpoint itself refuses, see customers.py).
            continue
        name = bracket_name(at)
        assert f"Missing required param: {name}." in spec_verdict(checker, method, template, data)
        error = emulator_verdict(template, method, data)
        assert error is not None
        assert (error.code, error.param) == ("parameter_missing", name)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_an_empty_string_is_refused_where_stripe_cannot_unset(
    checker: OpenAPIChecker, route: tuple[str, str]
) -> None:
    method, template = route
    for at, field in leaves(ACCEPTED[route]):
        if not isinstance(field, Int | Bool) or field.unsettable:
            continue
        data = put(fresh(route), at, "")
        assert spec_verdict(checker, method, template, data), f"{at}: Stripe accepts ''"
        error = emulator_verdict(template, method, data)
        assert error is not None
        assert (error.code, error.param) == (
            "parameter_invalid_empty",
            bracket_name(at),
        )
