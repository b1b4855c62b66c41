"""Errors that become clear JSON 4xx answers; handlers that keep anything else from being a 500."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the client can act on: a status, a stable code and a sentence."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = dict(headers or {})


class Unauthorized(ApiError):
    status_code = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status_code = 403
    code = "forbidden"


class NotFound(ApiError):
    status_code = 404
    code = "not_found"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(ApiError):
    status_code = 413
    code = "payload_too_large"


class Unprocessable(ApiError):
    status_code = 422
    code = "invalid"


class TooManyRequests(ApiError):
    status_code = 429
    code = "too_many_requests"


class ServiceUnavailable(ApiError):
    status_code = 503
    code = "unavailable"


class ErrorDetail(BaseModel):
    """One problem in a request: the field, and inside a push batch the change's seq."""

    model_config = ConfigDict(extra="allow")
    field: str
    message: str
    seq: int | None = Field(default=None, description="The change's seq, inside a push batch")
    index: int | None = Field(default=None, description="The change's place in the batch")


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable, for programs: `unauthorized`, `invalid`, …")
    message: str = Field(description="One sentence, for people")
    details: list[ErrorDetail]


class ErrorResponse(BaseModel):
    """The body of every error answer, 4xx and 503 (see `error_body`)."""

    error: ErrorInfo


def error_responses(descriptions: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries: each status with its description and `ErrorResponse`.

    The content is spelled out rather than given as `model=`, which FastAPI files under the
    route's own media type (text/html for the unsubscribe pages) while errors are always JSON;
    the app publishes the schema itself (`app.py`)."""
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    return {
        status: {"description": description, "content": content}
        for status, description in descriptions.items()
    }


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def _json_error(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def validation_details(errors: list[Any], body: Any) -> list[dict[str, Any]]:
    """Readable fields; inside a push batch, the change's `seq` instead of its list index."""
    details = []
    for error in errors[:50]:
        location = list(error.get("loc", ()))
        detail: dict[str, Any] = {}
        if location[:2] == ["body", "batch"] and len(location) > 2 and isinstance(location[2], int):
            index = location[2]
            rest = location[3:]
            item = _batch_item(body, index)
            if rest and isinstance(item, dict) and rest[0] == item.get("entity"):
                rest = rest[1:]  # the discriminator's tag adds nothing for the reader
            seq = item.get("seq") if isinstance(item, dict) else None
            if isinstance(seq, int) and not isinstance(seq, bool):
                detail["seq"] = seq
            detail["field"] = _path(rest) or f"batch[{index}]"
            detail["index"] = index
        else:
            where = _path(location[1:] if location[:1] == ["body"] else location)
            detail["field"] = where or "body"  # the body as a whole (not an object, say)
        detail["message"] = str(error.get("msg", "invalid"))
        details.append(detail)
    return details


def _batch_item(body: Any, index: int) -> Any:
    if isinstance(body, dict):
        batch = body.get("batch")
        if isinstance(batch, list) and 0 <= index < len(batch):
            return batch[index]
    return None


DATABASE_RETRY_AFTER_S = 5
"""`Retry-After` of a 503 while the database does not answer."""

_FASTAPI_UNREADABLE_BODY = "There was an error parsing the body"


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else {}
        headers.update(exc.headers)
        return _json_error(exc.status_code, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = validation_details(list(exc.errors()), exc.body)
        first = details[0] if details else {"field": "body", "message": "invalid"}
        where = f"change seq {first['seq']}: " if "seq" in first else ""
        hint = ""
        if first["field"] == "body" and not _is_json(request.headers.get("content-type", "")):
            hint = " (send JSON, with Content-Type: application/json)"
        return _json_error(
            422,
            "invalid",
            f"invalid request: {where}{first['field']}: {first['message']}{hint}",
            details,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == _FASTAPI_UNREADABLE_BODY:
            # FastAPI's answer to a body json.loads cannot even start on (not UTF-8, nested past
            # the recursion limit): the same 422 as any other bad JSON.
            return _json_error(
                422, "invalid", "invalid request: body: not JSON in UTF-8, or nested too deeply"
            )
        return _json_error(exc.status_code, "http_error", str(exc.detail))

    # Last line of defence: a constraint the validation missed is the client's bad data, not
    # a crash. The service validates first; these mean a rule is missing there.
    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error reached the edge: %s", exc.orig)
        return _json_error(409, "conflict", "the request conflicts with stored data")

    # The database is down, refusing, silent past its timeouts, or every pooled connection is
    # busy: the same answer on every route, one a register already retries with back-off.
    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", str(getattr(exc, "orig", None) or exc)[:200])
        return _json_error(
            503,
            "unavailable",
            "the database is not answering: try again shortly",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )

    for unavailable in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(unavailable, _database_unavailable)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        log.warning("data error reached the edge: %s", exc.orig)
        return _json_error(
            422, "invalid", f"a value is out of range or malformed: {_database_says(exc.orig)}"
        )


def _database_says(error: BaseException | None) -> str:
    """The database's one-line reason (never the statement: that names tables, not the value)."""
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    if isinstance(primary, str) and primary:
        return primary
    text = str(error).strip().splitlines()
    return text[0] if text else "no reason given"
