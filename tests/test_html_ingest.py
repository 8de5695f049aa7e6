"""HTML pages: extraction against gold text, metadata, bad pages named, nothing lost."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.clean import clean
from storydesk.clean.pagemeta import linked_data, registered_domain
from storydesk.cli.main import cli
from storydesk.errors import InputError
from storydesk.ingest.urls import canonical_url
from storydesk.model import RawDocument
from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, ingest
from storydesk.store import Store

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
SLUGS = sorted(p.name.removesuffix(".gold.txt") for p in PAGES.glob("*.gold.txt"))


def page_doc(data: bytes, name: str = "page.html", **hints: str) -> RawDocument:
    sha = hashlib.sha256(data).hexdigest()
    return RawDocument(name, data, "text/html", sha, tuple(hints.items()))


@pytest.mark.parametrize("slug", SLUGS)
def test_fixture_pages_give_the_gold_body_and_metadata(slug: str) -> None:
    article = clean(page_doc((PAGES / f"{slug}.html").read_bytes()), Options())
    gold = (PAGES / f"{slug}.gold.txt").read_text(encoding="utf-8").splitlines()
    assert list(article.paragraphs) == gold
    assert article.outlet and article.published and article.byline and article.title
    assert article.url and article.url.startswith("https://www.") and slug in article.url


def test_json_ld_news_article_is_used() -> None:
    html = (PAGES / "ferry-strike.html").read_text(encoding="utf-8")
    ld = linked_data(html)
    assert ld.is_article and ld.authors == ("Ailsa Penrose",)
    assert ld.publisher == "Glenmoor Gazette" and ld.published == "2026-03-11T08:30:00+01:00"
    page = html.replace("Glenmoor Gazette", "GG").replace(
        '"name": "GG"}, "mainEntity', '"name": "Glenmoor Gazette Ltd"}, "mainEntity'
    )
    assert clean(page_doc(page.encode()), Options()).outlet == "Glenmoor Gazette Ltd"


def test_outlet_falls_back_to_the_registered_domain() -> None:
    assert registered_domain("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert registered_domain("https://live.www.tarnobserver.example/x") == "tarnobserver.example"
    body = "".join(
        f"<p>Paragraph {i} of a story about the harbour and its new cranes.</p>" for i in range(20)
    )
    page = (
        f'<html><head><meta property="og:type" content="article"></head><body>{body}</body></html>'
    )
    article = clean(page_doc(page.encode(), url="https://m.news.harbourwire.co.uk/a"), Options())
    assert article.outlet == "harbourwire.co.uk"


def test_jsonl_html_field(tmp_path: Path) -> None:
    html = (PAGES / "bus-fares.html").read_text(encoding="utf-8")
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"html": html, "outlet": "Courier"}) + "\n", encoding="utf-8")
    with Store(tmp_path / "db.sqlite") as store:
        (aid,), _, _ = ingest([str(path)], Options(), store, SilentReporter())
        article = store.article(aid)
    assert article is not None and article.outlet == "Courier"
    assert article.paragraphs[0].startswith("Young people under 25")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://WWW.Example.org:443/a/?utm_source=x&id=3#top", "https://www.example.org/a?id=3"),
        ("https://example.org/news/story/amp", "https://example.org/news/story"),
        (
            "https://amp.example.org/news/story.amp.html?amp=1",
            "https://example.org/news/story.html",
        ),
        ("http://example.org/a?fbclid=1&b=2&a=1", "http://example.org/a?a=1&b=2"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_recurring_lines_of_an_outlet_are_learned(tmp_path: Path) -> None:
    ask = "The Gazette is owned by the Glenmoor Community Trust and answers to its readers"
    folder = tmp_path / "in"
    folder.mkdir()
    for slug in ("ferry-strike", "harbour-dredging", "orchard-frost", "museum-loan"):
        html = (PAGES / f"{slug}.html").read_text(encoding="utf-8")
        html = (
            html.replace("</article>", f"<p>{ask}</p></article>")
            .replace('<div class="story-body">', f'<div class="story-body"><p>{ask}</p>')
            .replace('<div class="entry-content">', f'<div class="entry-content"><p>{ask}</p>')
        )
        for other in ("Tarn Observer", "Corvell Courier"):
            html = html.replace(other, "Glenmoor Gazette")
        (folder / f"{slug}.html").write_text(html, encoding="utf-8")
    with Store(tmp_path / "db.sqlite") as store:
        added, _, _ = ingest([str(folder)], Options(), store, SilentReporter())
        articles = [store.article(a) for a in added]
    assert len(articles) == 4
    for article in articles:
        assert article is not None and ask not in article.paragraphs
        reasons = {r.text: r.reason for r in article.removed}
        assert reasons[ask] == "recurs in 4 articles of Glenmoor Gazette (learned boilerplate)"


def test_duplicate_text_under_other_bytes_is_stored_once(tmp_path: Path) -> None:
    page = (PAGES / "wind-farm.html").read_bytes()
    (tmp_path / "a.html").write_bytes(page)
    (tmp_path / "b.html").write_bytes(
        page.replace(b"Most read", b"Popular").replace(b"canonical", b"x")
    )
    with Store(tmp_path / "db.sqlite") as store:
        added, unchanged, _ = ingest(
            [str(tmp_path / "a.html"), str(tmp_path / "b.html")], Options(), store, SilentReporter()
        )
    assert len(added) == 1 and unchanged == (str(tmp_path / "b.html"),)


# ---------------------------------------------------------------- bad pages


def bad_pages(folder: Path) -> dict[str, str]:
    """Write one bad page per problem; the reason each must be rejected with."""
    home = (
        '<!DOCTYPE html><html><head><meta property="og:type" content="website">'
        '<script type="application/ld+json">{"@type": "WebSite", "name": "Gazette"}</script>'
        "</head><body><nav><a href='/'>Home</a></nav><main>"
        + "".join(
            f"<div class='teaser'><h2><a href='/s{i}'>Headline number {i} about the town</a></h2>"
            f"<p>A short teaser for story {i}, read on.</p></div>"
            for i in range(12)
        )
        + "</main></body></html>"
    )
    full = (PAGES / "ferry-strike.html").read_bytes()
    pages = {
        "empty.html": (b"", "empty file"),
        "binary.html": (bytes(range(256)) * 8, "binary content"),
        "latin.html": ("<p>café in the square</p>".encode("cp1252"), "not valid UTF-8"),
        "truncated.html": (full[: len(full) // 2], "truncated HTML"),
        "home.html": (home.encode(), "no article found: a listing page"),
        "bomb.html": (gzip.compress(b"<p>" + b"a" * 5_000_000), "binary content (gzip"),
    }
    for name, (data, _) in pages.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.html").open("wb") as handle:  # sparse: 100 MB on disk costs nothing
        handle.truncate(100_000_000)
    (folder / "records.jsonl").write_text(
        json.dumps({"text": "First good record body. It has two sentences.", "title": "One"})
        + "\n{not json\n"
        + json.dumps(
            {"text": "Third good record body. It has two sentences too.", "title": "Three"}
        )
        + "\n",
        encoding="utf-8",
    )
    (folder / "good.html").write_bytes((PAGES / "school-meals.html").read_bytes())
    reasons = {str(folder / n): r for n, (_, r) in pages.items()}
    reasons[str(folder / "huge.html")] = "over the limit"
    reasons[f"{folder / 'records.jsonl'}#line=2"] = "invalid JSON"
    return reasons


def test_bad_pages_are_named_the_rest_ingested_and_exit_code_is_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    expected = bad_pages(folder)
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "ingest", "--published", "2026-01-01", str(folder)]
    )
    assert result.exit_code == 1, result.output
    with Store(db) as store:
        rejected = {r.source: r.reason for r in store.rejections()}
        assert store.article_count() == 3  # good.html and two JSONL records
        for source, reason in expected.items():
            assert reason in rejected.pop(source), source
        assert rejected == {}
        # Everything that was read is stored, rejected or not (the 100 MB file was not read).
        stored = store.conn.execute("SELECT count(*) FROM blobs").fetchone()[0]
        assert stored == 3 + len(expected) - 2  # empty and huge files hold nothing to keep
    listed = CliRunner().invoke(cli, ["--db", str(db), "rejected"]).output
    assert all(source in listed for source in expected)


def test_declared_legacy_charset_is_read() -> None:
    data = (PAGES / "library-hours.html").read_bytes()
    assert b'charset="windows-1252"' in data
    assert (
        clean(page_doc(data), Options()).title
        == "Velmor libraries to open on Sundays after petition"
    )


def test_no_article_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article"):
        clean(page_doc(b"<html><body><p>Just a line.</p></body></html>"), Options())
