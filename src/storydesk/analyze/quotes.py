"""Direct quotes: quotation-mark spans, their kind, and who said them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storydesk.analyze import speakers
from storydesk.analyze.entities import EntityFindings
from storydesk.analyze.nlp import Parsed
from storydesk.model import Quote, Span, Speaker

FRAGMENT_MAX_WORDS = 4
_CURLY_SINGLE = re.compile(r"(?<![\w’‘])‘(?=\S)((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
_STRAIGHT_SINGLE = re.compile(r"(?<![\w'])'(?=\S)((?:[^'\n]|'(?=\w))+)'(?![\w'])")


@dataclass(frozen=True)
class QuoteSpan:
    """Where a quotation sits in its block, marks included."""

    start: int
    end: int
    closed: bool
    kind: str


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quotation spans in one line: double quotes (curly or straight), then safe single quotes."""
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for i, c in enumerate(text):
        if c == "“" or (c == '"' and open_at is None):
            if c == '"' and not _can_open(text, i):
                continue
            if open_at is not None:
                spans.append((open_at, _rstrip(text, open_at, i), False))
            open_at = i
        elif c in '”"' and open_at is not None:
            spans.append((open_at, i + 1, True))
            open_at = None
    if open_at is not None and _rstrip(text, open_at, len(text)) > open_at + 1:
        spans.append((open_at, _rstrip(text, open_at, len(text)), False))
    spans = [s for s in spans if any(ch.isalnum() for ch in text[s[0] : s[1]])]
    singles = [_CURLY_SINGLE]
    if _headline_like(text, spans):
        singles.append(_STRAIGHT_SINGLE)
    for pattern in singles:
        for m in pattern.finditer(text):
            outside = all(m.end() <= a or m.start() >= b for a, b, _ in spans)
            if outside and (pattern is _CURLY_SINGLE or len(m.group(1).split()) >= 3):
                spans.append((m.start(), m.end(), True))
    spans.sort()
    return [QuoteSpan(a, b, closed, _kind(text, a, b)) for a, b, closed in spans]


def _can_open(text: str, i: int) -> bool:
    """True when a straight double quote at ``i`` can open a quotation."""
    nxt = text[i + 1] if i + 1 < len(text) else " "
    prev = text[i - 1] if i else " "
    return not nxt.isspace() and not prev.isalnum()


def _rstrip(text: str, start: int, end: int) -> int:
    """End offset moved back over trailing whitespace."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _headline_like(text: str, spans: list[tuple[int, int, bool]]) -> bool:
    """A line where 'single quotes' are quotation marks: a subtitle or headline."""
    if text.startswith("'"):
        return True
    return not spans and len(text.split()) <= 30 and not text.rstrip().endswith(".")


def _kind(text: str, start: int, end: int) -> str:
    """Kind "fragment" for a few words quoted inside a running clause, else "direct"."""
    words = re.findall(r"\w+(?:[’'-]\w+)*", text[start:end])
    before = text[:start].rstrip()
    if len(words) <= FRAGMENT_MAX_WORDS and before and (before[-1].isalnum() or before[-1] in "’'"):
        return "fragment"
    return "direct"


def find_quotes(parsed: Parsed, findings: EntityFindings) -> tuple[Quote, ...]:
    """Every quotation in the article with its speaker and cue where they can be found."""
    located: list[tuple[int, QuoteSpan]] = []
    for index, block in enumerate(parsed.blocks):
        located.extend((index, s) for s in find_quote_spans(block.text))
    article_spans = tuple(
        (parsed.blocks[i].start + s.start, parsed.blocks[i].start + s.end) for i, s in located
    )
    context = speakers.build_context(parsed, findings, article_spans)
    quotes: list[Quote] = []
    previous: tuple[int, Quote] | None = None
    for index, span in located:
        block = parsed.blocks[index]
        start, end = block.start + span.start, block.start + span.end
        quote = Quote(start, end, parsed.text[start:end], kind=span.kind)
        speaker, cue = speakers.attribute(context, index, quote, span.kind == "fragment")
        if speaker is None and cue is None and span.kind == "direct" and previous is not None:
            speaker, cue = _continued(context, previous, index, quote)
        quote = Quote(quote.start, quote.end, quote.text, speaker, cue, span.kind)
        quotes.append(quote)
        if span.kind == "direct":
            previous = (index, quote)
    return tuple(quotes)


def _continued(
    context: speakers.Context, previous: tuple[int, Quote], index: int, quote: Quote
) -> tuple[Speaker | None, Span | None]:
    """A quote with no cue of its own continues the speaker of the quote just before it."""
    prev_index, prev = previous
    if prev.speaker is None or index - prev_index > 1:
        return None, None
    between = context.text[prev.end : quote.start]
    if index != prev_index and context.text[context.blocks[index].start : quote.start].strip():
        return None, None  # the next paragraph says something else before quoting
    others = speakers.people_between(context, prev.end, quote.start) - {prev.speaker.name}
    if others or len(between) > 400:
        return None, None
    return prev.speaker, prev.cue
