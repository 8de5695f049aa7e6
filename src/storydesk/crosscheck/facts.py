"""Crosscheck: align sentences across a story's articles into facts, and find conflicts.

Facts are greedy clusters of sentences (at most one per article) aligned by words and
sentence embeddings (``crosscheck.align``); support is counted in independent-source
groups from lineage. Conflicts compare structured values only (numbers with their noun, dates,
member lists, modality, quote wording and speakers), so each one can say exactly what differs;
the finders are registered in ``crosscheck.conflicts.FINDERS``. ``settle`` makes statuses
agree with the conflicts: each conflict names the facts it concerns, and a fact any conflict
names is ``conflicting`` (an earlier report alone is not a conflict).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck.align import Unit, align, align_facts, sentence_units
from storydesk.crosscheck.attribution import attributed_facts
from storydesk.crosscheck.conflicts import FINDERS, ConflictInput, Finder, find_conflicts
from storydesk.crosscheck.evidence import support_at
from storydesk.crosscheck.precision import CONFLICT_SAME, split_disagreeing
from storydesk.crosscheck.quotes import inside_quote
from storydesk.lineage.groups import independent_sources
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Fact, FactStatus, Lineage
from storydesk.options import Options
from storydesk.text.embed import LazyEmbedder

__all__ = ["CONFLICT_SAME", "crosscheck", "disputes", "settle", "split_disagreeing", "status_of"]

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
    facts = [_fact(articles, lineage, units, sim, members, options) for members in clusters]
    facts.sort(key=lambda f: (-f.independent_sources, -len(f.support), _first(f, articles)))
    settled, named = settle(facts, conflicts, options)
    return tuple(attributed_facts(articles, settled)), tuple(named)


def disputes(conflict: Conflict) -> bool:
    """Whether a conflict disputes the facts it names (an earlier report does not)."""
    return conflict.kind != ConflictKind.EARLIER_REPORT


def status_of(independent: int, disputed: bool, options: Options) -> FactStatus:
    """A fact's status: conflicting when a conflict disputes it, else by independent sources."""
    if disputed:
        return FactStatus.CONFLICTING
    if independent >= options.crosscheck.corroborated_sources:
        return FactStatus.CORROBORATED
    return FactStatus.SINGLE_SOURCE


def settle(
    facts: Sequence[Fact], conflicts: Sequence[Conflict], options: Options
) -> tuple[list[Fact], list[Conflict]]:
    """Conflicts naming the facts whose sentences they cite (indices into ``facts``), and
    each fact's status from the conflicts that name it and its independent sources."""
    fact_of: dict[tuple[int, int], list[int]] = {}
    for i, fact in enumerate(facts):
        for s in fact.support:
            fact_of.setdefault((s.article, s.sentence), []).append(i)
    named: list[Conflict] = []
    disputed: set[int] = set()
    for c in conflicts:
        ids = sorted({i for s in c.support for i in fact_of.get((s.article, s.sentence), ())})
        named.append(dataclasses.replace(c, facts=tuple(ids)))
        if disputes(c):
            disputed.update(ids)
    settled = [
        dataclasses.replace(f, status=status_of(f.independent_sources, i in disputed, options))
        for i, f in enumerate(facts)
    ]
    return settled, named


def _fact(
    articles: Sequence[AnalyzedArticle],
    lineage: Lineage,
    units: Sequence[Unit],
    sim: npt.NDArray[np.float64],
    members: Sequence[int],
    options: Options,
) -> Fact:
    """A fact from one cluster of units (its status by sources; ``settle`` adds conflicts)."""
    support = tuple(support_at(articles, units[i].article, units[i].sentence) for i in members)
    best = 0
    if len(members) > 1:
        # the most central sentence, preferring one that is not cut from inside a quotation
        # rounded: near-copies tie to within float noise, and a tie goes to the first sentence
        central = np.round(sim[np.ix_(members, members)].sum(axis=1), CENTRAL_DIGITS)
        quoted = [inside_quote(articles[units[i].article], units[i].sentence) for i in members]
        best = max(range(len(members)), key=lambda k: (not quoted[k], central[k], -k))
    groups = independent_sources([s.article for s in support], lineage)
    status = status_of(groups, False, options)
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
