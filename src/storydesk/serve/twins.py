"""List resources served three ways: the route, its `.json` twin and its `.csv` twin."""

import functools
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response

from storydesk.render.csvout import rows_csv
from storydesk.serve.envelope import ERRORS, Rows, rows

Page = tuple[list[dict[str, Any]], str | None]  # rows and the next page's cursor
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
}


def twins(router: APIRouter, path: str, fetch: Callable[..., Page], summary: str) -> None:
    """Register ``path`` and ``path.json`` (the rows envelope) and ``path.csv`` (CSV text)."""
    for suffix in (".json", ".csv", ""):  # suffixed first: `/x/{id}` would take `/x/3.json`
        csv = suffix == ".csv"
        router.add_api_route(
            path + suffix,
            _endpoint(fetch, csv),
            methods=["GET"],
            summary=summary + (" (CSV)" if csv else ""),
            response_model=None,
            response_class=Response,
            responses={**ERRORS, **(CSV_RESPONSE if csv else {200: {"model": Rows}})},
            name=f"{fetch.__name__}{suffix.replace('.', '_')}",
        )


def _endpoint(fetch: Callable[..., Page], csv: bool) -> Callable[..., Response]:
    @functools.wraps(fetch)
    def endpoint(**params: Any) -> Response:
        found = fetch(**params)
        if isinstance(found, Response):  # a redirect
            return found
        items, next_token = found
        if not csv:
            return rows(items, next_token)
        headers = {"X-Next-Cursor": next_token} if next_token else {}
        return Response(rows_csv(items), media_type="text/csv; charset=utf-8", headers=headers)

    return endpoint
