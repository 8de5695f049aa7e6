"""Who said a quote: the speech cue near it, its subject, and what that mention refers to."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from storydesk.analyze.cues import FRAGMENT_LEMMAS, SPEECH_LEMMAS
from storydesk.analyze.entities import TITLES, EntityFindings, base_name
from storydesk.analyze.nlp import Block, Parsed
from storydesk.model import Entity, Quote, Span, Speaker

_DASH = re.compile(r"[ \t\xa0]*(?:[―—–]|--?)[ \t\xa0]*(?=[A-Z])")
_SIGNATURE = re.compile(r"[A-Z][\w.’'-]*(?:[ \xa0]+(?:[A-Z][\w.’'-]*|de|van|von|al))*")
NAME_REACH = 12  # tokens before a speech verb searched for its speaker when the parse has none
HE_SHE = frozenset({"he", "she", "him", "her"})
OTHER_PRONOUNS = frozenset({"i", "we", "they", "it", "you", "who", "that", "which", "this"})
TITLE_KEYS = frozenset(k for k in TITLES.values() if k)
GROUP_NOUNS = frozenset(
    {"government", "ministry", "department", "office", "embassy", "administration", "presidency",
     "cabinet", "military", "army", "police", "company", "firm", "campaign", "committee",
     "council", "agency", "party", "kremlin", "palace", "court", "board", "union", "spokesman",
     "spokeswoman", "spokesperson", "statement", "spokespeople", "group", "organization",
     "organisation", "foundation", "commission", "authority", "authorities", "coalition"}
)  # fmt: skip
VIA_NOUNS = frozenset(
    {"statement", "spokesman", "spokeswoman", "spokesperson", "spokespeople", "release",
     "letter", "post", "representative", "aide", "memo", "report"}
)  # fmt: skip
NP_LEFT = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "npadvmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl", "relcl", "ccomp", "prep"})
INDEFINITE = frozenset({"a", "an", "one", "some", "another", "several", "two", "three"})
# Speech verbs whose "on ..."/"in ..." phrase belongs to the cue ("wrote on his platform").
PREP_CUE_LEMMAS = frozenset({"say", "write", "post", "tweet", "tell", "add", "state", "announce"})


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
    )
    persons: list[PersonMention] = []
    for e in findings.entities:
        if e.label == "PERSON" and not in_quote(context, e.start):
            token = token_at(context, e.end - 1)
            persons.append(PersonMention(e.start, e.end, e.canonical, _is_subject(token)))
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
                titled_name = _titled_person(context, token)
                if titled_name is not None:
                    start = offset + token.left_edge.idx
                    persons.append(PersonMention(start, at, titled_name, True))
    persons.sort(key=lambda p: p.start)
    return replace(context, persons=tuple(persons))


def in_quote(context: Context, at: int) -> bool:
    """True when an article offset lies inside a quotation."""
    return any(a <= at < b for a, b in context.quote_spans)


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
    best = doc[0]
    for token in doc:
        if start + token.idx > at:
            break
        best = token
    return best


def people_between(context: Context, start: int, end: int) -> set[str]:
    """The people named (outside quotes) between two offsets."""
    return {p.name for p in context.persons if start <= p.start < end}


def attribute(
    context: Context, block_index: int, quote: Quote, fragment: bool
) -> tuple[Speaker | None, Span | None]:
    """The speaker mention and speech cue for one quote, from the parse around it."""
    block, doc = context.blocks[block_index], context.docs[block_index]
    qs, qe = quote.start - block.start, quote.end - block.start
    verb = _find_cue(context, block, doc, qs, qe, FRAGMENT_LEMMAS if fragment else SPEECH_LEMMAS)
    if verb is None and not fragment:
        verb = _colon_verb(context, block, doc, qs)
    if verb is None:
        return (None, None) if fragment else _dash_signed(context, block, qe)
    if verb.lower_ == "according":
        return according_to(context, block, verb)
    cue = cue_span(context, block, verb, qs, qe)
    subject = subject_of(verb, lambda t: not in_quote(context, block.start + t.idx))
    if subject is None:
        subject = nearby_name(context, block, verb)
    if subject is None:
        return None, cue
    return speaker_at(context, block, subject, quote.start), cue


def _colon_verb(context: Context, block: Block, doc: Any, qs: int) -> Any:
    """The main verb of a clause that introduces the quote with a colon ("… message: “…”")."""
    if not block.text[:qs].rstrip().endswith(":"):
        return None
    colon = block.text[:qs].rstrip()
    for token in doc:
        if token.idx == len(colon) - 1:
            root = token.sent.root
            at = block.start + root.idx
            if root.pos_ in ("VERB", "AUX") and not in_quote(context, at):
                return root
    return None


def _dash_signed(context: Context, block: Block, qe: int) -> tuple[Speaker | None, Span | None]:
    """A quote signed after a dash ("… .” ― Jacklyn Ashley"): the name and the dash."""
    dash = _DASH.match(block.text, qe)
    if dash is None:
        return None, None
    at = block.start + dash.end()
    mark = block.start + dash.start() + len(dash.group()) - len(dash.group().lstrip(" \t\xa0"))
    end_mark = mark + len(dash.group().strip(" \t\xa0"))
    cue = Span(mark, end_mark, context.text[mark:end_mark])
    entity = entity_at(context, at)
    if entity is not None and entity.start == at and entity.label in ("PERSON", "ORG"):
        return Speaker(entity.canonical, entity.start, entity.end, entity.text), cue
    name = _SIGNATURE.match(block.text, dash.end())
    if name is None:
        return None, None
    end = at + len(name.group())
    return Speaker(name.group(), at, end, context.text[at:end]), cue


def _find_cue(
    context: Context, block: Block, doc: Any, qs: int, qe: int, lemmas: frozenset[str]
) -> Any:
    """The speech verb nearest the quote in its sentences (then the ones around them)."""
    sents = list(doc.sents)
    core = [i for i, s in enumerate(sents) if s.start_char < qe and s.end_char > qs]
    if not core:
        return None
    extra: list[int] = []
    first, last = core[0], core[-1]
    if first > 0 and sents[first - 1].text.rstrip().endswith(":"):
        extra.append(first - 1)
    if last + 1 < len(sents) and sents[last].end_char <= qe + 2:
        nxt = sents[last + 1]
        if nxt[0].is_lower or len(nxt) <= 8:
            extra.append(last + 1)
    for group in (core, extra):
        best, best_distance = None, 1 << 30
        for i in group:
            for token in sents[i]:
                if in_quote(context, block.start + token.idx) or not _is_cue(token, lemmas):
                    continue
                end = token.idx + len(token)
                distance = qs - end if end <= qs else max(0, token.idx - qe)
                if distance < best_distance:
                    best, best_distance = token, distance
        if best is not None:
            return best
    return None


def _is_cue(token: Any, lemmas: frozenset[str]) -> bool:
    """True for a speech verb (or the "according" of "according to")."""
    if token.lower_ == "according":
        return bool(token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to")
    return bool(
        token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lemmas and token.dep_ != "amod"
    )


def cue_span(context: Context, block: Block, verb: Any, qs: int, qe: int) -> Span:
    """The verb plus what belongs to the act of saying ("told reporters", "wrote on X")."""
    end = verb.idx + len(verb)
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.i <= verb.i or qs <= child.idx < qe:
            continue
        if child.dep_ == "prt" or (child.dep_ in ("dobj", "dative") and lemma in ("tell", "ask")):
            end = max(end, _np_end(child))
        elif (
            child.dep_ == "prep"
            and child.lower_ in ("on", "in", "via")
            and (lemma in PREP_CUE_LEMMAS)
        ):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and child.i == verb.i + 1:
                end = max(end, _np_end(objects[0]))
    if verb.idx < qe and end > qs:
        end = verb.idx + len(verb)
    start = block.start + verb.idx
    return Span(start, block.start + end, context.text[start : block.start + end])


def _np_end(token: Any) -> int:
    """End (in its block) of a noun phrase headed by ``token``, without clauses after it."""
    end = token.idx + len(token)
    for child in token.children:
        if child.i > token.i and child.dep_ in ("compound", "flat", "nummod", "case"):
            end = max(end, child.idx + len(child))
    return int(end)


def subject_of(verb: Any, outside: Callable[[Any], bool]) -> Any:
    """The subject (outside quotes) of a speech verb, climbing out of participles and conjuncts."""
    current = verb
    for _ in range(4):
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS and outside(c)]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("who", "that", "which") and current.dep_ == "relcl":
                return current.head
            return subject
        if current.dep_ not in CLIMB_DEPS or current.head.i == current.i:
            return None
        current = current.head
    return None


def nearby_name(context: Context, block: Block, verb: Any) -> Any:
    """A name or pronoun right after (inverted "said Trump") or right before the verb."""
    doc = verb.doc
    after = range(verb.i + 1, min(len(doc), verb.i + 4))
    before = []  # back to a closing quotation mark: "“…,” Flynn, a top surrogate, said"
    for i in range(verb.i - 1, max(-1, verb.i - NAME_REACH), -1):
        if in_quote(context, block.start + doc[i].idx):
            break
        before.append(i)
    near, far = before[:2], before[2:][::-1]
    for i in [*after, *near, *far]:
        token = doc[i]
        at = block.start + token.idx
        if in_quote(context, at):
            continue
        entity = entity_at(context, at)
        if entity is not None and entity.label in ("PERSON", "ORG"):
            return token
        if token.lower_ in HE_SHE:
            return token
    return None


def speaker_at(context: Context, block: Block, head: Any, quote_start: int) -> Speaker:
    """The mention around a subject token and the name it resolves to."""
    at = block.start + head.idx
    entity = entity_at(context, at)
    if entity is not None:
        return Speaker(entity.canonical, entity.start, entity.end, entity.text)
    start = min(
        [head.idx] + [c.left_edge.idx for c in head.children if c.i < head.i and c.dep_ in NP_LEFT]
    )
    a, b = block.start + start, block.start + _np_end(head)
    word = head.lower_
    if word in HE_SHE:
        name = resolve_pronoun(context, min(a, quote_start))
    elif word in OTHER_PRONOUNS:
        name = None
    else:
        name = _resolve_nominal(context, head, a)
    return Speaker(name, a, b, context.text[a:b])


def resolve_pronoun(context: Context, before: int) -> str | None:
    """The person "he" or "she" most likely means: the latest sentence naming one, its subject."""
    candidates = [p for p in context.persons if p.end <= before]
    if not candidates:
        return None
    last = candidates[-1]
    sentence = _sentence_range(context, last.start)
    same = [p for p in candidates if sentence[0] <= p.start < sentence[1]]
    subjects = [p for p in same if p.subject]
    return (subjects[0] if subjects else same[-1]).name


def _sentence_range(context: Context, at: int) -> tuple[int, int]:
    """Article offsets of the parser's sentence holding an offset."""
    index = block_of(context, at)
    doc, start = context.docs[index], context.blocks[index].start
    for sent in doc.sents:
        if start + sent.start_char <= at < start + sent.end_char:
            return start + sent.start_char, start + sent.end_char
    return at, at + 1


