"""Page metadata the extractor does not give directly: JSON-LD articles, page type, domains."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storydesk.clean.meta import link_host

# Tags are found by their start and attributes up to ">" (or the end), then read one by one:
# a pattern that looks for an attribute across the page retries from every "<meta" and takes
# time that grows with the square of their number (40,000 of them: 150 s).
_SCRIPT_TAG = re.compile(r"<script\b[^>]*", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script\s*>", re.IGNORECASE)
_LD_TYPE = re.compile(r"type\s*=\s*[\"']?application/ld\+json", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*", re.IGNORECASE)
_NAMED = re.compile(r"(?:property|name)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_CONTENT = re.compile(r"content\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_ARTICLE_TYPE = re.compile(r"(?:\w*Article|BlogPosting|Report|LiveBlogPosting)")
_LISTING_TYPE = re.compile(r"(?:WebSite|CollectionPage|ItemList|SearchResultsPage)")


@dataclass(frozen=True)
class LinkedData:
    """What a page's JSON-LD says about its article (or that it is a listing)."""

    headline: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    url: str | None = None
    is_article: bool = False
    is_listing: bool = False


def linked_data(html: str) -> LinkedData:
    """The first article described in the page's JSON-LD blocks (bad blocks are skipped)."""
    listing = False
    for block in _ld_blocks(html):
        try:
            value = json.loads(block.strip().removeprefix("<!--").removesuffix("-->"))
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            continue
        for node in _nodes(value):
            types = _types(node)
            if any(_ARTICLE_TYPE.fullmatch(t) for t in types):
                return _article(node)
            listing = listing or any(_LISTING_TYPE.fullmatch(t) for t in types)
    return LinkedData(is_listing=listing)


def _ld_blocks(html: str) -> Iterator[str]:
    """The text of each JSON-LD script of a page, in one pass over it."""
    at = 0
    while (tag := _SCRIPT_TAG.search(html, at)) is not None:
        end = _SCRIPT_END.search(html, tag.end() + 1)
        if end is None:
            return  # no later script is closed either
        if _LD_TYPE.search(tag.group()):
            yield html[tag.end() + 1 : end.start()]
        at = end.end()


def meta_content(html: str, name: str) -> str | None:
    """The content of the first <meta> whose property or name is ``name`` ("" when it has none)."""
    for tag in _META_TAG.finditer(html):
        if any(value.lower() == name for value in _NAMED.findall(tag.group())):
            found = _CONTENT.search(tag.group())
            return found.group(1) if found else ""
    return None


def _nodes(value: Any) -> list[dict[str, Any]]:
    """Every JSON object at the top of a JSON-LD value or in its ``@graph``."""
    items = value if isinstance(value, list) else [value]
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                out.extend(g for g in graph if isinstance(g, dict))
    return out


def _types(node: dict[str, Any]) -> list[str]:
    """The ``@type`` names of a node."""
    kind = node.get("@type")
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


def _article(node: dict[str, Any]) -> LinkedData:
    """The metadata of one article node."""
    page = node.get("mainEntityOfPage")
    url = _text(node.get("url")) or (
        _text(page.get("@id")) if isinstance(page, dict) else _text(page)
    )
    return LinkedData(
        headline=_text(node.get("headline")) or _text(node.get("name")),
        published=_text(node.get("datePublished")) or _text(node.get("dateCreated")),
        modified=_text(node.get("dateModified")),
        authors=_names(node.get("author")),
        publisher=_names(node.get("publisher"))[:1][0] if _names(node.get("publisher")) else None,
        url=url if url and url.startswith(("http://", "https://")) else None,
        is_article=True,
    )


def _names(value: Any) -> tuple[str, ...]:
    """Names from a person/organisation value: a string, an object or a list of either."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and "://" not in name and name not in names:
            names.append(name)
    return tuple(names)


def _text(value: Any) -> str | None:
    """A non-empty string with whitespace collapsed, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def og_type(html: str) -> str | None:
    """The page's ``og:type`` ("article", "website"), lower-cased, or None."""
    return (meta_content(html, "og:type") or "").strip().lower() or None


def registered_domain(url: str) -> str | None:
    """The registered domain of a link ("news.bbc.co.uk" -> "bbc.co.uk"), or None."""
    host = link_host(url)
    if host is None or host.replace(".", "").isdigit():
        return None
    from tld import get_fld

    found = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(found, str) and found:
        return found
    # Not in the public-suffix list (".example", ".test", intranets): the last two labels.
    return ".".join(host.split(".")[-2:])
