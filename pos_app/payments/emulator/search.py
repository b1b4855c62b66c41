"""Stripe's search query language, the part the register uses.

Clauses `field:value`, `field~value` (substring), `field>value`/`<`/`>=`/`<=` (numbers),
`-field:value` (negation), `metadata['key']:'value'`, joined by `AND` or by `OR` (Stripe
refuses a mix of both). Strings are quoted with ' or "; numbers and `null` are bare.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pos_app.payments.emulator.errors import validation_error

if TYPE_CHECKING:
    from pos_app.payments.emulator.forms import Params
    from pos_app.payments.emulator.store import Store

_CLAUSE = re.compile(
    r"""\s*(?P<neg>-)?
    (?P<field>[a-z_]+(?:\[(?P<q1>['"])(?P<key>.*?)(?P=q1)\])?)
    \s*(?P<op>:|~|>=|<=|>|<)\s*
    (?:(?P<q2>['"])(?P<text>(?:\\.|(?!(?P=q2)).)*)(?P=q2)|(?P<bare>[^\s]+))\s*""",
    re.VERBOSE,
)
_JOIN = re.compile(r"\s+(AND|OR)\s+")


@dataclass(frozen=True)
class Clause:
    field: str
    key: str | None
    op: str
    value: str | None
    negated: bool


def parse_query(query: str, fields: set[str]) -> tuple[str, list[Clause]]:
    """Returns ("AND"|"OR", clauses); raises Stripe's 400 on anything it cannot read."""
    text = query.strip()
    if not text:
        raise validation_error(
            "Missing required param: query.", param="query", code="parameter_missing"
        )
    clauses: list[Clause] = []
    joins: set[str] = set()
    position = 0
    while True:
        match = _CLAUSE.match(text, position)
        if match is None:
            raise _bad_query(query, position)
        field_name = match.group("field").split("[", 1)[0]
        key = match.group("key")
        if field_name not in fields or (field_name == "metadata") != (key is not None):
            raise validation_error(
                f"Field `{match.group('field')}` is an unsupported search field for "
                f"resource. See https://stripe.com/docs/search#query-fields for a list of "
                "supported fields.",
                param="query",
            )
        raw = match.group("text")
        value = raw.replace("\\'", "'").replace('\\"', '"') if raw is not None else None
        if value is None:
            bare = match.group("bare")
            value = None if bare == "null" else bare
        clauses.append(Clause(field_name, key, match.group("op"), value, bool(match.group("neg"))))
        position = match.end()
        if position >= len(text):
            break
        join = _JOIN.match(text, position - 1) or _JOIN.match(text, position)
        if join is None:
            raise _bad_query(query, position)
        joins.add(join.group(1))
        position = join.end()
    if len(joins) > 1:
        raise validation_error(
            "Queries can't contain both AND and OR. Use one or the other.", param="query"
        )
    if len(clauses) > 10:
        raise validation_error("A query can have at most 10 clauses.", param="query")
    return (joins.pop() if joins else "AND"), clauses


def _bad_query(query: str, position: int) -> Exception:
    return validation_error(
        f"Invalid search query: could not parse `{query}` at position {position}. See "
        "https://stripe.com/docs/search#search-query-language for the query syntax.",
        param="query",
    )


def matcher(join: str, clauses: list[Clause]) -> Callable[[dict[str, Any]], bool]:
    def test(clause: Clause, obj: dict[str, Any]) -> bool:
        if clause.field == "metadata":
            actual: Any = obj.get("metadata", {}).get(clause.key or "")
        else:
            actual = obj.get(clause.field)
        result = _compare(actual, clause.op, clause.value)
        return not result if clause.negated else result

    if join == "OR":
        return lambda obj: any(test(clause, obj) for clause in clauses)
    return lambda obj: all(test(clause, obj) for clause in clauses)


def _compare(actual: Any, op: str, value: str | None) -> bool:
    if op == ":":
        if value is None:
            return actual is None
        if isinstance(actual, int) and not isinstance(actual, bool):
            return str(actual) == value
        return isinstance(actual, str) and actual.lower() == value.lower()
    if op == "~":
        return isinstance(actual, str) and value is not None and value.lower() in actual.lower()
    try:
        number = int(value or "")
    except ValueError:
        raise validation_error(
            f"Range operators need a number; got `{value}`.", param="query"
        ) from None
    if not isinstance(actual, int):
        return False
    return {
        ">": actual > number,
        "<": actual < number,
        ">=": actual >= number,
        "<=": actual <= number,
    }[op]


def search_page(
    store: Store, prefix: str, params: Params, fields: set[str], url: str, *, delay: float
) -> dict[str, Any]:
    """`GET /v1/<objects>/search`: a `search_result` page, newest first, paged by `page`.

    Search is eventually consistent at Stripe; `delay` (emulator seconds) emulates that lag:
    an object becomes visible to search that long after it was created."""
    query = params.get_str("query", required=True) or ""
    join, clauses = parse_query(query, fields)
    test = matcher(join, clauses)
    limit = params.get_int("limit")
    limit = 10 if limit is None else limit
    if not 1 <= limit <= 100:
        raise validation_error("Invalid limit: must be between 1 and 100", param="limit")
    page_token = params.get_str("page")
    offset = 0
    if page_token:
        try:
            offset = int(base64.urlsafe_b64decode(page_token.encode()).decode())
        except (ValueError, UnicodeDecodeError):
            raise validation_error("Invalid page token.", param="page") from None
    visible_before = store.clock.now() - delay
    hits = [
        obj
        for obj in reversed(store.all(prefix))
        if store.indexed_at[obj["id"]] <= visible_before and test(obj)
    ]
    page = hits[offset : offset + limit]
    has_more = offset + limit < len(hits)
    next_page = (
        base64.urlsafe_b64encode(str(offset + limit).encode()).decode() if has_more else None
    )
    return {
        "object": "search_result",
        "data": page,
        "has_more": has_more,
        "next_page": next_page,
        "url": url,
    }