def _resolve_nominal(context: Context, head: Any, start: int) -> str | None:
    """A name for "the president", "the Kazakh government", "a statement from the ministry"."""
    lemma = head.lemma_.lower()
    determiners = {c.lower_ for c in head.children if c.dep_ == "det"}
    if determiners & INDEFINITE and lemma not in VIA_NOUNS:
        return None
    if lemma in VIA_NOUNS:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "of", "for", "by"):
                for obj in prep.children:
                    entity = entity_at(context, _block_start_of(context, obj) + obj.idx)
                    if entity is not None:
                        return entity.canonical
    if lemma in TITLE_KEYS and not determiners & INDEFINITE:
        return _titled_person(context, head)
    if lemma in GROUP_NOUNS:
        return _group_name(context, head, start)
    return None


def _block_start_of(context: Context, token: Any) -> int:
    """Article offset of the block whose Doc holds a token."""
    for index, doc in enumerate(context.docs):
        if doc is token.doc:
            return context.blocks[index].start
    return 0


def _titled_person(context: Context, head: Any) -> str | None:
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


def _group_name(context: Context, head: Any, start: int) -> str | None:
    """A named group ("Kazakh government") for this noun phrase or an earlier one like it."""
    named = _named_group(context, head, _block_start_of(context, head))
    if named is not None:
        return named
    latest = None
    lemma = head.lemma_.lower()
    for block, doc in zip(context.blocks, context.docs, strict=True):
        for token in doc:
            at = block.start + token.idx
            if at >= start:
                return latest
            same_noun = token.lemma_.lower() == lemma and token.pos_ in ("NOUN", "PROPN")
            if same_noun and not in_quote(context, at):
                latest = _named_group(context, token, block.start) or latest
    return latest


