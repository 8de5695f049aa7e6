"""What the web readers remember between runs: the part of the store's ingest log they use."""

from __future__ import annotations

from typing import Protocol

from storydesk.model import FetchFailure, RawDocument, RobotsFile, Validators


class FetchMemory(Protocol):
    """Fetch validators, stored pages by URL, and stored bytes (``store.fetchlog.IngestLog``)."""

    def validators(self, url: str) -> Validators | None:
        """ETag, Last-Modified and body hash of the last fetch of a canonical URL."""
        ...

    def record_fetch(
        self,
        url: str,
        final_url: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        sha256: str | None,
    ) -> None:
        """Remember a successful fetch."""
        ...

    def failure(self, url: str) -> FetchFailure | None:
        """A canonical URL's failed fetches in a row, if its last fetch failed."""
        ...

    def record_failure(self, url: str, reason: str, retry_at: float | None) -> None:
        """Count one more failed fetch of a canonical URL and when to ask again."""
        ...

    def record_success(self, source: str, url: str) -> None:
        """A fetch succeeded: its failures are forgotten, its open fetch rejections recovered."""
        ...

    def article_for_url(self, url: str) -> int | None:
        """The article stored for a canonical URL."""
        ...

    def article_sha(self, url: str) -> str:
        """The raw-bytes hash of the article stored for a canonical URL ('' when none)."""
        ...

    def remember_source(self, source: str, sha256: str) -> None:
        """Record one more source of stored bytes."""
        ...

    def stored_document(self, sha256: str, source: str) -> RawDocument | None:
        """The stored bytes with this hash as a raw document from ``source``."""
        ...


class RobotsMemory(Protocol):
    """Each host's robots.txt between runs (``store.fetchlog.RobotsLog``), from any thread."""

    def robots(self, origin: str) -> RobotsFile | None:
        """The robots.txt last fetched from an origin (perhaps expired), or None."""
        ...

    def remember_robots(self, robots: RobotsFile) -> None:
        """Keep an origin's robots.txt until it expires."""
        ...
