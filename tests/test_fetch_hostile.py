"""The fetcher against a hostile server the tests start on 127.0.0.1 (SSRF guard relaxed for it).

Each case is a way a server can try to hold, flood or confuse the fetcher: it must end in a
named rejection within its limits, and the test measures the time it took.
"""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from io import BufferedIOBase
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from storydesk.ingest.fetch.client import IN_FLIGHT_PER_WORKER, Fetcher
from storydesk.ingest.fetch.errors import FetchError
from storydesk.options import FetchPolicy, Options
from storydesk.pipeline.run import SilentReporter, ingest
from storydesk.store import Store
from tests.localserver import Answer, Route, serve

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
HOSTILE = FetchPolicy(
    allow_private=True,  # the one relaxation: the server is on 127.0.0.1
    delay=0.0,
    backoff=0.05,
    timeout=0.5,
    connect_timeout=0.5,
    retries=1,
    max_time=1.0,
    max_bytes=1_000_000,
    max_retry_after=2.0,
    max_redirects=5,
)
SLACK = 1.0  # seconds a loaded test machine may add to a bound
WRITER_LIMIT = 15.0  # a hostile writer gives up after this long (its client left long before)
ROBOTS_NONE: dict[str, Route] = {"/robots.txt": Answer(404)}


def drip(head: bytes, body: bytes, every: float) -> Callable[[BufferedIOBase], None]:
    """A response whose head is sent at once and whose body comes one byte at a time."""

    def write(out: BufferedIOBase) -> None:
        out.write(head)
        out.flush()
        end = time.monotonic() + WRITER_LIMIT
        for byte in body:
            if time.monotonic() > end:
                return
            out.write(bytes([byte]))
            out.flush()
            time.sleep(every)

    return write


def endless(head: bytes, chunk: bytes) -> Callable[[BufferedIOBase], None]:
    """A response whose body never ends (the same chunk, as fast as the client reads)."""

    def write(out: BufferedIOBase) -> None:
        out.write(head)
        end = time.monotonic() + WRITER_LIMIT
        while time.monotonic() < end:
            out.write(chunk)

    return write


def silent(out: BufferedIOBase) -> None:
    """A server that accepts the request and never answers."""
    time.sleep(5.0)


@contextmanager
def timed() -> Iterator[list[float]]:
    """The seconds the block took, in a one-item list."""
    took: list[float] = []
    start = time.monotonic()
    try:
        yield took
    finally:
        took.append(time.monotonic() - start)


def fetch_fails(url: str, policy: FetchPolicy = HOSTILE) -> tuple[str, float]:
    """The reason a fetch failed and the seconds it took."""
    with timed() as took, Fetcher(policy) as fetcher:
        try:
            fetcher.fetch(url)
        except FetchError as exc:
            reason = str(exc)
        else:
            reason = ""
    assert reason, f"{url} was fetched"
    return reason, took[0]


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
PAGE = b"<html><body>" + b"<p>word</p>" * 500 + b"</body></html>"


def redirect_chain(handler: object) -> Answer:
    """Each /r/N redirects to /r/N+1, for ever."""
    number = int(str(getattr(handler, "path")).rsplit("/", 1)[1])  # noqa: B009
    return Answer(302, headers={"Location": f"/r/{number + 1}"})


