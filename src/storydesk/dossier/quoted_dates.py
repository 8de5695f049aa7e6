"""Dates inside direct quotes: a relative date counts from when the quote was said.

"Today" in a quoted post is the day of the post, not of the article. The day is taken from
the attributing text around the quote (outside any quote, in the sentences where the quote
starts or ends, or in a lead-in ending with a colon); without one the date is left out.
"""

from __future__ import annotations

import datetime as dt
import re

from storydesk.analyze.times.dates import parse_published
from storydesk.analyze.times.find import find_times_in_text
from storydesk.model import AnalyzedArticle, Quote, TimeExpression
from storydesk.text.features import sentence_index

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIXED = re.compile(r"\d{4}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
SHIFTS = (7, 40)  # days: a value that moves when the anchor does is relative to it


def said_on(a: AnalyzedArticle, t: TimeExpression) -> str | None:
    """The expression's value, re-anchored (or None) when it is relative and inside a quote."""
    quote = _quote_at(a.quotes, t.start)
    if quote is None or not t.value or not is_relative(t.text, a.article.published):
        return t.value
    day = _said_day(a, quote)
    if day is None:
        return None
    if day == (a.article.published or "")[:10]:
        return t.value  # said on the day of publication: the value stands
    ahead = _tense(t.value, a.article.published)
    found = find_times_in_text(t.text, day, lambda _: ahead)
    return found[0].value if len(found) == 1 else None


def _tense(value: str, published: str | None) -> str | None:
    """Whether a value read against the publication day lies ahead of it ("future") or not."""
    anchor = parse_published(published)
    day = parse_published(value[:10]) if _DAY.match(value[:10]) else None
    if anchor is None or day is None or day == anchor:
        return None
    return "future" if day > anchor else "past"


def is_relative(text: str, published: str | None) -> bool:
    """Whether an expression's value depends on the day it is read against ("today")."""
    anchor = parse_published(published)
    if anchor is None or _FIXED.search(text):
        return False
    values = {_value(text, anchor + dt.timedelta(days=d)) for d in (0, *SHIFTS)}
    return len(values) > 1


def _value(text: str, anchor: dt.date) -> str | None:
    """The value of one expression read against a day."""
    found = find_times_in_text(text, anchor.isoformat())
    return found[0].value if len(found) == 1 else None


def _quote_at(quotes: tuple[Quote, ...], offset: int) -> Quote | None:
    """The direct quote holding an offset, if any."""
    return next((q for q in quotes if q.start <= offset < q.end), None)


def _said_day(a: AnalyzedArticle, quote: Quote) -> str | None:
    """The day the text says a quote was said, from dates outside quotes around it."""
    places: list[int] = []
    for offset in (quote.start, max(quote.start, quote.end - 1)):
        index = sentence_index(a, offset)
        if index is not None and index not in places:
            places.append(index)
    if places and places[0] > 0:
        before = a.sentences[places[0] - 1]
        if before.text.rstrip().endswith(":"):
            places.append(places[0] - 1)
    for t in a.times:
        if t.value is None or not _DAY.match(t.value[:10]) or _quote_at(a.quotes, t.start):
            continue
        if sentence_index(a, t.start) in places:
            return t.value[:10]
    return None
