"""Quotes labelled with a name after a dash, before a colon: "Topic - Ann Lee: “…”"."""

from __future__ import annotations

import re

from storydesk.analyze.finders.quoting import Context
from storydesk.analyze.nlp import Block
from storydesk.model import Span, Speaker

# A dash or "from" ("More from Lee:"), then at most a few words up to the colon before the quote.
_LABEL = re.compile(r"(?:\s[-–—]+\s*|\s[-–—]+(?=\w)|\bfrom\s+)([^-–—:.!?“”\"]{2,60}):$")


def labelled(context: Context, block: Block, qs: int) -> tuple[Speaker, Span] | None:
    """The person named between a dash and the colon that introduces a quote, if any.

    Roundups label what they quote this way ("Pollsters agree - Carl Bialik: “…”"); the
    clause before the dash ("Pollsters agree") is a headline, not who spoke.
    """
    before = block.text[:qs].rstrip()
    found = _LABEL.search(before)
    if found is None:
        return None
    start, colon = block.start + found.start(1), block.start + len(before) - 1
    named = [
        e for e in context.entities if e.label == "PERSON" and start <= e.start and e.end == colon
    ]
    if not named:
        return None
    person = named[-1]
    return (
        Speaker(person.canonical, person.start, person.end, person.text),
        Span(colon, colon + 1, ":"),
    )
