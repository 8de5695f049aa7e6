"""The API's documentation page: the OpenAPI schema as plain HTML (no scripts, strict CSP)."""

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from storydesk.serve.context import Context


def router(ctx: Context) -> APIRouter:
    """The /api/docs page."""
    r = APIRouter()

    @r.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        """Every path, method and summary of the OpenAPI schema, escaped."""
        return HTMLResponse(page(request.app.openapi()))

    return r


def page(schema: dict[str, Any]) -> str:
    """The schema as an HTML page: one row per operation, with its parameters."""
    e = html.escape
    info = schema.get("info", {})
    rows = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            params = ", ".join(e(p.get("name", "")) for p in op.get("parameters", []))
            rows.append(
                f"<tr><td>{e(method.upper())}</td><td><code>{e(path)}</code></td>"
                f"<td>{e(op.get('summary', ''))}</td><td>{params}</td></tr>"
            )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{e(info.get('title', 'API'))} API</title></head><body>"
        f"<h1>{e(info.get('title', ''))} {e(info.get('version', ''))}</h1>"
        f"<p>{e(info.get('description', ''))}</p>"
        '<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>. Lists: '
        '<code>{"ok": true, "rows": [...], "next": TOKEN|null}</code>; errors: '
        '<code>{"ok": false, "error": "...", "status": N}</code>.</p>'
        "<table><tr><th>method</th><th>path</th><th>what</th><th>parameters</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )
