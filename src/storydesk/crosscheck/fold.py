"""Folding a new article into a story's stored facts and quote groups, through indexes.

A story's first articles get the exact, all-pairs computation (``crosscheck``); every later
article is folded in: each alignable sentence looks up candidate facts through a term index
(its rarest words), is compared with a few members of the strongest candidates (the words and
embedding rules of ``crosscheck.align``), and joins the best fact or opens one. Quotations
find their group through the words of their comparison key. The work per article is bounded
by the constants below, whatever the size of the story.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck.align import (
    COMMON_SHARE,
    LEXICAL_OPEN,
    LEXICAL_SAME,
    LINK_FLOOR,
    MEAN_SAME,
    MIN_COMMON,
    OPENING,
    Unit,
    compatible,
    entity_words,
    pair_score,
    sentence_units,
)
from storydesk.crosscheck.claims import ClaimText, claim_text
from storydesk.crosscheck.conflicts import FINDERS, ConflictInput
from storydesk.crosscheck.facts import CONFLICT_SAME
from storydesk.crosscheck.precision import counts_differ
from storydesk.crosscheck.quotes import (
    QUOTE_SAME,
    Occurrence,
    inside_quote,
    quote_key,
    same_quote,
)
from storydesk.crosscheck.quotes import occurrences as quote_occurrences
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Fact
from storydesk.model_state import FactMember, QuoteMember

FOLD_TERMS = 8  # a sentence's rarest words looked up in the term index
FOLD_POSTINGS = 200  # facts read per word (the first ones by number)
FOLD_CANDIDATES = 12  # facts a sentence is compared with, most shared idf weight first
FOLD_MEMBERS = 4  # members of a candidate fact a sentence is compared with (first joined)
CONFLICT_MEMBERS = 2  # members of the joined fact a sentence is checked for conflicts with
QUOTE_TERMS = 6  # a quotation's rarest words looked up in the quote index
QUOTE_POSTINGS = 200  # quote groups read per word
QUOTE_MEMBERS = 4  # occurrences of a candidate group a quotation is compared with
FACT_KINDS = (
    ConflictKind.NUMBER,
    ConflictKind.DATE,
    ConflictKind.MODALITY,
    ConflictKind.MEMBERS,
    ConflictKind.EARLIER_REPORT,
)

Vector = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], Mapping[str, Vector] | None]  # None: no model
Load = Callable[[Sequence[int]], Sequence[AnalyzedArticle]]


class FactIndex(Protocol):
    """What the fold reads of a story's stored facts."""

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]: ...

    def fact_postings(self, term: str, limit: int) -> list[int]: ...

    def fact_members(self, fact: int, limit: int) -> list[FactMember]: ...


class QuoteIndex(Protocol):
    """What the fold reads of a story's stored quote groups."""

    def quote_df(self, terms: Sequence[str]) -> dict[str, int]: ...

    def quote_postings(self, term: str, limit: int) -> list[int]: ...

    def quote_bag(self, group: int, terms: Sequence[str]) -> tuple[frozenset[str], int]: ...

    def quote_members(self, group: int, limit: int) -> list[QuoteMember]: ...


@dataclass(frozen=True)
class FactFold:
    """What one article adds to a story's facts."""

    facts: tuple[tuple[int, str], ...]  # facts it opens: number and wording
    members: tuple[FactMember, ...]  # its sentences, each in the fact it joined or opened
    conflicts: tuple[Conflict, ...]  # its sentences' disagreements with the facts they joined


def article_members(article: AnalyzedArticle, fact_of: Mapping[int, int]) -> list[FactMember]:
    """An article's alignable sentences as fact members (``fact_of``: sentence -> fact)."""
    out: list[FactMember] = []
    for u in sentence_units([article]):
        if u.sentence in fact_of:
            out.append(_member(article, u, fact_of[u.sentence]))
    return out


def _member(article: AnalyzedArticle, u: Unit, fact: int) -> FactMember:
    """One sentence as a stored fact member."""
    return FactMember(
        fact=fact,
        article=article.id,
        sentence=u.sentence,
        text=article.sentences[u.sentence].text,
        words=tuple(sorted(u.words)),
        entities=tuple(sorted(u.entities)),
        speakers=tuple(sorted(u.speakers)),
        quoted=inside_quote(article, u.sentence),
        outlet=article.article.outlet,
    )


def core_members(
    articles: Sequence[AnalyzedArticle], facts: Sequence[Fact]
) -> tuple[list[tuple[int, str]], list[FactMember]]:
    """The exact core's facts as stored rows: numbered in their order, with their members."""
    by_id = {a.id: a for a in articles}
    fact_of: dict[int, dict[int, int]] = {}
    for n, fact in enumerate(facts):
        for s in fact.support:
            fact_of.setdefault(s.article, {})[s.sentence] = n
    members = [m for a in articles for m in article_members(by_id[a.id], fact_of.get(a.id, {}))]
    return [(n, f.text) for n, f in enumerate(facts)], members


