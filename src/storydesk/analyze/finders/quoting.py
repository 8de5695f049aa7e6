"""What quote attribution knows about one article: its blocks, entities, quotes and people."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from storydesk.analyze.finders.cues import SPEECH_LEMMAS
from storydesk.analyze.finders.entities import TITLES, EntityFindings
from storydesk.analyze.nlp import Block, Parsed
from storydesk.model import Entity

TITLE_KEYS = frozenset(k for k in TITLES.values() if k)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
PLATFORM_NOUNS = frozenset({"follower", "account", "page", "post", "feed", "profile", "message"})
# Links from a name up to the subject it is part of: "Ann Lee, the manager,", "a worker named X".
SUBJECT_PATH = frozenset({"compound", "flat", "appos", "oprd", "acl", "dobj"})
GENDER_WORDS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("he", "him", "his", "himself", "Mr"), "m"),
        **dict.fromkeys(("she", "her", "hers", "herself", "Mrs", "Ms", "Miss"), "f"),
    }
)
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+$")
_HONORIFIC_START = re.compile(r"(Mr|Mrs|Ms|Miss)\.?\s")


@dataclass(frozen=True)
class PersonMention:
    """A person named (or titled) outside quotes: a candidate for "he" and "she"."""

    start: int
    end: int
    name: str
    subject: bool


@dataclass(frozen=True)
class Context:
    """What attribution needs to know about one article."""

    text: str
    blocks: tuple[Block, ...]
    docs: tuple[Any, ...]
    entities: tuple[Entity, ...]
    quote_spans: tuple[tuple[int, int], ...]
    persons: tuple[PersonMention, ...]
    titled: Mapping[str, tuple[str, ...]]
    mentions: Mapping[str, int]
    quoted: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())  # union of quote spans: starts, ends
    roles: tuple[tuple[int, str, str], ...] = ()  # (offset, role noun, person): "X, the aide,"
    token_starts: tuple[tuple[int, ...], ...] = ()  # per block, each token's offset in it
    genders: Mapping[str, str] = field(default_factory=dict)  # person → "m" or "f", when told


def build_context(
    parsed: Parsed, findings: EntityFindings, quote_spans: tuple[tuple[int, int], ...]
) -> Context:
    """Index an article's blocks, entities, quotes and people for attribution."""
    mentions = Counter(e.canonical for e in findings.entities if e.label == "PERSON")
    titled: dict[str, list[str]] = {}
    for key, name in findings.titles:
        titled.setdefault(key, [])
        if name not in titled[key]:
            titled[key].append(name)
    context = Context(
        parsed.text,
        parsed.blocks,
        parsed.docs,
        findings.entities,
        quote_spans,
        (),
        {k: tuple(v) for k, v in titled.items()},
        mentions,
        _union(quote_spans),
        tuple(tuple(token.idx for token in doc) for doc in parsed.docs),
    )
    persons: list[PersonMention] = []
    roles: list[tuple[int, str, str]] = []
    # A name used anywhere as a place to post ("posted on Twitter") is no one's name in the
    # article: "describes herself on Twitter as …" does not make Twitter a "she".
    places = {
        e.canonical
        for e in findings.entities
        if e.label == "PERSON"
        and " " not in e.canonical  # "Twitter", "Gab"; not "Barack Obama" ("said on Obama's …")
        and _platform(token_at(context, e.end - 1))
    }
    for e in findings.entities:
        if e.label == "PERSON" and not in_quote(context, e.start):
            token = token_at(context, e.end - 1)
            if e.canonical in places:
                continue
            persons.append(PersonMention(e.start, e.end, e.canonical, is_subject(token)))
            roles.extend((e.start, noun, e.canonical) for noun in _role_nouns(token))
    surnames = _surnames(mentions)
    for index, doc in enumerate(parsed.docs):
        offset = parsed.blocks[index].start
        for token in doc:
            at = offset + token.idx
            if token.text in surnames and _alone(token) and entity_at(context, at) is None:
                if not in_quote(context, at):  # "Lauten" alone, a name the tagger missed
                    end = at + len(token.text)
                    persons.append(PersonMention(at, end, surnames[token.text], is_subject(token)))
                continue
            if (
                token.dep_ in SUBJECT_DEPS
                and token.lemma_.lower() in TITLE_KEYS
                and entity_at(context, at) is None
                and not in_quote(context, at)
            ):
                titled_name = titled_person(context, token)
                if titled_name is not None:
                    start = offset + token.left_edge.idx
                    persons.append(PersonMention(start, at, titled_name, True))
    persons.sort(key=lambda p: p.start)
    genders = _genders(context, findings.entities)
    return replace(context, persons=tuple(persons), roles=tuple(roles), genders=genders)


