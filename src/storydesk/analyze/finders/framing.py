"""Quotes framed without a plain speech verb: a colon, a headline, a dash before or after."""

from __future__ import annotations

import re
from typing import Any

from storydesk.analyze.finders.quoting import (
    SUBJECT_DEPS,
    Context,
    entity_at,
    in_quote,
    quote_between,
)
from storydesk.analyze.nlp import Block
from storydesk.model import Span, Speaker

_DASH = re.compile(r"[ \t\xa0]*(?:[―—–]|--?)[ \t\xa0]*(?=[A-Z])")
_LAST_SENTENCE = re.compile(r"(?:(?<=^)|(?<=[.?!][\s\"”’])|(?<=[.?!\"”’]\s))[^.?!]+$")
_POST = re.compile(r"\s+(?:latest\s+|new\s+)?(?:tweets?|posts?|statement|message|letter)\s*:")
_SIGNED_END = re.compile(r"\s*(?:$|[,.;:()\[\]]|\n)")
_SIGNATURE = re.compile(r"[A-Z][\w.’'-]*(?:[ \xa0]+(?:[A-Z][\w.’'-]*|de|van|von|al))*")


def dashed_after_name(context: Context, block: Block, qs: int) -> tuple[Speaker, Span] | None:
    """A quote set off by a dash right after a name ("… Mitt Romney — “It is …” —")."""
    before = block.text[:qs].rstrip()
    dash = re.search(r"(?:[―—–]|--)$", before)
    if dash is None:
        return None
    end = block.start + len(before[: dash.start()].rstrip())
    entity = entity_at(context, end - 1)
    if entity is None or entity.label != "PERSON" or entity.end != end:
        return None
    at = block.start + dash.start()
    mark = Span(at, block.start + len(before), context.text[at : block.start + len(before)])
    return Speaker(entity.canonical, entity.start, entity.end, entity.text), mark


def colon_intro(context: Context, index: int, qs: int) -> tuple[Any, Block]:
    """The verb (and block) of a clause ending in a colon before the quote, or the line before.

    A verb with another quotation between it and the colon introduced that quotation, not
    this one ("Rubio told reporters: “…,” and Trump: “…”"): no verb then.
    """
    block = context.blocks[index]
    before = block.text[:qs].rstrip()
    if not before and index > 0 and context.blocks[index - 1].text.rstrip().endswith(":"):
        index -= 1
        block = context.blocks[index]
        before = block.text.rstrip()
    if not before.endswith(":"):
        return None, block
    for token in context.docs[index]:
        if token.idx == len(before) - 1:
            verb = clause_verb(token.nbor(-1) if token.i > 0 else token)
            at = block.start + (verb.idx if verb is not None else 0)
            if verb is None or in_quote(context, at):
                break
            if quote_between(context, at, block.start + token.idx):
                break
            return verb, block
    return None, block


def clause_verb(token: Any) -> Any:
    """The nearest verb above a token that has a subject of its own, else the sentence's root."""
    current = token
    for _ in range(6):
        subject = any(c.dep_ in SUBJECT_DEPS for c in current.children)
        if subject and current.pos_ in ("VERB", "AUX"):
            return current
        if current.head.i == current.i:
            break
        current = current.head
    root = token.sent.root
    return root if root.pos_ in ("VERB", "AUX") else None


def headline_colon(context: Context, block: Block, qs: int) -> tuple[Speaker, Span] | None:
    """A verbless phrase naming the speaker before a colon ("Warren to Wells Fargo CEO: ‘…’")."""
    before = block.text[:qs].rstrip()
    phrase = _LAST_SENTENCE.search(before[:-1]) if before.endswith(":") else None
    if phrase is None:
        return None
    cut = max(phrase.start(), _after_last_quote(before[:-1]))  # "…,” while Trump: “…”"
    text = before[cut:-1]
    if len(text.split()) > 12:
        return None
    start = block.start + cut
    colon = Span(block.start + len(before) - 1, block.start + len(before), ":")
    for e in context.entities:
        owner = context.text[e.end : e.end + 2] in ("'s", "’s")  # "Trump's lawyer:"
        if owner and _POST.match(context.text, e.end + 2):
            owner = False  # "Trump's tweet:", "Holt's statement:": the owner wrote it
        if start < e.end <= block.start + len(before) and e.label == "PERSON" and not owner:
            return Speaker(e.canonical, e.start, e.end, e.text), colon
    words = text.split()
    known = [n for n in context.mentions if words and n.split()[-1].lower() == words[-1].lower()]
    if len(words) <= 3 and known:  # "TRUMP: ‘…’", a name the tagger missed but the article has
        a = start + len(text) - len(text.lstrip())
        name = max(known, key=lambda n: context.mentions[n])
        return Speaker(name, a, colon.start, context.text[a : colon.start]), colon
    return None


def _after_last_quote(text: str) -> int:
    """The offset just after the last double quotation mark in a text (0 when none)."""
    return max(text.rfind(mark) for mark in ('"', "”", "“")) + 1


def dash_signed(context: Context, block: Block, qe: int) -> tuple[Speaker | None, Span | None]:
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
    if name is None or not _SIGNED_END.match(block.text, name.end()):
        return None, None  # "- Russian for “goodbye”" glosses the quote; it does not sign it
    end = at + len(name.group())
    return Speaker(name.group(), at, end, context.text[at:end]), cue
