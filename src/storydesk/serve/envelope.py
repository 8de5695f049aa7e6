"""The JSON envelopes (datasette style), opaque cursors, and ETags."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from fastapi import HTTPException, Request, Response
from pydantic import BaseModel

from storydesk.render.jsonout import dumps

JSON = "application/json"


class Rows(BaseModel):
    """A page of a list: its rows and the cursor of the next page (null on the last)."""

    ok: Literal[True]
    rows: list[dict[str, Any]]
    next: str | None


class Data(BaseModel):
    """One resource."""

    ok: Literal[True]
    data: dict[str, Any]
    next: None = None


class Failure(BaseModel):
    """What went wrong, and the HTTP status again."""

    ok: Literal[False]
    error: str
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Failure, "description": text}
    for code, text in (
        (400, "Bad request (a malformed search query, a bad cursor, a refused correction)"),
        (404, "Not found"),
        (413, "Request body too large"),
        (422, "Invalid parameters"),
        (500, "Internal error"),
    )
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": Failure, "description": "A token is required"},
    403: {"model": Failure, "description": "Wrong token"},
}


def json_response(
    obj: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """JSON text as storydesk writes it (compact), served as application/json."""
    return Response(dumps(obj, indent=None), status, dict(headers or {}), media_type=JSON)


def rows(items: Sequence[dict[str, Any]], next_token: str | None = None) -> Response:
    """The list envelope."""
    return json_response({"ok": True, "rows": list(items), "next": next_token})


def data(obj: Any, headers: Mapping[str, str] | None = None, status: int = 200) -> Response:
    """The single-resource envelope."""
    return json_response({"ok": True, "data": obj, "next": None}, status, headers)


def failure(status: int, error: str, headers: Mapping[str, str] | None = None) -> Response:
    """The error envelope."""
    return json_response({"ok": False, "error": error, "status": status}, status, headers)


def encode_cursor(state: Mapping[str, Any]) -> str:
    """An opaque token for where the next page starts."""
    raw = json.dumps(dict(state), separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str | None, key: str) -> int:
    """The position a token holds under ``key`` (0 without a token); 400 for a bad token."""
    if not token:
        return 0
    try:
        state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        value = state[key]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise HTTPException(400, "invalid cursor: pass the `next` token of a page as is") from None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise HTTPException(400, "invalid cursor: pass the `next` token of a page as is")
    return value


def etag_of(body: bytes) -> str:
    """A strong ETag: the hash of the representation."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def conditional(request: Request, response: Response) -> Response:
    """The response with its ETag, or 304 when the client's If-None-Match holds it."""
    tag = etag_of(bytes(response.body))
    wanted = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",") if t.strip()}
    if tag in tags or "*" in tags:
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return response
