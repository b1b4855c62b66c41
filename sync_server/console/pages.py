"""Rendering the console's pages: Jinja2 templates (autoescaped, strict about missing
variables) with the translator `t` of the page's locale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sync_server.console.i18n import Translator

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    template: str, t: Translator, *, status: int = 200, headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:  # fmt: skip
    context.setdefault("user", None)
    context.setdefault("csrf", "")
    context.setdefault("notice", None)
    context.setdefault("error", None)
    context.setdefault("active", "")
    body = _environment.get_template(template).render(t=t, **context)
    return HTMLResponse(body, status_code=status, headers=headers)