def fold_facts(
    article: AnalyzedArticle,
    index: FactIndex,
    units_before: int,
    next_fact: int,
    embed: Embed,
    load: Load,
) -> FactFold:
    """Fold one article's sentences into the stored facts (state in, rows out)."""
    units = sentence_units([article])
    if not units:
        return FactFold((), (), ())
    df = index.doc_freq(sorted({w for u in units for w in u.words}))
    n = max(units_before, 1)
    floor = max(MIN_COMMON, COMMON_SHARE * n)

    def weight(term: str) -> float:
        return math.log((1 + n) / (1 + df.get(term, 0))) + 1.0

    members: dict[int, list[FactMember]] = {}
    pairs: list[tuple[int, int, FactMember, float]] = []  # unit, fact, member, lexical
    for k, u in enumerate(units):
        for fact in _candidates(u, df, weight, index):
            if fact not in members:
                members[fact] = index.fact_members(fact, FOLD_MEMBERS)
            for m in members[fact]:
                pairs.append((k, fact, m, _lexical(u, m, df, floor, weight)))
    texts = [article.sentences[u.sentence].text for u in units]
    scores = _scores(pairs, units, texts, embed)
    joined = _join(pairs, scores)
    out_members: list[FactMember] = []
    opened: list[tuple[int, str]] = []
    conflicts: list[Conflict] = []
    for k, u in enumerate(units):
        if k in joined:
            fact = joined[k]
            out_members.append(_member(article, u, fact))
            conflicts += _conflicts(article, u, members[fact][:CONFLICT_MEMBERS], load)
        else:
            fact = next_fact + len(opened)
            opened.append((fact, texts[k]))
            out_members.append(_member(article, u, fact))
    return FactFold(tuple(opened), tuple(out_members), tuple(conflicts))


def _candidates(
    u: Unit, df: Mapping[str, int], weight: Callable[[str], float], index: FactIndex
) -> list[int]:
    """Facts sharing the sentence's rarest words, most shared idf weight first."""
    rare = sorted(u.words, key=lambda w: (df.get(w, 0), w))[:FOLD_TERMS]
    shared: dict[int, float] = {}
    for term in rare:
        if not df.get(term):
            continue
        for fact in index.fact_postings(term, FOLD_POSTINGS):
            shared[fact] = shared.get(fact, 0.0) + weight(term)
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
    return [fact for fact, _ in ranked[:FOLD_CANDIDATES]]


def _lexical(
    u: Unit,
    m: FactMember,
    df: Mapping[str, int],
    floor: float,
    weight: Callable[[str], float],
) -> float:
    """Idf-weighted Dice of two sentences under ``align.lexical_similarity``'s rules."""
    other = Unit(0, m.sentence, frozenset(m.words), frozenset(m.entities), frozenset(m.speakers))
    if not compatible(u, other, entity_words(u.entities), entity_words(other.entities)):
        return 0.0
    words = frozenset(m.words)
    shared = u.words & words
    ledes = u.sentence < OPENING and m.sentence < OPENING
    if not ledes and not any(df.get(w, 0) < floor for w in shared):
        return 0.0  # only the story's common words in common
    size = sum(map(weight, u.words)) + sum(map(weight, words))
    return 2.0 * sum(map(weight, shared)) / size if size else 0.0


def _scores(
    pairs: Sequence[tuple[int, int, FactMember, float]],
    units: Sequence[Unit],
    texts: Sequence[str],
    embed: Embed,
) -> list[float]:
    """'Same fact' scores of the pairs: words for clear pairs, embeddings for open ones."""
    open_texts = sorted(
        {
            t
            for k, _, m, lex in pairs
            if lex >= LEXICAL_OPEN and texts[k] != m.text
            for t in (texts[k], m.text)
        }
    )
    vectors = embed(open_texts) if open_texts else {}
    claims: dict[str, ClaimText] = {}

    def claim(text: str) -> ClaimText:
        if text not in claims:
            claims[text] = claim_text(text)
        return claims[text]

    out: list[float] = []
    for k, _, m, lex in pairs:
        if vectors is None:
            score = 0.5 + lex / 2 if lex >= LEXICAL_SAME else lex
        elif lex < LEXICAL_OPEN:
            score = 0.0
        else:
            same = texts[k] == m.text
            cos = 1.0 if same else float(np.dot(vectors[texts[k]], vectors[m.text]))
            lede = units[k].sentence == 0 and m.sentence == 0
            score = pair_score(claim(texts[k]), claim(m.text), lex, cos, lede)
        if 0.5 <= score < CONFLICT_SAME and counts_differ(texts[k], m.text):
            score = 0.0  # weakly aligned and giving one count different values: two facts
        out.append(score)
    return out


