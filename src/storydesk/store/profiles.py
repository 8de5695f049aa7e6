"""The story index kept in the database: article profiles, key postings, key counts."""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from storydesk.model import AnalyzedArticle, ArticleProfile, Assignment, TopicLink
from storydesk.serialize import dumps, loads
from storydesk.store.db import Store
from storydesk.store.stories import drop_outputs, link_topics, merge_stories, topic_of

CHUNK = 500  # ids or keys per IN (...) query
KEPT_PROFILES = 4096  # decoded profiles an index keeps (then it starts afresh)
KEPT_COUNTS = 200_000  # key counts an index keeps (then it starts afresh)


def to_json(p: ArticleProfile) -> str:
    """A compact JSON form of a profile (terms as counts, the gist in base64)."""
    data: dict[str, object] = {
        "t": p.title,
        "c": dict(Counter(p.terms)),
        "e": sorted(p.entities),
        "d": p.day,
        "n": sorted(p.details),
    }
    if p.gist:
        data["g"] = base64.b64encode(p.gist).decode("ascii")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def from_json(article_id: int, text: str) -> ArticleProfile:
    """The profile stored by :func:`to_json`."""
    data = json.loads(text)
    terms = tuple(t for t, c in data["c"].items() for _ in range(c))
    details = frozenset(data.get("n", ()))  # profiles stored before details: none
    gist = base64.b64decode(data["g"]) if "g" in data else b""  # stored before gists: none
    return ArticleProfile(
        article_id, data["t"], terms, frozenset(data["e"]), data["d"], details, gist
    )


