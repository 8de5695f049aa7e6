"""RSS 0.9x/1.0/2.0 and Atom feeds (feedparser): the entries, their own text, links to pages.

A feed is accepted in whatever form the feed parser reads: any Unicode encoding (with or
without a byte-order mark where XML allows it), HTML named entities and entities its DOCTYPE
declares. An entry that carries its article (full content, or a summary long enough to be the
article) becomes a JSON Lines record of that text and what the feed says of it; the others are
read from the pages they link to.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from storydesk.errors import InputError, MissingExtraError
from storydesk.ingest.rejected import RejectedInput, only_whitespace
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.text.decode import bom_codec
from storydesk.text.record import HINT_FIELDS

_FEED_START = re.compile(
    r"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE(?:[^\[>]|\[.*?\])*>\s*)*"
    r"<(?:rss|feed|rdf:RDF|[\w.-]+:(?:rss|feed|RDF))\b",
    re.IGNORECASE | re.DOTALL,
)
_CHARACTER_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,20});")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_XML_TYPES = ("application/xml", "text/xml")
HEAD_BYTES = 16384  # enough for a declaration, comments and a DOCTYPE before the root element
# How XML without a byte-order mark shows its encoding in its first bytes (XML 1.0, appendix F).
_XML_SIGNATURES = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
# Parser complaints that feedparser reads past: an undefined (HTML) entity, a wrong charset.
_HARMLESS = ("undefined entity",)
MIN_CONTENT_WORDS = 20  # full content shorter than this is a teaser: the linked page is read
MIN_SUMMARY_WORDS = 120  # a summary at least this long is the article itself, not a teaser


@dataclass(frozen=True)
class Entry:
    """One feed entry: its link (None when it has none), what the feed says of it, its text."""

    link: str | None
    title: str | None = None
    published: str | None = None  # ISO date
    author: str | None = None
    ident: str | None = None
    text: str | None = None  # the article's text when the entry carries it (paragraphs)
    outlet: str | None = None  # the entry's source, else the feed's title

    def hints(self) -> tuple[tuple[str, str], ...]:
        """The entry's metadata as raw-document hints (for its page)."""
        pairs = (("title", self.title), ("published", self.published), ("byline", self.author))
        return tuple((k, v) for k, v in pairs if v)


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, format version, entries and site link."""

    title: str | None
    version: str
    entries: tuple[Entry, ...]
    link: str | None = None


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """True when bytes (and a Content-Type, if any) are an RSS, RDF or Atom feed."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _FEED_TYPES:
        return True
    if kind and kind not in (*_XML_TYPES, "application/octet-stream", "text/plain"):
        return False
    return _FEED_START.match(_head(content)) is not None


def read_feed(source: str, content: bytes, sha256: str) -> Iterator[RawDocument | Rejection]:
    """A feed file as one raw document (its entries are read at the door), or why not."""
    if not content.strip() or (len(content) <= HEAD_BYTES and not _head(content).strip()):
        yield only_whitespace(source)
        return
    doc = RawDocument(source, content, MediaType.FEED, sha256)
    if not looks_like_feed(content) and not _parser_version(content):
        yield RejectedInput(source, Step.PARSE, "XML that is not an RSS, RDF or Atom feed", doc)
        return
    yield doc


def parse_feed(content: bytes) -> Feed:
    """Entries of a feed; InputError when the bytes are not a readable feed."""
    parsed = _parse(content)
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    usable = [e for e in entries if e.get("link") or e.get("title") or e.get("id")]
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and not usable and not (version and _harmless(problem)):
        raise InputError(f"malformed feed XML: {_describe(problem)}")
    if not version and not entries:
        raise InputError("not an RSS or Atom feed (no feed element or entries found)")
    feed_info = parsed.get("feed") or {}
    title = _text(feed_info.get("title"))
    return Feed(
        title=title,
        version=version or "unknown",
        entries=tuple(_entry(e, title) for e in entries),
        link=_text(feed_info.get("link")),
    )


def entry_document(source: str, entry: Entry, url: str | None) -> RawDocument:
    """An entry that carries its article as a JSON Lines record: its text and metadata."""
    fields = {
        "text": entry.text,
        "title": entry.title,
        "url": url,
        "published": entry.published,
        "byline": entry.author,
        "outlet": entry.outlet,
    }
    kept = {key: value for key, value in fields.items() if value}
    content = json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8")
    hints = tuple((key, kept[key]) for key in HINT_FIELDS if key in kept)
    sha = hashlib.sha256(content).hexdigest()
    return RawDocument(source, content, MediaType.RECORD, sha, hints)


