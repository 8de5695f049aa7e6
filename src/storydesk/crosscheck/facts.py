"""Crosscheck: align sentences across a story's articles into facts, and find conflicts.

Facts are greedy clusters of sentences (at most one per article) aligned by words and
sentence embeddings (``crosscheck.align``); support is counted in independent-source
groups from lineage. Conflicts compare structured values only (numbers with their noun, dates,
member lists, modality, quote wording and speakers), so each one can say exactly what differs;
the finders are registered in ``crosscheck.conflicts.FINDERS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck.align import Unit, align, align_facts, sentence_units
from storydesk.crosscheck.conflicts import FINDERS, ConflictInput, Finder, find_conflicts
from storydesk.crosscheck.evidence import support_at
from storydesk.crosscheck.mentions import Mention, numbers, unambiguous
from storydesk.crosscheck.quotes import inside_quote
from storydesk.lineage.groups import independent_sources
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Fact, FactStatus, Lineage
from storydesk.options import Options
from storydesk.text.embed import LazyEmbedder

CONFLICT_SAME = 0.55  # alignment score from which differing counts are a conflict, not 2 facts
CENTRAL_DIGITS = 6  # decimals of centrality that choose a fact's wording (float noise ignored)


def crosscheck(
    articles: Sequence[AnalyzedArticle],
    lineage: Lineage,
    options: Options,
    embedder: LazyEmbedder | None = None,
    finders: Mapping[ConflictKind, Finder] = FINDERS,
) -> tuple[tuple[Fact, ...], tuple[Conflict, ...]]:
    """Facts (aligned sentences with independent support) and conflicts for one story."""
    # pass one LazyEmbedder per run so the model loads once; without one, one is made here
    units = sentence_units(articles)
    sim = align(articles, units, embedder or LazyEmbedder(options)).score
    sim = split_disagreeing(articles, units, sim)
    clusters = align_facts(units, sim)
    stated_twice = [[units[i] for i in members] for members in clusters if len(members) > 1]
    conflicts = find_conflicts(ConflictInput(articles, stated_twice), finders)
    conflicts.sort(key=lambda c: (-_spread(c, lineage), -len(c.support), c.kind))
    # differing status wordings are variants of one claim: listed, but the claim stands
    disputed = {
        (s.article, s.sentence)
        for c in conflicts
        if c.kind != ConflictKind.MODALITY
        for s in c.support
    }
    facts = [
        _fact(articles, lineage, units, sim, members, disputed, options) for members in clusters
    ]
    facts.sort(key=lambda f: (-f.independent_sources, -len(f.support), _first(f, articles)))
    return tuple(facts), tuple(conflicts)


def split_disagreeing(
    articles: Sequence[AnalyzedArticle], units: Sequence[Unit], sim: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Scores with weakly aligned pairs that give one count different values set below the
    'same' mark: a disagreement is a conflict only between sentences that clearly align."""
    # "the last strike lasted nine days" ~ "the strike is set to last five days" (0.51)
    rows, cols = np.nonzero(np.triu((sim >= 0.5) & (sim < CONFLICT_SAME), k=1))
    if not len(rows):
        return sim
    counts: dict[int, list[Mention]] = {}

    def of(i: int) -> list[Mention]:
        if i not in counts:
            u = units[i]
            counts[i] = unambiguous(numbers(articles[u.article].sentences[u.sentence].text))
        return counts[i]

    out = sim.copy()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if any(
            a.key == b.key and a.value != b.value and a.context & b.context
            for a in of(i)
            for b in of(j)
        ):
            out[i, j] = out[j, i] = 0.0
    return out


def _fact(
    articles: Sequence[AnalyzedArticle],
    lineage: Lineage,
    units: Sequence[Unit],
    sim: npt.NDArray[np.float64],
    members: Sequence[int],
    disputed: set[tuple[int, int]],
    options: Options,
) -> Fact:
    """A fact from one cluster of units."""
    support = tuple(support_at(articles, units[i].article, units[i].sentence) for i in members)
    best = 0
    if len(members) > 1:
        # the most central sentence, preferring one that is not cut from inside a quotation
        # rounded: near-copies tie to within float noise, and a tie goes to the first sentence
        central = np.round(sim[np.ix_(members, members)].sum(axis=1), CENTRAL_DIGITS)
        quoted = [inside_quote(articles[units[i].article], units[i].sentence) for i in members]
        best = max(range(len(members)), key=lambda k: (not quoted[k], central[k], -k))
    groups = independent_sources([s.article for s in support], lineage)
    conflicting = any((s.article, s.sentence) in disputed for s in support)
    status = (
        FactStatus.CONFLICTING
        if conflicting
        else FactStatus.CORROBORATED
        if groups >= options.crosscheck.corroborated_sources
        else FactStatus.SINGLE_SOURCE
    )
    outlets = {articles[units[i].article].article.outlet for i in members}
    return Fact(
        text=support[best].text,
        support=support,
        independent_sources=groups,
        status=status,
        outlets=tuple(sorted(o for o in outlets if o)),
    )


def _first(fact: Fact, articles: Sequence[AnalyzedArticle]) -> tuple[int, int]:
    """Earliest position of a fact: (article order, sentence index)."""
    order = {a.id: i for i, a in enumerate(articles)}
    return min((order.get(s.article, len(order)), s.sentence) for s in fact.support)


def _spread(conflict: Conflict, lineage: Lineage) -> int:
    """Independent groups behind a conflict, to rank conflicts by significance."""
    return independent_sources({s.article for s in conflict.support}, lineage)