class StoredIndex:
    """The ``IndexBackend`` of ``storydesk.cluster.index`` over one storydesk database."""

    # Stories are read from ``memberships`` (the store writes them); this class writes
    # profiles and keys, and performs automatic merges that no user correction forbids.

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn
        self._size: int | None = None  # counted once (count(*) scans the table), then kept
        # key counts read (0: absent) and profiles decoded, kept for the index's life: only
        # ``add`` changes the counts and a stored profile never changes, so one index per
        # write transaction (as the pipeline makes them) reads each once
        self._df: dict[str, int] = {}
        self._decoded: dict[int, ArticleProfile] = {}

    def size(self) -> int:
        """Number of articles in the index."""
        if self._size is None:
            row = self.conn.execute("SELECT count(*) FROM article_profiles").fetchone()
            self._size = int(row[0])
        return self._size

    def frequencies(self, keys: Iterable[str]) -> dict[str, int]:
        """Number of indexed articles carrying each key."""
        known = self._df
        wanted = dict.fromkeys(keys)
        if len(known) + len(wanted) > KEPT_COUNTS:  # memory stays bounded
            known.clear()
        unread = [k for k in wanted if k not in known]
        for chunk in _chunks(unread):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT key, df FROM key_counts WHERE key IN ({marks})", chunk
            )
            known.update(dict.fromkeys(chunk, 0))
            known.update((k, int(df)) for k, df in rows)
        return {k: df for k in wanted if (df := known[k])}

    def candidates(
        self, keys: Sequence[str], day: int | None, window: int, limit: int, per_key: int
    ) -> list[tuple[int, int]]:
        """Stories sharing keys with an article within the time window, most matched first.

        Of each key only the ``per_key`` latest articles within the window are read (the
        primary key (key, article_id) is walked backwards), so a lookup's cost stays flat.
        """
        if not keys:
            return []
        part = (
            "SELECT * FROM (SELECT k.key AS key, m.story_id AS story_id FROM profile_keys k"
            " JOIN memberships m ON m.article_id = k.article_id"
            " JOIN article_profiles p ON p.article_id = k.article_id"
            " WHERE k.key = ? AND (? IS NULL OR p.day IS NULL OR abs(p.day - ?) <= ?)"
            " ORDER BY k.article_id DESC LIMIT ?)"
        )
        counts: Counter[int] = Counter()
        for chunk in _chunks(list(keys), 100):
            union = " UNION ALL ".join([part] * len(chunk))
            params = [x for key in chunk for x in (key, day, day, window, per_key)]
            rows = self.conn.execute(
                f"SELECT story_id, count(DISTINCT key) FROM ({union}) GROUP BY story_id",
                params,
            )
            for story, hits in rows:
                counts[int(story)] += int(hits)  # a key lies in one chunk only
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))[:limit]
        return ranked

    def members(self, story_ids: Sequence[int], limit: int) -> dict[int, list[ArticleProfile]]:
        """Profiles of the latest members of each story."""
        out: dict[int, list[ArticleProfile]] = {sid: [] for sid in story_ids}
        for sid in story_ids:
            rows = self.conn.execute(
                "SELECT p.article_id, p.data FROM memberships m"
                " JOIN article_profiles p ON p.article_id = m.article_id"
                " WHERE m.story_id = ? ORDER BY m.article_id DESC LIMIT ?",
                (sid, limit),
            ).fetchall()
            out[sid] = [self._profile(int(aid), data) for aid, data in reversed(rows)]
        return out

    def first_members(
        self, story_ids: Sequence[int], limit: int
    ) -> dict[int, list[ArticleProfile]]:
        """Profiles of the first members of each story (its core), oldest first."""
        out: dict[int, list[ArticleProfile]] = {sid: [] for sid in story_ids}
        for sid in story_ids:
            rows = self.conn.execute(
                "SELECT p.article_id, p.data FROM memberships m"
                " JOIN article_profiles p ON p.article_id = m.article_id"
                " WHERE m.story_id = ? ORDER BY m.article_id LIMIT ?",
                (sid, limit),
            ).fetchall()
            out[sid] = [self._profile(int(aid), data) for aid, data in rows]
        return out

    def _profile(self, article_id: int, data: str) -> ArticleProfile:
        """A stored profile, decoded once for the index's life."""
        p = self._decoded.get(article_id)
        if p is None:
            if len(self._decoded) >= KEPT_PROFILES:  # memory stays bounded
                self._decoded.clear()
            p = self._decoded[article_id] = from_json(article_id, data)
        return p

    def add(self, story_id: int, p: ArticleProfile) -> None:
        """Index an article under its keys (its membership is recorded by ``Store.assign``)."""
        keys = sorted(p.index_keys())
        with self.store._tx():
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO article_profiles (article_id, day, data) VALUES (?, ?, ?)",
                (p.id, p.day, to_json(p)),
            )
            if cur.rowcount == 0:
                return  # already indexed
            if self._size is not None:
                self._size += 1
            self.conn.executemany(
                "INSERT OR IGNORE INTO profile_keys (key, article_id) VALUES (?, ?)",
                [(k, p.id) for k in keys],
            )
            self.conn.executemany(
                "INSERT INTO key_counts (key, df) VALUES (?, 1)"
                " ON CONFLICT(key) DO UPDATE SET df = df + 1",
                [(k,) for k in keys],
            )
            for k in keys:  # counts already read go up with the table's
                if k in self._df:
                    self._df[k] += 1

    def may_merge(self, a: int, b: int) -> bool:
        """False when a user split these stories or took an article of one out of the other."""
        lo, hi = sorted((a, b))
        row = self.conn.execute(
            "SELECT 1 FROM story_separations WHERE story_a = ? AND story_b = ?"
            " UNION ALL SELECT 1 FROM article_exclusions x"
            " JOIN memberships m ON m.article_id = x.article_id"
            " WHERE (m.story_id = ? AND x.story_id = ?) OR (m.story_id = ? AND x.story_id = ?)"
            " LIMIT 1",
            (lo, hi, a, b, b, a),
        ).fetchone()
        return a != b and row is None

    def recent(self, limit: int) -> dict[int, list[ArticleProfile]]:
        """The young stories with their members: every member among the last ``limit``
        indexed, and no user correction touching the story (a user's placing is kept)."""
        if limit <= 0:
            return {}
        rows = self.conn.execute(
            "SELECT p.article_id, p.data, m.story_id FROM (SELECT article_id, data"
            " FROM article_profiles ORDER BY article_id DESC LIMIT ?) p"
            " JOIN memberships m ON m.article_id = p.article_id",
            (limit,),
        ).fetchall()
        by_story: dict[int, list[ArticleProfile]] = {}
        for aid, data, sid in rows:
            by_story.setdefault(int(sid), []).append(self._profile(int(aid), data))
        out: dict[int, list[ArticleProfile]] = {}
        for sid in sorted(by_story):
            members = sorted(by_story[sid], key=lambda p: p.id)
            if len(self.store.members_of(sid)) == len(members) and not self._corrected(sid):
                out[sid] = members
        return out

    def _corrected(self, story_id: int) -> bool:
        """Whether a user correction names the story or took an article out of it or into it."""
        row = self.conn.execute(
            "SELECT 1 FROM corrections WHERE story_id = ?1 OR other_story = ?1"
            " UNION ALL SELECT 1 FROM story_separations WHERE story_a = ?1 OR story_b = ?1"
            " UNION ALL SELECT 1 FROM article_exclusions x"
            " LEFT JOIN memberships m ON m.article_id = x.article_id"
            " WHERE x.story_id = ?1 OR m.story_id = ?1 LIMIT 1",
            (story_id,),
        ).fetchone()
        return row is not None

    def move(self, article: int, story_id: int) -> None:
        """Move one article of a young story into another (the clusterer's second look).

        Both stories are marked stale; a story left empty is recorded as merged into the one
        that took its last article, so its id still leads somewhere.
        """
        with self.store._tx():
            row = self.conn.execute(
                "SELECT story_id, explanation FROM memberships WHERE article_id = ?", (article,)
            ).fetchone()
            if row is None or int(row[0]) == story_id:
                return
            old = int(row[0])
            kept = loads(Assignment, row[1])
            note = f"; regrouped with later articles: moved from story {old}"
            moved = replace(kept, story=story_id, reason=kept.reason + note)
            self.conn.execute(
                "UPDATE memberships SET story_id = ?, explanation = ? WHERE article_id = ?",
                (story_id, dumps(moved), article),
            )
            self.store.mark_stale([story_id])
            if self.store.members_of(old):
                self.store.mark_stale([old])
                return
            now = datetime.now(UTC).isoformat(timespec="seconds")
            self.conn.execute(
                "INSERT OR REPLACE INTO story_merges (absorbed, into_story, score, correction,"
                " created_at) VALUES (?, ?, NULL, NULL, ?)",
                (old, story_id, now),
            )
            link_topics(self.store, old, story_id)
            drop_outputs(self.store, old)

    def merge(self, absorbed: int, into: int, score: float) -> None:
        """Move every article of ``absorbed`` into ``into`` and record the merge."""
        merge_stories(self.store, absorbed, into, score, None)

    def topic_of(self, story_id: int) -> int:
        """The lowest story id of the story's topic (its own id when it has none)."""
        return topic_of(self.store, story_id)

    def link_topics(self, a: int, b: int, why: TopicLink | None = None) -> None:
        """Put the topics of two stories together, recording why when told."""
        link_topics(self.store, a, b)
        if why is not None:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            with self.store._tx():
                self.conn.execute(
                    "INSERT OR REPLACE INTO topic_links"
                    " (story_id, nearest, score, words, gist, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (why.story, why.nearest, why.score, why.words, why.gist, now),
                )

    def backfill(self, profile: Callable[[AnalyzedArticle], ArticleProfile]) -> int:
        """Index assigned articles that have no profile yet (databases made before 0003).

        ``profile``: how the cluster stage profiles an article (``storydesk.cluster.score``).
        """
        rows = self.conn.execute(
            "SELECT m.article_id, m.story_id FROM memberships m"
            " LEFT JOIN article_profiles p ON p.article_id = m.article_id"
            " WHERE p.article_id IS NULL ORDER BY m.article_id"
        ).fetchall()
        story_of = {int(a): int(s) for a, s in rows}
        for analyzed in self.store.analyses(list(story_of)):
            self.add(story_of[analyzed.id], profile(analyzed))
        return len(story_of)


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    """Slices of at most ``size`` items."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
