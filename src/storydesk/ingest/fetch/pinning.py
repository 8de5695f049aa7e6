"""Connections pinned to vetted addresses: the SSRF guard's answer to DNS rebinding.

Checking a host name and then letting the HTTP client resolve it again leaves a gap: a
rebinding DNS server can answer the check with a public address and the connection with a
private one. Here the name is resolved once, where the connection is opened: every address is
vetted (``guard.vetted_addresses``) and the socket is opened to one of exactly those addresses.
httpcore still uses the URL's host name for the ``Host`` header, TLS SNI and certificate
verification, since it takes them from the request, not from the backend. A pooled connection
was vetted when it was opened, so every request and every redirect hop goes through this.
Every read and write on such a connection is also cut to the time the current request has left
(``FetchPolicy.max_time``), so a server that drips its headers or body byte by byte is stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from storydesk.ingest.fetch.errors import FetchError, HostError
from storydesk.ingest.fetch.guard import vetted_addresses

SocketOption = Any  # httpcore's SOCKET_OPTION: a setsockopt argument tuple
Deadline = Callable[[], float | None]  # the monotonic time the current request must end by


def _within(
    deadline: Deadline | None, timeout: float | None, error: type[Exception]
) -> float | None:
    """A socket timeout cut to the time left before the request's deadline; error once past it."""
    limit = deadline() if deadline is not None else None
    if limit is None:
        return timeout
    left = limit - time.monotonic()
    if left <= 0:
        raise error("the response took longer than its time limit")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within(self._deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        limit = _within(self._deadline, timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, limit), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """A sync network backend that connects only to addresses the SSRF guard vetted."""

    def __init__(
        self,
        allow_private: bool,
        inner: httpcore.NetworkBackend | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self.allow_private = allow_private
        self._inner = inner if inner is not None else httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = vetted_addresses(host, port, self.allow_private)
        if not addresses:
            raise HostError(f"cannot resolve host {host}: no addresses")
        options = list(socket_options or [])
        failure: Exception | None = None
        for address in addresses:  # in resolver order, as socket.create_connection does
            try:
                limit = _within(self._deadline, timeout, httpcore.ConnectTimeout)
                stream = self._inner.connect_tcp(str(address), port, limit, local_address, options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return stream if self._deadline is None else DeadlineStream(stream, self._deadline)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        raise FetchError("unix sockets are not fetched from")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def pinned_transport(allow_private: bool, deadline: Deadline | None = None) -> httpx.HTTPTransport:
    """An httpx transport (no proxy; default TLS verification) whose sockets are pinned."""
    transport = httpx.HTTPTransport(trust_env=False)
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    if not isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
        raise RuntimeError("httpx.HTTPTransport no longer keeps an httpcore pool in _pool")
    # httpx exposes no network_backend option; its pool is replaced by an equal one that has it.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=PinnedBackend(allow_private, deadline=deadline),
    )
    return transport
