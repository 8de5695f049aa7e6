"""Live feeds (issue 20): hosts fetched apart, robots.txt and failures remembered, recoveries.

Every server is on 127.0.0.1 (the fetch policy's one relaxation: private hosts allowed); the
requests each route saw are counted, and order is shown by events, not by wall-clock limits.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.ingest.fetch.backoff import (
    MISSING_FIRST_S,
    ROBOTS_DEFAULT_S,
    ROBOTS_MIN_S,
    TRANSIENT_FIRST_S,
    retry_at,
    robots_lifetime,
)
from storydesk.ingest.urls import canonical_url
from storydesk.model import RobotsFile
from storydesk.options import FetchPolicy, Options
from storydesk.pipeline.poll import Round, poll_feeds
from storydesk.store import Store
from storydesk.store.fetchlog import IngestLog, RobotsLog
from tests.localserver import Answer, Server, serve

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
RSS = {"Content-Type": "application/rss+xml"}
LOCAL = FetchPolicy(allow_private=True, delay=0.0, backoff=0.01, timeout=30.0, retries=0)
WAIT_S = 180.0  # a generous bound on a loaded machine; passing runs take seconds


def page(slug: str) -> Answer:
    return Answer(body=(PAGES / f"{slug}.html").read_bytes())


def rss(base: str, *paths: str) -> bytes:
    items = "".join(
        f"<item><title>{p.rsplit('/', 1)[-1]}</title><link>{base}{p}</link></item>" for p in paths
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        f"<link>{base}/</link><description>x</description>{items}</channel></rss>"
    ).encode()


def feed_answer(base: str, *paths: str) -> Answer:
    return Answer(body=rss(base, *paths), headers=RSS)


def until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@contextmanager
def polling(
    feeds: list[str], db: Path, interval: float = 0.2, policy: FetchPolicy = LOCAL
) -> Iterator[list[Round]]:
    """Run the poller in a thread for the block; the rounds it reports, as they come."""
    rounds: list[Round] = []
    stop = threading.Event()
    options = Options(db=db, fetch=policy, workers=1)
    worker = threading.Thread(
        target=poll_feeds, args=(feeds, options, interval, stop, rounds.append)
    )
    worker.start()
    try:
        yield rounds
    finally:
        stop.set()
        worker.join(60)
    assert not worker.is_alive()


def sources_of(db: Path, ids: tuple[int, ...]) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [
            conn.execute("SELECT source FROM articles WHERE id = ?", (i,)).fetchone()[0]
            for i in ids
        ]


def test_a_slow_host_does_not_hold_up_another(tmp_path: Path) -> None:
    released = threading.Event()

    def held(_: object) -> Answer:  # answered only once the other host's article is in a story
        released.wait(60)
        return page("market-fire")

    with serve({}) as slow, serve({}) as fast:
        slow.routes.update({"/feed.xml": feed_answer(slow.base, "/news/a"), "/news/a": held})
        fast.routes.update(
            {"/feed.xml": feed_answer(fast.base, "/news/b"), "/news/b": page("ferry-strike")}
        )
        db = tmp_path / "db.sqlite"
        firsts: list[tuple[Round, int]] = []

        def first_article(rounds: list[Round]) -> bool:
            done = [r for r in rounds if r.added]
            if done and not firsts:
                firsts.append((done[0], slow.hits("/news/a")))
                released.set()
            return sum(len(r.added) for r in rounds) == 2

        with polling([slow.base + "/feed.xml", fast.base + "/feed.xml"], db) as rounds:
            until(lambda: first_article(rounds), "both articles")
    [(first, slow_asked)] = firsts
    assert sources_of(db, first.added) == [fast.base + "/news/b"]  # in while the slow page hung
    assert first.stories, "the fast host's article reached a story in its own round"
    assert slow_asked == 1  # the slow page had been asked for already, and was still pending


def robots_routes(srv: Server, seen_etags: list[str | None]) -> None:
    def feed(handler: object) -> Answer:
        etag = getattr(handler, "headers", {}).get("If-None-Match")
        seen_etags.append(etag)
        if etag == '"v1"':
            return Answer(304, b"", headers={"ETag": '"v1"'})
        return Answer(body=rss(srv.base, "/news/a"), headers={**RSS, "ETag": '"v1"'})

    srv.routes.update(
        {
            "/robots.txt": Answer(
                body=b"User-agent: *\nDisallow: /private\n", headers={"Content-Type": "text/plain"}
            ),
            "/feed.xml": feed,
            "/news/a": page("school-meals"),
        }
    )


def test_robots_is_kept_for_its_lifetime_across_passes_and_runs(tmp_path: Path) -> None:
    etags: list[str | None] = []
    db = tmp_path / "db.sqlite"
    with serve({}) as srv:
        robots_routes(srv, etags)
        feeds = [srv.base + "/feed.xml"]
        with polling(feeds, db):
            until(lambda: srv.hits("/feed.xml") >= 4, "four polls")
        assert srv.hits("/robots.txt") == 1
        with polling(feeds, db):  # a new fetcher: robots.txt from the store
            until(lambda: srv.hits("/feed.xml") >= 6, "two more polls")
        assert srv.hits("/robots.txt") == 1
        assert srv.hits("/news/a") == 1
        assert etags[0] is None and etags[-1] == '"v1"'  # conditional GET for the feed stays
        RobotsLog(db).remember_robots(RobotsFile(srv.base, 200, "User-agent: *\n", time.time() - 1))
        with polling(feeds, db):  # expired: fetched again
            until(lambda: srv.hits("/feed.xml") >= 7, "one more poll")
        assert srv.hits("/robots.txt") == 2
    kept = RobotsLog(db).robots(srv.base)
    assert kept is not None and "Disallow: /private" in kept.text
    assert kept.expires_at > time.time() + ROBOTS_DEFAULT_S - 600


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, ROBOTS_DEFAULT_S),
        ({"cache-control": "public, max-age=3600"}, 3600.0),
        ({"cache-control": "max-age=999999"}, ROBOTS_DEFAULT_S),  # 24 h at most
        ({"cache-control": "no-cache"}, ROBOTS_MIN_S),
        ({"expires": "not a date"}, ROBOTS_MIN_S),
    ],
)
def test_robots_lifetime_follows_caching_headers(headers: dict[str, str], seconds: float) -> None:
    assert robots_lifetime(headers, time.time()) == seconds


def test_failures_back_off_by_kind() -> None:
    assert retry_at(1, "HTTP 410 Gone", 0.0) is None
    assert retry_at(1, "HTTP 404 Not Found", 0.0) == MISSING_FIRST_S
    assert retry_at(3, "HTTP 404 Not Found", 0.0) == 4 * MISSING_FIRST_S
    assert retry_at(1, "timed out (limit 20 s)", 0.0) == TRANSIENT_FIRST_S
    assert (
        retry_at(2, "HTTP 503 Service Unavailable (after 3 attempts)", 0.0) == 2 * TRANSIENT_FIRST_S
    )
    assert retry_at(2, "HTTP 429 Too Many Requests", 0.0) == 2 * TRANSIENT_FIRST_S


def test_a_missing_page_is_asked_once_and_reported_once(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    with serve({}) as srv:
        srv.routes.update(
            {
                "/feed.xml": feed_answer(
                    srv.base, "/news/gone", "/news/late", "/news/thin", "/news/a"
                ),
                "/news/gone": Answer(410, b"gone"),
                "/news/late": Answer(404, b"not yet"),
                "/news/thin": Answer(body=b"<html><body><p>Too short.</p></body></html>"),
                "/news/a": page("school-meals"),
            }
        )
        with polling([srv.base + "/feed.xml"], db) as rounds:
            until(lambda: srv.hits("/feed.xml") >= 6, "six polls")
        assert srv.hits("/news/gone") == 1 and srv.hits("/news/late") == 1
        assert srv.hits("/news/thin") == 1  # answered, but no article: not asked every poll
    named = [r.source for done in rounds for r in done.rejections]
    assert sorted(named) == [srv.base + p for p in ("/news/gone", "/news/late", "/news/thin")]
    with Store(db) as store:
        log = IngestLog(store.conn)
        gone = log.failure(canonical_url(srv.base + "/news/gone"))
        late = log.failure(canonical_url(srv.base + "/news/late"))
    assert gone is not None and gone.retry_at is None  # 410: never again
    assert late is not None and late.retry_at is not None
    assert late.retry_at > time.time() + MISSING_FIRST_S - 600  # 404: in an hour


def test_watch_reports_a_404_once_and_later_passes_exit_0(tmp_path: Path) -> None:
    with serve({}) as srv:
        srv.routes.update(
            {
                "/feed.xml": feed_answer(srv.base, "/news/gone", "/news/a"),
                "/news/a": page("school-meals"),
            }
        )
        listing = tmp_path / "feeds.txt"
        listing.write_text(srv.base + "/feed.xml\n", encoding="utf-8")
        db = str(tmp_path / "db.sqlite")
        args = ["--db", db, "watch", str(listing), "--interval", "0", "--delay", "0"]
        first = CliRunner().invoke(cli, [*args, "--passes", "1", "--allow-private-hosts"])
        later = CliRunner().invoke(cli, [*args, "--passes", "3", "--allow-private-hosts"])
        assert first.exit_code == 1 and "/news/gone: HTTP 404" in first.output
        assert later.exit_code == 0, later.output
        assert "/news/gone" not in later.output
        assert srv.hits("/news/gone") == 1


def test_failures_that_later_succeed_are_recovered(tmp_path: Path) -> None:
    calls = {"feed": 0, "page": 0}

    def flaky(name: str, answer: Callable[[], Answer], failures: int) -> Callable[[object], Answer]:
        def route(_: object) -> Answer:
            calls[name] += 1
            return Answer(500, b"oops") if calls[name] <= failures else answer()

        return route

    with serve({}) as srv:
        srv.routes.update(
            {
                # three attempts a fetch (two retries): each fails once, for good
                "/feed.xml": flaky("feed", lambda: feed_answer(srv.base, "/news/a"), 3),
                "/news/a": flaky("page", lambda: page("school-meals"), 3),
            }
        )
        listing = tmp_path / "feeds.txt"
        listing.write_text(srv.base + "/feed.xml\n", encoding="utf-8")
        db = tmp_path / "db.sqlite"
        args = ["--db", str(db), "watch", str(listing), "--interval", "0", "--delay", "0"]
        args += ["--passes", "2", "--allow-private-hosts"]
        first = CliRunner().invoke(cli, args)  # the feed fails, then answers; the page fails
        with sqlite3.connect(db) as conn:  # the page's wait is over
            conn.execute("UPDATE fetch_failures SET retry_at = 0")
        second = CliRunner().invoke(cli, args)  # the page answers
        assert "HTTP 500" in first.output and second.exit_code == 0, second.output
    listed = CliRunner().invoke(cli, ["--db", str(db), "rejected"])
    assert listed.exit_code == 0 and listed.output == ""  # an editor sees what is still open
    every = CliRunner().invoke(cli, ["--db", str(db), "rejected", "--all"]).stdout.splitlines()
    assert sorted(line.split("\t")[0] for line in every) == [
        srv.base + "/feed.xml",
        srv.base + "/news/a",
    ]
    assert all(line.endswith("(recovered)") for line in every)
    with Store(db) as store:
        log = IngestLog(store.conn)
        assert log.article_for_url(canonical_url(srv.base + "/news/a")) is not None
        assert log.failure(canonical_url(srv.base + "/news/a")) is None
