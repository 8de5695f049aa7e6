"""The ASGI layer in front of every route: body size limit, write token, security headers."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from storydesk.render.jsonout import dumps

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none';"
    " form-action 'none'; frame-ancestors 'none'"
)
COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


class Guard:
    """Refuses bodies over ``max_body`` (413), writes without the token (401/403); adds headers.

    The body is read here, within the limit, and replayed to the app: a chunked body without a
    Content-Length is held to the limit too.
    """

    def __init__(self, app: ASGIApp, max_body: int, token: str | None) -> None:
        self.app = app
        self.max_body = max_body
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if scope["method"] not in READS and self.token:
            refusal = self._auth(headers.get(b"authorization", b""))
            if refusal is not None:
                await _answer(send, *refusal)
                return
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _answer(send, 413, f"request body over {self.max_body} bytes")
            return
        body = b""
        more = scope["method"] not in READS or declared is not None
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await _answer(send, 413, f"request body over {self.max_body} bytes")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers", []))
                kind = next((v for k, v in out if k.lower() == b"content-type"), b"")
                out += COMMON
                if kind.startswith(b"text/html"):
                    out.append((b"content-security-policy", CSP.encode()))
                message["headers"] = out
            await send(message)

        await self.app(scope, replay, headed)

    def _auth(self, header: bytes) -> tuple[int, str] | None:
        """None when the Authorization header carries the token; else the status and why."""
        scheme, _, given = header.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return 401, "this server needs `Authorization: Bearer TOKEN` for writes"
        assert self.token is not None
        if not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            return 403, "wrong token"
        return None


async def _answer(send: Send, status: int, error: str) -> None:
    """The error envelope, sent directly."""
    body = dumps({"ok": False, "error": error, "status": status}, indent=None).encode()
    extra = [(b"www-authenticate", b"Bearer")] if status == 401 else []
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *COMMON,
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
