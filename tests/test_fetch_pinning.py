"""DNS rebinding: the fetcher connects only to addresses the SSRF guard vetted.

A fake resolver answers for invented ``.test`` host names, a different answer on each lookup
when a test says so (the rebinding attack). Every socket the fetcher opens is seen by a spy on
``socket.create_connection``, which stands the local 127.0.0.1 server in for the invented
public addresses. The guard is on (``allow_private=False``) throughout.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import httpcore
import pytest

from storydesk.ingest.fetch.client import Fetcher
from storydesk.ingest.fetch.errors import FetchError
from storydesk.options import FetchPolicy
from tests.localserver import Answer, Server, serve

PAGE = b"<html><body><p>A page.</p></body></html>"
PUBLIC_A = "93.184.215.14"  # public addresses the tests pretend to own: the local server
PUBLIC_B = "93.184.215.15"
PUBLIC_DEAD = "93.184.215.16"  # a public address where nothing listens
GUARDED = FetchPolicy(
    allow_private=False, delay=0.0, backoff=0.01, timeout=1.0, connect_timeout=1.0, retries=0
)
NO_ROBOTS = replace(GUARDED, obey_robots=False)


@dataclass
class Net:
    """The fake resolver's answers and what the fetcher did with them."""

    answers: dict[str, list[list[str]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)  # host names looked up, in order
    connects: list[str] = field(default_factory=list)  # hosts sockets were opened to

    def looked_up(self, host: str) -> int:
        return self.lookups.count(host)


@pytest.fixture
def net(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Net, Server]]:
    """The fake network, and the local server standing in for PUBLIC_A and PUBLIC_B."""
    state = Net()
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.create_connection

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in state.answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        state.lookups.append(name)
        queue = state.answers[name]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]  # the last answer repeats
        port = int(port or 0)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    with serve({"/robots.txt": Answer(404), "/a": Answer(body=PAGE)}) as srv:
        local_port = int(srv.base.rsplit(":", 1)[1])

        def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
            host = address[0]
            state.connects.append(host)
            if host in (PUBLIC_A, PUBLIC_B):
                return real_connect(("127.0.0.1", local_port), *args, **kwargs)
            if host == PUBLIC_DEAD:
                raise ConnectionRefusedError(111, "Connection refused")
            return real_connect(address, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        yield state, srv


def _port(srv: Server) -> str:
    return srv.base.rsplit(":", 1)[1]


def test_rebinding_host_is_pinned_to_the_vetted_address(net: tuple[Net, Server]) -> None:
    state, srv = net
    # First lookup public, every later one loopback: the classic rebinding answer.
    state.answers["rebind.test"] = [[PUBLIC_A], ["127.0.0.1"]]
    url = f"http://rebind.test:{_port(srv)}/a"
    with Fetcher(NO_ROBOTS) as fetcher:
        assert fetcher.fetch(url).content == PAGE
    # The socket went to the vetted address, not to the name (which would now be 127.0.0.1),
    # and the name was looked up once: the address checked is the address connected to.
    assert state.connects == [PUBLIC_A]
    assert state.looked_up("rebind.test") == 1
    assert dict(srv.seen)["/a"]["host"] == f"rebind.test:{_port(srv)}"


def test_rebinding_between_connections_is_refused(net: tuple[Net, Server]) -> None:
    state, srv = net
    # robots.txt is read over one connection; the page needs a second one (the server closes
    # each), whose lookup now answers loopback: that connection is refused, not opened.
    state.answers["rebind.test"] = [[PUBLIC_A], ["127.0.0.1"]]
    url = f"http://rebind.test:{_port(srv)}/a"
    with (
        Fetcher(GUARDED) as fetcher,
        pytest.raises(FetchError, match=r"^refused: rebind\.test resolves to 127\.0\.0\.1"),
    ):
        fetcher.fetch(url)
    assert state.connects == [PUBLIC_A]
    assert srv.hits("/robots.txt") == 1 and srv.hits("/a") == 0


def test_every_redirect_hop_is_pinned(net: tuple[Net, Server]) -> None:
    state, srv = net
    port = _port(srv)
    srv.routes["/start"] = Answer(302, headers={"Location": f"http://hop.test:{port}/a"})
    state.answers["first.test"] = [[PUBLIC_A], ["127.0.0.1"]]
    state.answers["hop.test"] = [[PUBLIC_B], ["127.0.0.1"]]
    with Fetcher(NO_ROBOTS) as fetcher:
        got = fetcher.fetch(f"http://first.test:{port}/start")
    assert got.content == PAGE and got.final_url == f"http://hop.test:{port}/a"
    assert state.connects == [PUBLIC_A, PUBLIC_B]
    assert state.looked_up("first.test") == 1 and state.looked_up("hop.test") == 1
    assert dict(srv.seen)["/a"]["host"] == f"hop.test:{port}"


def test_redirect_to_a_name_that_rebinds_to_loopback_is_refused(net: tuple[Net, Server]) -> None:
    state, srv = net
    port = _port(srv)
    srv.routes["/start"] = Answer(302, headers={"Location": f"http://evil.test:{port}/a"})
    state.answers["first.test"] = [[PUBLIC_A]]
    state.answers["evil.test"] = [["127.0.0.1"]]
    with (
        Fetcher(NO_ROBOTS) as fetcher,
        pytest.raises(FetchError, match=r"refused: evil\.test resolves to 127\.0\.0\.1"),
    ):
        fetcher.fetch(f"http://first.test:{port}/start")
    assert state.connects == [PUBLIC_A]
    assert srv.hits("/start") == 1 and srv.hits("/a") == 0


@pytest.mark.parametrize("policy", [GUARDED, NO_ROBOTS], ids=["robots", "no-robots"])
def test_host_name_resolving_to_loopback_is_refused_by_default(
    net: tuple[Net, Server], policy: FetchPolicy
) -> None:
    state, srv = net
    state.answers["loopback.test"] = [["127.0.0.1"]]
    with (
        Fetcher(policy) as fetcher,
        pytest.raises(
            FetchError, match=r"^refused: loopback\.test resolves to 127\.0\.0\.1, a loopback"
        ),
    ):
        fetcher.fetch(f"http://loopback.test:{_port(srv)}/a")
    assert state.connects == [] and srv.seen == []


def test_one_forbidden_address_among_public_ones_refuses_the_host(
    net: tuple[Net, Server],
) -> None:
    state, srv = net
    state.answers["mixed.test"] = [[PUBLIC_A, "10.0.0.5"]]
    with (
        Fetcher(NO_ROBOTS) as fetcher,
        pytest.raises(FetchError, match=r"refused: mixed\.test resolves to 10\.0\.0\.5, a priv"),
    ):
        fetcher.fetch(f"http://mixed.test:{_port(srv)}/a")
    assert state.connects == [] and srv.seen == []


def test_next_vetted_address_is_tried_when_one_refuses(net: tuple[Net, Server]) -> None:
    state, srv = net
    state.answers["two.test"] = [[PUBLIC_DEAD, PUBLIC_B]]
    with Fetcher(NO_ROBOTS) as fetcher:
        assert fetcher.fetch(f"http://two.test:{_port(srv)}/a").content == PAGE
    assert state.connects == [PUBLIC_DEAD, PUBLIC_B]


class _StopAtTLS(Exception):
    pass


class _Recorder(httpcore.NetworkBackend):
    """Records where the pinned backend connects and how TLS is started, then stops."""

    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []
        self.tls: list[tuple[str | None, ssl.SSLContext]] = []

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.connected.append((host, port))
        recorder = self

        class Stream(httpcore.NetworkStream):
            def start_tls(
                self,
                ssl_context: ssl.SSLContext,
                server_hostname: str | None = None,
                timeout: float | None = None,
            ) -> httpcore.NetworkStream:
                recorder.tls.append((server_hostname, ssl_context))
                raise _StopAtTLS

            def close(self) -> None:
                pass

        return Stream()


def test_https_keeps_sni_and_certificate_checks_for_the_host_name(
    net: tuple[Net, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    state, _ = net
    state.answers["secure.test"] = [[PUBLIC_A], ["127.0.0.1"]]
    recorder = _Recorder()
    monkeypatch.setattr(httpcore, "SyncBackend", lambda: recorder)
    with Fetcher(NO_ROBOTS) as fetcher, pytest.raises(_StopAtTLS):
        fetcher.fetch("https://secure.test/a")
    assert recorder.connected == [(PUBLIC_A, 443)]  # the socket goes to the vetted address
    [(server_hostname, context)] = recorder.tls
    assert server_hostname == "secure.test"  # SNI and the certificate's name: the URL's host
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
