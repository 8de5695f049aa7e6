"""URLs and feeds as raw documents: pages fetched; feed entries read from their text or links.

Each fetch is planned (``request_for``, ``plan_entries``) and its result turned into a document
(``url_result``, ``page_result``) apart, so a poller can run the fetches on its own schedule;
``read_url`` and ``read_entries`` do both in turn. A failed fetch is remembered with when to ask
again (``fetch.backoff``); a feed entry's page is not asked before then, and a fetch that
succeeds recovers its URL's earlier fetch rejections.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from storydesk.errors import InputError
from storydesk.ingest.feed import entry_document, parse_feed
from storydesk.ingest.fetch.backoff import due, retry_at
from storydesk.ingest.fetch.client import Fetched, Fetcher
from storydesk.ingest.fetch.errors import FetchError
from storydesk.ingest.formats import fetched_format
from storydesk.ingest.html import content_kind
from storydesk.ingest.memory import FetchMemory
from storydesk.ingest.rejected import RejectedInput
from storydesk.ingest.urls import canonical_url, is_web_url
from storydesk.model import MediaType, RawDocument, Rejection, Step


@dataclass(frozen=True)
class PageRequest:
    """One fetch to make: the URL as given, its canonical key, validators and entry hints."""

    url: str
    key: str
    etag: str | None = None
    modified: str | None = None
    hints: tuple[tuple[str, str], ...] = ()


def read_url(source: str, fetcher: Fetcher, log: FetchMemory) -> Iterator[RawDocument | Rejection]:
    """One URL given by the user: a page or a feed (conditional GET when fetched before)."""
    request = request_for(source, log)
    try:
        fetched: Fetched | FetchError = fetcher.fetch(source, request.etag, request.modified)
    except FetchError as exc:
        fetched = exc
    yield url_result(request, fetched, log)


def request_for(url: str, log: FetchMemory, hints: tuple[tuple[str, str], ...] = ()) -> PageRequest:
    """The fetch of a URL, conditional when it was fetched before."""
    key = canonical_url(url)
    known = log.validators(key)
    etag, modified = (known.etag, known.last_modified) if known else (None, None)
    return PageRequest(url, key, etag, modified, hints)


def url_result(
    request: PageRequest, result: Fetched | FetchError, log: FetchMemory
) -> RawDocument | Rejection:
    """A fetch's document, or its rejection (the failure remembered with when to ask again)."""
    if isinstance(result, FetchError):
        reason = str(result)
        before = log.failure(request.key)
        failures = before.failures + 1 if before else 1
        log.record_failure(request.key, reason, retry_at(failures, reason, time.time()))
        return Rejection(request.url, Step.FETCH, reason)
    return _document(request.url, request.key, result, log, request.hints)


def page_result(
    request: PageRequest, result: Fetched | FetchError, log: FetchMemory
) -> RawDocument | Rejection:
    """A feed entry's page, or its rejection (a feed is no entry's page)."""
    found = url_result(request, result, log)
    if isinstance(found, RawDocument) and found.media_type == MediaType.FEED:
        reason = "feed entry links to a feed, not a page (feeds in feeds are not followed)"
        return Rejection(request.url, Step.FETCH, reason)
    return found


def waiting(key: str, log: FetchMemory, now: float) -> bool:
    """Whether a URL failed and is not to be asked again yet (or ever)."""
    failed = log.failure(key)
    return failed is not None and not due(failed.retry_at, now)


def read_entries(
    feed: RawDocument, fetcher: Fetcher, log: FetchMemory
) -> Iterator[RawDocument | Rejection]:
    """Each entry's article: its own text (offline) if it has it, else its page, fetched once."""
    todo: list[PageRequest] = []
    for item in plan_entries(feed, log):
        if isinstance(item, PageRequest):
            todo.append(item)
        else:
            yield item
    requests = [(r.url, r.etag, r.modified) for r in todo]
    for request, (_, result) in zip(todo, fetcher.fetch_all(requests), strict=True):
        yield page_result(request, result, log)


def plan_entries(
    feed: RawDocument, log: FetchMemory, now: float | None = None
) -> Iterator[RawDocument | Rejection | PageRequest]:
    """A feed's entries: documents read from their own text, rejections, and pages to fetch.

    A page already stored is not fetched again (the feed becomes one more source of it), nor
    one whose last fetch failed until it is due again.
    """
    try:
        parsed = parse_feed(feed.content)
    except InputError as exc:
        yield Rejection(feed.source, Step.PARSE, str(exc))
        return
    when = time.time() if now is None else now
    base = feed.hint("url") or (feed.source if is_web_url(feed.source) else "") or parsed.link
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
        if waiting(key, log, when):
            continue  # failed before: named then, asked again when due
        yield request_for(link, log, entry.hints())


def _document(
    source: str, key: str, fetched: Fetched, log: FetchMemory, hints: tuple[tuple[str, str], ...]
) -> RawDocument | Rejection:
    """A fetched body as a raw document (a 304 gives the stored bytes back)."""
    log.record_success(source, key)
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
