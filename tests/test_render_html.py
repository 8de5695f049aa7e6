"""The HTML dossier: self-contained, every citation linked, all article text escaped."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

from storydesk.model import BriefSentence, Dossier, Fact, Support
from storydesk.render import render
from storydesk.render.html import render_html
from tests.test_render import make_dossier

EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


class _Collect(HTMLParser):
    """Counts tags and external references."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.external: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.imgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.scripts += tag == "script"
        self.imgs += tag == "img"
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for key in ("src", "href"):
            value = values.get(key) or ""
            if value.startswith("#"):
                self.links.append(value[1:])
            elif value:
                self.external.append(value)


def _evil(d: Dossier) -> Dossier:
    bad = Support(d.articles[0].id, 0, EVIL)
    return dataclasses.replace(
        d,
        headline=EVIL,
        brief=(BriefSentence(EVIL, (bad,)), *d.brief),
        facts=(Fact(EVIL, (bad,), 1, "single-source"), *d.facts),
    )


def test_html_escapes_article_text() -> None:
    page = render_html(_evil(make_dossier()))
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.scripts == 1 and parsed.imgs == 0  # only the page's own script


def test_html_is_self_contained_and_links_resolve() -> None:
    sample_dossier = make_dossier()
    page = render(sample_dossier, "html")
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.external == []
    assert parsed.links and set(parsed.links) <= parsed.ids
    for b in sample_dossier.brief:  # every brief citation points at a listed sentence
        for s in b.support:
            assert f"s{s.article}-{s.sentence}" in parsed.ids
    assert page.count('class="claim"') >= len(sample_dossier.brief) + len(sample_dossier.facts)
