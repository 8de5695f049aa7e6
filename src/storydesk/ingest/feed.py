"""RSS 0.9x/1.0/2.0 and Atom feeds (feedparser): the entries and the links to their pages."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storydesk.errors import InputError, MissingExtraError
from storydesk.ingest.rejected import RejectedInput, only_whitespace
from storydesk.model import MediaType, RawDocument, Rejection, Step

_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_XML_TYPES = ("application/xml", "text/xml")


@dataclass(frozen=True)
class Entry:
    """One feed entry: its link (None when it has none) and what the feed says of it."""

    link: str | None
    title: str | None = None
    published: str | None = None  # ISO date
    author: str | None = None
    ident: str | None = None

    def hints(self) -> tuple[tuple[str, str], ...]:
        """The entry's metadata as raw-document hints (for its page)."""
        pairs = (("title", self.title), ("published", self.published), ("byline", self.author))
        return tuple((k, v) for k, v in pairs if v)


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, format version and entries."""

    title: str | None
    version: str
    entries: tuple[Entry, ...]


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """True when bytes (and a Content-Type, if any) are an RSS, RDF or Atom feed."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _FEED_TYPES:
        return True
    if kind and kind not in (*_XML_TYPES, "application/octet-stream", "text/plain"):
        return False
    return _FEED_START.match(content[:4096]) is not None


def read_feed(source: str, content: bytes, sha256: str) -> Iterator[RawDocument | Rejection]:
    """A feed file as one raw document (its entries are fetched at the door), or why not."""
    if not content.strip():
        yield only_whitespace(source)
        return
    doc = RawDocument(source, content, MediaType.FEED, sha256)
    if not looks_like_feed(content):
        yield RejectedInput(source, Step.PARSE, "XML that is not an RSS, RDF or Atom feed", doc)
        return
    yield doc


def parse_feed(content: bytes) -> Feed:
    """Entries of a feed; InputError when the bytes are not a readable feed."""
    try:
        import feedparser
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("feeds need feedparser: pip install storydesk") from exc
    parsed: Any = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    usable = [e for e in entries if e.get("link") or e.get("title") or e.get("id")]
    if parsed.get("bozo") and not usable:
        problem = parsed.get("bozo_exception")
        detail = f": {problem}" if problem else ""
        raise InputError(f"malformed feed XML{detail}")
    if not version and not entries:
        raise InputError("not an RSS or Atom feed (no feed element or entries found)")
    feed_info = parsed.get("feed") or {}
    return Feed(
        title=_text(feed_info.get("title")),
        version=version or "unknown",
        entries=tuple(_entry(e) for e in entries),
    )


def _entry(item: Any) -> Entry:
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
    stamp = item.get("published_parsed") or item.get("updated_parsed")
    published = time.strftime("%Y-%m-%d", stamp) if stamp else None
    return Entry(
        link=link,
        title=_text(item.get("title")),
        published=published,
        author=_text(item.get("author")),
        ident=ident,
    )


def _text(value: Any) -> str | None:
    """A non-empty string with whitespace collapsed, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None
