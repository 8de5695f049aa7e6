"""The brief: a story's best-supported, most central fact sentences, trimmed, in lead order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from storydesk.crosscheck.quotes import inside_quote
from storydesk.dossier.trim import trim_sentence
from storydesk.model import AnalyzedArticle, BriefSentence, Conflict, Fact, Support
from storydesk.options import Options
from storydesk.text.features import content_words, cosine, dice, idf, tfidf

_LEADING_PRONOUNS = frozenset({"he", "she", "they", "it", "his", "her", "their", "its"})
_OPENING_PHRASE = re.compile(  # an introductory phrase ("Posting on X,", "In May,") + subject
    r"^(?:\w+ing|in|on|at|after|before|during|later|earlier|asked|according to)\b"
    r"[^,\u201c\"]{0,60},\s+(he|she|they|it)\b",
    re.IGNORECASE,
)
BRIEF_REDUNDANT = 0.5  # content-word Dice above which a candidate repeats a chosen sentence


def brief(
    articles: Sequence[AnalyzedArticle],
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    lead: AnalyzedArticle | None,
    options: Options | None = None,
) -> list[BriefSentence]:
    """Best-supported, most central fact sentences in lead-article order, plus a conflict."""
    # a sentence from inside a quotation reads as the outlet's own claim: filler at most
    by_id = {a.id: a for a in articles}
    quoted = [_from_quote(f, by_id) for f in facts]
    order = {a.id: k for k, a in enumerate(articles)}
    lead_id = lead.id if lead is not None else None
    return brief_of(facts, quoted, conflicts, lead_id, order, options)


def brief_of(
    facts: Sequence[Fact],
    quoted: Sequence[bool],
    conflicts: Sequence[Conflict],
    lead_id: int | None,
    order: Mapping[int, int],
    options: Options | None = None,
) -> list[BriefSentence]:
    """The brief of facts whose sentences are or are not ``quoted``; ``order``: article order."""
    # single-source facts only fill the brief up to brief_min; the top conflict gets a
    # sentence when none of its sentences is in the brief yet
    settings = (options or Options()).dossier
    central = fact_centrality(facts)
    shown = [trim_sentence(f.text) for f in facts]  # only words left out, never added
    ranked = sorted(
        range(len(facts)),
        key=lambda i: (-facts[i].independent_sources, -central[i], -len(facts[i].support), i),
    )
    # sentences that read on their own come first; the others only fill a too-short brief
    alone = [_stands_alone(shown[i]) and not quoted[i] for i in range(len(facts))]
    ranked = [i for i in ranked if alone[i]] + [i for i in ranked if not alone[i]]
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= settings.brief_max:
            break
        if len(chosen) >= settings.brief_min and (facts[i].independent_sources < 2 or not alone[i]):
            continue
        if not _redundant(shown[i], (shown[j] for j in chosen)):
            chosen.append(i)
    picked = [(shown[i], facts[i].support) for i in chosen]
    extra = _conflict_sentence(
        facts, conflicts, [(facts[i].text, facts[i].support) for i in chosen]
    )
    if extra is not None:
        if len(picked) >= settings.brief_max:
            picked.pop()
        picked.append((trim_sentence(extra[0]), extra[1]))
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
    support: Sequence[Support], lead_id: int | None, order: Mapping[int, int]
) -> tuple[int, int, int]:
    """Sort key: position in the lead article when it carries the sentence, else first seen."""
    for s in support:
        if s.article == lead_id:
            return (0, 0, s.sentence)
    first = min((order.get(s.article, len(order)), s.sentence) for s in support)
    return (1, *first)