CASES: list[tuple[str, str, Answer | Callable[[object], Answer], str, float]] = [
    # id, path, answer, reason, bound (seconds)
    (
        "slow-drip-body",
        "/drip",
        Answer(write=drip(HEAD, PAGE, 0.05)),
        "response too slow: not complete within the 1 s limit",
        HOSTILE.max_time + HOSTILE.timeout,
    ),
    (
        "slow-drip-headers",
        "/drip-head",
        Answer(write=drip(b"", HEAD + PAGE, 0.05)),
        "response too slow: not complete within the 1 s limit",
        HOSTILE.max_time + HOSTILE.timeout,
    ),
    (
        "silent",
        "/silent",
        Answer(write=silent),
        "timed out (limit 0.5 s) (after 2 attempts)",
        2 * HOSTILE.timeout + HOSTILE.backoff,
    ),
    (
        "redirect-loop",
        "/loop",
        Answer(302, headers={"Location": "/loop"}),
        "redirect loop (1 hops back to",
        1.0,
    ),
    (
        "endless-body",
        "/endless",
        Answer(write=endless(HEAD, b"x" * 65536)),
        "response over the limit of 1000000 bytes",
        1.0,
    ),
    (
        "huge-declared-length",
        "/huge",
        Answer(write=lambda out: out.write(HEAD[:-2] + b"Content-Length: 10000000000000\r\n\r\n")),
        "response is 10000000000000 bytes, over the limit of 1000000 bytes",
        1.0,
    ),
    (
        "gzip-bomb",
        "/gzip-bomb",
        Answer(
            body=gzip.compress(b"\0" * 50_000_000, compresslevel=9),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        ),
        "response over the limit of 1000000 bytes",
        2.0,
    ),
    (
        "deflate-bomb",
        "/deflate-bomb",
        Answer(
            body=zlib.compress(b"\0" * 50_000_000, 9),
            headers={"Content-Type": "text/html", "Content-Encoding": "deflate"},
        ),
        "response over the limit of 1000000 bytes",
        2.0,
    ),
    (
        "gzip-bomb-stream",
        "/gzip-stream",
        Answer(
            write=endless(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                b"Connection: close\r\n\r\n" + gzip.compress(b"<p>" + b"\0" * 10_000_000)[:-8],
                b"",
            )
        ),
        "response over the limit of 1000000 bytes",
        1.0,
    ),
    (
        "unknown-encoding",
        "/br",
        Answer(body=b"xx", headers={"Content-Type": "text/html", "Content-Encoding": "gzip, br"}),
        "unsupported content encoding 'gzip, br'",
        1.0,
    ),
    (
        "endless-headers",
        "/endless-head",
        Answer(write=endless(b"HTTP/1.1 200 OK\r\n", b"X-Filler: " + b"a" * 1000 + b"\r\n")),
        "network error: RemoteProtocolError",
        2 * HOSTILE.max_time + HOSTILE.backoff,
    ),
    (
        "truncated-body",
        "/truncated",
        Answer(write=lambda out: out.write(HEAD[:-2] + b"Content-Length: 5000\r\n\r\n<p>only")),
        "network error: RemoteProtocolError",
        1.0,
    ),
    (
        "garbage-status-line",
        "/garbage",
        Answer(write=lambda out: out.write(b"\x89PNG\r\n\x1a\n" * 100)),
        "network error: RemoteProtocolError",
        1.0,
    ),
    (
        "429-retry-after-every-time",
        "/429",
        Answer(429, headers={"Retry-After": "1"}),
        "HTTP 429 Too Many Requests (after 2 attempts)",
        1.0 + HOSTILE.timeout,
    ),
    (
        "429-retry-after-too-long",
        "/429-long",
        Answer(429, headers={"Retry-After": "3600"}),
        "HTTP 429 Too Many Requests (Retry-After 3600 s is longer than the 2 s we wait)",
        0.5,
    ),
    (
        "429-retry-after-date",
        "/429-date",
        Answer(429, headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"}),
        "is longer than the 2 s we wait",
        0.5,
    ),
    (
        "429-retry-after-nonsense",
        "/429-junk",
        Answer(429, headers={"Retry-After": "-1e309"}),
        "HTTP 429 Too Many Requests (after 2 attempts)",
        0.5,
    ),
    (
        "429-retry-after-superscript",
        "/429-sup",
        Answer(429, headers={"Retry-After": "\u00b2"}),
        "HTTP 429 Too Many Requests (after 2 attempts)",
        0.5,
    ),
    (
        "503-retried",
        "/503",
        Answer(503),
        "HTTP 503 Service Unavailable (after 2 attempts)",
        0.5,
    ),
]


@pytest.mark.parametrize(
    ("path", "answer", "reason", "bound"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_hostile_server_gives_a_named_rejection_within_its_limits(
    path: str, answer: Answer, reason: str, bound: float
) -> None:
    with serve({**ROBOTS_NONE, path: answer}) as srv:
        got, took = fetch_fails(srv.base + path)
    assert reason in got
    assert took < bound + SLACK, f"{took:.2f} s"


def test_slow_drip_is_not_retried() -> None:
    with serve({**ROBOTS_NONE, "/drip": Answer(write=drip(HEAD, PAGE, 0.05))}) as srv:
        fetch_fails(srv.base + "/drip", replace(HOSTILE, retries=3))
        assert srv.hits("/drip") == 1


def test_endless_redirects_stop_at_the_limit() -> None:
    chain: dict[str, Route] = {f"/r/{n}": redirect_chain for n in range(50)}
    with serve({**ROBOTS_NONE, **chain}) as srv:
        reason, took = fetch_fails(srv.base + "/r/0")
        assert reason == "too many redirects (more than 5)"
        assert len([p for p, _ in srv.seen if p.startswith("/r/")]) == HOSTILE.max_redirects + 1
        assert took < 1.0 + SLACK


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://[::1", "Invalid URL in location header"),
        ("mailto:x@y", "malformed URL"),
        ("http://127.0.0.1:99999999999999999999/", "malformed URL: Port out of range"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not 'file'"),
        ("//", "redirect loop"),
    ],
)
def test_a_malformed_redirect_is_named(location: str, reason: str) -> None:
    with serve({**ROBOTS_NONE, "/r": Answer(302, headers={"Location": location})}) as srv:
        got, took = fetch_fails(srv.base + "/r")
    assert reason in got and took < 0.5 + SLACK


def test_retry_after_is_honoured_then_the_page_is_fetched() -> None:
    answers = iter([Answer(429, headers={"Retry-After": "1"}), Answer(body=PAGE)])
    with serve({**ROBOTS_NONE, "/a": lambda _: next(answers)}) as srv:
        with timed() as took, Fetcher(HOSTILE) as fetcher:
            assert fetcher.fetch(srv.base + "/a").content == PAGE
        assert 1.0 <= took[0] < 1.0 + SLACK
        assert srv.hits("/a") == 2


def test_robots_txt_that_disallows_everything_is_obeyed() -> None:
    robots = Answer(body=b"User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"})
    with serve({"/robots.txt": robots, "/a": Answer(body=PAGE)}) as srv:
        reason, took = fetch_fails(srv.base + "/a")
        assert reason == f"disallowed by {srv.base}/robots.txt"
        assert srv.hits("/a") == 0 and took < 0.5 + SLACK


@pytest.mark.parametrize(
    ("robots", "reason"),
    [
        (Answer(write=drip(HEAD, b"User-agent: *\n" * 100, 0.05)), "response too slow"),
        (Answer(write=endless(HEAD, b"Disallow: /x\n" * 5000)), "response over the limit"),
    ],
    ids=["slow", "endless"],
)
def test_a_hostile_robots_txt_stops_the_fetch(robots: Answer, reason: str) -> None:
    with serve({"/robots.txt": robots, "/a": Answer(body=PAGE)}) as srv:
        got, took = fetch_fails(srv.base + "/a")
        assert got.startswith(f"robots.txt of {srv.base} could not be read (")
        assert reason in got and got.endswith("; not fetching from it")
        assert srv.hits("/a") == 0
        assert took < HOSTILE.max_time + HOSTILE.timeout + SLACK


DISALLOW_A = Answer(body=b"User-agent: *\nDisallow: /a\n", headers={"Content-Type": "text/plain"})


def robots_hops(hops: int, last: Answer) -> dict[str, Route]:
    """/robots.txt redirected through ``hops`` redirects, the last to ``last``."""
    routes: dict[str, Route] = {"/hop/0": last}
    chain = ["/robots.txt", *(f"/hop/{n}" for n in range(hops - 1, -1, -1))]
    for here, there in pairwise(chain):
        routes[here] = Answer(301, headers={"Location": there})
    return routes


@pytest.mark.parametrize("hops", [1, HOSTILE.max_redirects])
def test_a_redirected_robots_txt_is_followed_and_obeyed(hops: int) -> None:
    with serve({**robots_hops(hops, DISALLOW_A), "/a": Answer(body=PAGE)}) as srv:
        reason, _ = fetch_fails(srv.base + "/a")
        assert reason == f"disallowed by {srv.base}/robots.txt"
        assert srv.hits("/hop/0") == 1 and srv.hits("/a") == 0


def test_a_robots_txt_redirected_to_another_host_is_obeyed() -> None:
    with serve({"/robots.txt": DISALLOW_A}) as other:
        moved = Answer(302, headers={"Location": other.base + "/robots.txt"})
        with serve({"/robots.txt": moved, "/a": Answer(body=PAGE)}) as srv:
            reason, _ = fetch_fails(srv.base + "/a")
            assert reason == f"disallowed by {srv.base}/robots.txt"  # the rules of the first host
            assert other.hits("/robots.txt") == 1 and srv.hits("/a") == 0


@pytest.mark.parametrize(
    ("routes", "fetched"),
    [
        (robots_hops(HOSTILE.max_redirects + 1, DISALLOW_A), True),  # too many: unavailable
        ({"/robots.txt": Answer(301, headers={"Location": "/robots.txt"})}, True),  # a loop
        (robots_hops(2, Answer(404)), True),  # redirected to nothing: allow all
        (robots_hops(2, Answer(410)), True),
        (robots_hops(2, Answer(503)), False),  # redirected to a server error: allow none
    ],
    ids=["too-many", "loop", "to-404", "to-410", "to-503"],
)
def test_a_redirected_robots_txt_that_cannot_be_read(
    routes: dict[str, Route], fetched: bool
) -> None:
    with serve({**routes, "/a": Answer(body=PAGE)}) as srv:
        with Fetcher(HOSTILE) as fetcher:
            try:
                got = fetcher.fetch(srv.base + "/a").content
            except FetchError as exc:
                got = str(exc).encode()
        if fetched:
            assert got == PAGE
        else:
            assert got.decode().startswith(f"robots.txt of {srv.base} could not be read (")
            assert f"redirected to {srv.base}/hop/0: HTTP 503" in got.decode()
            assert srv.hits("/a") == 0


def run(store: Store, *urls: str) -> list[tuple[str, str, str]]:
    """Ingest URLs under the hostile policy: (source, step, reason) of each rejection."""
    _, _, rejections = ingest(list(urls), Options(fetch=HOSTILE), store, SilentReporter())
    return [(r.source, r.step, r.reason) for r in rejections]


@pytest.mark.parametrize(
    ("answer", "reason", "step"),
    [
        (
            Answer(body=b"\x89PNG\r\n\x1a\n" + bytes(500), headers={"Content-Type": "image/png"}),
            "not an HTML page or a feed (image/png)",
            "fetch",
        ),
        (
            Answer(body=b'{"a": 1}', headers={"Content-Type": "application/json"}),
            "not an HTML page or a feed (application/json)",
            "fetch",
        ),
        (
            Answer(body=b"%PDF-1.4 ...", headers={"Content-Type": "application/octet-stream"}),
            "not an HTML page or a feed (application/octet-stream)",
            "fetch",
        ),
        (
            Answer(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
            "not valid UTF-8",
            "clean",
        ),
        (Answer(body=b"   \n"), "empty response body", "fetch"),
    ],
    ids=["image", "json", "octet-stream", "binary-as-html", "empty"],
)
def test_wrong_content_types_are_named(
    tmp_path: Path, answer: Answer, reason: str, step: str
) -> None:
    page = Answer(body=(PAGES / "school-meals.html").read_bytes())
    with (
        serve({**ROBOTS_NONE, "/odd": answer, "/news/school-meals": page}) as srv,
        Store(tmp_path / "db.sqlite") as store,
        timed() as took,
    ):
        got = run(store, srv.base + "/odd", srv.base + "/news/school-meals")
        assert len(got) == 1, got
        assert got[0][:2] == (srv.base + "/odd", step) and reason in got[0][2]
        assert len(store.rejections()) == 1
    assert took[0] < 5.0


def test_a_feed_whose_entries_are_feeds_is_not_followed(tmp_path: Path) -> None:
    rss = {"Content-Type": "application/rss+xml"}

    def feed(base: str, links: list[str]) -> bytes:
        items = "".join(f"<item><title>{x}</title><link>{base}{x}</link></item>" for x in links)
        return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()

    routes = {**ROBOTS_NONE}
    with serve(routes) as srv, Store(tmp_path / "db.sqlite") as store:
        routes["/a.xml"] = Answer(body=feed(srv.base, ["/b.xml", "/a.xml"]), headers=rss)
        routes["/b.xml"] = Answer(body=feed(srv.base, ["/a.xml"]), headers=rss)
        with timed() as took:
            got = run(store, srv.base + "/a.xml")
        reason = "feed entry links to a feed, not a page (feeds in feeds are not followed)"
        assert got == [(srv.base + p, "fetch", reason) for p in ("/b.xml", "/a.xml")]
        assert srv.hits("/a.xml") == 2 and srv.hits("/b.xml") == 1
    assert took[0] < 2.0


def test_fetch_all_holds_a_bounded_number_of_responses() -> None:
    pages: dict[str, Route] = {f"/p{n}": Answer(body=PAGE) for n in range(100)}
    pulled: list[int] = []
    with serve({**ROBOTS_NONE, **pages}) as srv, Fetcher(replace(HOSTILE, workers=4)) as fetcher:

        def requests() -> Iterator[tuple[str, str | None, str | None]]:
            for n in range(100):
                pulled.append(n)
                yield srv.base + f"/p{n}", None, None

        results = fetcher.fetch_all(requests())
        url, first = next(results)
        assert url.endswith("/p0") and not isinstance(first, FetchError)
        assert len(pulled) <= 4 * IN_FLIGHT_PER_WORKER  # not all 100 bodies at once
        assert len(list(results)) == 99


def test_an_unforeseen_failure_of_one_url_does_not_sink_the_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    routes: dict[str, Route] = {**ROBOTS_NONE, "/a": Answer(body=PAGE), "/b": Answer(body=PAGE)}
    with serve(routes) as srv, Fetcher(HOSTILE) as fetcher:
        real = fetcher.fetch

        def flaky(url: str, etag: str | None = None, modified: str | None = None) -> Any:
            if url.endswith("/a"):
                raise RuntimeError("boom")
            return real(url, etag, modified)

        monkeypatch.setattr(fetcher, "fetch", flaky)
        got = list(fetcher.fetch_all([(srv.base + p, None, None) for p in ("/a", "/b")]))
    assert str(got[0][1]) == "fetch failed: RuntimeError: boom"
    assert not isinstance(got[1][1], FetchError)
