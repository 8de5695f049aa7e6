"""Quotes in an article's title and subtitle, read apart from the body so body offsets stay put.

The title and subtitle are parsed as a small article of their own (title, blank line,
subtitle); each quote found there is reported with the line it sits in and offsets into that
line. Speakers are named the way the body names them: "says US president" resolves through the
body's titled people, and a bare "Trump" to the body's "Donald Trump".
"""

from __future__ import annotations

from dataclasses import replace

from storydesk.analyze.finders.entities import EntityFindings, find_entities
from storydesk.analyze.finders.quotes import find_quotes, quote_context
from storydesk.analyze.nlp import Parsed
from storydesk.model import Article, HeadlineLine, HeadlineQuote, Quote, Span, Speaker

QUOTE_CHARS = "“”\"‘’'«»:"  # a line without any of these holds no quote worth a parse


def headline_article(article: Article) -> Article | None:
    """The title and subtitle as an article of two one-line paragraphs, when they may quote."""
    lines = [_one_line(article.title), _one_line(article.subtitle or "")]
    if not any(ch in line for line in lines for ch in QUOTE_CHARS):
        return None
    return Article(source=article.source, sha256="", title="", paragraphs=tuple(lines))


def _one_line(text: str) -> str:
    """A line with any line breaks turned into spaces (offsets unchanged)."""
    return text.replace("\r", " ").replace("\n", " ")


def find_headline_quotes(parsed: Parsed, body: EntityFindings) -> tuple[HeadlineQuote, ...]:
    """Quotes of a parsed headline article, with speakers named as the body names them."""
    own = find_entities(parsed)
    findings = EntityFindings(own.entities, own.titles + body.titles)
    context = quote_context(parsed, findings)
    people = [e.canonical for e in body.entities if e.label == "PERSON"]
    context = replace(context, mentions={n: people.count(n) for n in set(people)})
    subtitle_at = len(parsed.article.paragraphs[0]) + 2
    out: list[HeadlineQuote] = []
    for quote in find_quotes(parsed, findings, context):
        line, base = _line_of(quote.start, subtitle_at)
        who = quote.speaker.start if quote.speaker is not None else quote.start
        speaker_line, speaker_base = _line_of(who, subtitle_at)
        shifted = _shifted(quote, base, speaker_base, people)
        out.append(HeadlineQuote(line, shifted, None if speaker_line == line else speaker_line))
    return tuple(out)


def _line_of(offset: int, subtitle_at: int) -> tuple[HeadlineLine, int]:
    """The line an offset of the headline article falls in, and where that line starts."""
    return ("title", 0) if offset < subtitle_at else ("subtitle", subtitle_at)


def _shifted(quote: Quote, base: int, speaker_base: int, people: list[str]) -> Quote:
    """A quote moved into its line (speaker and cue into theirs), named as in the body."""
    speaker = quote.speaker
    if speaker is not None:
        speaker = Speaker(
            _body_name(speaker.name, people),
            speaker.start - speaker_base,
            speaker.end - speaker_base,
            speaker.text,
        )
    cue = quote.cue
    if cue is not None:
        cue = Span(cue.start - speaker_base, cue.end - speaker_base, cue.text)
    return replace(quote, start=quote.start - base, end=quote.end - base, speaker=speaker, cue=cue)


def _body_name(name: str | None, people: list[str]) -> str | None:
    """The body's fullest name for a person the headline names shortly ("Trump")."""
    if name is None or not people:
        return name
    last = name.split()[-1].lower()
    same = [p for p in people if p.split()[-1].lower() == last]
    return max(same, key=people.count) if same else name
