"""HTML pages: body text and metadata by trafilatura (dates by htmldate), JSON-LD first.

Decoding is done here, without guessing: a byte-order mark, else UTF-8, else the charset the
page declares in ``<meta>``. Pages that hold no article (home and section pages, truncated
downloads) are named as such instead of yielding teaser text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

from storydesk.clean.pagemeta import linked_data, meta_content, og_type
from storydesk.errors import InputError, MissingExtraError
from storydesk.text.chars import check_text, drop_controls
from storydesk.text.decode import bom_codec, decode_text

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# A comment never runs past its "-->": with ".*?" a run of comments could be split 2^n ways.
_DOCUMENT_START = re.compile(
    r"^\s*(?:<!--(?:(?!-->).)*-->\s*)*<(?:!doctype|html)\b", re.IGNORECASE | re.DOTALL
)
_DOCUMENT_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
MIN_ARTICLE_WORDS = 20  # fewer words of body text than this: no article on the page
MIN_UNMARKED_WORDS = 120  # a page with no article markup needs this many words of body text
TAIL_BYTES = 65536  # where the closing tags of a whole page are looked for
# Extraction time grows with the square of a page's elements (30,000 <div>: 5 s; 60,000: 21 s;
# 100,000 <p>: 59 s); the largest real pages measured hold 25,000 (4 s).
MAX_PAGE_TAGS = 50_000
_OPEN_TAG = re.compile(r"<[A-Za-z]")


@dataclass(frozen=True)
class Page:
    """What the extractor found in one page."""

    title: str | None
    paragraphs: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]  # (hint, value): site_name, url, published, byline

    def get(self, key: str) -> str | None:
        """One metadata value, or None."""
        return next((v for k, v in self.meta if k == key), None)


def decode_html(content: bytes) -> str:
    """Decode a page: byte-order mark, else UTF-8, else the charset the page declares."""
    return check_text(_decode(content))


def _decode(content: bytes) -> str:
    """The page's text, by its byte-order mark, UTF-8, or the charset it declares."""
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
    except UnicodeError as exc:  # a codec that is no text encoding ("idna", "undefined")
        raise InputError(f"page declares {name!r}, which cannot decode it: {exc}") from None


def _is_utf8(name: str) -> bool:
    """True for the names of UTF-8."""
    return name.lower().replace("_", "-") in ("utf-8", "utf8")


def read_page(content: bytes, url: str | None = None) -> Page:
    """Title, body paragraphs and metadata of an article page; InputError when it has none."""
    html = drop_controls(decode_html(content))
    if _DOCUMENT_START.match(html) and not _DOCUMENT_END.search(html[-TAIL_BYTES:]):
        raise InputError("truncated HTML: the page ends before </body> or </html>")
    tags = sum(1 for _ in _OPEN_TAG.finditer(html))
    if tags > MAX_PAGE_TAGS:
        raise InputError(
            f"page holds {tags} elements, over the limit of {MAX_PAGE_TAGS} for one article page"
        )
    found = _extract(html, url)
    if found is None or not (found.get("text") or "").strip():
        raise InputError("no article text found in the page")
    ld = linked_data(html)
    paragraphs = tuple(
        line for line in (" ".join(raw.split()) for raw in found["text"].splitlines()) if line
    )
    words = sum(len(p.split()) for p in paragraphs)
    published_time = meta_content(html, "article:published_time") is not None
    marked = ld.is_article or og_type(html) == "article" or published_time
    if words < MIN_ARTICLE_WORDS or (not marked and (ld.is_listing or words < MIN_UNMARKED_WORDS)):
        kind = "a listing page" if ld.is_listing or og_type(html) == "website" else "a page"
        raise InputError(
            f"no article found: {kind} with {words} words of body text and no article markup"
            if not marked
            else f"no article found: only {words} words of body text"
        )
    meta: list[tuple[str, str]] = []
    for key, value in (
        ("site_name", ld.publisher or _site_name(found.get("sitename"))),
        ("url", found.get("url") or ld.url or url),
        ("published", ld.published or found.get("date")),
        ("byline", ", ".join(ld.authors) or _authors(found.get("author"))),
        ("description", found.get("description")),
    ):
        if isinstance(value, str) and value.strip():
            meta.append((key, " ".join(value.split())))
    title = ld.headline or found.get("title") or None
    return Page(title, paragraphs, tuple(meta))


def _site_name(value: object) -> str | None:
    """trafilatura's site name, unless it is only a host name (the domain is used instead)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    return None if " " not in text and "." in text else text


def _authors(value: object) -> str | None:
    """trafilatura's author field ("A; B") as a byline ("A, B")."""
    if not isinstance(value, str) or not value.strip():
        return None
    return ", ".join(part.strip() for part in value.split(";") if part.strip())


def _extract(html: str, url: str | None) -> dict[str, Any] | None:
    """trafilatura's extraction of the main text and metadata, as a dict."""
    try:
        import trafilatura
        from trafilatura.settings import set_date_params
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("HTML extraction needs trafilatura: pip install storydesk") from exc
    try:
        found = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception as exc:  # the extractor failed on this page: a named rejection of it
        raise InputError(f"HTML extraction failed: {type(exc).__name__}: {exc}") from None
    if found is None:
        return None
    return found.as_dict() if hasattr(found, "as_dict") else dict(found)