def _parse(content: bytes) -> Any:
    """feedparser's result for the bytes (given as a stream, never taken for a file name)."""
    try:
        import feedparser
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("feeds need feedparser: pip install storydesk") from exc
    stream = io.BytesIO(_CHARACTER_REFERENCE.sub(_valid_reference, content))
    try:
        return feedparser.parse(stream, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # the parser's own failure on hostile bytes: named, not raised
        raise InputError(f"feed parser failed: {type(exc).__name__}: {exc}") from None


def _valid_reference(found: re.Match[bytes]) -> bytes:
    """A character reference, or U+FFFD's for one to no character (feedparser chokes on it)."""
    digits = found.group(1)
    try:
        code = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    except ValueError:
        return b"&#xFFFD;"
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF or code == 0:
        return b"&#xFFFD;"
    return found.group(0)


def _parser_version(content: bytes) -> str:
    """The feed version feedparser finds in the bytes ('' when it finds no feed)."""
    try:
        return str(_parse(content).get("version") or "")
    except InputError:
        return ""


def _head(content: bytes) -> str:
    """The first bytes decoded by their byte-order mark or XML signature, else as Latin-1."""
    head = content[:HEAD_BYTES]
    codec = bom_codec(head)
    if codec is None:
        codec = next((c for sig, c in _XML_SIGNATURES if head.startswith(sig)), "latin-1")
    return head.decode(codec, errors="ignore")


def _harmless(problem: object) -> bool:
    """True for parser complaints feedparser reads past (entities, a misdeclared charset)."""
    name = type(problem).__name__
    if name in ("CharacterEncodingOverride", "NonXMLContentType"):
        return True
    message = str(getattr(problem, "getMessage", lambda: problem)())
    return any(harmless in message for harmless in _HARMLESS)


def _describe(problem: object) -> str:
    """A parser's complaint: its message and where it was found."""
    message = " ".join(str(getattr(problem, "getMessage", lambda: problem)()).split())
    line = getattr(problem, "getLineNumber", None)
    column = getattr(problem, "getColumnNumber", None)
    where = f"line {line()}, column {column()}: " if callable(line) and callable(column) else ""
    return where + (message or type(problem).__name__)


def _entry(item: Any, feed_title: str | None) -> Entry:
    """One feedparser entry."""
    link = _text(item.get("link"))
    if not link:
        for candidate in item.get("links") or []:
            href = _text(candidate.get("href"))
            if href and candidate.get("rel", "alternate") == "alternate":
                link = href
                break
    ident = _text(item.get("id"))
    if not link and ident and ident.startswith(("http://", "https://")):
        link = ident
    source = item.get("source") or {}
    return Entry(
        link=link,
        title=_text(item.get("title")),
        published=_date(item.get("published_parsed") or item.get("updated_parsed")),
        author=_text((item.get("author_detail") or {}).get("name")) or _text(item.get("author")),
        ident=ident,
        text=_article_text(item),
        outlet=_text(source.get("title") if hasattr(source, "get") else None) or feed_title,
    )


def _date(stamp: Any) -> str | None:
    """An ISO date from feedparser's parsed time, or None when it has none or a bad one."""
    try:
        year, month, day = int(stamp[0]), int(stamp[1]), int(stamp[2])
    except (TypeError, ValueError, IndexError):
        return None
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _article_text(item: Any) -> str | None:
    """The entry's own article text: its longest full content, else a long summary, else None."""
    best: str | None = None
    for part in item.get("content") or []:
        text = _plain(part.get("value"), part.get("type"))
        if text and _words(text) >= MIN_CONTENT_WORDS and (best is None or len(text) > len(best)):
            best = text
    if best is not None:
        return best
    detail = item.get("summary_detail") or {}
    summary = _plain(item.get("summary"), detail.get("type"))
    return summary if summary and _words(summary) >= MIN_SUMMARY_WORDS else None


def _words(text: str) -> int:
    """Words in a text."""
    return len(text.split())


def _plain(value: Any, kind: Any) -> str | None:
    """Text of an entry's content or summary (HTML turned into paragraphs), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = _scrub(value)
    if kind == "text/plain":
        lines = (" ".join(line.split()) for line in value.splitlines())
    else:
        reader = _TextOfHtml()
        try:
            reader.feed(value)
            reader.close()
            found = "".join(reader.parts)
        except (AssertionError, ValueError):  # html.parser gives up on some bogus markup
            found = html.unescape(_TAG.sub("\n", value))
        lines = (" ".join(line.split()) for line in found.split("\n"))
    text = "\n\n".join(line for line in lines if line)
    return text or None


_BLOCKS = re.compile(
    r"address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|footer|h[1-6]|header|hr|li"
    r"|main|ol|p|pre|section|table|td|th|tr|ul"
)
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_SKIPPED = re.compile(r"script|style|noscript|template|iframe|object|svg|math|head|title")


class _TextOfHtml(HTMLParser):
    """Text of an HTML fragment: one line per block element, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if _SKIPPED.fullmatch(tag):
            self._skipping += 1
        elif _BLOCKS.fullmatch(tag):
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if _BLOCKS.fullmatch(tag):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if _SKIPPED.fullmatch(tag):
            self._skipping = max(0, self._skipping - 1)
        elif _BLOCKS.fullmatch(tag):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(_SPACE.sub(" ", data))  # a newline in HTML text is a space


def _scrub(value: str) -> str:
    """The string with lone surrogates (from character references) replaced."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _text(value: Any) -> str | None:
    """A non-empty string with whitespace collapsed, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(_scrub(value).split())
    return text or None
