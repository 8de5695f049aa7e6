"""Who "he", "she" or "the aide" is: the person a pronoun or description in a cue refers to."""

from __future__ import annotations

import re
from typing import Any

from storydesk.analyze.finders.quoting import (
    GENDER_WORDS,
    SUBJECT_DEPS,
    Context,
    PersonMention,
    block_of,
    token_at,
)
from storydesk.model import Speaker

HE_SHE = frozenset({"he", "she", "him", "her"})
_NAME_JUNK = re.compile(r"[\[\]{}()“”\"«»]|(?<!\w)['‘’]|['‘’](?!\w)")
_NAME_EDGES = " ,;:!?-–—/"
SUBJECT_REACH = 3  # earlier sentences naming people searched for a subject "he" can mean
PARAGRAPH_REACH = 2  # … in the pronoun's paragraph and the ones just before it


def resolve_pronoun(
    context: Context, before: int, said: tuple[PersonMention, ...] = (), pronoun: str = ""
) -> str | None:
    """The person "he" or "she" most likely means: the subject of a recent sentence naming one."""
    # A person named earlier in the pronoun's own sentence comes first, unless the pronoun's
    # clause holds the name ("Of Obama, he said"). Then subjects are preferred to people only
    # mentioned ("… his wife, an aide to X. “…,” he said" means the one who spoke before, not
    # X), within the last few paragraphs; the speakers already credited (``said``) count as
    # subjects. With no subject there, the latest person named is taken.
    # A person the article calls "she" is not the "he" of a cue ("Vieira … asked Trump. He …").
    gender = GENDER_WORDS.get(pronoun.lower())
    candidates = sorted(
        (
            p
            for p in (*context.persons, *said)
            if p.end <= before and (gender is None or context.genders.get(p.name, gender) == gender)
        ),
        key=lambda p: p.start,
    )
    if not candidates:
        return None
    latest = candidates[-1]
    own = _sentence_range(context, before)
    here = [p for p in candidates if p.start >= own[0] and not _bound(context, p, before)]
    if here:
        subjects = [p for p in here if p.subject]
        return (subjects[0] if subjects else here[-1]).name
    first_block = block_of(context, before) - PARAGRAPH_REACH
    candidates = [p for p in candidates if p.start < own[0]]
    earlier = candidates[-1] if candidates else None
    for _ in range(SUBJECT_REACH):
        if not candidates or block_of(context, candidates[-1].start) < first_block:
            break
        sentence = _sentence_range(context, candidates[-1].start)
        same = [p for p in candidates if p.start >= sentence[0]]
        candidates = candidates[: len(candidates) - len(same)]
        subjects = [p for p in same if p.subject]
        if subjects:
            return subjects[0].name
    return (earlier or latest).name


def _bound(context: Context, person: PersonMention, pronoun: int) -> bool:
    """True when a name sits in the pronoun's own clause ("Of X, he said", "He told X that")."""
    token, name = token_at(context, pronoun), token_at(context, person.start)
    if token.doc is not name.doc or token.dep_ not in SUBJECT_DEPS:
        return False
    head = name
    while head.dep_ in ("compound", "flat") and head.head.i != head.i:
        head = head.head
    if head.dep_ == "pobj" and name.i < token.i:  # a fronted phrase: no verb in between
        return not any(t.pos_ in ("VERB", "AUX") for t in token.doc[name.i : token.i])
    verb = token.head
    return bool(verb.left_edge.i <= name.i <= verb.right_edge.i) and _clause_of(name) is verb


def _clause_of(token: Any) -> Any:
    """The nearest verb above a token (the clause it belongs to)."""
    current = token.head
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") or current.head.i == current.i:
            return current
        current = current.head
    return current


def pronoun_again(
    context: Context, speaker: Speaker | None, quote_start: int, said: tuple[PersonMention, ...]
) -> Speaker | None:
    """A "he"/"she" speaker resolved again with the speakers credited before it counted in."""
    if speaker is None or speaker.text.lower() not in HE_SHE or not said:
        return speaker
    name = resolve_pronoun(context, min(speaker.start, quote_start), said, speaker.text)
    return Speaker(name, speaker.start, speaker.end, speaker.text)


def clean_name(name: str) -> str:
    """A name without brackets, quotation marks or stray punctuation ("Barack] Obama")."""
    cleaned = _NAME_JUNK.sub("", name)
    cleaned = " ".join(cleaned.split()).strip(_NAME_EDGES)
    if cleaned.endswith(".") and len(cleaned.split()[-1]) > 4:  # not "Jr." or "J."
        cleaned = cleaned[:-1]
    return cleaned or name


def _sentence_range(context: Context, at: int) -> tuple[int, int]:
    """Article offsets of the parser's sentence holding an offset."""
    index = block_of(context, at)
    doc, start = context.docs[index], context.blocks[index].start
    for sent in doc.sents:
        if start + sent.start_char <= at < start + sent.end_char:
            return start + sent.start_char, start + sent.end_char
    return at, at + 1


def described(context: Context, noun: str, start: int) -> str | None:
    """The person described by a role noun in the paragraphs just before ("X, the aide,")."""
    first = context.blocks[max(0, block_of(context, start) - PARAGRAPH_REACH)].start
    described = [name for at, role, name in context.roles if role == noun and first <= at < start]
    return described[-1] if described else None
