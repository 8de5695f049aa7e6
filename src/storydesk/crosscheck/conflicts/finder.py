"""What every conflict finder reads, and the one signature each finder has."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias

from storydesk.crosscheck.align import Unit
from storydesk.crosscheck.quotes import Occurrence, group_quotes, occurrences
from storydesk.model import AnalyzedArticle, Conflict


@dataclass(frozen=True)
class ConflictInput:
    """One story as the finders see it: its articles and the aligned sentences of its facts."""

    articles: Sequence[AnalyzedArticle]
    facts: Sequence[Sequence[Unit]] = ()  # the sentences of each fact stated more than once

    @cached_property
    def quotes(self) -> tuple[tuple[Occurrence, ...], ...]:
        """The story's quotes carried by two or more articles, each as its occurrences."""
        groups = group_quotes(occurrences(self.articles))
        return tuple(tuple(g) for g in groups if len({m.article for m in g}) >= 2)


Finder: TypeAlias = Callable[[ConflictInput], list[Conflict]]
"""A conflict finder: every conflict of its kind in one story, in the story's order."""
