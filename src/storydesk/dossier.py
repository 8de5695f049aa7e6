"""Dossier: brief, quote book, timeline, who's who and coverage for one story.

Everything is assembled from the articles, lineage, facts and conflicts given; every item
that states something carries the source sentences it rests on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from storydesk.cluster import central_article
from storydesk.crosscheck import independent_groups, quote_key
from storydesk.model import (
    AnalyzedArticle,
    ArticleRef,
    BriefSentence,
    Conflict,
    Coverage,
    Dossier,
    Fact,
    Lineage,
    QuoteEntry,
    Support,
    TimelineEntry,
)
from storydesk.options import Options
from storydesk.text_features import (
    content_words,
    cosine,
    dice,
    entity_key,
    idf,
    published_date,
    sentence_index,
    tfidf,
)
from storydesk.whoswho import whos_who

BRIEF_MIN = 5  # single-source facts fill the brief up to this many sentences
_LEADING_PRONOUNS = frozenset({"he", "she", "they", "it", "his", "her", "their", "its"})
BRIEF_MAX = 10
BRIEF_REDUNDANT = 0.5  # content-word Dice above which a candidate repeats a chosen sentence
QUOTE_SAME = 0.8  # word Jaccard at which two quotations are one quote worded differently
BACKGROUND_DAYS = 60  # dates this long before the story's first article are background
_DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def build_dossier(
    story_id: int,
    articles: Sequence[AnalyzedArticle],
    lineage: Lineage,
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    options: Options,
) -> Dossier:
    """The dossier of one story."""
    dates = sorted(
        (published_date(a.article.published) or "", a.article.published or "")
        for a in articles
        if published_date(a.article.published)
    )
    first = dates[0][1] if dates else None
    lead = central_article(articles)
    return Dossier(
        story_id=story_id,
        headline=lead.article.title.strip() if lead is not None else "",
        first_published=first,
        last_published=dates[-1][1] if dates else None,
        independent_sources=independent_groups((a.id for a in articles), lineage),
        articles=tuple(article_refs(articles, lineage)),
        brief=tuple(brief(articles, facts, conflicts, lead)),
        facts=tuple(facts),
        conflicts=tuple(conflicts),
        quotes=tuple(quote_book(articles)),
        timeline=tuple(timeline(articles, published_date(first))),
        entities=tuple(whos_who(articles)),
        coverage=coverage(facts),
    )


def article_refs(articles: Sequence[AnalyzedArticle], lineage: Lineage) -> list[ArticleRef]:
    """One reference per article, with what it derives from and whom it credits."""
    # an undirected edge is listed on its ``derived`` side (the later-stored article)
    ids = {a.id for a in articles}
    refs: list[ArticleRef] = []
    for a in articles:
        sources = sorted({e.source for e in lineage.edges if e.derived == a.id and e.source in ids})
        cites: dict[str, str] = {}
        for credit in a.credits:
            cites.setdefault(credit.name.casefold(), credit.name)
        meta = a.article
        refs.append(
            ArticleRef(
                id=a.id,
                source=meta.source,
                outlet=meta.outlet,
                title=meta.title,
                byline=meta.byline,
                published=meta.published,
                url=meta.url,
                derived_from=tuple(sources),
                cites=tuple(cites.values()),
            )
        )
    return refs


# ---------------------------------------------------------------- brief


def brief(
    articles: Sequence[AnalyzedArticle],
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    lead: AnalyzedArticle | None,
) -> list[BriefSentence]:
    """Best-supported, most central fact sentences in lead-article order, plus a conflict."""
    # single-source facts only fill the brief up to BRIEF_MIN; the top conflict gets a
    # sentence when none of its sentences is in the brief yet
    central = fact_centrality(facts)
    ranked = sorted(
        range(len(facts)),
        key=lambda i: (-facts[i].independent_sources, -central[i], -len(facts[i].support), i),
    )
    # sentences that read on their own come first; the others only fill a too-short brief
    ranked = [i for i in ranked if _stands_alone(facts[i].text)] + [
        i for i in ranked if not _stands_alone(facts[i].text)
    ]
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= BRIEF_MAX:
            break
        if len(chosen) >= BRIEF_MIN and (
            facts[i].independent_sources < 2 or not _stands_alone(facts[i].text)
        ):
            continue
        if not _redundant(facts[i].text, (facts[j].text for j in chosen)):
            chosen.append(i)
    picked = [(facts[i].text, facts[i].support) for i in chosen]
    extra = _conflict_sentence(facts, conflicts, picked)
    if extra is not None:
        if len(picked) >= BRIEF_MAX:
            picked.pop()
        picked.append(extra)
    order = {a.id: k for k, a in enumerate(articles)}
    lead_id = lead.id if lead is not None else None
    picked.sort(key=lambda p: _position(p[1], lead_id, order))
    return [BriefSentence(text, support) for text, support in picked]


def _stands_alone(text: str) -> bool:
    """Whether a sentence reads on its own: balanced quotation marks, no leading pronoun."""
    if text.count("\u201c") != text.count("\u201d") or text.count('"') % 2:
        return False
    first = text.lstrip("\u201c\"' ").split(" ", 1)[0].lower()
    return first not in _LEADING_PRONOUNS


def fact_centrality(facts: Sequence[Fact]) -> list[float]:
    """Cosine of each fact's words to all facts' words (idf over the facts)."""
    bags = [content_words(f.text) for f in facts]
    weights = idf(bags)
    whole = tfidf((w for bag in bags for w in bag), weights)
    return [cosine(tfidf(bag, weights), whole) for bag in bags]


def _redundant(text: str, chosen: Iterable[str]) -> bool:
    """Whether a sentence mostly repeats one already chosen."""
    words = frozenset(content_words(text))
    return any(dice(words, frozenset(content_words(c))) > BRIEF_REDUNDANT for c in chosen)


def _conflict_sentence(
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    picked: Sequence[tuple[str, tuple[Support, ...]]],
) -> tuple[str, tuple[Support, ...]] | None:
    """A sentence of the most significant conflict, unless the brief already cites one."""
    if not conflicts:
        return None
    top = conflicts[0]
    disputed = {s.text for s in top.support}
    if any(text in disputed for text, _ in picked):
        return None
    variant = max(top.variants, key=lambda v: len({s.article for s in v.support}))
    sentence = variant.support[0]
    spot = (sentence.article, sentence.sentence)
    for fact in facts:
        if any((s.article, s.sentence) == spot for s in fact.support):
            return sentence.text, fact.support
    return sentence.text, variant.support


def _position(
    support: Sequence[Support], lead_id: int | None, order: dict[int, int]
) -> tuple[int, int, int]:
    """Sort key: position in the lead article when it carries the sentence, else first seen."""
    for s in support:
        if s.article == lead_id:
            return (0, 0, s.sentence)
    first = min((order.get(s.article, len(order)), s.sentence) for s in support)
    return (1, *first)


# ---------------------------------------------------------------- quotes


def quote_book(articles: Sequence[AnalyzedArticle]) -> list[QuoteEntry]:
    """Quotes merged across articles (same or near-identical wording), with their sentences."""
    entries: list[tuple[set[str], list[tuple[AnalyzedArticle, int, str, str | None]]]] = []
    for a in articles:
        for q in a.quotes:
            s_index = sentence_index(a, q.start)
            key = quote_key(q.text)
            if s_index is None or not key:
                continue
            speaker = q.speaker.name if q.speaker is not None else None
            words = set(key.split())
            for bag, found in entries:
                if _same_quote(words, bag, key, found):
                    found.append((a, s_index, q.text, speaker))
                    bag |= words
                    break
            else:
                entries.append((set(words), [(a, s_index, q.text, speaker)]))
    book = link_fragments([_quote_entry(found) for _, found in entries])
    book.sort(key=lambda e: (-len({s.article for s in e.support}), -len(e.text)))
    return book


def link_fragments(book: Sequence[QuoteEntry]) -> list[QuoteEntry]:
    """Entries whose words all appear, in order, inside a longer quote point at that quote."""
    keys = [quote_key(e.text) for e in book]
    out: list[QuoteEntry] = []
    for i, entry in enumerate(book):
        whole = next(
            (
                book[j]
                for j in sorted(range(len(book)), key=lambda j: -len(keys[j]))
                if j != i and len(keys[j]) > len(keys[i]) and f" {keys[i]} " in f" {keys[j]} "
            ),
            None,
        )
        out.append(dataclasses.replace(entry, part_of=whole.text) if whole else entry)
    return out


def _same_quote(
    words: set[str],
    bag: set[str],
    key: str,
    found: Sequence[tuple[AnalyzedArticle, int, str, str | None]],
) -> bool:
    """Whether a quotation is one already seen: same text, contained in it, or near-identical."""
    for _, _, text, _ in found:
        other = quote_key(text)
        if key == other or (min(len(key), len(other)) >= 20 and (key in other or other in key)):
            return True
    union = words | bag
    return bool(union) and len(words & bag) / len(union) >= QUOTE_SAME


def _quote_entry(found: Sequence[tuple[AnalyzedArticle, int, str, str | None]]) -> QuoteEntry:
    """One quote-book entry from its occurrences."""
    speakers = Counter(entity_key(name) for _, _, _, name in found if name)
    shown = {entity_key(n): n for _, _, _, n in found if n}
    text = found[0][2]
    variants: dict[str, str] = {}
    for _, _, wording, _ in found:
        k = quote_key(wording)
        if k != quote_key(text):
            variants.setdefault(k, wording)
    support = _dedupe(Support(a.id, i, a.sentences[i].text) for a, i, _, _ in found)
    outlets = sorted({a.article.outlet for a, _, _, _ in found if a.article.outlet})
    return QuoteEntry(
        speaker=shown[speakers.most_common(1)[0][0]] if speakers else None,
        text=text,
        support=support,
        outlets=tuple(outlets),
        variants=tuple(variants.values()),
        speakers=tuple(shown[k] for k, _ in speakers.most_common()) if len(speakers) > 1 else (),
    )


def _dedupe(supports: Iterable[Support]) -> tuple[Support, ...]:
    """Supports without repeats, in first-seen order."""
    seen: dict[tuple[int, int], Support] = {}
    for s in supports:
        seen.setdefault((s.article, s.sentence), s)
    return tuple(seen.values())


# ---------------------------------------------------------------- timeline


def timeline(articles: Sequence[AnalyzedArticle], first: str | None) -> list[TimelineEntry]:
    """Dated time expressions, one entry per date, sorted; early ones marked background."""
    found: dict[str, list[tuple[str, Support]]] = {}
    for a in articles:
        for t in a.times:
            if not t.value or not _DATE_VALUE.match(t.value):
                continue
            s_index = sentence_index(a, t.start)
            if s_index is None:
                continue
            support = Support(a.id, s_index, a.sentences[s_index].text)
            found.setdefault(t.value, []).append((t.text, support))
    start = dt.date.fromisoformat(first) if first else None
    entries: list[TimelineEntry] = []
    for value in sorted(found):
        hits = found[value]
        end = _period_end(value)
        background = bool(start and end and (start - end).days > BACKGROUND_DAYS)
        entries.append(
            TimelineEntry(
                value=value,
                label=hits[0][0],
                text=hits[0][1].text,
                support=_dedupe(s for _, s in hits),
                background=background,
            )
        )
    return entries


def _period_end(value: str) -> dt.date | None:
    """The last day of the period a date value names (a year, a month or a day)."""
    m = _DATE_VALUE.match(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return dt.date(year, int(month), int(day))
        if month:
            nxt = dt.date(year + int(month) // 12, int(month) % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, 12, 31)
    except ValueError:
        return None


# ---------------------------------------------------------------- coverage


def coverage(facts: Sequence[Fact]) -> Coverage:
    """Which outlets carried which fact, the facts only one outlet carried, and the facts that
    every other outlet (at least two) carried but one left out."""
    outlets = sorted({o for f in facts for o in f.outlets})
    matrix = tuple((i, tuple(f.outlets)) for i, f in enumerate(facts))
    exclusives = tuple(
        (o, tuple(i for i, f in enumerate(facts) if f.outlets == (o,))) for o in outlets
    )
    omitted: dict[str, list[int]] = {}
    if len(outlets) >= 3:
        for i, f in enumerate(facts):
            missing = [o for o in outlets if o not in f.outlets]
            if len(missing) == 1 and len(f.outlets) >= 2:
                omitted.setdefault(missing[0], []).append(i)
    omissions = tuple((o, tuple(omitted[o])) for o in outlets if o in omitted)
    return Coverage(
        outlets=tuple(outlets), matrix=matrix, exclusives=exclusives, omissions=omissions
    )


# ---------------------------------------------------------------- checks


def check_grounding(d: Dossier) -> list[str]:
    """Brief sentences and facts without support or not found in any sentence they cite."""
    problems: list[str] = []
    for i, b in enumerate(d.brief):
        if not b.support:
            problems.append(f"brief sentence {i} has no support: {b.text!r}")
        elif not any(b.text.strip() in s.text for s in b.support):
            problems.append(f"brief sentence {i} is not in any cited sentence: {b.text!r}")
    for i, f in enumerate(d.facts):
        if not f.support:
            problems.append(f"fact {i} has no support: {f.text!r}")
        elif not any(f.text.strip() in s.text for s in f.support):
            problems.append(f"fact {i} is not in any cited sentence: {f.text!r}")
    return problems
