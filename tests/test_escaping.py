"""Hostile article text in every HTML and Markdown output: no live script, handler or link."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.model import (
    ArticleRef,
    Assignment,
    BriefSentence,
    Conflict,
    Coverage,
    Dossier,
    EntityEntry,
    Fact,
    QuoteEntry,
    Support,
    TimelineEntry,
    Variant,
)
from storydesk.render import render
from storydesk.render.html import _JS

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
LINK = "<a href=\"javascript:alert(2)\" onclick='alert(3)'>click</a>"
MD_LINK = "[click me](javascript:alert(4)) ![pic](javascript:alert(5)) <javascript:alert(6)>"
CLOSE = '"><svg onload=alert(7)>`|'
HOSTILE = (SCRIPT, IMG, LINK, MD_LINK, CLOSE)
EVERYTHING = " ".join(HOSTILE)
BAD_URLS = (
    "javascript:alert(8)",
    "JAVASCRIPT:alert(9)",
    " javascript:alert(10)",
    "data:text/html,<script>alert(11)</script>",
    'https://x.example/a"onmouseover="alert(12)"(x)<script>',
)


class Tags(HTMLParser):
    """Every element with its attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def assert_inert(html: str, own_script: str | None) -> Tags:
    """No element or attribute the hostile text could have made live survives in the HTML."""
    tags = Tags()
    tags.feed(html)
    tags.close()
    assert tags.scripts == ([own_script] if own_script is not None else [])
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "ol",
        "ul",
        "li",
        "table",
        "tr",
        "th",
        "td",
        "span",
        "details",
        "summary",
        "div",
        "a",
        "b",
        "code",
        "blockquote",
        "br",
        "script",
        "em",
        "strong",
        "hr",
        "thead",
        "tbody",
    }
    for tag, attrs in tags.elements:
        assert tag in allowed, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert value is not None
                assert value.startswith(("#", "http://", "https://")), (tag, name, value)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    return tags


def sup(article: int, sentence: int) -> Support:
    return Support(article, sentence, f"{EVERYTHING} sentence {sentence}")


def hostile_dossier(url: str | None) -> Dossier:
    """A dossier whose every text field carries hostile markup."""
    s1, s2 = sup(1, 0), sup(2, 1)
    ref = ArticleRef(
        1,
        f"feeds/{SCRIPT}.jsonl#line=1",
        f"Outlet {SCRIPT}",
        f"Title {EVERYTHING}",
        f"By {IMG}",
        f"2026-03-13{SCRIPT}",
        url,
        cites=(f"Wire {LINK}",),
    )
    other = ArticleRef(2, f"{CLOSE}.txt", f"Other {CLOSE}", f"Second {MD_LINK}", None, None, url)
    return Dossier(
        story_id=3,
        headline=f"Headline {EVERYTHING}",
        first_published=f"2026-03-12{IMG}",
        last_published=f"2026-03-13{SCRIPT}",
        independent_sources=2,
        articles=(ref, other),
        brief=(BriefSentence(f"Brief {EVERYTHING}", (s1, s2)),),
        facts=(
            Fact(f"Fact {EVERYTHING}", (s1, s2), 2, "corroborated", (ref.outlet or "", CLOSE)),
            Fact(f"Alone {SCRIPT}", (s2,), 1, "single-source", (CLOSE,)),
        ),
        conflicts=(
            Conflict(
                "number",
                f"people {SCRIPT}",
                (Variant(f"12 {IMG}", (s1,)), Variant(f"14 {LINK}", (s2,))),
            ),
        ),
        quotes=(
            QuoteEntry(
                f"Speaker {SCRIPT}",
                f"“{EVERYTHING}”",
                (s1,),
                (f"Outlet {SCRIPT}",),
                variants=(f"“{IMG}”",),
                speakers=(f"A {LINK}", f"B {CLOSE}"),
                part_of=f"“{MD_LINK}”",
            ),
            QuoteEntry(None, f"“{SCRIPT}”", (s2,), (), unnamed=f"an official {IMG}"),
        ),
        timeline=(TimelineEntry(f"2026-03-12{SCRIPT}", f"Thursday {IMG}", f"When {LINK}", (s1,)),),
        entities=(
            EntityEntry(
                f"Name {SCRIPT}",
                f"PERSON{IMG}",
                (f"alias {LINK}",),
                (1, 2),
                3,
                roles=(f"role {MD_LINK}",),
            ),
        ),
        coverage=Coverage(
            (f"Outlet {SCRIPT}", f"Other {CLOSE}"),
            ((0, (f"Outlet {SCRIPT}", f"Other {CLOSE}")), (1, (f"Other {CLOSE}",))),
            ((f"Other {CLOSE}", (1,)),),
            ((f"Outlet {SCRIPT}", (1,)),),
        ),
        membership=(
            Assignment(1, None, 0.0, (f"ent {SCRIPT}",), (f"term {IMG}",), reason=f"why {LINK}"),
            Assignment(2, 3, 0.5, (CLOSE,), (MD_LINK,), reason=""),
        ),
    )


