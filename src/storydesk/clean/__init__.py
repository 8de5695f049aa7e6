"""Clean: a raw document becomes an article (metadata plus body), with boilerplate removed.

Every line that does not reach the body or the metadata is kept in ``Article.removed`` with
the reason it was dropped. Metadata comes only from evidence in the input (declared hints,
page metadata, the text itself), then from the options; nothing is invented.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from storydesk.clean.html import read_page
from storydesk.clean.kind import check_article, detect_language
from storydesk.clean.meta import publication_date, split_authors
from storydesk.clean.outlets import (
    byline_outlet,
    dateline_outlet,
    host_of,
    name_for_host,
    self_reference,
)
from storydesk.clean.structure import Layout, check_length, derive_title, lay_out, split_lines
from storydesk.errors import InputError, MissingExtraError
from storydesk.model import (
    ENGLISH,
    Article,
    MediaType,
    OutletEvidence,
    OutletSource,
    RawDocument,
    RemovedLine,
)
from storydesk.options import Options
from storydesk.text.chars import check_text
from storydesk.text.decode import decode_text
from storydesk.text.record import parse_record

__all__ = ["OPENERS", "clean"]


@dataclass(frozen=True)
class _Declared:
    """Metadata the input states outside the text: hints, record fields, page metadata."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None
    site_name: str | None = None  # an HTML page's og:site_name
    page_published: str | None = None  # an HTML page's article:published_time
    page_title: str | None = None  # an HTML page's own title (or JSON-LD headline)
    dropped: tuple[RemovedLine, ...] = ()  # values too long to be metadata, with why


EVIDENCE_WORDS = 8  # a footer is quoted as outlet evidence by its opening words
# A metadata value longer than this (a title, a byline, a URL, a name) is body text or junk, and
# the patterns that read bylines and dates are not meant for pages of it.
MAX_META_CHARS = 2000


def clean(doc: RawDocument, options: Options) -> Article:
    """Clean one raw document into an article; InputError says why nothing usable remains."""
    try:
        article = _clean(doc, options)
    except (InputError, MissingExtraError):
        raise
    except Exception as exc:  # an input no rule foresaw: named as this input's failure
        raise InputError(f"cleaning failed: {type(exc).__name__}: {exc}") from exc
    for text in _texts(article):
        check_text(text)
    return article


def _clean(doc: RawDocument, options: Options) -> Article:
    """The article of one raw document."""
    declared, layout = _read(doc)
    if not layout.paragraphs:
        dropped = len(layout.removed)
        raise InputError(f"no body text remains after cleaning ({dropped} line(s) removed)")
    url = declared.url
    byline = declared.byline or layout.byline
    title = declared.title or layout.title or derive_title(layout.paragraphs[0])
    published, notes = _published(declared, layout, options)
    check_article(title, layout.paragraphs)
    language, prob = detect_language(title, layout.paragraphs)
    if language != ENGLISH:
        why = f"not English ({language}, p={prob:.2f}): stored, not analysed"
        notes = (*notes, RemovedLine(f"language: {language}", why))
    outlet, evidence = _outlet(declared, layout, byline, title, options)
    return Article(
        source=doc.source,
        sha256=doc.sha256,
        title=title,
        paragraphs=layout.paragraphs,
        subtitle=layout.subtitle,
        byline=byline,
        authors=split_authors(byline) if byline else (),
        dateline=layout.dateline,
        outlet=outlet,
        published=published,
        url=url,
        language=language,
        removed=layout.removed + declared.dropped + notes,
        fetched=dict(doc.hints).get("fetched"),
        outlet_evidence=evidence,
    )


def _published(
    declared: _Declared, layout: Layout, options: Options
) -> tuple[str | None, tuple[RemovedLine, ...]]:
    """The first usable publication date in order of evidence, and a note on each one dropped."""
    notes: list[RemovedLine] = []
    for value in (declared.published, declared.page_published, layout.date, options.published):
        iso, why = publication_date(value)
        if iso is not None:
            return iso, tuple(notes)
        if value and why:
            notes.append(RemovedLine(value, f"publication date dropped: {why}"))
    return None, tuple(notes)


def _texts(article: Article) -> Iterator[str]:
    """Every string an article carries."""
    yield from article.paragraphs
    yield from article.authors
    yield from (r.text for r in article.removed)
    for value in (article.title, article.subtitle, article.byline, article.dateline):
        yield value or ""
    for value in (article.outlet, article.published, article.url, article.fetched):
        yield value or ""


def _read(doc: RawDocument) -> tuple[_Declared, Layout]:
    """The declared metadata and the layout of one document, by its media type."""
    hints = {key: value for key, value in doc.hints if value.strip()}
    opener = OPENERS.get(doc.media_type)
    if opener is None:
        raise InputError(f"unsupported media type {doc.media_type!r}")
    return opener(doc.content, hints)


def _read_text(content: bytes, hints: dict[str, str]) -> tuple[_Declared, Layout]:
    """Declared metadata (the hints) and layout of plain text."""
    declared = _declared(hints)
    return declared, _lay_out(split_lines(decode_text(content)), declared.title)


