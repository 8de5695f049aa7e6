"""The one network client: robots.txt, politeness, retries, limits, conditional GET.

Every hop of a redirect chain is checked by the SSRF guard and robots.txt before it is
requested, and every connection is opened to an address the guard vetted when it opened it
(``storydesk.ingest.fetch.pinning``): a host name is resolved once per connection, so DNS rebinding
cannot slip a private address past the check. Bodies are read raw and inflated here, so a
compressed response cannot grow past the size limit in memory (a gzip bomb stops at the limit).
Each request must be complete within ``FetchPolicy.max_time``: the pinned connections cut every
read to the time left, so a slow drip ends there and is not retried.
"""

from __future__ import annotations

import email.utils
import math
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from storydesk.ingest.fetch.backoff import (
    ROBOTS_DEFAULT_S,
    ROBOTS_RETRY_S,
    http_status,
    robots_lifetime,
)
from storydesk.ingest.fetch.errors import FetchError, HostError
from storydesk.ingest.fetch.guard import check_url
from storydesk.ingest.memory import RobotsMemory
from storydesk.model import RobotsFile
from storydesk.options import FetchPolicy

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
ROBOTS_TOKEN = "storydesk"
IN_FLIGHT_PER_WORKER = 2  # requests queued ahead per worker: bounds the bodies held in memory


@dataclass(frozen=True)
class Fetched:
    """A response worth keeping: 200 with its body, or 304 (unchanged since last time)."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str = ""

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304


@dataclass
class _Gate:
    """One host's concurrency limit and the earliest time of its next request."""

    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    delay: float = 0.0


