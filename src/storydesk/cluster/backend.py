"""What the story index needs of a backend: its articles, their keys and their stories.

``cluster.memory.MemoryBackend`` keeps them in memory, ``storydesk.store.profiles.StoredIndex``
in the database; both meet these protocols structurally.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from storydesk.model import ArticleProfile, TopicLink


class IndexBackend(Protocol):
    """Where the story index keeps articles, their keys and their stories."""

    def size(self) -> int:
        """Number of articles in the index."""
        ...

    def frequencies(self, keys: Iterable[str]) -> dict[str, int]:
        """Number of indexed articles carrying each key (missing keys: absent)."""
        ...

    def candidates(
        self, keys: Sequence[str], day: int | None, window: int, limit: int, per_key: int
    ) -> list[tuple[int, int]]:
        """(story, keys matched) for stories sharing keys with an article, most matched first.

        Of each key only the ``per_key`` latest articles (within the time window) are read.
        """
        ...

    def members(self, story_ids: Sequence[int], limit: int) -> dict[int, list[ArticleProfile]]:
        """Profiles of the latest members of each story."""
        ...

    def add(self, story_id: int, p: ArticleProfile) -> None:
        """Index an article as a member of a story, under its keys (``p.index_keys()``)."""
        ...

    def may_merge(self, a: int, b: int) -> bool:
        """Whether two stories may be merged automatically (no user correction forbids it)."""
        ...

    def merge(self, absorbed: int, into: int, score: float) -> None:
        """Move every article of one story into another."""
        ...

    def topic_of(self, story_id: int) -> int:
        """The topic of a story: the lowest story id of its topic (its own id when alone)."""
        ...

    def link_topics(self, a: int, b: int, why: TopicLink | None = None) -> None:
        """Put the topics of two stories together (``why``: the link that did it)."""
        ...


@runtime_checkable
class CoreBackend(Protocol):
    """A backend that also gives a story's first members (its core; else the latest stand in)."""

    def first_members(
        self, story_ids: Sequence[int], limit: int
    ) -> dict[int, list[ArticleProfile]]:
        """Profiles of the first members of each story, oldest first."""
        ...


@runtime_checkable
class MovingBackend(Protocol):
    """A backend whose young stories' articles can still move (delayed commitment)."""

    def recent(self, limit: int) -> dict[int, list[ArticleProfile]]:
        """The young stories with their members: every member among the last limit indexed."""
        ...

    def move(self, article: int, story_id: int) -> None:
        """Move one article into another story (a story left empty is gone)."""
        ...
