"""What quote attribution knows about one article: its blocks, entities, quotes and people."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from storydesk.analyze.finders.entities import TITLES, EntityFindings
from storydesk.analyze.nlp import Block, Parsed
from storydesk.model import Entity

TITLE_KEYS = frozenset(k for k in TITLES.values() if k)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


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
    token_starts: tuple[tuple[int, ...], ...] = ()  # per block, each token's offset in it


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
    for e in findings.entities:
        if e.label == "PERSON" and not in_quote(context, e.start):
            token = token_at(context, e.end - 1)
            persons.append(PersonMention(e.start, e.end, e.canonical, is_subject(token)))
    for index, doc in enumerate(parsed.docs):
        offset = parsed.blocks[index].start
        for token in doc:
            at = offset + token.idx
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
    return replace(context, persons=tuple(persons))


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
    """True when a name token is (part of) a clause's subject."""
    current = token
    for _ in range(3):
        if current.dep_ in SUBJECT_DEPS:
            return True
        if current.dep_ not in ("compound", "flat", "appos") or current.head.i == current.i:
            return False
        current = current.head
    return False
