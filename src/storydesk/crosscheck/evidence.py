"""Pointers at source sentences: one sentence's support, and supports without repeats."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storydesk.model import AnalyzedArticle, Support


def support_at(articles: Sequence[AnalyzedArticle], a_index: int, s_index: int) -> Support:
    """Support pointing at one sentence."""
    article = articles[a_index]
    return Support(article.id, s_index, article.sentences[s_index].text)


def dedupe_supports(supports: Iterable[Support]) -> tuple[Support, ...]:
    """Supports without repeats, in first-seen order."""
    seen: dict[tuple[int, int], Support] = {}
    for s in supports:
        seen.setdefault((s.article, s.sentence), s)
    return tuple(seen.values())
