"""The fetcher against a server the tests start on 127.0.0.1 (SSRF guard relaxed for it)."""

from __future__ import annotations

import gzip
import socket
from dataclasses import replace

import pytest

from storydesk.ingest.fetch.client import Fetcher, retry_after
from storydesk.ingest.fetch.errors import FetchError
from storydesk.ingest.fetch.guard import check_url
from storydesk.options import USER_AGENT, FetchPolicy
from tests.localserver import Answer, serve

PAGE = b"<html><body><p>A page.</p></body></html>"
LOCAL = FetchPolicy(
    allow_private=True, delay=0.0, backoff=0.01, timeout=1.0, connect_timeout=1.0, retries=1
)


def fetch(url: str, policy: FetchPolicy = LOCAL, **kw: str | None) -> bytes:
    with Fetcher(policy) as fetcher:
        return fetcher.fetch(url, **kw).content


def test_page_is_fetched_with_a_named_user_agent() -> None:
    with serve({"/a": Answer(body=PAGE)}) as srv:
        assert fetch(srv.base + "/a") == PAGE
        headers = dict(srv.seen)["/a"]
    assert headers["user-agent"] == USER_AGENT and "storydesk" in USER_AGENT


def test_robots_txt_is_obeyed() -> None:
    robots = Answer(body=b"User-agent: storydesk\nDisallow: /private\n", headers={})
    with (
        serve({"/robots.txt": robots, "/private/a": Answer(body=PAGE)}) as srv,
        pytest.raises(FetchError, match=r"disallowed by .*robots\.txt"),
    ):
        fetch(srv.base + "/private/a")
        assert srv.hits("/private/a") == 0


def test_robots_txt_server_error_means_do_not_fetch() -> None:
    with (
        serve({"/robots.txt": Answer(503), "/a": Answer(body=PAGE)}) as srv,
        pytest.raises(FetchError, match=r"robots\.txt .* could not be read"),
    ):
        fetch(srv.base + "/a")


@pytest.mark.parametrize(("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500")])
def test_http_errors_are_named(status: int, reason: str) -> None:
    with serve({"/a": Answer(status)}) as srv, pytest.raises(FetchError, match=reason):
        fetch(srv.base + "/a")
        assert srv.hits("/a") == (2 if status == 500 else 1)  # 5xx retried once


def test_429_is_retried_honouring_retry_after() -> None:
    calls = iter([Answer(429, headers={"Retry-After": "0"}), Answer(body=PAGE)])
    with serve({"/a": lambda _: next(calls)}) as srv:
        assert fetch(srv.base + "/a") == PAGE
        assert srv.hits("/a") == 2


def test_long_retry_after_gives_up_at_once() -> None:
    with (
        serve({"/a": Answer(429, headers={"Retry-After": "3600"})}) as srv,
        pytest.raises(FetchError, match="Retry-After 3600 s is longer"),
    ):
        fetch(srv.base + "/a")
        assert srv.hits("/a") == 1


def test_timeout_is_named() -> None:
    with serve({"/slow": Answer(body=PAGE, delay=1.0)}) as srv:
        policy = replace(LOCAL, timeout=0.2, retries=0)
        with pytest.raises(FetchError, match="timed out"):
            fetch(srv.base + "/slow", policy)


def test_refused_connection_is_named() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(FetchError, match="connection failed"):
        fetch(f"http://127.0.0.1:{port}/a", replace(LOCAL, obey_robots=False, retries=0))


def test_redirect_loop_and_limit() -> None:
    loop = Answer(302, headers={"Location": "/b"})
    back = Answer(302, headers={"Location": "/a"})
    chain = {f"/r{i}": Answer(301, headers={"Location": f"/r{i + 1}"}) for i in range(10)}
    with (
        serve({"/a": loop, "/b": back, **chain, "/r10": Answer(body=PAGE)}) as srv,
        pytest.raises(FetchError, match="redirect loop"),
    ):
        fetch(srv.base + "/a")
        with pytest.raises(FetchError, match="too many redirects"):
            fetch(srv.base + "/r0")
        assert fetch(srv.base + "/r6") == PAGE


def test_redirect_to_a_forbidden_scheme_is_refused() -> None:
    with (
        serve({"/a": Answer(302, headers={"Location": "file:///etc/passwd"})}) as srv,
        pytest.raises(FetchError, match="only http and https"),
    ):
        fetch(srv.base + "/a")


def test_gzip_bomb_stops_at_the_size_limit() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    with (
        serve({"/bomb": Answer(body=bomb, headers=headers)}) as srv,
        pytest.raises(FetchError, match="over the limit of 1000000 bytes"),
    ):
        fetch(srv.base + "/bomb", replace(LOCAL, max_bytes=1_000_000))


def test_gzip_body_is_inflated() -> None:
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    with serve({"/a": Answer(body=gzip.compress(PAGE), headers=headers)}) as srv:
        assert fetch(srv.base + "/a") == PAGE


def test_declared_length_over_the_limit_is_not_read() -> None:
    with (
        serve({"/big": Answer(body=b"x" * 5000)}) as srv,
        pytest.raises(FetchError, match="response is 5000 bytes, over the limit"),
    ):
        fetch(srv.base + "/big", replace(LOCAL, max_bytes=1000))


def test_conditional_get_gives_304() -> None:
    def page(handler: object) -> Answer:
        if getattr(handler, "headers").get("If-None-Match") == '"v1"':  # noqa: B009
            return Answer(304, headers={})
        return Answer(body=PAGE, headers={"Content-Type": "text/html", "ETag": '"v1"'})

    with serve({"/a": page}) as srv, Fetcher(LOCAL) as fetcher:
        first = fetcher.fetch(srv.base + "/a")
        assert first.etag == '"v1"' and first.content == PAGE
        second = fetcher.fetch(srv.base + "/a", etag=first.etag)
        assert second.not_modified and second.content == b""


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/a", "loopback"),
        ("http://localhost/a", "loopback"),
        ("http://10.1.2.3/a", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[::1]/a", "loopback"),
        ("http://224.0.0.1/a", "multicast"),
        ("ftp://example.org/a", "only http and https"),
        ("http://user:pw@example.org/", "credentials"),
    ],
)
def test_ssrf_guard_refuses_by_default(url: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        check_url(url, allow_private=False)
    with pytest.raises(FetchError, match=reason), Fetcher(FetchPolicy(allow_private=False)) as f:
        f.fetch(url)


def test_ssrf_guard_can_be_relaxed_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    check_url("http://127.0.0.1/a", allow_private=True)
    monkeypatch.setenv("STORYDESK_ALLOW_PRIVATE_HOSTS", "1")
    assert FetchPolicy().allow_private
    monkeypatch.delenv("STORYDESK_ALLOW_PRIVATE_HOSTS")
    assert not FetchPolicy().allow_private


def test_retry_after_forms() -> None:
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_fetch_all_keeps_request_order_and_failures() -> None:
    with (
        serve({"/a": Answer(body=b"A"), "/b": Answer(404), "/c": Answer(body=b"C")}) as srv,
        Fetcher(LOCAL) as fetcher,
    ):
        got = list(fetcher.fetch_all([(srv.base + p, None, None) for p in ("/a", "/b", "/c")]))
    assert [u.rsplit("/", 1)[1] for u, _ in got] == ["a", "b", "c"]
    assert isinstance(got[1][1], FetchError)
    assert [getattr(r, "content", None) for _, r in got] == [b"A", None, b"C"]
