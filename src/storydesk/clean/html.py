"""A small, honest HTML reader (stdlib only): title, <p> paragraphs and page metadata.

It is a stop-gap until trafilatura does article extraction: it keeps the text of ``<p>``
elements (only those inside ``<article>`` when the page has one) and skips navigation,
footers, asides, forms, scripts and styles.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from storydesk.errors import InputError
from storydesk.ingest import decode_text
from storydesk.ingest.textfile import bom_codec

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_SKIP = re.compile(
    r"script|style|noscript|template|svg|nav|footer|aside|form|button|select|iframe|figcaption"
    r"|object"
)
_VOID = re.compile(r"area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr")
# <meta> names and properties that state page metadata, by the hint they give.
_META = (
    ("site_name", ("og:site_name", "application-name")),
    ("title", ("og:title", "twitter:title")),
    ("url", ("og:url",)),
    ("published", ("article:published_time", "datepublished", "date", "pubdate", "dc.date")),
    ("byline", ("author", "article:author", "byl")),
)


@dataclass(frozen=True)
class Page:
    """What the HTML reader found in one page."""

    title: str | None
    paragraphs: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]  # (hint, value): site_name, title, url, published, byline

    def get(self, key: str) -> str | None:
        """One metadata value, or None."""
        return next((v for k, v in self.meta if k == key), None)


def decode_html(content: bytes) -> str:
    """Decode a page: byte-order mark, else UTF-8, else the charset the page declares."""
    if bom_codec(content) is not None:
        return decode_text(content)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = _CHARSET.search(content[:4096])
        name = declared.group(1).decode("ascii", "replace") if declared else None
        if name is None or _is_utf8(name):
            at = exc.start
            raise InputError(
                f"not valid UTF-8 (byte 0x{content[at]:02x} at offset {at}) and no other charset"
                " declared"
            ) from None
    try:
        return content.decode(codecs.lookup(name).name)
    except LookupError:
        raise InputError(f"page declares an unknown charset {name!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {name} (at offset {exc.start}), the charset it declares"
        ) from None


def _is_utf8(name: str) -> bool:
    """True for the names of UTF-8."""
    return name.lower().replace("_", "-") in ("utf-8", "utf8")


def read_page(content: bytes) -> Page:
    """Title, paragraphs and metadata of an HTML page; InputError when it has no paragraphs."""
    parser = _PageParser()
    parser.feed(decode_html(content))
    parser.close()
    paragraphs = parser.paragraphs_in_article or parser.paragraphs
    if not paragraphs:
        raise InputError("no <p> paragraphs found in the HTML page")
    title = parser.h1 or _meta_value(parser.meta, "title") or parser.title or None
    meta = tuple((key, value) for key, value in parser.meta if key != "title")
    return Page(title, tuple(paragraphs), meta)


def _meta_value(meta: list[tuple[str, str]], key: str) -> str | None:
    """The first value of one metadata key."""
    return next((v for k, v in meta if k == key), None)


class _PageParser(HTMLParser):
    """Collects <title>, the first <h1>, <p> texts and <meta>/<link rel=canonical> values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.meta: list[tuple[str, str]] = []
        self.paragraphs: list[str] = []
        self.paragraphs_in_article: list[str] = []
        self._skip = 0
        self._article = 0
        self._capture: str | None = None  # "p", "h1" or "title" while inside one
        self._buffer: list[str] = []
        self._p_in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            self._add_meta(values)
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            if values.get("href"):
                self.meta.append(("url", values["href"].strip()))
        elif tag == "br" and self._capture:
            self._buffer.append("\n")
        if _VOID.fullmatch(tag):
            return
        if _SKIP.fullmatch(tag):
            self._skip += 1
        elif tag == "article":
            self._article += 1
        elif self._skip == 0 and tag in ("p", "h1", "title"):
            self._flush()
            if tag != "h1" or not self.h1:
                self._capture = tag
                self._p_in_article = self._article > 0

    def handle_endtag(self, tag: str) -> None:
        if _SKIP.fullmatch(tag):
            self._skip = max(0, self._skip - 1)
        elif tag == "article":
            self._article = max(0, self._article - 1)
        elif tag == self._capture:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._capture and self._skip == 0:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        """End the element being captured and keep its text."""
        kind, text = self._capture, "".join(self._buffer)
        self._capture, self._buffer = None, []
        if kind == "title":
            self.title = self.title or " ".join(text.split())
        elif kind == "h1":
            self.h1 = " ".join(text.split())
        elif kind == "p":
            for line in text.split("\n"):
                line = " ".join(line.split())
                if line:
                    self.paragraphs.append(line)
                    if self._p_in_article:
                        self.paragraphs_in_article.append(line)

    def _add_meta(self, values: dict[str, str]) -> None:
        """Keep a <meta> value that states page metadata."""
        name = (
            values.get("property") or values.get("name") or values.get("itemprop") or ""
        ).lower()
        content = " ".join(values.get("content", "").split())
        if not name or not content:
            return
        for key, names in _META:
            if name in names and not (key == "byline" and "://" in content):
                self.meta.append((key, content))
