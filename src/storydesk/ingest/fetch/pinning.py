"""Connections pinned to vetted addresses: the SSRF guard's answer to DNS rebinding.

Checking a host name and then letting the HTTP client resolve it again leaves a gap: a
rebinding DNS server can answer the check with a public address and the connection with a
private one. Here the name is resolved once, where the connection is opened: every address is
vetted (``guard.vetted_addresses``) and the socket is opened to one of exactly those addresses.
httpcore still uses the URL's host name for the ``Host`` header, TLS SNI and certificate
verification, since it takes them from the request, not from the backend. A pooled connection
was vetted when it was opened, so every request and every redirect hop goes through this.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from storydesk.ingest.fetch.errors import FetchError, HostError
from storydesk.ingest.fetch.guard import vetted_addresses

SocketOption = Any  # httpcore's SOCKET_OPTION: a setsockopt argument tuple


class PinnedBackend(httpcore.NetworkBackend):
    """A sync network backend that connects only to addresses the SSRF guard vetted."""

    def __init__(self, allow_private: bool, inner: httpcore.NetworkBackend | None = None) -> None:
        self.allow_private = allow_private
        self._inner = inner if inner is not None else httpcore.SyncBackend()

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
                return self._inner.connect_tcp(str(address), port, timeout, local_address, options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
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


def pinned_transport(allow_private: bool) -> httpx.HTTPTransport:
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
        network_backend=PinnedBackend(allow_private),
    )
    return transport