class _Retry(Exception):
    """A response worth asking for again (429, 5xx), after ``after`` seconds if it says so."""

    def __init__(self, reason: str, after: float | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: dict[str, str]
    content: bytes = b""


class Fetcher:
    """Fetches URLs politely and safely; use as a context manager, share across threads.

    ``transport`` replaces the pinned one (tests only): host names are then checked before each
    request, but the connection is no longer tied to the checked address. ``robots`` keeps each
    host's robots.txt between fetchers for its lifetime (HTTP caching headers, 24 h at most).
    """

    def __init__(
        self,
        policy: FetchPolicy,
        transport: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        robots: RobotsMemory | None = None,
    ) -> None:
        import httpx

        self.policy = policy
        self._httpx = httpx
        self._sleep = sleep
        # With the pinned transport a host name is vetted where it is connected to, not before.
        self._pinned = transport is None
        self._local = threading.local()  # per thread: the deadline of its request in flight
        if transport is None:
            from storydesk.ingest.fetch.pinning import pinned_transport

            transport = pinned_transport(policy.allow_private, self._deadline)
        self._client = httpx.Client(
            timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
            follow_redirects=False,
            trust_env=False,
            transport=transport,
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._lock = threading.Lock()
        self._gates: dict[str, _Gate] = {}
        self._robots: dict[str, Any] = {}
        self._robots_until: dict[str, float] = {}  # monotonic time each origin's rules expire
        self._memory = robots

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, etag: str | None = None, modified: str | None = None) -> Fetched:
        """GET a URL (conditionally when validators are given); FetchError says why not."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        seen: list[str] = []
        current = url
        for _ in range(self.policy.max_redirects + 1):
            check_url(current, self.policy.allow_private, resolve_names=not self._pinned)
            self._check_robots(current)
            answer = self._request(current, headers)
            location = answer.headers.get("location")
            if answer.status in REDIRECT_STATUS and location:
                seen.append(current)
                current = _follow(current, location)
                if current in seen:
                    raise FetchError(f"redirect loop ({len(seen)} hops back to {current})")
                headers = {}
                continue
            if answer.status in REDIRECT_STATUS:
                raise FetchError(f"HTTP {answer.status} redirect without a Location header")
            return Fetched(
                url=url,
                final_url=current,
                status=answer.status,
                content=answer.content,
                content_type=answer.headers.get("content-type", ""),
                etag=answer.headers.get("etag"),
                last_modified=answer.headers.get("last-modified"),
                fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        raise FetchError(f"too many redirects (more than {self.policy.max_redirects})")

    def fetch_all(
        self, requests: Iterable[tuple[str, str | None, str | None]]
    ) -> Iterator[tuple[str, Fetched | FetchError]]:
        """Fetch (url, etag, last_modified) requests concurrently; results in request order."""
        workers = max(1, self.policy.workers)
        window = workers * IN_FLIGHT_PER_WORKER  # fetched bodies held at once, at most
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: deque[tuple[str, Future[Fetched | FetchError]]] = deque()
            for req in requests:
                pending.append((req[0], pool.submit(self._safe_fetch, *req)))
                if len(pending) >= window:
                    url, future = pending.popleft()
                    yield url, future.result()
            while pending:
                url, future = pending.popleft()
                yield url, future.result()

    def _safe_fetch(self, url: str, etag: str | None, modified: str | None) -> Fetched | FetchError:
        """A fetch whose failure is returned, not raised (for worker threads)."""
        try:
            return self.fetch(url, etag, modified)
        except FetchError as exc:
            return exc
        except Exception as exc:  # one URL's unforeseen failure must not sink the batch
            return FetchError(f"fetch failed: {type(exc).__name__}: {exc}")

    # ------------------------------------------------------------ one request, retried

    def _request(self, url: str, headers: dict[str, str]) -> _Answer:
        """One GET with bounded retries on 429, 5xx and network errors."""
        httpx = self._httpx
        attempts = self.policy.retries + 1
        reason = ""
        for attempt in range(attempts):
            wait = self.policy.backoff * (2**attempt)
            deadline = math.inf
            try:
                with self._slot(url):
                    deadline = time.monotonic() + self.policy.max_time
                    return self._attempt(url, headers, deadline)
            except httpx.TimeoutException:
                if time.monotonic() >= deadline:
                    raise FetchError(self._too_slow()) from None
                reason = f"timed out (limit {self.policy.timeout:g} s)"
            except _Retry as retry:
                reason = retry.reason
                wait = retry.after if retry.after is not None else wait
            except httpx.InvalidURL as exc:
                raise FetchError(f"malformed URL: {exc}") from None
            except httpx.ConnectError as exc:
                reason = f"connection failed: {exc}"
            except httpx.TransportError as exc:
                reason = f"network error: {type(exc).__name__}: {exc}"
            if attempt + 1 < attempts:
                self._sleep(wait)
        suffix = f" (after {attempts} attempts)" if attempts > 1 else ""
        raise FetchError(reason + suffix)

    def _attempt(self, url: str, headers: dict[str, str], deadline: float) -> _Answer:
        """One GET within its deadline: the answer; _Retry when it is worth trying again."""
        self._local.deadline = deadline
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                answer_headers = {k.lower(): v for k, v in resp.headers.items()}
                if status in RETRY_STATUS:
                    reason = f"HTTP {status} {resp.reason_phrase}".rstrip()
                    after = retry_after(answer_headers.get("retry-after"))
                    if after is not None and after > self.policy.max_retry_after:
                        raise FetchError(
                            f"{reason} (Retry-After {after:.0f} s is longer than the"
                            f" {self.policy.max_retry_after:.0f} s we wait)"
                        )
                    raise _Retry(reason, after)
                if status in REDIRECT_STATUS or status == 304:
                    return _Answer(status, answer_headers)
                if status >= 400:
                    raise FetchError(f"HTTP {status} {resp.reason_phrase}".rstrip())
                if status != 200:
                    raise FetchError(f"HTTP {status}: no body to keep")
                return _Answer(status, answer_headers, self._body(resp, answer_headers, deadline))
        finally:
            self._local.deadline = None

    def _deadline(self) -> float | None:
        """The deadline of the request this thread has in flight (None when none)."""
        limit = getattr(self._local, "deadline", None)
        return limit if isinstance(limit, float) else None

    def _too_slow(self) -> str:
        """Why a response that did not arrive within its time limit was given up."""
        return (
            f"response too slow: not complete within the {self.policy.max_time:g} s limit"
            " for one response"
        )

    def _body(self, resp: Any, headers: dict[str, str], deadline: float = math.inf) -> bytes:
        """The response body, inflated, within the size limit; FetchError past it."""
        limit = self.policy.max_bytes
        declared = headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"response is {declared} bytes, over the limit of {limit} bytes")
        coding = headers.get("content-encoding", "identity").strip().lower()
        if coding in ("gzip", "x-gzip"):
            inflater: Any = zlib.decompressobj(wbits=31)
        elif coding == "deflate":
            inflater = zlib.decompressobj(wbits=47)
        elif coding in ("", "identity"):
            inflater = None
        else:
            raise FetchError(f"unsupported content encoding {coding!r}")
        out = bytearray()
        raw = 0
        for chunk in resp.iter_raw():
            if time.monotonic() > deadline:
                raise FetchError(self._too_slow())
            raw += len(chunk)
            if raw > limit:
                raise FetchError(f"response over the limit of {limit} bytes")
            out += inflate(inflater, chunk, limit - len(out)) if inflater else chunk
            if len(out) > limit:
                raise FetchError(f"response over the limit of {limit} bytes")
        return bytes(out)

    # ------------------------------------------------------------ politeness

    @contextmanager
    def _slot(self, url: str) -> Iterator[None]:
        """Hold one of the host's slots, after waiting out its politeness delay."""
        gate = self._gate(_origin(url))
        with gate.slots:
            with gate.lock:
                now = time.monotonic()
                wait = gate.next_at - now
                gate.next_at = max(now, gate.next_at) + max(self.policy.delay, gate.delay)
            if wait > 0:
                self._sleep(wait)
            yield

    def _gate(self, origin: str) -> _Gate:
        with self._lock:
            gate = self._gates.get(origin)
            if gate is None:
                gate = self._gates[origin] = _Gate(threading.Semaphore(self.policy.per_host))
            return gate

    def _check_robots(self, url: str) -> None:
        """FetchError when robots.txt disallows the URL (or could not be read: 5xx)."""
        if not self.policy.obey_robots:
            return
        origin = _origin(url)
        with self._lock:
            known = origin in self._robots and self._robots_until[origin] > time.monotonic()
            rules = self._robots.get(origin)
        if not known:
            rules = self._robots_rules(origin, rules)
            with self._lock:
                self._robots[origin] = rules
                self._robots_until.setdefault(origin, time.monotonic() + ROBOTS_DEFAULT_S)
        if isinstance(rules, str):
            raise FetchError(rules)
        if rules is not None and not rules.can_fetch(url, ROBOTS_TOKEN):
            raise FetchError(f"disallowed by {origin}/robots.txt")

    def _load_robots(self, origin: str) -> Any:
        """Parsed rules, None (no robots.txt: allow all) or a reason that disallows all."""
        # RFC 9309 2.3.1: redirects are followed (to other hosts too) up to the policy's limit,
        # past it or in a loop the file is unavailable; 4xx allows all, 5xx or no answer none.
        url = origin + "/robots.txt"
        seen: list[str] = []
        for _ in range(self.policy.max_redirects + 1):
            where = f"redirected to {url}: " if seen else ""
            try:
                check_url(url, self.policy.allow_private, resolve_names=not self._pinned)
                answer = self._request(url, {})
            except HostError as exc:
                if not seen:
                    raise  # the host itself is refused: that is the page's rejection
                return _unreadable(origin, where + str(exc))
            except FetchError as exc:
                if str(exc).startswith("HTTP 4"):
                    return self._keep_robots(origin, http_status(str(exc)) or 400, "", {})
                return _unreadable(origin, where + str(exc))
            location = answer.headers.get("location")
            if answer.status in REDIRECT_STATUS and location:
                seen.append(url)
                try:
                    url = _follow(url, location)
                except FetchError as exc:
                    return _unreadable(origin, str(exc))
                if url in seen:
                    return None  # a redirect loop: unavailable
                continue
            if answer.status != 200:
                return None
            text = answer.content.decode("utf-8", "replace")
            return self._keep_robots(origin, 200, text, answer.headers)
        return None  # more redirects than the limit: unavailable

    def _robots_rules(self, origin: str, old: Any) -> Any:
        """An origin's rules: remembered while fresh, else fetched (and remembered)."""
        kept = self._memory.robots(origin) if self._memory is not None else None
        left = kept.expires_at - time.time() if kept is not None else 0.0
        if kept is not None and left > 0:
            with self._lock:
                self._robots_until[origin] = time.monotonic() + left
            return self._parse_robots(origin, kept.text) if kept.status == 200 else None
        rules = self._load_robots(origin)
        if not isinstance(rules, str):
            return rules
        # unreadable (5xx, no answer): an earlier copy stands meanwhile (RFC 9309 2.4)
        with self._lock:
            self._robots_until[origin] = time.monotonic() + ROBOTS_RETRY_S
        if old is not None and not isinstance(old, str):
            return old
        if kept is not None:
            return self._parse_robots(origin, kept.text) if kept.status == 200 else None
        return rules

    def _keep_robots(self, origin: str, status: int, text: str, headers: dict[str, str]) -> Any:
        """Rules from a robots.txt answer (None for 4xx), kept for their lifetime."""
        life = robots_lifetime(headers, time.time())
        with self._lock:
            self._robots_until[origin] = time.monotonic() + life
        if self._memory is not None:
            self._memory.remember_robots(RobotsFile(origin, status, text, time.time() + life))
        return self._parse_robots(origin, text) if status == 200 else None

    def _parse_robots(self, origin: str, text: str) -> Any:
        """Parsed rules; a Crawl-delay becomes the host's politeness delay (capped)."""
        from protego import Protego

        rules = Protego.parse(text)
        delay = rules.crawl_delay(ROBOTS_TOKEN)
        if delay:
            self._gate(origin).delay = min(float(delay), self.policy.max_delay)
        return rules


def _unreadable(origin: str, why: str) -> str:
    """The reason every URL of an origin whose robots.txt could not be read is refused."""
    return f"robots.txt of {origin} could not be read ({why}); not fetching from it"


def inflate(inflater: Any, chunk: bytes, room: int) -> bytes:
    """Inflate one chunk, producing at most ``room + 1`` bytes (one more tells it overflows)."""
    out = bytearray(inflater.decompress(chunk, room + 1))
    while inflater.unconsumed_tail and len(out) <= room:
        out += inflater.decompress(inflater.unconsumed_tail, room + 1 - len(out))
    return bytes(out)


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _follow(url: str, location: str) -> str:
    """Where a redirect's Location leads from a URL; FetchError when it is no URL."""
    try:
        return urljoin(url, location.strip())
    except ValueError as exc:
        raise FetchError(f"redirect to a malformed URL ({exc}): {location.strip()[:200]}") from None


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
