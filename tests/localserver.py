"""A tiny HTTP server on 127.0.0.1 for fetcher tests: routes map paths to canned answers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase


@dataclass
class Answer:
    """What the server sends for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0
    # Writes the whole raw response itself (status line, headers, body), for hostile servers.
    write: Callable[[BufferedIOBase], object] | None = None


Route = Answer | Callable[[BaseHTTPRequestHandler], Answer]


@dataclass
class Server:
    """A running server: its base URL, routes and the requests it saw."""

    base: str
    routes: dict[str, Route]
    seen: list[tuple[str, dict[str, str]]]

    def hits(self, path: str) -> int:
        """How many requests a path got."""
        return sum(1 for p, _ in self.seen if p == path)


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[Server]:
    """Run a server on an ephemeral 127.0.0.1 port for the duration of the block."""
    seen: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = routes.get(self.path) or routes.get(self.path.split("?")[0])
            answer = route(self) if callable(route) else route
            if answer is None:
                answer = Answer(404, b"not found")
            if answer.delay:
                time.sleep(answer.delay)
            if answer.write is not None:
                with suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
                    answer.write(self.wfile)
                return
            self.send_response(answer.status)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            if "Content-Length" not in answer.headers:
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_port}", routes, seen)
    finally:
        server.shutdown()
        server.server_close()
