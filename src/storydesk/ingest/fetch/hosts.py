"""Fetches scheduled per host: each origin has its own queue and worker threads.

A slow host (pages that time out, a long Crawl-delay) holds up only its own queue; every other
host's requests go on at their own pace. The fetcher keeps each host's politeness delay and
robots.txt; here a host gets at most ``FetchPolicy.per_host`` threads, and a feed goes ahead of
the pages waiting in its host's queue. Results arrive on one queue as they complete.
"""

from __future__ import annotations

import itertools
import queue
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from storydesk.ingest.fetch.client import Fetched, Fetcher
from storydesk.ingest.fetch.errors import FetchError

FEED_FIRST = 0  # queue priorities: lower goes first
PAGE = 1
STOP = -1


@dataclass(frozen=True)
class Job:
    """One GET to make (conditional when validators are given) and what it is for."""

    url: str
    etag: str | None = None
    modified: str | None = None
    priority: int = PAGE
    tag: object = None  # the caller's, handed back with the result


@dataclass(frozen=True)
class Done:
    """A finished job: the response, or why there is none."""

    job: Job
    result: Fetched | FetchError


@dataclass
class _Host:
    jobs: queue.PriorityQueue[tuple[int, int, Job | None]]
    threads: list[threading.Thread] = field(default_factory=list)


class HostPool:
    """Worker threads per host over one shared fetcher; use as a context manager."""

    def __init__(self, fetcher: Fetcher, per_host: int | None = None) -> None:
        self.fetcher = fetcher
        self.per_host = max(1, per_host if per_host is not None else fetcher.policy.per_host)
        self.done: queue.Queue[Done] = queue.Queue()
        self._hosts: dict[str, _Host] = {}
        self._order = itertools.count()
        self._lock = threading.Lock()

    def __enter__(self) -> HostPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, job: Job) -> None:
        """Queue a job on its host (the host's threads start with its first job)."""
        host = self._host(_origin(job.url))
        host.jobs.put((job.priority, next(self._order), job))

    def queued(self) -> dict[str, int]:
        """Jobs waiting per host (not counting those in flight)."""
        with self._lock:
            return {origin: host.jobs.qsize() for origin, host in self._hosts.items()}

    def close(self, wait: float = 1.0) -> None:
        """Stop every worker after its request in flight; wait a little for them."""
        with self._lock:
            hosts = list(self._hosts.values())
        for host in hosts:
            for _ in host.threads:
                host.jobs.put((STOP, next(self._order), None))
        for host in hosts:
            for thread in host.threads:
                thread.join(wait)

    def _host(self, origin: str) -> _Host:
        with self._lock:
            host = self._hosts.get(origin)
            if host is None:
                host = self._hosts[origin] = _Host(queue.PriorityQueue())
                for n in range(self.per_host):
                    name = f"storydesk-fetch-{origin}-{n}"
                    thread = threading.Thread(target=self._work, args=(host,), name=name)
                    thread.daemon = True  # a request stuck past shutdown does not hold the process
                    host.threads.append(thread)
                    thread.start()
            return host

    def _work(self, host: _Host) -> None:
        """Take the host's jobs one by one until told to stop."""
        while True:
            _, _, job = host.jobs.get()
            if job is None:
                return
            self.done.put(Done(job, self._fetch(job)))

    def _fetch(self, job: Job) -> Fetched | FetchError:
        try:
            return self.fetcher.fetch(job.url, job.etag, job.modified)
        except FetchError as exc:
            return exc
        except Exception as exc:  # one URL's unforeseen failure must not stop its host
            return FetchError(f"fetch failed: {type(exc).__name__}: {exc}")


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL: the unit of politeness."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
