"""The one SQLite file (WAL mode) that holds everything storydesk knows."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from storydesk.errors import NoDatabaseError
from storydesk.model import AnalyzedArticle, Article, Assignment, Dossier, LineageEdge, RawDocument
from storydesk.model import Rejection as RejectionRecord
from storydesk.serialize import dumps, loads
from storydesk.store.migrate import migrate

# a story's stored dossier state (store/folds.py), dropped with the story's outputs
FOLD_TABLES = (
    "fold_articles",
    "fold_facts",
    "fold_members",
    "fold_terms",
    "fold_df",
    "fold_quotes",
    "fold_quote_terms",
    "fold_bands",
    "fold_edges",
    "fold_conflicts",
    "fold_fact_status",
    "fold_quote_conflicts",
    "fold_quote_cites",
    "fold_relay_keys",
    "fold_quote_speakers",
    "fold_state",
)
SEARCH_ROWS = 1_000_000  # a story's search rows: rowid story * SEARCH_ROWS + n (the trigger's)
BUSY_TIMEOUT_S = 60.0  # how long a writer waits for another's write lock before it fails
WAL_RETRY_S = 0.02  # pause between tries to switch a new database to WAL


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoryRow:
    """A story as listed: id, title, article ids and outlets."""

    id: int
    title: str
    articles: tuple[int, ...]
    outlets: tuple[str, ...]


class Store:
    """Access to one storydesk database; use as a context manager."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # the busy timeout comes first: switching to WAL and migrating may wait for a writer
        self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_S)
        self.conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        _use_wal(self.conn)
        self.conn.execute("PRAGMA foreign_keys=ON")
        migrate(self.conn)

    @classmethod
    def open_existing(cls, path: Path | str) -> Store:
        """Open a database that exists; NoDatabaseError (nothing created) when there is none."""
        target = Path(path)
        try:
            with target.open("rb") as handle:
                head = handle.read(16)
        except OSError as exc:  # missing, a folder, unreadable
            raise NoDatabaseError(f"no database at {target} ({exc.strerror})") from None
        if head != b"SQLite format 3\x00":
            what = "an empty file" if not head else "not an SQLite database"
            raise NoDatabaseError(f"no database at {target} ({what})")
        return cls(target)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------ raw input

    def put_raw(self, doc: RawDocument) -> bool:
        """Keep a document's bytes and where they came from; True when anything was new."""
        now = _now()
        with self._tx():
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO blobs (sha256, media_type, size, content, hints, first_seen)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    doc.sha256,
                    doc.media_type,
                    len(doc.content),
                    doc.content,
                    json.dumps([list(h) for h in doc.hints]),
                    now,
                ),
            )
            new_blob = cur.rowcount > 0
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO sources (source, sha256, first_seen) VALUES (?, ?, ?)",
                (doc.source, doc.sha256, now),
            )
        return new_blob or cur.rowcount > 0

    def raw(self, sha256: str) -> bytes | None:
        """The stored bytes with this hash."""
        row = self.conn.execute("SELECT content FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else bytes(row[0])

    def sources_of(self, sha256: str) -> list[str]:
        """Every source these bytes were read from."""
        rows = self.conn.execute(
            "SELECT source FROM sources WHERE sha256 = ? ORDER BY first_seen, source", (sha256,)
        )
        return [r[0] for r in rows]

    def add_rejection(self, rejection: RejectionRecord, sha256: str | None = None) -> None:
        """Record an input that failed at some step (once per source, step and reason)."""
        with self._tx():
            self.conn.execute(
                "INSERT OR IGNORE INTO rejections (source, sha256, step, reason, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (rejection.source, sha256, rejection.step, rejection.reason, _now()),
            )

    def rejections(self) -> list[RejectionRecord]:
        """Every recorded rejection, oldest first."""
        rows = self.conn.execute("SELECT source, step, reason FROM rejections ORDER BY id")
        return [RejectionRecord(*r) for r in rows]

    # ------------------------------------------------------------ articles

    def article_id_for(self, sha256: str) -> int | None:
        """The article made from these raw bytes, if any."""
        row = self.conn.execute("SELECT id FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else int(row[0])

    def add_article(self, article: Article) -> Article:
        """Store a cleaned article and return it with its id."""
        with self._tx():
            cur = self.conn.execute(
                "INSERT INTO articles (sha256, source, title, outlet, published, url, data,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, '{}', ?)",
                (
                    article.sha256,
                    article.source,
                    article.title,
                    article.outlet,
                    article.published,
                    article.url,
                    _now(),
                ),
            )
            assert cur.lastrowid is not None
            stored = _with_id(article, cur.lastrowid)
            self.conn.execute(
                "UPDATE articles SET data = ? WHERE id = ?",
                (dumps(stored), stored.id),
            )
            self.conn.execute(
                "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                (stored.id, stored.title, stored.text),
            )
        return stored

    def article(self, article_id: int) -> Article | None:
        """One stored article."""
        row = self.conn.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else loads(Article, row[0])

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def put_analysis(self, analyzed: AnalyzedArticle, model: str) -> None:
        """Store (or replace) the analysis of an article; its story's dossier becomes stale."""
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO analyses (article_id, model, data, created_at)"
                " VALUES (?, ?, ?, ?)",
                (analyzed.id, model, dumps(analyzed), _now()),
            )
            row = self.conn.execute(
                "SELECT story_id FROM memberships WHERE article_id = ?", (analyzed.id,)
            ).fetchone()
            if row is not None:
                self.mark_stale([int(row[0])])

    def analyses(self, article_ids: Sequence[int]) -> list[AnalyzedArticle]:
        """Analyses of the given articles, in the order given (missing ones skipped)."""
        found: dict[int, AnalyzedArticle] = {}
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT article_id, data FROM analyses WHERE article_id IN ({marks})", chunk
            )
            for aid, data in rows:
                found[int(aid)] = loads(AnalyzedArticle, data)
        return [found[i] for i in article_ids if i in found]

    def unanalyzed(self) -> list[Article]:
        """English articles stored without an analysis (new, or whose analysis failed)."""
        # other languages are kept unanalysed until they are supported, never retried
        rows = self.conn.execute(
            "SELECT a.data FROM articles a LEFT JOIN analyses n ON n.article_id = a.id"
            " WHERE n.article_id IS NULL"
            " AND coalesce(json_extract(a.data, '$.language'), 'en') = 'en' ORDER BY a.id"
        )
        return [loads(Article, r[0]) for r in rows]

    def unassigned(self) -> list[int]:
        """Analysed articles that belong to no story yet."""
        rows = self.conn.execute(
            "SELECT n.article_id FROM analyses n LEFT JOIN memberships m"
            " ON m.article_id = n.article_id WHERE m.article_id IS NULL ORDER BY n.article_id"
        )
        return [int(r[0]) for r in rows]

    # ------------------------------------------------------------ stories

    def new_story(self, title: str = "") -> int:
        """Open a story and return its id (listed once an article is assigned to it)."""
        now = _now()
        with self._tx():
            cur = self.conn.execute(
                "INSERT INTO stories (title, created_at, updated_at) VALUES (?, ?, ?)",
                (title, now, now),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def assign(self, assignment: Assignment, story_id: int) -> None:
        """Record that an article belongs to a story, and why; the stories it changes go stale."""
        explanation = dumps(assignment)
        with self._tx():
            row = self.conn.execute(
                "SELECT story_id FROM memberships WHERE article_id = ?", (assignment.article,)
            ).fetchone()
            self.conn.execute(
                "INSERT OR REPLACE INTO memberships (article_id, story_id, score, explanation,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (assignment.article, story_id, assignment.score, explanation, _now()),
            )
            self.conn.execute("UPDATE stories SET updated_at = ? WHERE id = ?", (_now(), story_id))
            self.mark_stale([story_id])
            if row is not None and int(row[0]) != story_id:
                self.left(int(row[0]))

    def left(self, story_id: int) -> None:
        """After an article left a story: stale, or without outputs when it is now empty."""
        with self._tx():
            if self.members_of(story_id):
                self.mark_stale([story_id])
                return
            self.conn.execute("DELETE FROM stale_stories WHERE story_id = ?", (story_id,))
            self.conn.execute("DELETE FROM lineage_edges WHERE story_id = ?", (story_id,))
            self.conn.execute("DELETE FROM dossiers WHERE story_id = ?", (story_id,))
            self.drop_published(story_id)
            for table in FOLD_TABLES:
                self.conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))

    def drop_published(self, story_id: int) -> None:
        """Forget a story's search rows, listing row and dossier-on-read mark (it is gone).

        A story with a whole dossier loses them with it (the ``dossier_dropped`` trigger); one
        that publishes parts (``store.published``) may have none to delete."""
        base = story_id * SEARCH_ROWS
        with self._tx():
            self.conn.execute(
                "DELETE FROM claims_search WHERE rowid BETWEEN ? AND ?",
                (base, base + SEARCH_ROWS - 1),
            )
            self.conn.execute("DELETE FROM story_index WHERE story_id = ?", (story_id,))
            self.conn.execute("DELETE FROM dossier_due WHERE story_id = ?", (story_id,))

    def assigned(self, article_ids: Sequence[int]) -> set[int]:
        """Those of the given articles that belong to a story."""
        found: set[int] = set()
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT article_id FROM memberships WHERE article_id IN ({marks})", chunk
            )
            found.update(int(r[0]) for r in rows)
        return found

    def members_of(self, story_id: int) -> list[int]:
        """The article ids of one story."""
        rows = self.conn.execute(
            "SELECT article_id FROM memberships WHERE story_id = ? ORDER BY article_id",
            (story_id,),
        )
        return [int(r[0]) for r in rows]

    # ------------------------------------------------------------ pending work

    def mark_stale(self, story_ids: Sequence[int]) -> None:
        """Record that these stories' dossiers must be rebuilt (call inside the change's tx)."""
        with self._tx():
            self.conn.executemany(
                "INSERT OR REPLACE INTO stale_stories (story_id, marked_at) VALUES (?, ?)",
                [(sid, _now()) for sid in story_ids],
            )

    def stale(self) -> dict[int, int]:
        """Story id to its stale mark, for every story whose dossier must be rebuilt."""
        rows = self.conn.execute("SELECT story_id, mark FROM stale_stories ORDER BY story_id")
        return {int(sid): int(mark) for sid, mark in rows}

    def stale_mark(self, story_id: int) -> int | None:
        """A story's stale mark, or None when its dossier is current."""
        row = self.conn.execute(
            "SELECT mark FROM stale_stories WHERE story_id = ?", (story_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def story_state(self, story_id: int) -> tuple[int | None, list[AnalyzedArticle]]:
        """A story's stale mark (None when current) and its analysed articles, read together."""
        with self.snapshot():
            row = self.conn.execute(
                "SELECT mark FROM stale_stories WHERE story_id = ?", (story_id,)
            ).fetchone()
            articles = self.analyses(self.members_of(story_id))
        return (None if row is None else int(row[0])), articles

    def put_story_outputs(
        self, dossier: Dossier, edges: Sequence[LineageEdge], mark: int | None
    ) -> bool:
        """Write a story's lineage and dossier and clear its mark in one tx; False if it changed."""
        # ``mark``: the stale mark read with the articles the dossier was built from; nothing
        # is written when the story changed since (re-marked, emptied or merged away)
        sid = dossier.story_id
        with self._tx():
            if not self.clear_stale(sid, mark):
                return False
            # written whole: the trigger publishes it (a story back under the exact core)
            self.conn.execute("DELETE FROM dossier_due WHERE story_id = ?", (sid,))
            self.put_lineage(sid, edges)
            self.put_dossier(dossier)
        return True

    def story_members(self) -> dict[int, list[int]]:
        """Story id to its article ids."""
        members: dict[int, list[int]] = {}
        rows = self.conn.execute(
            "SELECT story_id, article_id FROM memberships ORDER BY story_id, article_id"
        )
        for sid, aid in rows:
            members.setdefault(int(sid), []).append(int(aid))
        return members

    def explanations(self, story_id: int) -> list[Assignment]:
        """Why each article of a story is in it."""
        rows = self.conn.execute(
            "SELECT explanation FROM memberships WHERE story_id = ? ORDER BY article_id",
            (story_id,),
        )
        return [loads(Assignment, r[0]) for r in rows]

    def set_story_title(self, story_id: int, title: str) -> None:
        with self._tx():
            self.conn.execute("UPDATE stories SET title = ? WHERE id = ?", (title, story_id))

    def stories(self) -> list[StoryRow]:
        """Every story with its articles and outlets, in id order (one consistent read)."""
        with self.snapshot():
            titles = dict(self.conn.execute("SELECT id, title FROM stories").fetchall())
            outlets: dict[int, list[str]] = {}
            rows = self.conn.execute(
                "SELECT m.story_id, a.outlet FROM memberships m"
                " JOIN articles a ON a.id = m.article_id ORDER BY m.story_id, a.id"
            )
            for sid, outlet in rows:
                bucket = outlets.setdefault(int(sid), [])
                if outlet and outlet not in bucket:
                    bucket.append(outlet)
            members = self.story_members()
        return [
            StoryRow(sid, titles.get(sid, ""), tuple(aids), tuple(outlets.get(sid, [])))
            for sid, aids in sorted(members.items())
        ]

    def put_lineage(self, story_id: int, edges: Sequence[LineageEdge]) -> None:
        """Replace the lineage edges recorded for a story."""
        with self._tx():
            self.conn.execute("DELETE FROM lineage_edges WHERE story_id = ?", (story_id,))
            self.conn.executemany(
                "INSERT OR REPLACE INTO lineage_edges (story_id, derived, source, kind, score,"
                " directed, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (story_id, e.derived, e.source, e.kind, e.score, int(e.directed), e.evidence)
                    for e in edges
                ],
            )

    def add_lineage(self, story_id: int, edges: Sequence[LineageEdge]) -> None:
        """Record more lineage edges of a story (a fold's)."""
        with self._tx():
            self.conn.executemany(
                "INSERT OR REPLACE INTO lineage_edges (story_id, derived, source, kind, score,"
                " directed, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (story_id, e.derived, e.source, e.kind, e.score, int(e.directed), e.evidence)
                    for e in edges
                ],
            )

    def clear_stale(self, story_id: int, mark: int | None) -> bool:
        """Clear a story's stale mark if it is still ``mark`` and the story has articles."""
        with self._tx():
            row = self.conn.execute(
                "SELECT mark FROM stale_stories WHERE story_id = ?", (story_id,)
            ).fetchone()
            if (None if row is None else int(row[0])) != mark or not self.members_of(story_id):
                return False
            self.conn.execute("DELETE FROM stale_stories WHERE story_id = ?", (story_id,))
        return True

    def put_dossier(self, dossier: Dossier) -> None:
        """Store (or replace) a story's dossier and title."""
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO dossiers (story_id, data, updated_at) VALUES (?, ?, ?)",
                (dossier.story_id, dumps(dossier), _now()),
            )
            self.conn.execute(
                "UPDATE stories SET title = ? WHERE id = ?", (dossier.headline, dossier.story_id)
            )

    def dossier(self, story_id: int) -> Dossier | None:
        """A story's stored dossier."""
        row = self.conn.execute(
            "SELECT data FROM dossiers WHERE story_id = ?", (story_id,)
        ).fetchone()
        return None if row is None else loads(Dossier, row[0])

    def search(self, query: str, limit: int = 20) -> list[int]:
        """Article ids matching a full-text query, best first."""
        rows = self.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [int(r[0]) for r in rows]

    # ------------------------------------------------------------ helpers

    def _tx(self) -> _Transaction:
        return _Transaction(self.conn)

    def transaction(self) -> _Transaction:
        """A write transaction (BEGIN IMMEDIATE: the write lock, waited for); nests as a no-op."""
        return _Transaction(self.conn)

    def snapshot(self) -> _Transaction:
        """A read transaction: every query inside sees one committed state; nests as a no-op."""
        return _Transaction(self.conn, "BEGIN")


class _Transaction:
    """BEGIN IMMEDIATE (or ``begin``) ... COMMIT, rolled back on error; nests as a no-op."""

    def __init__(self, conn: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> None:
        self.conn = conn
        self.begin = begin
        self.owner = False

    def __enter__(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute(self.begin)
            self.owner = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.owner:
            return
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the database to WAL, retrying while another process holds it (bounded)."""
    # SQLite answers "locked" at once, without the busy handler, when two connections would
    # deadlock over the switch (two processes opening a new database together): wait here.
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_S)


def _with_id(article: Article, article_id: int) -> Article:
    return replace(article, id=article_id)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
