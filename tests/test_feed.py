"""Feeds (RSS 0.91/1.0/2.0, Atom) and URL sources through the door, against 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.ingest.feed import looks_like_feed, parse_feed
from storydesk.ingest.urls import canonical_url
from storydesk.model import Rejection
from storydesk.options import FetchPolicy, Options
from storydesk.pipeline.run import SilentReporter, ingest
from storydesk.store import Store
from storydesk.store.fetchlog import IngestLog
from tests.localserver import Answer, serve

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
LOCAL = FetchPolicy(allow_private=True, delay=0.0, backoff=0.01, timeout=0.5, retries=0)
RSS = {"Content-Type": "application/rss+xml"}


def feed(name: str, base: str) -> bytes:
    return (FEEDS / name).read_text(encoding="utf-8").replace("{base}", base).encode()


def site(extra: dict[str, Answer] | None = None) -> dict[str, Answer]:
    routes = {
        f"/news/{slug}": Answer(body=(PAGES / f"{slug}.html").read_bytes())
        for slug in (
            "ferry-strike",
            "market-fire",
            "museum-loan",
            "bridge-inspection",
            "school-meals",
        )
    }
    return {**routes, **(extra or {})}


def run(
    store: Store, *sources: str
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[Rejection, ...]]:
    return ingest(list(sources), Options(fetch=LOCAL), store, SilentReporter())


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("rss2.xml", "rss20"),
        ("atom.xml", "atom10"),
        ("rss1.rdf", "rss10"),
        ("rss091.xml", "rss091"),
    ],
)
def test_feed_formats_parse(name: str, version: str) -> None:
    data = feed(name, "https://x.example")
    assert looks_like_feed(data)
    parsed = parse_feed(data)
    assert parsed.version.startswith(version) and parsed.entries
    assert parsed.entries[0].link and parsed.entries[0].link.startswith("https://x.example/news/")


def test_malformed_feed_is_an_input_error() -> None:
    with pytest.raises(Exception, match="malformed feed XML"):
        parse_feed((FEEDS / "malformed.xml").read_bytes())


def test_feed_url_fetches_entries_once_and_names_linkless_entries(tmp_path: Path) -> None:
    routes = site()
    with serve(routes) as srv, Store(tmp_path / "db.sqlite") as store:
        routes["/feed.xml"] = Answer(body=feed("rss2.xml", srv.base), headers=RSS)
        added, _, rejections = run(store, srv.base + "/feed.xml")
        assert len(added) == 2
        assert [(r.step, r.reason) for r in rejections] == [
            ("parse", "feed entry has no link (An entry without a link)")
        ]
        assert rejections[0].source == srv.base + "/feed.xml#entry=3"
        article = store.article(added[0])
        assert article is not None
        assert article.title == "Ferry crews on Glenmoor route walk out over rota changes"
        assert article.outlet == "Glenmoor Gazette" and article.published == "2026-03-11"
        assert article.fetched  # the fetch time is kept
        # Second pass: stored entries are not fetched again.
        added, _unchanged, _ = run(store, srv.base + "/feed.xml")
        assert added == () and srv.hits("/news/market-fire") == 1
        assert srv.hits("/news/ferry-strike?utm_source=rss&utm_medium=feed") == 1


def test_feed_and_direct_url_store_the_page_once(tmp_path: Path) -> None:
    routes = site()
    with serve(routes) as srv, Store(tmp_path / "db.sqlite") as store:
        routes["/feed.xml"] = Answer(body=feed("atom.xml", srv.base), headers=RSS)
        added, _, _ = run(store, srv.base + "/news/museum-loan?utm_campaign=x#top")
        again, _unchanged, _ = run(store, srv.base + "/feed.xml")
        assert len(added) == 1 and again == ()
        assert srv.hits("/news/museum-loan") == 0  # the feed entry was known: not refetched
        sources = store.sources_of(store.article(added[0]).sha256)  # type: ignore[union-attr]
        assert srv.base + "/news/museum-loan" in sources  # both sources remembered
        assert len(sources) == 2


def test_malformed_feed_url_is_rejected_and_its_bytes_kept(tmp_path: Path) -> None:
    broken = (FEEDS / "malformed.xml").read_bytes()
    with (
        serve({"/bad.xml": Answer(body=broken, headers=RSS), **site()}) as srv,
        Store(tmp_path / "db.sqlite") as store,
    ):
        added, _, rejections = run(store, srv.base + "/bad.xml", srv.base + "/news/market-fire")
        assert len(added) == 1
        assert rejections[0].source == srv.base + "/bad.xml"
        assert rejections[0].reason.startswith("malformed feed XML")
        assert store.raw(
            IngestLog(store.conn).validators(canonical_url(srv.base + "/bad.xml")).sha256
        )  # type: ignore[union-attr,arg-type]


def test_conditional_get_on_a_second_pass(tmp_path: Path) -> None:
    def page(handler: object) -> Answer:
        if getattr(handler, "headers").get("If-None-Match") == '"v1"':  # noqa: B009
            return Answer(304, headers={})
        body = (PAGES / "wind-farm.html").read_bytes()
        return Answer(body=body, headers={"Content-Type": "text/html", "ETag": '"v1"'})

    with serve({"/wind": page}) as srv, Store(tmp_path / "db.sqlite") as store:
        first, _, _ = run(store, srv.base + "/wind")
        second, unchanged, rejections = run(store, srv.base + "/wind")
        assert len(first) == 1 and second == () and rejections == ()
        assert unchanged == (srv.base + "/wind",)
        assert srv.seen[-1][1].get("if-none-match") == '"v1"'


@pytest.mark.parametrize(
    ("path", "answer", "reason"),
    [
        ("/404", Answer(404), "HTTP 404"),
        ("/500", Answer(500), "HTTP 500"),
        ("/429", Answer(429, headers={"Retry-After": "9999"}), "HTTP 429"),
        ("/loop", Answer(302, headers={"Location": "/loop"}), "redirect loop"),
        ("/slow", Answer(body=b"<p>x</p>", delay=1.0), "timed out"),
        (
            "/pdf",
            Answer(body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}),
            "not an HTML page or a feed",
        ),
    ],
)
def test_bad_urls_are_named_and_the_rest_proceeds(
    tmp_path: Path, path: str, answer: Answer, reason: str
) -> None:
    with serve({path: answer, **site()}) as srv, Store(tmp_path / "db.sqlite") as store:
        added, _, rejections = run(store, srv.base + path, srv.base + "/news/school-meals")
        assert len(added) == 1
        assert [(r.source, r.step) for r in rejections] == [(srv.base + path, "fetch")]
        assert reason in rejections[0].reason
        assert store.rejections()[0].reason == rejections[0].reason


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/a", "http://10.0.0.7/a"])
def test_private_hosts_are_refused_by_default(tmp_path: Path, url: str) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        _, _, rejections = ingest([url], Options(), store, SilentReporter())
    assert rejections[0].step == "fetch" and "SSRF guard" in rejections[0].reason


def test_watch_polls_the_listed_feeds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storydesk.cli.main import cli

    routes = site()
    with serve(routes) as srv:
        routes["/feed.xml"] = Answer(body=feed("rss091.xml", srv.base), headers=RSS)
        listing = tmp_path / "feeds.txt"
        listing.write_text(f"# my feeds\n{srv.base}/feed.xml\n\n", encoding="utf-8")
        db = str(tmp_path / "db.sqlite")
        args = ["--db", db, "watch", str(listing), "--passes", "2", "--interval", "0"]
        result = CliRunner().invoke(cli, [*args, "--delay", "0", "--allow-private-hosts"])
        assert result.exit_code == 0, result.output
        assert "pass 1: 1 new article(s)" in result.output
        assert "pass 2: 0 new article(s)" in result.output
        assert srv.hits("/news/school-meals") == 1
        refused = CliRunner().invoke(cli, ["--db", db, "watch", str(listing), "--passes", "1"])
        assert refused.exit_code == 1 and "SSRF guard" in refused.output
