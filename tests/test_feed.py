"""Feeds (RSS 0.91/1.0/2.0, Atom) and URL sources through the door, against 127.0.0.1."""

from __future__ import annotations

import codecs
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storydesk.ingest import read_sources
from storydesk.ingest.feed import looks_like_feed, parse_feed
from storydesk.ingest.formats import fetched_format
from storydesk.ingest.urls import canonical_url
from storydesk.model import MediaType, RawDocument, Rejection
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


# ---------------------------------------------------------------- feeds as feedparser reads them

CHANNEL = (
    '<rss version="2.0"><channel><title>Glenmoor caf\u00e9</title>'
    "<item><title>A</title><link>https://example.org/a</link></item></channel></rss>"
)


def declared(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>\n{CHANNEL}'


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + declared("utf-8").encode(),
        declared("UTF-16").encode("utf-16"),  # with a byte-order mark
        declared("UTF-16").encode("utf-16-le"),  # without one: the declaration shows it
        declared("UTF-16").encode("utf-16-be"),
        declared("UTF-32").encode("utf-32"),
        declared("UTF-32").encode("utf-32-le"),
        declared("UTF-32").encode("utf-32-be"),
        declared("iso-8859-1").encode("latin-1"),
        b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="/f.xsl"?>\n<!-- x -->\n'
        + CHANNEL.encode(),
    ],
    ids=["bom-utf8", "utf16-bom", "utf16le", "utf16be", "utf32-bom", "utf32le", "utf32be",
         "latin1", "stylesheet"],
)  # fmt: skip
def test_feeds_in_every_encoding_are_read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    [doc] = read_sources([str(path)], Options())
    assert isinstance(doc, RawDocument) and doc.media_type == MediaType.FEED
    parsed = parse_feed(doc.content)
    assert (
        parsed.title == "Glenmoor caf\u00e9" and parsed.entries[0].link == "https://example.org/a"
    )
    assert fetched_format(data, "application/xml") is not None  # the same when fetched


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (
            b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T&nbsp;caf&eacute;'
            b"</title><item><title>A&mdash;B</title><link>https://example.org/a</link></item>"
            b"</channel></rss>",
            "T caf\u00e9",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n'
            b'<!ENTITY site "Glenmoor Gazette">\n]>\n<rss version="2.0"><channel><title>&site;'
            b"</title><item><title>A&nbsp;B</title><link>https://example.org/a</link></item>"
            b"</channel></rss>",
            "Glenmoor Gazette",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS'
            b' 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
            b'<rss version="0.91"><channel><title>Echo&nbsp;News</title><item><title>A</title>'
            b"<link>https://example.org/a</link></item></channel></rss>",
            "Echo News",
        ),
        (  # no entries, and an HTML entity: a feed all the same
            b'<rss version="2.0"><channel><title>T&hellip;</title></channel></rss>',
            "T\u2026",
        ),
    ],
    ids=["html-entities", "doctype-entities", "rss091-doctype", "empty-with-entity"],
)
def test_html_and_doctype_entities_are_read(tmp_path: Path, data: bytes, title: str) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(data)
    [doc] = read_sources([str(path)], Options())
    assert isinstance(doc, RawDocument)
    assert parse_feed(doc.content).title == title


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Broken & unescaped'
            b"</title>\n<item><title>Never closed",
            "malformed feed XML: line 2, column 43: not well-formed (invalid token)",
        ),
        (
            b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>T & U'
            b"</title></feed>",
            "malformed feed XML: line 2, column 52: not well-formed (invalid token)",
        ),
        (
            b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry></feed>',
            "malformed feed XML: line 2, column 51: mismatched tag",
        ),
        (
            b'<?xml version="1.0"?><urlset><url/></urlset>',
            "XML that is not an RSS, RDF or Atom feed",
        ),
    ],
    ids=["rss", "atom", "atom-mismatched", "sitemap"],
)
def test_malformed_feeds_are_named(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    with Store(tmp_path / "db.sqlite") as store:
        added, _, rejections = ingest([str(path)], Options(), store, SilentReporter())
    assert added == ()
    assert [(r.source, r.reason) for r in rejections] == [(str(path), reason)]


# ---------------------------------------------------------------- an entry's own text

PARAGRAPH = (
    "The harbour board voted on Tuesday to close the old pier at Glenmoor for repairs, after"
    " divers found that two of its timber piles had rotted through below the waterline."
)
TEXT_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Glenmoor Gazette</title>
<link>https://www.glenmoorgazette.example/</link>
<item>
<title>Old pier to close for repairs</title>
<link>{base}/news/pier</link>
<pubDate>Tue, 10 Mar 2026 09:00:00 +0000</pubDate>
<dc:creator>Ailsa Penrose</dc:creator>
<description>The pier closes.</description>
<content:encoded><![CDATA[<p>{p}</p><script>alert(1)</script><p>&ldquo;We had no choice,&rdquo;
said the harbourmaster, Morag Lennox.</p><p>{p}</p>]]></content:encoded>
</item>
<item>
<title>Long summary</title>
<link>{base}/news/summary</link>
<description>{long}</description>
<source url="https://wire.example/rss">Wire Service</source>
</item>
<item>
<title>Teaser only</title>
<link>{base}/news/school-meals</link>
<description>A short teaser.</description>
</item>
<item>
<title>Old pier to close for repairs</title>
<link>{base}/news/pier?utm_source=rss</link>
<content:encoded><![CDATA[<p>{p}</p><p>The same entry, twice.</p>]]></content:encoded>
</item>
<item>
<title>No link, all text</title>
<content:encoded><![CDATA[<p>Ferry crews walked out on Tuesday.</p><p>{p}</p>]]></content:encoded>
</item>
</channel>
</rss>
"""


def text_feed(base: str) -> str:
    long = " ".join(f"Sentence {n} of a summary that is the whole article." for n in range(20))
    return TEXT_FEED.format(base=base, p=PARAGRAPH, long=long)


def test_entries_with_their_text_become_articles_without_fetching(tmp_path: Path) -> None:
    with serve(site()) as srv, Store(tmp_path / "db.sqlite") as store:
        path = tmp_path / "gazette.xml"
        path.write_text(text_feed(srv.base), encoding="utf-8")
        added, _, rejections = run(store, str(path))
        assert rejections == ()
        assert [p for p, _ in srv.seen if p != "/robots.txt"] == ["/news/school-meals"]
        articles = [store.article(n) for n in added]
        by_title = {a.title: a for a in articles if a is not None}
        assert set(by_title) == {
            "Old pier to close for repairs",
            "Long summary",
            "Teaser only",  # its page was fetched; the entry's title is declared
            "No link, all text",
        }
        pier = by_title["Old pier to close for repairs"]
        assert pier.source == f"{path}#entry=1" and pier.url == srv.base + "/news/pier"
        assert pier.published == "2026-03-10" and pier.byline == "Ailsa Penrose"
        assert pier.outlet == "Glenmoor Gazette"
        assert (
            pier.paragraphs[1]
            == "\u201cWe had no choice,\u201d said the harbourmaster, Morag Lennox."
        )
        assert not any("alert" in p for p in pier.paragraphs)
        assert by_title["Long summary"].outlet == "Wire Service"  # the entry's own source
        assert by_title["No link, all text"].url is None
        # Once more: nothing is added, and nothing is fetched again.
        again, unchanged, rejections = run(store, str(path))
        assert again == () and rejections == ()
        assert len(unchanged) == 4
        assert srv.hits("/news/school-meals") == 1


def test_a_fetched_feed_gives_its_entries_text_too(tmp_path: Path) -> None:
    routes = site()
    with serve(routes) as srv, Store(tmp_path / "db.sqlite") as store:
        routes["/feed.xml"] = Answer(body=text_feed(srv.base).encode(), headers=RSS)
        added, _, rejections = run(store, srv.base + "/feed.xml")
        assert len(added) == 4 and rejections == ()
        assert srv.hits("/news/pier") == 0 and srv.hits("/news/summary") == 0
        sources = sorted(a.source for n in added if (a := store.article(n)) is not None)
        assert sources[:3] == [srv.base + f"/feed.xml#entry={n}" for n in (1, 2, 5)]
        again, _, _ = run(store, srv.base + "/feed.xml")
        assert again == ()


def test_entry_text_is_not_taken_from_a_teaser() -> None:
    parsed = parse_feed(text_feed("https://x.example").encode())
    texts = [bool(e.text) for e in parsed.entries]
    assert texts == [True, True, False, True, True]


def test_a_feed_of_ten_thousand_entries_in_bounded_time_and_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    items = "".join(
        f"<item><title>Entry {n}</title><link>https://example.org/news/{n}</link>"
        f"<content:encoded><![CDATA[<p>{PARAGRAPH} {n}</p><p>{PARAGRAPH}</p>]]></content:encoded>"
        "</item>"
        for n in range(10_000)
    )
    path.write_text(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Big</title>{items}</channel></rss>",
        encoding="utf-8",
    )
    script = f"""
import hashlib, os, threading, time
from pathlib import Path
peak = [0]
def sample():  # resident memory now (ru_maxrss would count the parent's, kept across exec)
    statm = Path("/proc/self/statm")
    while statm.exists():
        peak[0] = max(peak[0], int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
        time.sleep(0.02)
threading.Thread(target=sample, daemon=True).start()
from storydesk.ingest.remote import read_entries
from storydesk.model import MediaType, RawDocument
class Memory:
    def validators(self, url): return None
    def article_for_url(self, url): return None
class NoFetcher:
    def fetch_all(self, requests):
        assert not list(requests)
        return iter(())
data = Path({str(path)!r}).read_bytes()
feed = RawDocument("big.xml", data, MediaType.FEED, hashlib.sha256(data).hexdigest())
start = time.monotonic()
count = sum(1 for _ in read_entries(feed, NoFetcher(), Memory()))
print(count, time.monotonic() - start, peak[0] // 2**20)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    count, seconds, megabytes = done.stdout.split()
    assert int(count) == 10_000
    assert float(seconds) < 60  # about 5 s here
    assert int(megabytes) < 500  # about 65 MB here: the feed parsed once, entries streamed


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'.encode() for i in range(9)
    )
    + b"]>\n"
)
ITEM = b"<item><title>x</title><link>https://example.org/a</link></item>"


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (
            LAUGHS + b'<rss version="2.0"><channel><title>&j;</title>' + ITEM + b"</channel></rss>",
            "&j;",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b'<rss version="2.0"><channel><title>&x;</title>' + ITEM + b"</channel></rss>",
            "&x;",
        ),
        (
            b'<rss version="2.0"><channel><title>t&#xD800;&#55296;&#0;&#x110000;</title>'
            + ITEM
            + b"</channel></rss>",
            "t\ufffd\ufffd\ufffd\ufffd",
        ),
        (
            b'<rss version="2.0"><channel><title>t</title>' + b"<x>" * 100_000 + ITEM
            + b"</channel></rss>",
            "t",
        ),
    ],
    ids=["billion-laughs", "external-entity", "surrogate-references", "nested-100k"],
)  # fmt: skip
def test_hostile_feeds_are_read_safely_and_quickly(data: bytes, title: str) -> None:
    start = time.monotonic()
    parsed = parse_feed(data)
    assert parsed.title == title  # entities are not expanded, files not read
    assert time.monotonic() - start < 10


def test_bogus_markup_in_an_entry_still_gives_its_text() -> None:
    words = " ".join(["word"] * 30)
    data = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>T</title><item><title>x</title><link>https://example.org/a</link>"
        f"<content:encoded>&lt;p&gt;{words}&lt;/p&gt;&lt;![x[ y ]]&gt;&lt;p&gt;end&lt;/p&gt;"
        "</content:encoded>"
        "</item></channel></rss>"
    ).encode()
    [entry] = parse_feed(data).entries
    assert entry.text == f"{words}\n\nend"
