"""URLs and feeds as raw documents: pages fetched; feed entries read from their text or links."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from urllib.parse import urljoin

from storydesk.errors import InputError
from storydesk.ingest.feed import entry_document, parse_feed
from storydesk.ingest.fetch.client import Fetched, Fetcher
from storydesk.ingest.fetch.errors import FetchError
from storydesk.ingest.formats import fetched_format
from storydesk.ingest.html import content_kind
from storydesk.ingest.memory import FetchMemory
from storydesk.ingest.rejected import RejectedInput
from storydesk.ingest.urls import canonical_url, is_web_url
from storydesk.model import MediaType, RawDocument, Rejection, Step


def read_url(source: str, fetcher: Fetcher, log: FetchMemory) -> Iterator[RawDocument | Rejection]:
    """One URL given by the user: a page or a feed (conditional GET when fetched before)."""
    key = canonical_url(source)
    known = log.validators(key)
    etag, modified = (known.etag, known.last_modified) if known else (None, None)
    try:
        fetched = fetcher.fetch(source, etag, modified)
    except FetchError as exc:
        yield Rejection(source, Step.FETCH, str(exc))
        return
    yield _document(source, key, fetched, log, ())


def read_entries(
    feed: RawDocument, fetcher: Fetcher, log: FetchMemory
) -> Iterator[RawDocument | Rejection]:
    """Each entry's article: its own text (offline) if it has it, else its page, fetched once."""
    try:
        parsed = parse_feed(feed.content)
    except InputError as exc:
        yield Rejection(feed.source, Step.PARSE, str(exc))
        return
    base = feed.hint("url") or (feed.source if is_web_url(feed.source) else "") or parsed.link
    todo: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
    seen: set[str] = set()
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{feed.source}#entry={number}"
        link = _join(base, entry.link)
        if link and not is_web_url(link):
            if entry.text is None:
                yield Rejection(where, Step.PARSE, f"feed entry link is not an http(s) URL: {link}")
                continue
            link = None  # the text is read; a link to no web page is not its URL
        if entry.text is not None:
            yield entry_document(where, entry, link)  # the door knows it if it is stored
            continue
        if not link:
            named = f" ({entry.title})" if entry.title else ""
            yield Rejection(where, Step.PARSE, f"feed entry has no link{named}")
            continue
        key = canonical_url(link)
        if key in seen:
            continue  # the same page twice in one feed: fetched once
        seen.add(key)
        if log.article_for_url(key) is not None:
            log.remember_source(link, log.article_sha(key))
            continue
        todo.append((link, key, entry.hints()))
    requests: list[tuple[str, str | None, str | None]] = []
    for link, key, _ in todo:
        known = log.validators(key)
        requests.append((link, known.etag, known.last_modified) if known else (link, None, None))
    for (link, key, hints), (_, result) in zip(todo, fetcher.fetch_all(requests), strict=True):
        if isinstance(result, FetchError):
            yield Rejection(link, Step.FETCH, str(result))
            continue
        found = _document(link, key, result, log, hints)
        if isinstance(found, RawDocument) and found.media_type == MediaType.FEED:
            reason = "feed entry links to a feed, not a page (feeds in feeds are not followed)"
            yield Rejection(link, Step.FETCH, reason)
        else:
            yield found


def _document(
    source: str, key: str, fetched: Fetched, log: FetchMemory, hints: tuple[tuple[str, str], ...]
) -> RawDocument | Rejection:
    """A fetched body as a raw document (a 304 gives the stored bytes back)."""
    if fetched.not_modified:
        known = log.validators(key)
        stored = log.stored_document(known.sha256, source) if known and known.sha256 else None
        if stored is None:
            return Rejection(source, Step.FETCH, "HTTP 304 Not Modified, but no stored copy")
        return stored
    sha = hashlib.sha256(fetched.content).hexdigest()
    log.record_fetch(
        key, fetched.final_url, fetched.status, fetched.etag, fetched.last_modified, sha
    )
    meta = (("url", fetched.final_url), ("fetched", fetched.fetched_at), *hints)
    fmt = fetched_format(fetched.content, fetched.content_type)
    doc = RawDocument(source, fetched.content, fmt.media_type if fmt else MediaType.HTML, sha, meta)
    if fmt is None:
        kind = content_kind(fetched.content_type)
        return RejectedInput(source, Step.FETCH, f"not an HTML page or a feed ({kind})", doc)
    if doc.media_type == MediaType.HTML and not fetched.content.strip():
        return Rejection(source, Step.FETCH, "empty response body")
    return doc


def _join(base: str | None, link: str | None) -> str | None:
    """An entry's link resolved against the feed's address (as given when it cannot be)."""
    if not base or not link:
        return link
    try:
        return urljoin(base, link)
    except ValueError:
        return link
