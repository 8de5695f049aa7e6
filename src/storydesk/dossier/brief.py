"""The brief: a story's best-supported, most central fact sentences, trimmed, in lead order.

A careful brief: a contested claim is never stated as settled. The main conflict is named
in a note that says who holds each side; a disputed fact enters only with the note of its
conflict, in its most hedged wording, and every sentence cites only the sentences that state
its claim (``dossier.grounding``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from storydesk.crosscheck.conflicts.modality import PREVIEW, STRENGTH, modality
from storydesk.crosscheck.evidence import dedupe_supports
from storydesk.crosscheck.quotes import inside_quote
from storydesk.dossier.grounding import note_text, states_claim
from storydesk.dossier.trim import trim_sentence
from storydesk.model import AnalyzedArticle, BriefSentence, Conflict, ConflictKind, Fact, Support
from storydesk.options import Options
from storydesk.text.features import content_words, cosine, dice, idf, tfidf

_LEADING_PRONOUNS = frozenset({"he", "she", "they", "it", "his", "her", "their", "its"})
_OPENING_PHRASE = re.compile(  # an introductory phrase ("Posting on X,", "In May,") + subject
    r"^(?:\w+ing|in|on|at|after|before|during|later|earlier|asked|according to)\b"
    r"[^,\u201c\"]{0,60},\s+(he|she|they|it)\b",
    re.IGNORECASE,
)
BRIEF_REDUNDANT = 0.5  # content-word Dice above which a candidate repeats a chosen sentence
MAX_NOTES = 2  # conflicts a brief names at most, the main one first


def brief(
    articles: Sequence[AnalyzedArticle],
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    lead: AnalyzedArticle | None,
    options: Options | None = None,
) -> list[BriefSentence]:
    """Best-supported, most central fact sentences in lead-article order, with conflict notes."""
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
    # single-source facts only fill the brief up to brief_min; a disputed fact enters only with
    # the note naming its conflict (the main conflict is always named), in its hedged wording
    settings = (options or Options()).dossier
    disputing = [c for c in conflicts if c.kind != ConflictKind.EARLIER_REPORT]
    touching = _touching(facts, disputing)
    wording = [
        _wording(f, [conflicts[k] for k in ks])
        for f, ks in zip(facts, _touching(facts, conflicts), strict=True)
    ]
    central = fact_centrality(facts)
    shown = [trim_sentence(w) for w in wording]  # only words left out, never added
    ranked = sorted(
        range(len(facts)),
        key=lambda i: (-facts[i].independent_sources, -central[i], -len(facts[i].support), i),
    )
    # sentences that read on their own come first; the others only fill a too-short brief
    alone = [
        _stands_alone(shown[i]) and not (quoted[i] and wording[i] == facts[i].text)
        for i in range(len(facts))
    ]
    ranked = [i for i in ranked if alone[i]] + [i for i in ranked if not alone[i]]
    main = _main_fact(facts, disputing)
    chosen: list[int] = [main] if main is not None else []
    noted: list[int] = [0] if disputing and disputing[0].support else []
    noted += [k for k in (touching[main] if main is not None else []) if k not in noted]
    for i in ranked:
        if len(chosen) + len(noted) >= settings.brief_max:
            break
        if i in chosen:
            continue
        if len(chosen) >= settings.brief_min and (facts[i].independent_sources < 2 or not alone[i]):
            continue
        new = [k for k in touching[i] if k not in noted]
        if len(noted) + len(new) > MAX_NOTES or (
            len(chosen) + 1 + len(noted) + len(new) > settings.brief_max
        ):
            continue  # a contested claim the brief has no room to name the conflict of
        if not _redundant(shown[i], (shown[j] for j in chosen)):
            chosen.append(i)
            noted += new
    chosen.sort(key=lambda i: _position(facts[i].support, lead_id, order))
    out: list[BriefSentence] = []
    told: set[int] = set()
    for i in chosen:
        cited = tuple(s for s in facts[i].support if states_claim(shown[i], s.text))
        out.append(BriefSentence(shown[i], cited))
        out += [_note(disputing[k]) for k in touching[i] if k in noted and k not in told]
        told.update(touching[i])
    out += [_note(disputing[k]) for k in noted if k not in told]
    return out


def _touching(facts: Sequence[Fact], conflicts: Sequence[Conflict]) -> list[list[int]]:
    """For each fact, the conflicts (indices, in rank order) that cite one of its sentences."""
    at: dict[tuple[int, int], list[int]] = {}
    for k, c in enumerate(conflicts):
        for s in c.support:
            at.setdefault((s.article, s.sentence), []).append(k)
    return [
        sorted({k for s in f.support for k in at.get((s.article, s.sentence), ())}) for f in facts
    ]


def _main_fact(facts: Sequence[Fact], disputing: Sequence[Conflict]) -> int | None:
    """The fact that holds the main conflict's most carried variant, when there is one."""
    carried = [v for v in disputing[0].variants if v.support] if disputing else []
    if not carried:
        return None
    variant = max(carried, key=lambda v: len({s.article for s in v.support}))
    spot = (variant.support[0].article, variant.support[0].sentence)
    return next(
        (i for i, f in enumerate(facts) if any((s.article, s.sentence) == spot for s in f.support)),
        None,
    )


def _wording(fact: Fact, conflicts: Sequence[Conflict]) -> str:
    """A fact's sentence for the brief, given the conflicts that cite it: for a status
    conflict, the sentence with the weakest status; for an earlier report, the later report;
    else the fact's own wording."""
    spots = {(s.article, s.sentence): s.text for s in fact.support}
    mine = [[s for s in c.support if (s.article, s.sentence) in spots] for c in conflicts]
    for c, found in zip(conflicts, mine, strict=True):
        if c.kind == ConflictKind.MODALITY and found:
            statuses = [
                (STRENGTH.get(m[0], 0), k) for k, s in enumerate(found) if (m := modality(s.text))
            ]
            if statuses:
                return found[min(statuses)[1]].text
    for c, found in zip(conflicts, mine, strict=True):
        if c.kind == ConflictKind.EARLIER_REPORT:
            later = [s for s in found if (m := modality(s.text)) and m[0] != PREVIEW]
            if later:
                return later[0].text
    return fact.text


def _note(conflict: Conflict) -> BriefSentence:
    """The brief's sentence naming a conflict and who holds each side, citing its sentences."""
    return BriefSentence(note_text(conflict), dedupe_supports(conflict.support))


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


def _position(
    support: Sequence[Support], lead_id: int | None, order: Mapping[int, int]
) -> tuple[int, int, int]:
    """Sort key: position in the lead article when it carries the sentence, else first seen."""
    for s in support:
        if s.article == lead_id:
            return (0, 0, s.sentence)
    first = min((order.get(s.article, len(order)), s.sentence) for s in support)
    return (1, *first)