def _named_group(context: Context, head: Any, offset: int) -> str | None:
    """The group's name when the noun is or carries a named entity ("Kazakh government")."""
    own = entity_at(context, offset + head.idx)
    if own is not None:
        return own.canonical if own.label == "ORG" else None
    for child in head.children:
        if child.i < head.i and child.dep_ in ("amod", "compound", "poss", "nmod"):
            entity = entity_at(context, offset + child.idx)
            if entity is not None and entity.label in ("NORP", "GPE", "ORG", "LOC"):
                return f"{base_name(entity.canonical)} {head.text}"
    return None


def _is_subject(token: Any) -> bool:
    """True when a name token is (part of) a clause's subject."""
    current = token
    for _ in range(3):
        if current.dep_ in SUBJECT_DEPS:
            return True
        if current.dep_ not in ("compound", "flat", "appos") or current.head.i == current.i:
            return False
        current = current.head
    return False


def according_to(context: Context, block: Block, verb: Any) -> tuple[Speaker | None, Span | None]:
    """Speaker and cue for "..., according to X"."""
    to = verb.doc[verb.i + 1]
    start = block.start + verb.idx
    end = block.start + to.idx + len(to)
    cue = Span(start, end, context.text[start:end])
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None, cue
    obj = objects[0]
    for token in obj.subtree:
        entity = entity_at(context, block.start + token.idx)
        if entity is not None and entity.label in ("PERSON", "ORG", "GPE", "NORP"):
            return Speaker(entity.canonical, entity.start, entity.end, entity.text), cue
    return speaker_at(context, block, obj, start), cue
