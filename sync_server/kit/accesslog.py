"""Keeps personal data and secrets out of uvicorn's access log.

An unsubscribe link carries the customer's address and its token in the query string (mail
clients and RFC 8058's one-click POST send the link exactly as written), so for those paths the
log keeps the path and drops the query."""

from __future__ import annotations

import logging

PRIVATE_QUERY_PATHS = ("/v1/notifications/unsubscribe/",)


class DropPrivateQueries(logging.Filter):
    """Rewrites uvicorn's access record `(client, method, path?query, version, status)`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, question, _ = args[2].partition("?")
            if question and path.startswith(PRIVATE_QUERY_PATHS):
                record.args = (*args[:2], f"{path}?[removed]", *args[3:])
        return True


def install() -> None:
    """Filter the access logger (idempotent; logging's dictConfig keeps a logger's filters)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, DropPrivateQueries) for existing in access.filters):
        access.addFilter(DropPrivateQueries())
