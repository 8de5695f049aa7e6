"""The quote book: a story's quotes merged across articles, under who's who names."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from storydesk.crosscheck.evidence import dedupe_supports
from storydesk.crosscheck.quotes import (
    Occurrence,
    group_quotes,
    occurrences,
    quote_key,
    relays,
    speaker_groups,
    wording_classes,
)
from storydesk.model import AnalyzedArticle, EntityEntry, QuoteEntry, Support


def quote_book(articles: Sequence[AnalyzedArticle]) -> list[QuoteEntry]:
    """Quotes merged across articles (same, contained or near-identical wording)."""
    outlets = relays(articles)
    groups = group_quotes(occurrences(articles))
    book = link_fragments([quote_entry(articles, g, outlets) for g in groups])
    book.sort(key=lambda e: (-len({s.article for s in e.support}), -len(e.text)))
    return book


def link_fragments(book: Sequence[QuoteEntry]) -> list[QuoteEntry]:
    """Entries whose words all appear, in order, inside a longer quote point at that quote."""
    keys = [quote_key(e.text) for e in book]
    longest_first = sorted(range(len(book)), key=lambda j: -len(keys[j]))
    out: list[QuoteEntry] = []
    for i, entry in enumerate(book):
        whole = next(
            (
                book[j]
                for j in longest_first
                if j != i and len(keys[j]) > len(keys[i]) and f" {keys[i]} " in f" {keys[j]} "
            ),
            None,
        )
        out.append(dataclasses.replace(entry, part_of=whole.text) if whole else entry)
    return out


def quote_entry(
    articles: Sequence[AnalyzedArticle],
    found: Sequence[Occurrence],
    relayed_by: frozenset[str],
    wordings: int | None = None,
) -> QuoteEntry:
    """One quote-book entry from its occurrences (its wording chosen among the first
    ``wordings`` of them when given)."""
    speakers = sorted(
        speaker_groups(found, relayed_by).values(), key=lambda v: -len({m.article for m in v[1]})
    )
    text = wording_classes(found[:wordings])[0][0].text  # the most carried wording, longest first
    variants: dict[str, str] = {}
    own = quote_key(text)
    for o in found:
        k = quote_key(o.text)
        if k != own:
            variants.setdefault(k, o.text)
    support = dedupe_supports(
        Support(articles[o.article].id, o.sentence, articles[o.article].sentences[o.sentence].text)
        for o in found
    )
    outlets = sorted({o for o in (articles[x.article].article.outlet for x in found) if o})
    return QuoteEntry(
        speaker=speakers[0][0] if speakers else None,
        text=text,
        support=support,
        outlets=tuple(outlets),
        variants=tuple(variants.values()),
        speakers=tuple(name for name, _ in speakers) if len(speakers) > 1 else (),
        unnamed=None if speakers else next((o.unnamed for o in found if o.unnamed), None),
    )


def named_as_in(book: Sequence[QuoteEntry], people: Sequence[EntityEntry]) -> list[QuoteEntry]:
    """Quote-book speakers under the names who's who gives them ("Trump" -> "Donald Trump")."""
    names: dict[str, set[str]] = {}
    for entry in people:
        if entry.label == "PERSON":
            for alias in (entry.name, *entry.aliases):
                names.setdefault(alias, set()).add(entry.name)

    def full(name: str | None) -> str | None:
        """The one who's who name for a speaker, or the name as it was."""
        found = names.get(name or "", set())
        return next(iter(found)) if len(found) == 1 else name

    out = []
    for q in book:
        speakers = tuple(s for s in dict.fromkeys(map(full, q.speakers)) if s)
        speakers = speakers if len(speakers) > 1 else ()
        out.append(dataclasses.replace(q, speaker=full(q.speaker), speakers=speakers))
    return out
