"""HTML pages, from files or the web: kept as bytes here, decoded and extracted by cleaning."""

from __future__ import annotations

from collections.abc import Iterator

from storydesk.ingest.rejected import only_whitespace
from storydesk.model import MediaType, RawDocument, Rejection

HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")  # HTTP Content-Types of a page


def content_kind(content_type: str) -> str:
    """An HTTP Content-Type without its parameters, lower-cased ("" when none)."""
    return content_type.split(";")[0].strip().lower()


def looks_like_page(content: bytes, content_type: str) -> bool:
    """True when fetched bytes are served as an HTML page (or with no Content-Type)."""
    kind = content_kind(content_type)
    return not kind or kind in HTML_CONTENT_TYPES


def read_html(source: str, content: bytes, sha256: str) -> Iterator[RawDocument | Rejection]:
    """An HTML file as one raw document, unless it holds only whitespace."""
    if not content.strip():
        yield only_whitespace(source)
        return
    yield RawDocument(source, content, MediaType.HTML, sha256)
