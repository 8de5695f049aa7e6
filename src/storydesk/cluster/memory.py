"""An in-memory ``IndexBackend`` (and ``CoreBackend``): benchmarks, tests, one-off clustering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from storydesk.model import ArticleProfile, TopicLink


class MemoryBackend:
    """An in-memory index backend (benchmarks, tests, one-off clustering)."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._df: Counter[str] = Counter()
        self._story_of: dict[int, int] = {}
        self._members: dict[int, list[ArticleProfile]] = {}
        self._days: dict[int, int | None] = {}
        self._topic: dict[int, int] = {}  # story to a story of the same topic (union-find)
        self._order: list[int] = []  # article ids in the order they were added

    def size(self) -> int:
        """Number of articles in the index."""
        return len(self._story_of)

    def frequencies(self, keys: Iterable[str]) -> dict[str, int]:
        """Number of indexed articles carrying each key."""
        return {k: self._df[k] for k in keys if k in self._df}

    def candidates(
        self, keys: Sequence[str], day: int | None, window: int, limit: int, per_key: int
    ) -> list[tuple[int, int]]:
        """Stories sharing keys with an article within the time window, most matched first."""
        hits: Counter[int] = Counter()
        for key in keys:
            stories = set()
            read = 0
            for aid in reversed(self._postings.get(key, ())):
                other = self._days[aid]
                if day is None or other is None or abs(other - day) <= window:
                    stories.add(self._story_of[aid])
                    read += 1
                    if read >= per_key:
                        break
            hits.update(stories)
        return sorted(hits.items(), key=lambda kv: (-kv[1], -kv[0]))[:limit]

    def members(self, story_ids: Sequence[int], limit: int) -> dict[int, list[ArticleProfile]]:
        """Profiles of the latest members of each story."""
        return {sid: self._members.get(sid, [])[-limit:] for sid in story_ids}

    def first_members(
        self, story_ids: Sequence[int], limit: int
    ) -> dict[int, list[ArticleProfile]]:
        """Profiles of the first members of each story (its core)."""
        return {sid: self._members.get(sid, [])[:limit] for sid in story_ids}

    def add(self, story_id: int, p: ArticleProfile) -> None:
        """Index an article as a member of a story."""
        self._story_of[p.id] = story_id
        self._members.setdefault(story_id, []).append(p)
        self._days[p.id] = p.day
        self._order.append(p.id)
        for key in p.index_keys():
            self._postings.setdefault(key, []).append(p.id)
            self._df[key] += 1

    def may_merge(self, a: int, b: int) -> bool:
        """No corrections in memory: any two stories may merge."""
        return a != b

    def merge(self, absorbed: int, into: int, score: float) -> None:
        """Move every article of one story into another (their topics become one)."""
        self.link_topics(absorbed, into)
        moved = self._members.pop(absorbed, [])
        for p in moved:
            self._story_of[p.id] = into
        self._members.setdefault(into, []).extend(moved)
        self._members[into].sort(key=lambda p: p.id)

    def recent(self, limit: int) -> dict[int, list[ArticleProfile]]:
        """The young stories, each with its members: every member among the last limit added."""
        last = set(self._order[-limit:]) if limit > 0 else set()
        stories = {self._story_of[aid] for aid in last}
        return {
            sid: list(self._members[sid])
            for sid in sorted(stories)
            if all(p.id in last for p in self._members[sid])
        }

    def move(self, article: int, story_id: int) -> None:
        """Move one article into another story (a story left empty is gone)."""
        old = self._story_of[article]
        if old == story_id:
            return
        (p,) = [q for q in self._members[old] if q.id == article]
        self._members[old].remove(p)
        if not self._members[old]:
            del self._members[old]
        self._story_of[article] = story_id
        self._members.setdefault(story_id, []).append(p)

    def topic_of(self, story_id: int) -> int:
        """The lowest story id of the story's topic."""
        root = story_id
        while self._topic.get(root, root) != root:
            root = self._topic[root]
        node = story_id
        while node != root:  # path compression
            self._topic[node], node = root, self._topic[node]
        return root

    def link_topics(self, a: int, b: int, why: TopicLink | None = None) -> None:
        """Put the topics of two stories together (the lower root stays the topic id)."""
        ra, rb = self.topic_of(a), self.topic_of(b)
        if ra != rb:
            self._topic[max(ra, rb)] = min(ra, rb)

    def story_of(self) -> dict[int, int]:
        """Article id to story id."""
        return dict(self._story_of)

    def topics(self) -> dict[int, int]:
        """Article id to topic id."""
        return {aid: self.topic_of(sid) for aid, sid in self._story_of.items()}