def _read_record(content: bytes, hints: dict[str, str]) -> tuple[_Declared, Layout]:
    """Declared metadata and layout of a JSON Lines record: its text, else its HTML."""
    fields = parse_record(content)
    if "text" not in fields:
        html = fields.pop("html").encode("utf-8")
        return _read_html(html, {**hints, **fields})
    text = fields.pop("text")
    fields.pop("html", None)
    declared = _declared({**hints, **fields})
    return declared, _lay_out(split_lines(text), declared.title)


def _lay_out(lines: list[str], title: str | None) -> Layout:
    """The layout of the lines of a text, unless they are too long for one article."""
    check_length(lines)
    return lay_out(lines, title=title)


def _read_html(content: bytes, hints: dict[str, str]) -> tuple[_Declared, Layout]:
    """Declared metadata and layout of an HTML page; declared hints beat the page's own."""
    page = read_page(content, url=hints.get("url"))
    page_hints = {k: v for k, v in page.meta if k in ("url", "byline")}
    # The page's own canonical URL beats the address it was fetched from.
    merged = {**page_hints, **hints, **{k: v for k, v in page_hints.items() if k == "url"}}
    own = {"site_name": page.get("site_name"), "page_published": page.get("published")}
    own["page_title"] = page.title
    declared = _declared({**merged, **{k: v for k, v in own.items() if v}})
    title = declared.title or declared.page_title
    declared = replace(declared, title=title)
    check_length(page.paragraphs)
    return declared, lay_out(page.paragraphs, title=title, find_headline=False)


Opener = Callable[[bytes, dict[str, str]], tuple[_Declared, Layout]]  # content, hints

# How each kind of raw document is opened for cleaning; feeds never reach cleaning.
OPENERS: Mapping[str, Opener] = MappingProxyType(
    {
        MediaType.TEXT: _read_text,
        MediaType.RECORD: _read_record,
        MediaType.HTML: _read_html,
    }
)


def _declared(values: dict[str, str]) -> _Declared:
    """Declared metadata from hint-like key/value pairs; a value too long for metadata is noted."""
    fields = [f.name for f in dataclasses.fields(_Declared) if f.name != "dropped"]
    kept = {k: v for k, v in values.items() if k in fields and len(v) <= MAX_META_CHARS}
    dropped = tuple(
        RemovedLine(v, f"{k} dropped: {len(v)} characters, too long for metadata")
        for k, v in values.items()
        if k in fields and len(v) > MAX_META_CHARS
    )
    byline = kept.pop("byline", None)
    if byline:
        kept["byline"] = byline.removeprefix("By ").removeprefix("by ").strip()
    return _Declared(**kept, dropped=dropped)


def _outlet(
    declared: _Declared, layout: Layout, byline: str | None, title: str, options: Options
) -> tuple[str | None, OutletEvidence | None]:
    """The outlet, from the strongest evidence the input gives, and that evidence (or None)."""
    host = host_of(declared.url)
    named = (
        (OutletSource.DECLARED, declared.outlet, declared.outlet),
        (OutletSource.SITE, declared.site_name, declared.site_name),
        (OutletSource.URL, host, declared.url),
        (OutletSource.BYLINE, byline_outlet(byline), byline),
        (OutletSource.DATELINE, dateline_outlet(layout.dateline), layout.dateline),
        (OutletSource.FOOTER, layout.footer_outlet, _footer_line(layout)),
        (OutletSource.LINK, layout.link_host, _link_line(layout)),
        (OutletSource.OPTIONS, options.outlet, "--outlet"),
    )
    for source, name, text in named:
        if not name:
            continue
        if source in (OutletSource.URL, OutletSource.LINK):
            texts = (title, *layout.paragraphs, byline or "")
            return _hosted(name, text or name, source, texts)
        return name, OutletEvidence(source, text or name, host=host)
    found = self_reference(layout.paragraphs)
    if found is None:
        return None, None
    return found[0], OutletEvidence(OutletSource.SELF_REFERENCE, found[1], inferred=True)


def _hosted(
    host: str, text: str, source: OutletSource, texts: tuple[str, ...]
) -> tuple[str, OutletEvidence]:
    """A host's outlet: the name the article's own text spells it with, else the host."""
    name = name_for_host(host, texts)
    if name is None:
        return host, OutletEvidence(source, text, host=host)
    why = f"the text names {name}, which {host} spells"
    return name, OutletEvidence(source, text, host=host, name_from=why)


def _footer_line(layout: Layout) -> str | None:
    """The opening words of the removed line that named the outlet in a footer."""
    name = layout.footer_outlet
    line = next((r.text for r in layout.removed if name and name in r.text), name)
    words = (line or "").split()
    return " ".join(words[:EVIDENCE_WORDS]) + (" …" if len(words) > EVIDENCE_WORDS else "")


def _link_line(layout: Layout) -> str | None:
    """The link, in a removed line, that gave the outlet's host."""
    host = layout.link_host
    line = next((r.text for r in layout.removed if host and host in r.text), None)
    found = re.search(r"(?:https?://|www\.)\S+", line or "")
    return found.group(0) if found else host
