"""Indirect attributions: "X said that ...", "..., officials said", "according to X, ..."."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from storydesk.analyze.finders import quoting, referents, speakers, speechverbs
from storydesk.analyze.finders.cues import REPORT_LEMMAS
from storydesk.analyze.nlp import Block
from storydesk.model import Attribution, AttributionKind, Quote, Span

CONTENT_DEPS = frozenset({"ccomp"})
MIN_CONTENT_WORDS = 3
_TRIM = " \t,.;:—–-"


def find_attributions(
    context: quoting.Context, quotes: tuple[Quote, ...]
) -> tuple[Attribution, ...]:
    """Every reported claim outside direct quotes, with its source, cue and content."""
    out: list[Attribution] = []
    for block, doc in zip(context.blocks, context.docs, strict=True):
        if not doc.has_annotation("DEP"):
            continue
        for token in doc:
            at = block.start + token.idx
            if quoting.in_quote(context, at):
                continue
            if token.lower_ == "according" and token.i + 1 < len(doc):
                found = _according(context, block, token)
            elif token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in REPORT_LEMMAS:
                found = _reported(context, block, token)
            else:
                continue
            if found is not None and not _mostly_quoted(found.content, quotes):
                out.append(_clean_source(found))
    return tuple(out)


def _reported(context: quoting.Context, block: Block, verb: Any) -> Attribution | None:
    """A verb of saying with a clause for its content ("Axios reported that ...")."""
    clauses = [c for c in verb.children if c.dep_ in CONTENT_DEPS]
    if not clauses:
        return None
    clause = clauses[0]
    a, b = _trimmed(block, clause.left_edge.idx, _end(clause.right_edge))
    if len(block.text[a:b].split()) < MIN_CONTENT_WORDS:
        return None
    content = Span(block.start + a, block.start + b, block.text[a:b])
    cue = speechverbs.cue_span(context, block, verb, a, b)
    subject = speakers.subject_of(
        verb, lambda t: not quoting.in_quote(context, block.start + t.idx)
    )
    if subject is None or a <= subject.idx < b:
        subject = speakers.nearby_name(context, block, verb)
    source = None
    if subject is not None and not a <= subject.idx < b:
        source = speakers.speaker_at(context, block, subject, cue.start)
    return Attribution(source, cue, content, AttributionKind.REPORTED)


def _according(context: quoting.Context, block: Block, token: Any) -> Attribution | None:
    """ "According to X, ..." or "..., according to X": the rest of the sentence is the claim."""
    if token.doc[token.i + 1].lower_ != "to":
        return None
    source, cue = speakers.according_to(context, block, token)
    if cue is None:
        return None
    sent = token.sent
    phrase_end = _end(token.doc[token.i + 1].right_edge)  # the subtree's end, without walking it
    local_cue = cue.start - block.start
    if local_cue - sent.start_char <= 1:
        a, b = _trimmed(block, phrase_end, sent.end_char)
    else:
        a, b = _trimmed(block, sent.start_char, local_cue)
    if len(block.text[a:b].split()) < MIN_CONTENT_WORDS:
        return None
    content = Span(block.start + a, block.start + b, block.text[a:b])
    return Attribution(source, cue, content, AttributionKind.ACCORDING_TO)


def _end(token: Any) -> int:
    """Offset just past a token in its block."""
    return int(token.idx + len(token))


def _trimmed(block: Block, a: int, b: int) -> tuple[int, int]:
    """Offsets narrowed to leave out surrounding spaces and punctuation."""
    while a < b and block.text[a] in _TRIM:
        a += 1
    while b > a and block.text[b - 1] in _TRIM:
        b -= 1
    return a, b


def _mostly_quoted(content: Span, quotes: tuple[Quote, ...]) -> bool:
    """True when most of a content span is a direct quote (already a Quote)."""
    quoted = sum(max(0, min(q.end, content.end) - max(q.start, content.start)) for q in quotes)
    return 2 * quoted > content.end - content.start


def _clean_source(found: Attribution) -> Attribution:
    """An attribution whose source's name is whole and clean ("Barack] Obama" → "Barack Obama")."""
    source = found.source
    if source is None or source.name is None:
        return found
    name = referents.clean_name(source.name)
    return found if name == source.name else replace(found, source=replace(source, name=name))