def _join(
    pairs: Sequence[tuple[int, int, FactMember, float]], scores: Sequence[float]
) -> dict[int, int]:
    """Sentence -> the fact it joins: best mean score >= MEAN_SAME with every compared member
    at LINK_FLOOR or more (complete link), one sentence per fact."""
    by: dict[tuple[int, int], list[float]] = {}
    for (k, fact, _, _), score in zip(pairs, scores, strict=True):
        by.setdefault((k, fact), []).append(score)
    ranked = sorted(
        (
            (sum(v) / len(v), k, fact)
            for (k, fact), v in by.items()
            if max(v) >= 0.5 and min(v) >= LINK_FLOOR
        ),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    joined: dict[int, int] = {}
    taken: set[int] = set()
    for mean, k, fact in ranked:
        if mean < MEAN_SAME or k in joined or fact in taken:
            continue
        joined[k] = fact
        taken.add(fact)
    return joined


def _conflicts(
    article: AnalyzedArticle, u: Unit, members: Sequence[FactMember], load: Load
) -> list[Conflict]:
    """Disagreements of a new sentence with the first members of the fact it joined."""
    others = list(load(sorted({m.article for m in members})))
    position = {a.id: i for i, a in enumerate(others)}
    units = [
        Unit(position[m.article], m.sentence, frozenset(m.words), frozenset(m.entities),
             frozenset(m.speakers))
        for m in members
        if m.article in position
    ]  # fmt: skip
    mine = Unit(len(others), u.sentence, u.words, u.entities, u.speakers)
    story = ConflictInput([*others, article], ([*units, mine],))
    found = [c for kind in FACT_KINDS for c in FINDERS[kind](story)]
    return [c for c in found if any(s.article == article.id for s in c.support)]


def core_quotes(
    articles: Sequence[AnalyzedArticle], groups: Sequence[Sequence[Occurrence]]
) -> list[QuoteMember]:
    """The exact core's quote groups as stored rows, numbered in first-seen order."""
    return [
        quote_member(articles[o.article], o, g) for g, members in enumerate(groups) for o in members
    ]


def quote_member(article: AnalyzedArticle, o: Occurrence, group: int) -> QuoteMember:
    """One occurrence as a stored quote-group member."""
    return QuoteMember(
        group=group,
        article=article.id,
        sentence=o.sentence,
        text=o.text,
        speaker=o.speaker,
        unnamed=o.unnamed,
        context=article.sentences[o.sentence].text,
        outlet=article.article.outlet,
        words=tuple(sorted(set(quote_key(o.text).split()))),
    )


def fold_quotes(
    article: AnalyzedArticle, index: QuoteIndex, next_group: int
) -> tuple[QuoteMember, ...]:
    """Fold one article's quotations into the stored quote groups (first match by number)."""
    out: list[QuoteMember] = []
    added: dict[int, set[str]] = {}  # words this article added to a group
    members: dict[int, list[Occurrence]] = {}  # first occurrences of the groups looked at
    for o in quote_occurrences([article]):
        key = quote_key(o.text)
        words = set(key.split())
        df = index.quote_df(sorted(words))
        candidates = set(added)
        for term in sorted(words, key=lambda w: (df.get(w, 0), w))[:QUOTE_TERMS]:
            if df.get(term):
                candidates.update(index.quote_postings(term, QUOTE_POSTINGS))
        found = None
        for group in sorted(candidates):
            if group not in members:
                stored = index.quote_members(group, QUOTE_MEMBERS)
                members[group] = [
                    Occurrence(0, m.sentence, m.text, m.speaker, m.unnamed) for m in stored
                ]
            if same_quote(key, words, set(), members[group][:QUOTE_MEMBERS]) or (
                _bag_share(index, group, words, added.get(group, set())) >= QUOTE_SAME
            ):
                found = group
                break
        if found is None:
            found = max([next_group - 1, *added]) + 1
            members[found] = []
        added.setdefault(found, set()).update(words)
        members[found].append(o)
        out.append(quote_member(article, o, found))
    return tuple(out)


def _bag_share(index: QuoteIndex, group: int, words: set[str], added: set[str]) -> float:
    """Word Jaccard of a quotation with a group's words (``quotes.same_quote``'s last test)."""
    stored, size = index.quote_bag(group, sorted(words | added))
    shared = len(words & (stored | added))
    union = len(words) + size + len(added - stored) - shared
    return shared / union if union else 0.0
