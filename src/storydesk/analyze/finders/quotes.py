"""Direct quotes: quotation-mark spans, their kind, and who said them."""

from __future__ import annotations

from dataclasses import replace

from storydesk.analyze.finders import quoting, referents, speakers
from storydesk.analyze.finders.entities import EntityFindings
from storydesk.analyze.finders.marks import QuoteSpan, find_quote_spans
from storydesk.analyze.nlp import Parsed
from storydesk.model import Entity, Quote, QuoteKind, Span, Speaker

MAX_SPLIT_GAP = 250  # characters between two pieces of one quote ("he said, ... .")


def quote_context(parsed: Parsed, findings: EntityFindings) -> quoting.Context:
    """What attribution needs to know about an article, its quotation spans included."""
    spans = tuple(
        (block.start + s.start, block.start + s.end)
        for block in parsed.blocks
        for s in find_quote_spans(block.text)
    )
    return quoting.build_context(parsed, findings, spans)


def find_quotes(
    parsed: Parsed, findings: EntityFindings, context: quoting.Context | None = None
) -> tuple[Quote, ...]:
    """Every quotation in the article with its speaker and cue where they can be found."""
    located: list[tuple[int, QuoteSpan]] = []
    for index, block in enumerate(parsed.blocks):
        located.extend((index, s) for s in find_quote_spans(block.text))
    if context is None:
        context = quote_context(parsed, findings)
    quotes: list[Quote] = []
    previous: tuple[int, Quote, bool] | None = None
    said: list[quoting.PersonMention] = []  # the speakers credited so far, where named
    named = {e.canonical for e in context.entities if _person_like(e)}
    for index, span in located:
        block = parsed.blocks[index]
        start, end = block.start + span.start, block.start + span.end
        quote = Quote(start, end, parsed.text[start:end], kind=QuoteKind(span.kind))
        speaker, cue = speakers.attribute(context, index, quote, span.kind == "fragment")
        speaker = referents.pronoun_again(context, speaker, quote.start, tuple(said))
        continues = False
        if span.kind == "direct" and previous is not None:
            continues = _continues(context, previous, index, quote, cue)
            if continues and _other_speaker(previous[1].speaker, speaker):
                continues = False  # an unclosed paragraph, then someone else's quote
            if speaker is None and cue is None:
                speaker, cue = _continued(context, previous[:2], index, quote)
        quote = Quote(
            quote.start, quote.end, quote.text, speaker, cue, QuoteKind(span.kind), continues
        )
        quotes.append(quote)
        if speaker is not None and speaker.name and speaker.name in named:
            said.append(quoting.PersonMention(speaker.start, speaker.end, speaker.name, True))
        if span.kind == "direct":
            previous = (index, quote, span.closed)
    return tuple(_clean_speaker(q) for q in _share_speakers(quotes))


def _continues(
    context: quoting.Context,
    previous: tuple[int, Quote, bool],
    index: int,
    quote: Quote,
    cue: Span | None,
) -> bool:
    """True when a quote is a later piece of the one before: split by its cue, or run on."""
    prev_index, prev, closed = previous
    if index == prev_index + 1 and not closed:
        return not context.text[context.blocks[index].start : quote.start].strip()
    if index != prev_index or quote.start - prev.end > MAX_SPLIT_GAP:
        return False
    if cue is not None and (prev.cue is None or cue.start != prev.cue.start):
        return False  # a cue of its own: a new quote
    cue_between = prev.cue is not None and prev.end <= prev.cue.start < quote.start
    if not cue_between and any(prev.end <= a < quote.start for a, _ in context.quote_spans):
        return False  # another quotation sits between them
    return cue_between or prev.text.rstrip("”\"' ").endswith(",")


def _other_speaker(before: Speaker | None, now: Speaker | None) -> bool:
    """True when two quotes are credited to two different named speakers."""
    return bool(before and now and before.name and now.name and before.name != now.name)


def _share_speakers(quotes: list[Quote]) -> tuple[Quote, ...]:
    """Give every piece of a split quote the speaker and cue one of its pieces has."""
    out = list(quotes)
    group: list[int] = []
    for i in [*range(len(out)), len(out)]:
        if i < len(out) and group and out[i].continues:
            group.append(i)
            continue
        owner = next((out[j] for j in group if out[j].speaker is not None), None)
        for j in group:
            if owner is not None and out[j].speaker is None:
                out[j] = replace(out[j], speaker=owner.speaker, cue=out[j].cue or owner.cue)
        group = [i] if i < len(out) and out[i].kind == "direct" else []
    return tuple(out)


def _continued(
    context: quoting.Context, previous: tuple[int, Quote], index: int, quote: Quote
) -> tuple[Speaker | None, Span | None]:
    """A quote with no cue of its own continues the speaker of the quote just before it."""
    prev_index, prev = previous
    if prev.speaker is None or index - prev_index > 1:
        return None, None
    between = context.text[prev.end : quote.start]
    if index != prev_index and context.text[context.blocks[index].start : quote.start].strip():
        return None, None  # the next paragraph says something else before quoting
    others = quoting.people_between(context, prev.end, quote.start) - {prev.speaker.name}
    if others or len(between) > 400:
        return None, None
    return prev.speaker, prev.cue


def _clean_speaker(quote: Quote) -> Quote:
    """A quote whose speaker's name is whole and clean (no brackets, marks or end punctuation)."""
    s = quote.speaker
    if s is None or s.name is None:
        return quote
    name = referents.clean_name(s.name)
    return replace(quote, speaker=replace(s, name=name or None)) if name != s.name else quote


def _person_like(entity: Entity) -> bool:
    """A person, or a name tagged as a group that reads like a person's ("Carly Fiorina")."""
    if entity.label == "PERSON":
        return True
    words = entity.canonical.split()
    return entity.label == "ORG" and len(words) in (2, 3) and all(w.istitle() for w in words)
