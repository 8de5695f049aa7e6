"""Feeds polled live (``storydesk serve --watch``): fetched per host, processed as they arrive.

Every ``interval`` seconds each feed not still in flight, nor waiting out a failure, is queued
on its host (``ingest.fetch.hosts``); its new entries' pages are queued on theirs. The poller's
thread, the one writer, takes results as they complete: a round admits whatever arrived
through the door, processes the new articles (analysis, stories, dossiers) and checks the
alerts. A slow host delays only its own pages, and an article reaches its story in the round
after its page arrives, not at the end of a pass over every feed.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storydesk.ingest.fetch.backoff import retry_at
from storydesk.ingest.fetch.errors import FetchError
from storydesk.ingest.fetch.hosts import FEED_FIRST, PAGE, Done, HostPool, Job
from storydesk.ingest.remote import (
    PageRequest,
    page_result,
    plan_entries,
    request_for,
    url_result,
    waiting,
)
from storydesk.model import MediaType, RawDocument, Rejection
from storydesk.options import Options
from storydesk.pipeline.alerts import check_alerts
from storydesk.pipeline.door import Door
from storydesk.pipeline.dossiers import warm_next
from storydesk.pipeline.run import SilentReporter, process
from storydesk.store import Store
from storydesk.store.fetchlog import IngestLog, RobotsLog

WAIT_S = 0.5  # longest wait for a result before the stop flag and the clock are looked at
log = logging.getLogger("storydesk.watch")


@dataclass(frozen=True)
class Round:
    """What one round of the poller stored and brought up to date."""

    added: tuple[int, ...]
    rejections: tuple[Rejection, ...]
    stories: tuple[int, ...]
    alerts: int


class _Collect(SilentReporter):
    """Keeps the rejections a round makes."""

    def __init__(self) -> None:
        self.rejected: list[Rejection] = []

    def reject(self, rejection: Rejection) -> None:
        self.rejected.append(rejection)


@dataclass
class _InFlight:
    """Feeds and pages queued or being fetched (not queued twice)."""

    feeds: set[str] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)


def poll_feeds(
    feeds: Sequence[str],
    options: Options,
    interval: float,
    stop: threading.Event,
    on_round: Callable[[Round], None] | None = None,
) -> None:
    """Poll the feeds every ``interval`` seconds until ``stop`` is set, processing as pages come."""
    from storydesk.ingest.fetch.client import Fetcher

    with (
        Store(options.db) as store,
        Fetcher(options.fetch, robots=RobotsLog(store.path)) as fetcher,
        HostPool(fetcher) as pool,
    ):
        memory = IngestLog(store.conn)
        flight = _InFlight()
        unwarmed: set[int] = set()  # big stories whose assembly failed in this process
        next_tick = time.monotonic()
        while not stop.is_set():
            if time.monotonic() >= next_tick:
                _guarded(tick, feeds, memory, pool, flight)
                next_tick = max(next_tick + interval, time.monotonic())
            arrived = _collect(pool.done, min(WAIT_S, max(0.0, next_tick - time.monotonic())))
            if arrived or stop.is_set():
                _guarded(_round, arrived, options, store, pool, flight, on_round)
            else:  # nothing arrived: one big story assembled for readers meanwhile
                _guarded(warm_next, store, options, unwarmed)


def tick(feeds: Sequence[str], memory: IngestLog, pool: HostPool, flight: _InFlight) -> int:
    """Queue each feed not in flight nor waiting out a failure; how many were queued."""
    now = time.time()
    queued = 0
    for url in feeds:
        request = request_for(url, memory)
        if url in flight.feeds or waiting(request.key, memory, now):
            continue
        flight.feeds.add(url)
        pool.submit(Job(url, request.etag, request.modified, FEED_FIRST, request))
        queued += 1
    return queued


def _collect(done: queue.Queue[Done], timeout: float) -> list[Done]:
    """Results that completed: waits up to ``timeout`` for the first, then takes all there are."""
    found: list[Done] = []
    try:
        found.append(done.get(timeout=timeout) if timeout > 0 else done.get_nowait())
        while True:
            found.append(done.get_nowait())
    except queue.Empty:
        return found


def _round(
    arrived: list[Done],
    options: Options,
    store: Store,
    pool: HostPool,
    flight: _InFlight,
    on_round: Callable[[Round], None] | None,
) -> None:
    """Admit what arrived, process the new articles, check the alerts."""
    for done in arrived:  # no longer in flight, whatever befalls this round
        flight.feeds.discard(done.job.url)
        flight.pages.discard(getattr(done.job.tag, "key", ""))
    memory = IngestLog(store.conn)
    rep = _Collect()
    with Door(options, store, rep) as door:
        for done in arrived:
            request = done.job.tag
            assert isinstance(request, PageRequest)
            if done.job.priority == FEED_FIRST:
                found = url_result(request, done.result, memory)
                if isinstance(found, RawDocument) and found.media_type == MediaType.FEED:
                    _entries(found, store, memory, door, pool, flight)
                    continue
            else:
                found = page_result(request, done.result, memory)
            named = len(rep.rejected)
            door.take(found)
            if not isinstance(done.result, FetchError) and len(rep.rejected) > named:
                _no_article(request, rep.rejected[-1], memory)
    stories: tuple[int, ...] = ()
    if door.added:
        _, stories = process(options, store, rep)
    fired = check_alerts(store, options)
    if on_round is not None:
        on_round(Round(tuple(door.added), tuple(rep.rejected), stories, len(fired)))


def _entries(
    feed: RawDocument,
    store: Store,
    memory: IngestLog,
    door: Door,
    pool: HostPool,
    flight: _InFlight,
) -> None:
    """Keep a feed's bytes; admit its entries' own texts, queue their pages on their hosts."""
    if feed.source not in store.sources_of(feed.sha256):
        store.put_raw(feed)
    for item in plan_entries(feed, memory):
        if isinstance(item, PageRequest):
            if item.key not in flight.pages:
                flight.pages.add(item.key)
                pool.submit(Job(item.url, item.etag, item.modified, PAGE, item))
        else:
            door.take(item)


def _no_article(request: PageRequest, rejection: Rejection, memory: IngestLog) -> None:
    """A page that answered but gave no article is asked again only rarely (not every poll)."""
    if rejection.source == request.url:
        before = memory.failure(request.key)
        failures = before.failures + 1 if before else 1
        when = retry_at(failures, rejection.reason, time.time(), lasting=True)
        memory.record_failure(request.key, rejection.reason, when)


def _guarded(step: Callable[..., object], *args: Any) -> None:
    """Run one step of the loop; an unforeseen error is logged and the poller goes on."""
    try:
        step(*args)
    except Exception:
        log.exception("feed poller: a round failed; going on")
