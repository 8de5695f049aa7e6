"""Dossier: brief, quote book, timeline, who's who and coverage for one story.

Everything is assembled from the articles, lineage, facts and conflicts given; every item
that states something carries the source sentences it rests on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence

from storydesk.cluster.score import central_article
from storydesk.crosscheck.facts import dedupe_supports, independent_groups
from storydesk.crosscheck.quotes import (
    Occurrence,
    group_quotes,
    inside_quote,
    occurrences,
    quote_key,
    relays,
    speaker_groups,
    wording_classes,
)
from storydesk.dossier.trim import made_by_deletion, trim_sentence
from storydesk.dossier.whoswho import whos_who
from storydesk.model import (
    AnalyzedArticle,
    ArticleRef,
    BriefSentence,
    Conflict,
    Coverage,
    Dossier,
    EntityEntry,
    Fact,
    Lineage,
    QuoteEntry,
    Support,
    TimelineEntry,
)
from storydesk.options import Options
from storydesk.text.features import (
    content_words,
    cosine,
    dice,
    idf,
    published_date,
    sentence_index,
    tfidf,
)

BRIEF_MIN = 5  # single-source facts fill the brief up to this many sentences
_LEADING_PRONOUNS = frozenset({"he", "she", "they", "it", "his", "her", "their", "its"})
BRIEF_MAX = 10
_OPENING_PHRASE = re.compile(  # an introductory phrase ("Posting on X,", "In May,") + subject
    r"^(?:\w+ing|in|on|at|after|before|during|later|earlier|asked|according to)\b"
    r"[^,\u201c\"]{0,60},\s+(he|she|they|it)\b",
    re.IGNORECASE,
)
BRIEF_REDUNDANT = 0.5  # content-word Dice above which a candidate repeats a chosen sentence
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
    people = whos_who(articles)
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
        quotes=tuple(named_as_in(quote_book(articles), people)),
        timeline=tuple(timeline(articles, published_date(first))),
        entities=tuple(people),
        coverage=coverage(facts),
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


def article_refs(articles: Sequence[AnalyzedArticle], lineage: Lineage) -> list[ArticleRef]:
    """One reference per article, with what it derives from and whom it credits."""
    # an undirected edge is listed on its ``derived`` side (the later-stored article)
    ids = {a.id for a in articles}
    refs: list[ArticleRef] = []
    for a in articles:
        sources = sorted({e.source for e in lineage.edges if e.derived == a.id and e.source in ids})
        meta = a.article
        cites: dict[str, str] = {}
        for credit in a.credits:
            if not _names_itself(credit.name, meta.outlet):
                cites.setdefault(credit.name.casefold(), credit.name)
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


def _names_itself(credit: str, outlet: str | None) -> bool:
    """True for a credit naming the article's own outlet ("told the Herald" in the Herald).

    Whole words only: "AP" does not name "The Japan Times"; a host outlet
    ("coastlineradio.example") is named by its first label ("Coastline Radio").
    """
    words = [w for w in re.findall(r"\w+", credit.casefold()) if w != "the"]
    if not words or not outlet:
        return False
    name = outlet.strip().casefold()
    if "." in name and " " not in name:
        labels = [label for label in name.split(".") if label != "www"]
        return bool(labels) and "".join(words) == labels[0]
    own = [w for w in re.findall(r"\w+", name) if w != "the"]
    return any(own[i : i + len(words)] == words for i in range(len(own) - len(words) + 1))


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
    shown = [trim_sentence(f.text) for f in facts]  # only words left out, never added
    # a sentence from inside a quotation reads as the outlet's own claim: filler at most
    by_id = {a.id: a for a in articles}
    quoted = [_from_quote(f, by_id) for f in facts]
    ranked = sorted(
        range(len(facts)),
        key=lambda i: (-facts[i].independent_sources, -central[i], -len(facts[i].support), i),
    )
    # sentences that read on their own come first; the others only fill a too-short brief
    alone = [_stands_alone(shown[i]) and not quoted[i] for i in range(len(facts))]
    ranked = [i for i in ranked if alone[i]] + [i for i in ranked if not alone[i]]
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= BRIEF_MAX:
            break
        if len(chosen) >= BRIEF_MIN and (facts[i].independent_sources < 2 or not alone[i]):
            continue
        if not _redundant(shown[i], (shown[j] for j in chosen)):
            chosen.append(i)
    picked = [(shown[i], facts[i].support) for i in chosen]
    extra = _conflict_sentence(
        facts, conflicts, [(facts[i].text, facts[i].support) for i in chosen]
    )
    if extra is not None:
        if len(picked) >= BRIEF_MAX:
            picked.pop()
        picked.append((trim_sentence(extra[0]), extra[1]))
    order = {a.id: k for k, a in enumerate(articles)}
    lead_id = lead.id if lead is not None else None
    picked.sort(key=lambda p: _position(p[1], lead_id, order))
    return [BriefSentence(text, support) for text, support in picked]


def _from_quote(fact: Fact, by_id: dict[int, AnalyzedArticle]) -> bool:
    """Whether a fact's sentence lies wholly inside a quotation in its article."""
    for s in fact.support:
        if s.text == fact.text and s.article in by_id:
            return inside_quote(by_id[s.article], s.sentence)
    return False


def _stands_alone(text: str) -> bool:
    """Whether a sentence reads on its own: balanced quotation marks, no leading pronoun."""
    if text.count("\u201c") != text.count("\u201d") or text.count('"') % 2:
        return False
    first = text.lstrip("\u201c\"' ").split(" ", 1)[0].lower()
    if first in _LEADING_PRONOUNS:
        return False
    # "Posting on Truth Social, he added ...": the subject after an opening phrase
    return _OPENING_PHRASE.match(text) is None


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
    """Quotes merged across articles (same, contained or near-identical wording)."""
    outlets = relays(articles)
    groups = group_quotes(occurrences(articles))
    book = link_fragments([_quote_entry(articles, g, outlets) for g in groups])
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


def _quote_entry(
    articles: Sequence[AnalyzedArticle], found: Sequence[Occurrence], relayed_by: frozenset[str]
) -> QuoteEntry:
    """One quote-book entry from its occurrences."""
    speakers = sorted(
        speaker_groups(found, relayed_by).values(), key=lambda v: -len({m.article for m in v[1]})
    )
    text = wording_classes(found)[0][0].text  # the most carried wording, longest first
    variants: dict[str, str] = {}
    for o in found:
        k = quote_key(o.text)
        if k != quote_key(text):
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
                support=dedupe_supports(s for _, s in hits),
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
    """Brief sentences and facts without support or not found in any sentence they cite (a
    brief sentence may be a cited sentence with words left out: trimmed)."""
    problems: list[str] = []
    for i, b in enumerate(d.brief):
        if not b.support:
            problems.append(f"brief sentence {i} has no support: {b.text!r}")
        elif not any(
            b.text.strip() in s.text or made_by_deletion(b.text, s.text) for s in b.support
        ):
            problems.append(f"brief sentence {i} is not in any cited sentence: {b.text!r}")
    for i, f in enumerate(d.facts):
        if not f.support:
            problems.append(f"fact {i} has no support: {f.text!r}")
        elif not any(f.text.strip() in s.text for s in f.support):
            problems.append(f"fact {i} is not in any cited sentence: {f.text!r}")
    return problems
