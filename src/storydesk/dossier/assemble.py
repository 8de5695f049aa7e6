"""A big story's dossier assembled from its stored state, with bounded work where it ranks.

The state (``storydesk.store.folds``) holds the story's facts with their member sentences,
quote groups with their occurrences, lineage edges, conflicts and one digest per article.
Fact statuses and independent-source counts are computed here from the support and the
lineage (union-find); every fact is kept, but the brief is chosen from the strongest
``BRIEF_POOL`` facts and quote fragments are linked among the most carried ``QUOTE_LINKS``
entries. Quote groups' wording and speaker conflicts are stored as the fold found them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from storydesk.crosscheck.attribution import fact_attribution
from storydesk.crosscheck.facts import settle, status_of
from storydesk.crosscheck.quotegroups import QUOTE_WORDINGS, quote_stubs
from storydesk.crosscheck.quotes import Occurrence
from storydesk.dossier.brief import brief_of
from storydesk.dossier.coverage import coverage
from storydesk.dossier.quotebook import link_fragments, named_as_in, quote_entry
from storydesk.dossier.timeline import timeline_of
from storydesk.dossier.whoswho import whos_who_of
from storydesk.lineage.groups import independence_groups
from storydesk.model import (
    ArticleRef,
    ClaimSource,
    Conflict,
    Dossier,
    Fact,
    Lineage,
    LineageEdge,
    Support,
)
from storydesk.model_state import ArticleDigest, FactMember, QuoteMember
from storydesk.options import Options
from storydesk.text.features import published_date

BRIEF_POOL = 200  # strongest facts the brief is chosen from
QUOTE_LINKS = 300  # most carried quote-book entries among which fragments are linked


def assemble(
    story_id: int,
    digests: Sequence[ArticleDigest],
    facts: Mapping[int, str],
    members: Sequence[FactMember],
    quotes: Sequence[QuoteMember],
    edges: Sequence[LineageEdge],
    conflicts: Sequence[Conflict],
    lead: int | None,
    options: Options,
    quote_conflicts: Sequence[Conflict] = (),
) -> Dossier:
    """The dossier of a story from its stored state (digests in join order; the quote groups'
    conflicts as ``crosscheck.quotegroups`` found them when the groups were folded)."""
    ids = [d.ref.id for d in digests]
    order = {aid: k for k, aid in enumerate(ids)}
    relayed = {d.ref.id: d.relay for d in digests if d.relay}
    lineage = Lineage(
        tuple(edges), independence_groups(ids, edges, relayed), tuple(sorted(relayed.items()))
    )
    stubs, flat = quote_stubs(quotes)
    grouped: dict[int, list[Occurrence]] = {}  # each group's occurrences, groups first-seen
    for q, o in zip(quotes, flat, strict=True):
        grouped.setdefault(q.group, []).append(o)
    occurrences = list(grouped.values())
    relay_keys = frozenset(k for d in digests for k in d.relay_keys)
    found = [*conflicts, *quote_conflicts]
    group_of = {aid: k for k, g in enumerate(lineage.groups) for aid in g}
    found.sort(key=lambda c: (-_spread(c, group_of), -len(c.support), c.kind))
    claimed: dict[tuple[int, int], ClaimSource] = {
        (d.ref.id, i): c for d in digests for i, c in d.attributions
    }
    ranked, quoted = _facts(facts, members, lineage, order, claimed, options)
    all_facts, found = settle(ranked, found, options)  # statuses agree with the conflicts
    by_id = {d.ref.id: d for d in digests}
    book = [quote_entry(stubs, occ, relay_keys, QUOTE_WORDINGS) for occ in occurrences]
    book.sort(key=lambda e: (-len({s.article for s in e.support}), -len(e.text)))
    book = [*link_fragments(book[:QUOTE_LINKS]), *book[QUOTE_LINKS:]]
    people = whos_who_of([s for d in digests for s in d.sightings])
    dates = sorted(
        (published_date(d.ref.published) or "", d.ref.published or "")
        for d in digests
        if published_date(d.ref.published)
    )
    first = dates[0][1] if dates else None
    pool = all_facts[:BRIEF_POOL]
    return Dossier(
        story_id=story_id,
        headline=by_id[lead].ref.title.strip() if lead in by_id else "",
        first_published=first,
        last_published=dates[-1][1] if dates else None,
        independent_sources=len({group_of.get(a, -1 - a) for a in ids}),
        articles=tuple(_refs(digests, edges)),
        brief=tuple(brief_of(pool, quoted[: len(pool)], found, lead, order, options)),
        facts=tuple(all_facts),
        conflicts=tuple(found),
        quotes=tuple(named_as_in(book, people)),
        timeline=tuple(
            timeline_of(
                [h for d in digests for h in d.times], published_date(first), options, all_facts
            )
        ),
        entities=tuple(people),
        coverage=coverage(all_facts, [d.ref for d in digests]),
    )


def _facts(
    texts: Mapping[int, str],
    members: Sequence[FactMember],
    lineage: Lineage,
    order: Mapping[int, int],
    claimed: Mapping[tuple[int, int], ClaimSource],
    options: Options,
) -> tuple[list[Fact], list[bool]]:
    """Every fact with its status and attributions, strongest first, and whether it is quoted."""
    group_of = {aid: k for k, g in enumerate(lineage.groups) for aid in g}  # (unknown: alone)
    grouped: dict[int, list[FactMember]] = {}
    for m in members:
        grouped.setdefault(m.fact, []).append(m)
    made: list[tuple[tuple[int, int, tuple[int, int]], Fact, bool]] = []
    for number, found in grouped.items():
        found.sort(key=lambda m: (order.get(m.article, len(order)), m.sentence))
        support = tuple(Support(m.article, m.sentence, m.text) for m in found)
        text = texts.get(number, support[0].text)
        groups = len({group_of.get(s.article, -1 - s.article) for s in support})
        status = status_of(groups, False, options)  # ``settle`` adds the conflicts
        outlets = tuple(sorted({m.outlet for m in found if m.outlet}))
        said = tuple(claimed.get((m.article, m.sentence)) for m in found)
        fact = Fact(
            text,
            support,
            groups,
            status,
            outlets,
            said,
            fact_attribution(text, support, said),
            number=number,
        )
        first = (order.get(found[0].article, len(order)), found[0].sentence)
        quoted = next((m.quoted for m in found if m.text == text), False)
        made.append(((-groups, -len(support), first), fact, quoted))
    made.sort(key=lambda x: x[0])
    return [f for _, f, _ in made], [q for _, _, q in made]


def _spread(conflict: Conflict, group_of: Mapping[int, int]) -> int:
    """Independent groups behind a conflict (an article in no group counts alone), to rank
    conflicts by significance: ``independent_sources`` with the groups looked up once."""
    return len({group_of.get(a, -1 - a) for a in {s.article for s in conflict.support}})


def _refs(digests: Sequence[ArticleDigest], edges: Sequence[LineageEdge]) -> list[ArticleRef]:
    """Article references with what each derives from (an edge listed on its derived side)."""
    ids = {d.ref.id for d in digests}
    sources: dict[int, set[int]] = {}
    for e in edges:
        if e.source in ids:
            sources.setdefault(e.derived, set()).add(e.source)
    return [
        dataclasses.replace(d.ref, derived_from=tuple(sorted(sources.get(d.ref.id, ()))))
        for d in digests
    ]