def markdown_as_html(md: str) -> str:
    """Markdown rendered as a CommonMark renderer with raw HTML switched on renders it."""
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    kinds = {t.type for t in parser.parse(md)}
    kinds |= {c.type for t in parser.parse(md) for c in (t.children or [])}
    assert not kinds & {"html_block", "html_inline"}, "raw HTML reached the Markdown"
    return str(parser.render(md))


@pytest.mark.parametrize("url", [None, *BAD_URLS], ids=lambda u: repr(u)[:24])
def test_html_escapes_every_field(url: str | None) -> None:
    html = render(hostile_dossier(url), "html")
    assert_inert(html, _JS)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html  # the text is kept, inert
    assert "onerror=&quot;alert(1)&quot;" in html


@pytest.mark.parametrize("url", [None, *BAD_URLS], ids=lambda u: repr(u)[:24])
def test_markdown_carries_no_raw_html_and_no_unsafe_link(url: str | None) -> None:
    md = render(hostile_dossier(url), "md")
    tags = assert_inert(markdown_as_html(md), None)
    links = [dict(attrs).get("href") for tag, attrs in tags.elements if tag == "a"]
    for link in links:
        assert link is not None and link.startswith(("http://", "https://"))
        assert '"' not in link and "<" not in link and " " not in link
    if url is not None and url.lower().startswith("https://"):
        assert links, "an http(s) URL stays a link"
    else:
        assert not links
    assert "alert('x')" in markdown_as_html(md)  # the text is kept, as text


def test_markdown_link_keeps_a_plain_url() -> None:
    md = render(hostile_dossier("https://news.example/2026/03/ferry?id=7&p=2#top"), "md")
    assert "](https://news.example/2026/03/ferry?id=7&p=2#top)" in md


RECORDS = [
    {
        "title": f"Ferry strike ends {SCRIPT}",
        "byline": f"By Ines Calloway {IMG}",
        "outlet": f"Harbor Wire {LINK}",
        "url": "javascript:alert(20)",
        "published": "2026-03-13",
        "text": (
            f"The ferry workers of Port Ellis ended their nine-day strike on Thursday {SCRIPT}.\n\n"
            f"“We have won a fair deal {IMG},” union leader Ines Calloway said on Thursday.\n\n"
            f"Sailings resume on Friday morning {MD_LINK}, Bluewater Lines said."
        ),
    },
    {
        "title": f"Port Ellis ferry strike over {CLOSE}",
        "byline": f"By Tomasz Weller {SCRIPT}",
        "outlet": f"Meridian Post {SCRIPT}",
        "url": 'https://meridian.example/ferry"onmouseover="alert(21)',
        "published": "2026-03-13",
        "text": (
            f"The ferry workers of Port Ellis ended their nine-day strike on Thursday {LINK}.\n\n"
            f"“We have won a fair deal {IMG},” union leader Ines Calloway said on Thursday.\n\n"
            f"Sailings resume on Friday morning {CLOSE}, Bluewater Lines said."
        ),
    },
]


def test_show_escapes_hostile_inputs_end_to_end(tmp_path: Path) -> None:
    source = tmp_path / "hostile.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    db = str(tmp_path / "d.db")
    runner = CliRunner()
    ran = runner.invoke(cli, ["--db", db, "run", str(source)])
    assert ran.exit_code in (0, 1), ran.output
    stories = json.loads(runner.invoke(cli, ["--db", db, "stories", "--format", "json"]).stdout)
    assert stories
    seen = ""
    for story in stories:
        html = runner.invoke(cli, ["--db", db, "show", str(story["id"]), "--format", "html"])
        assert html.exit_code == 0
        assert_inert(html.stdout, _JS)
        md = runner.invoke(cli, ["--db", db, "show", str(story["id"]), "--format", "md"])
        assert md.exit_code == 0
        assert_inert(markdown_as_html(md.stdout), None)
        seen += html.stdout
    assert "&lt;script&gt;" in seen  # hostile text reached the outputs, escaped


def test_csv_cells_that_spreadsheets_would_run_are_quoted() -> None:
    from storydesk.render.csvout import rows_csv

    rows = [
        {"text": '=HYPERLINK("http://x.example","click")', "n": -3},
        {"text": "@SUM(A1:A2)", "n": 4},
        {"text": "-2 killed", "n": 5},
        {"text": "plain words", "n": 6},
    ]
    lines = rows_csv(rows).splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert lines[1].endswith(",-3")  # numbers stay numbers
    assert lines[2].startswith("'@SUM")
    assert lines[3].startswith("'-2 killed")
    assert lines[4] == "plain words,6"
