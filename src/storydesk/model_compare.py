"""The comparison of two articles (``storydesk compare``)."""

from __future__ import annotations

from dataclasses import dataclass

from storydesk.model import ArticleRef, Conflict, Support


@dataclass(frozen=True)
class ComparedPair:
    """One sentence of article A and one of B, with their 'same fact' score."""

    a: Support
    b: Support
    score: float  # the alignment's score (>= 0.5 leans to 'same')
    same: bool  # the dossier of the two articles puts both sentences in one fact


@dataclass(frozen=True)
class Comparison:
    """Two articles held against each other: shared facts, what each has alone, conflicts."""

    articles: tuple[ArticleRef, ...]  # A, then B
    pairs: tuple[ComparedPair, ...]  # same pairs in A's order, then near misses by score
    only_a: tuple[Support, ...]  # A's fact sentences that state nothing B states
    only_b: tuple[Support, ...]
    conflicts: tuple[Conflict, ...]  # ``facts``: indices into ``pairs`` (the same pairs cited)
    note: str = ""  # how the alignment was made when it could not use embeddings
