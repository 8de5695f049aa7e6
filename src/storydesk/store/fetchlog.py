"""Ingest bookkeeping in the store: fetch validators, URL and text indexes, aliases, rejections.

The tables of migrations 0002 and 0010; ``IngestLog`` satisfies the readers'
``ingest.memory.FetchMemory``, ``RobotsLog`` the fetcher's ``ingest.memory.RobotsMemory``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from storydesk.model import FetchFailure, RawDocument, RobotsFile, Validators
from storydesk.store.db import BUSY_TIMEOUT_S

RejectionState = Literal["open", "recovered", "superseded"]  # where a recorded rejection stands


def _now() -> str:
    """The current UTC time, to the second, in ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class OpenRejection:
    """A recorded rejection not yet recovered, with the hash of its stored bytes if any."""

    id: int
    source: str
    step: str
    reason: str
    sha256: str | None


class IngestLog:
    """Ingest bookkeeping over an open storydesk database connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT (rolled back on error); nests as a no-op."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ------------------------------------------------------------ conditional GET

    def validators(self, url: str) -> Validators | None:
        """ETag, Last-Modified and body hash of the last fetch of a URL."""
        row = self.conn.execute(
            "SELECT etag, last_modified, sha256 FROM fetch_log WHERE url = ?", (url,)
        ).fetchone()
        return None if row is None else Validators(*row)

    def record_fetch(
        self,
        url: str,
        final_url: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        sha256: str | None,
    ) -> None:
        """Remember a successful fetch (a 304 keeps the stored body hash)."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO fetch_log (url, final_url, status, etag, last_modified, sha256,"
                " fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " final_url = excluded.final_url, status = excluded.status,"
                " etag = coalesce(excluded.etag, etag),"
                " last_modified = coalesce(excluded.last_modified, last_modified),"
                " sha256 = coalesce(excluded.sha256, sha256), fetched_at = excluded.fetched_at",
                (url, final_url, status, etag, last_modified, sha256, _now()),
            )

    # ------------------------------------------------------------ failures and recovery

    def failure(self, url: str) -> FetchFailure | None:
        """A canonical URL's failed fetches in a row, if its last fetch failed."""
        row = self.conn.execute(
            "SELECT url, failures, reason, retry_at FROM fetch_failures WHERE url = ?", (url,)
        ).fetchone()
        return None if row is None else FetchFailure(row[0], int(row[1]), row[2], row[3])

    def record_failure(self, url: str, reason: str, retry_at: float | None) -> None:
        """Count one more failed fetch of a canonical URL and when to ask again."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO fetch_failures (url, failures, reason, retry_at, last_at)"
                " VALUES (?, 1, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " failures = failures + 1, reason = excluded.reason,"
                " retry_at = excluded.retry_at, last_at = excluded.last_at",
                (url, reason, retry_at, _now()),
            )

    def record_success(self, source: str, url: str) -> None:
        """A fetch succeeded: its failures are forgotten, its open fetch rejections recovered."""
        with self.transaction():
            self.conn.execute("DELETE FROM fetch_failures WHERE url = ?", (url,))
            self.conn.execute(
                "INSERT INTO resolved_rejections (rejection_id, article_id, resolved_at,"
                " recovered) SELECT id, NULL, ?, 1 FROM rejections WHERE source = ?"
                " AND step = 'fetch' AND id NOT IN (SELECT rejection_id FROM resolved_rejections)",
                (_now(), source),
            )

    # ------------------------------------------------------------ duplicates at the door

    def article_for_url(self, url: str) -> int | None:
        """The article stored for a canonical URL."""
        row = self.conn.execute("SELECT article_id FROM url_index WHERE url = ?", (url,)).fetchone()
        return None if row is None else int(row[0])

    def article_for_text(self, text_sha256: str) -> int | None:
        """The article stored with this normalised body text."""
        row = self.conn.execute(
            "SELECT article_id FROM text_hashes WHERE text_sha256 = ?", (text_sha256,)
        ).fetchone()
        return None if row is None else int(row[0])

    def index_article(self, article_id: int, urls: Sequence[str], text_sha256: str) -> None:
        """Remember an article by its canonical URLs and body-text hash."""
        with self.transaction():
            for url in urls:
                self.conn.execute(
                    "INSERT OR IGNORE INTO url_index (url, article_id, first_seen)"
                    " VALUES (?, ?, ?)",
                    (url, article_id, _now()),
                )
            self.conn.execute(
                "INSERT OR IGNORE INTO text_hashes (text_sha256, article_id) VALUES (?, ?)",
                (text_sha256, article_id),
            )

    def add_alias(self, sha256: str, article_id: int, source: str, reason: str) -> None:
        """Record that stored bytes are one more source of an existing article."""
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO aliases (sha256, article_id, source, reason, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (sha256, article_id, source, reason, _now()),
            )

    def alias_of(self, sha256: str) -> int | None:
        """The article these bytes were folded into, if any."""
        row = self.conn.execute(
            "SELECT article_id FROM aliases WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return None if row is None else int(row[0])

    def aliases(self, article_id: int) -> list[tuple[str, str]]:
        """(source, reason) of every input folded into an article."""
        rows = self.conn.execute(
            "SELECT source, reason FROM aliases WHERE article_id = ? ORDER BY created_at, source",
            (article_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def article_sha(self, url: str) -> str:
        """The raw-bytes hash of the article stored for a canonical URL ('' when none)."""
        row = self.conn.execute(
            "SELECT a.sha256 FROM url_index u JOIN articles a ON a.id = u.article_id"
            " WHERE u.url = ?",
            (url,),
        ).fetchone()
        return "" if row is None else str(row[0])

    def remember_source(self, source: str, sha256: str) -> None:
        """Record one more source of stored bytes (a feed entry pointing at a stored page)."""
        if not sha256:
            return
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO sources (source, sha256, first_seen) VALUES (?, ?, ?)",
                (source, sha256, _now()),
            )

    def analyzed(self, article_id: int) -> bool:
        """True when the article has a stored analysis."""
        row = self.conn.execute(
            "SELECT 1 FROM analyses WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row is not None

    # ------------------------------------------------------------ learned boilerplate

    def line_counts(self, outlet: str, shas: Sequence[str]) -> dict[str, int]:
        """How many stored articles of an outlet carried each line (by hash)."""
        counts: dict[str, int] = {}
        for i in range(0, len(shas), 500):
            chunk = list(shas[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT line_sha256, articles FROM outlet_lines WHERE outlet = ?"
                f" AND line_sha256 IN ({marks})",
                [outlet, *chunk],
            )
            counts.update((r[0], int(r[1])) for r in rows)
        return counts

    def count_lines(self, outlet: str, lines: Iterable[tuple[str, str]]) -> None:
        """Add one article's (hash, line) pairs to the outlet's line counts."""
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO outlet_lines (outlet, line_sha256, line, articles) VALUES (?, ?, ?, 1)"
                " ON CONFLICT(outlet, line_sha256) DO UPDATE SET articles = articles + 1",
                [(outlet, sha, line) for sha, line in lines],
            )

    # ------------------------------------------------------------ rejections

    def open_rejections(self) -> list[OpenRejection]:
        """Each input's latest rejection while it is not recovered, oldest first."""
        return [r for r, state in self.rejection_states() if state == "open"]

    def rejection_states(self) -> list[tuple[OpenRejection, RejectionState]]:
        """Every recorded rejection, oldest first, with its state: open, recovered or superseded."""
        rows = self.conn.execute(
            "SELECT r.id, r.source, r.step, r.reason, r.sha256, s.rejection_id,"
            " s.article_id IS NOT NULL OR coalesce(s.recovered, 0)"
            " FROM rejections r LEFT JOIN resolved_rejections s ON s.rejection_id = r.id"
            " ORDER BY r.id"
        )
        found = [
            (OpenRejection(int(r[0]), r[1], r[2], r[3], r[4]), r[5] is not None, bool(r[6]))
            for r in rows
        ]
        latest: dict[str, int] = {}  # an input's latest rejection that was not superseded
        for rejection, resolved, recovered in found:
            if not resolved or recovered:
                latest[rejection.source] = rejection.id
        states: list[tuple[OpenRejection, RejectionState]] = []
        for rejection, resolved, recovered in found:
            if recovered:
                states.append((rejection, "recovered"))
            elif resolved or latest[rejection.source] != rejection.id:
                states.append((rejection, "superseded"))
            else:
                states.append((rejection, "open"))
        return states

    def supersede(self, source: str, step: str, reason: str) -> None:
        """Make this recorded rejection its input's open one; the input's others are superseded."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT id FROM rejections WHERE source = ? AND step = ? AND reason = ?",
                (source, step, reason),
            ).fetchone()
            if row is None:
                return
            self.conn.execute("DELETE FROM resolved_rejections WHERE rejection_id = ?", (row[0],))
            self.conn.execute(
                "INSERT OR IGNORE INTO resolved_rejections (rejection_id, article_id, resolved_at)"
                " SELECT id, NULL, ? FROM rejections WHERE source = ? AND id != ?",
                (_now(), source, row[0]),
            )

    def resolve(self, rejection_id: int, article_id: int) -> None:
        """Mark a rejection as recovered (by an article, or as a duplicate of one)."""
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO resolved_rejections (rejection_id, article_id,"
                " resolved_at) VALUES (?, ?, ?)",
                (rejection_id, article_id, _now()),
            )

    def stored_document(self, sha256: str, source: str) -> RawDocument | None:
        """The stored bytes with this hash as a raw document from ``source``."""
        row = self.conn.execute(
            "SELECT content, media_type, hints FROM blobs WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            return None
        hints = tuple((str(k), str(v)) for k, v in json.loads(row[2] or "[]"))
        return RawDocument(source, bytes(row[0]), row[1], sha256, hints)


class RobotsLog:
    """Each host's robots.txt kept for its lifetime; safe from any thread (a connection a call)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)

    def robots(self, origin: str) -> RobotsFile | None:
        """The robots.txt last fetched from an origin (perhaps expired), or None."""
        try:
            with closing(self._connect()) as conn:
                row = conn.execute(
                    "SELECT origin, status, text, expires_at FROM robots_files WHERE origin = ?",
                    (origin,),
                ).fetchone()
        except sqlite3.Error:  # no such database or table (in memory): fetched as if unknown
            return None
        return None if row is None else RobotsFile(row[0], int(row[1]), row[2], float(row[3]))

    def remember_robots(self, robots: RobotsFile) -> None:
        """Keep an origin's robots.txt until it expires."""
        try:
            with closing(self._connect()) as conn, conn:
                conn.execute(
                    "INSERT OR REPLACE INTO robots_files (origin, status, text, expires_at)"
                    " VALUES (?, ?, ?, ?)",
                    (robots.origin, robots.status, robots.text, robots.expires_at),
                )
        except sqlite3.Error:  # kept by this fetcher only: the next one fetches it again
            return

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
