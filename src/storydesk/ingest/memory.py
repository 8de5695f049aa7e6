"""What the web readers remember between runs: the part of the store's ingest log they use."""

from __future__ import annotations

from typing import Protocol

from storydesk.model import RawDocument, Validators


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