def _genders(context: Context, entities: tuple[Entity, ...]) -> dict[str, str]:
    """Whom the article calls "he" and whom "she", from "Mr.", "Mrs." and "Ms." before names."""
    votes: dict[str, Counter[str]] = {}
    for e in entities:
        if e.label != "PERSON" or in_quote(context, e.start):
            continue
        honorific = _HONORIFIC.search(context.text[max(0, e.start - 6) : e.start])
        honorific = honorific or _HONORIFIC_START.match(e.text)
        if honorific is not None:
            votes.setdefault(e.canonical, Counter())[GENDER_WORDS[honorific.group(1)]] += 1
    return {name: counts.most_common(1)[0][0] for name, counts in votes.items() if len(counts) == 1}


def _role_nouns(name: Any) -> list[str]:
    """Nouns that describe a named person: "X, the aide,", "the aide, X,", "aide X"."""
    nouns = [c for c in name.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    nouns += [c for n in nouns for c in n.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    if name.dep_ == "appos" and name.head.pos_ == "NOUN":
        nouns.append(name.head)
    nouns += [c for c in name.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
    return [n.lemma_.lower() for n in nouns]


def _surnames(mentions: Counter[str]) -> dict[str, str]:
    """Last name → the most mentioned person of the article with that last name."""
    out: dict[str, str] = {}
    for name, _ in mentions.most_common():
        words = name.split()
        if len(words) > 1 and words[-1][:1].isupper():
            out.setdefault(words[-1], name)
    return out


def _platform(token: Any) -> bool:
    """True for a name used as a place to post ("wrote on Twitter", "followers on Gab")."""
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in ("on", "via"):
        return False
    host = prep.head
    return host.lemma_.lower() in SPEECH_LEMMAS or host.lemma_.lower() in PLATFORM_NOUNS


def _alone(token: Any) -> bool:
    """True for a capitalised word standing for a person, not modifying a noun ("Trump aides")."""
    if not token.is_title or token.pos_ not in ("PROPN", "NOUN"):  # "Lauten" is often a NOUN
        return False
    return token.dep_ not in ("compound", "amod", "nmod") or token.head.pos_ == "PROPN"


def in_quote(context: Context, at: int) -> bool:
    """True when an article offset lies inside a quotation."""
    starts, ends = context.quoted
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and at < ends[i]


def quote_between(context: Context, start: int, end: int) -> bool:
    """True when a whole quotation lies between two article offsets."""
    starts, ends = context.quoted
    i = bisect.bisect_left(starts, start)
    return i < len(starts) and ends[i] <= end


def _union(spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Quote spans merged where they overlap, sorted: starts and ends for bisecting."""
    merged: list[list[int]] = []
    for a, b in sorted(s for s in spans if s[0] < s[1]):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple(m[0] for m in merged), tuple(m[1] for m in merged)


def entity_at(context: Context, at: int) -> Entity | None:
    """The entity mention covering an article offset, if any."""
    for e in context.entities:
        if e.start <= at < e.end:
            return e
        if e.start > at:
            break
    return None


def block_of(context: Context, at: int) -> int:
    """Index of the block holding an article offset."""
    return max(0, bisect.bisect_right([b.start for b in context.blocks], at) - 1)


def token_at(context: Context, at: int) -> Any:
    """The spaCy token covering an article offset."""
    index = block_of(context, at)
    doc, start = context.docs[index], context.blocks[index].start
    if not context.token_starts:  # a Context built without the index: scan
        return next((t for t in reversed(doc) if start + t.idx <= at), doc[0])
    i = bisect.bisect_right(context.token_starts[index], at - start) - 1
    return doc[max(i, 0)]


def people_between(context: Context, start: int, end: int) -> set[str]:
    """The people named (outside quotes) between two offsets."""
    return {p.name for p in context.persons if start <= p.start < end}


def titled_person(context: Context, head: Any) -> str | None:
    """The person in the article best known by a title ("the president")."""
    lemma = head.lemma_.lower()
    key = (
        "vice president"
        if lemma == "president" and any(c.lower_ == "vice" for c in head.children)
        else lemma
    )
    names = context.titled.get(key, ())
    if not names:
        return None
    return max(names, key=lambda n: context.mentions.get(n, 0))


def is_subject(token: Any) -> bool:
    """True when a name token is (part of) a clause's subject, or names the subject's noun."""
    # "Jay Reed, the club's manager, said", "a worker named Ann Lee has", "Lee's lawyer said"
    # (the name owns the subject) all count; a name in a phrase after a preposition does not.
    current = token
    for step in range(4):
        if current.dep_ in SUBJECT_DEPS:
            return True
        allowed = current.dep_ in SUBJECT_PATH or (step == 0 and current.dep_ == "poss")
        if not allowed or current.head.i == current.i:
            return _stands_for_subject(token)
        current = current.head
    return False


def _stands_for_subject(token: Any) -> bool:
    """True for the last person named before a main verb the parser left without a subject."""
    root = token.sent.root
    if token.i >= root.i or root.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ in SUBJECT_DEPS for c in root.children):
        return False
    return not any(t.ent_type_ == "PERSON" for t in token.doc[token.i + 1 : root.i])
