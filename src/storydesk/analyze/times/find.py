"""Time expressions found by rules and normalised to TimeML values against the publication date."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from storydesk.analyze.nlp import Parsed
from storydesk.analyze.times import dates
from storydesk.analyze.times.events import dated_event
from storydesk.analyze.times.resolve import resolve
from storydesk.analyze.times.rules import RULES, SPAN_GROUP
from storydesk.analyze.times.tense import date_cue, tense_at, token_ent
from storydesk.model import TimeExpression, TimeType

MONTH_KINDS = frozenset(
    {"weekday_date", "month_day", "second_day", "day_month", "month", "month_noun"}
)
UNTIL = re.compile(r"\b(?:until|till)\s+(?:at\s+)?$", re.I)
# Rules whose values are read off other expressions; only stated values are referred back to.
DERIVED = frozenset(
    {"ago", "year_back", "period_last_year", "anaphoric", "the_quarter", "year_period"}
)
NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})


@dataclass(frozen=True)
class _Hit:
    """One rule match in a block."""

    start: int
    end: int
    kind: str
    match: re.Match[str]


def find_times(parsed: Parsed) -> tuple[TimeExpression, ...]:
    """Every time expression in the article, with a TimeML type and value where resolvable."""
    anchor = dates.parse_published(parsed.article.published)
    out: list[TimeExpression] = []
    last: list[str] = []  # values seen so far, for "later that year"
    for block, doc in zip(parsed.blocks, parsed.docs, strict=True):
        for hit in _hits(block.text):
            if hit.kind == "year" and token_ent(doc, hit.start) in NUMERIC_ENTS:
                continue
            if hit.kind == "month_noun" and token_ent(doc, hit.start) in ("PERSON", "ORG"):
                continue  # "April's mother", "the May government"

            def tense(
                at: int = hit.start, d: Any = doc, k: str = hit.kind, text: str = block.text
            ) -> str | None:
                """Tense at this hit, computed only when a rule needs it."""
                if k in ("weekday", "clock_day") and UNTIL.search(text, 0, at):
                    return "future"  # "extended until Tuesday": a deadline ahead
                cue = date_cue(d, at) if k in MONTH_KINDS else None
                return cue or tense_at(d, at)  # "was extended to Nov. 20": a deadline ahead

            resolved = resolve(hit.kind, hit.match, anchor, tense, last, parsed.text)
            if resolved is None:
                continue
            kind, value = resolved
            if value and kind == "DATE" and value[:1].isdigit() and hit.kind not in DERIVED:
                last.append(value)
            start, end = block.start + hit.start, block.start + hit.end
            found = TimeExpression(start, end, parsed.text[start:end], TimeType(kind), value)
            event = dated_event(doc, hit.start, hit.end) if kind in ("DATE", "TIME") else None
            if event is not None:
                lemma, clause_start, clause_end = event
                found = replace(
                    found, predicate=lemma, event_start=block.start + clause_start,
                    event_end=block.start + clause_end,
                )  # fmt: skip
            out.append(found)
    return tuple(out)


def find_times_in_text(
    text: str, published: str | None, tense: Callable[[int], str | None] | None = None
) -> tuple[TimeExpression, ...]:
    """Time expressions in a plain string, without a parse (tense from ``tense`` if given)."""
    anchor = dates.parse_published(published)
    out: list[TimeExpression] = []
    last: list[str] = []
    for hit in _hits(text):

        def at_hit(at: int = hit.start) -> str | None:
            """Tense at this hit from the caller's function, if any."""
            return tense(at) if tense else None

        resolved = resolve(hit.kind, hit.match, anchor, at_hit, last, text)
        if resolved is not None:
            kind, value = resolved
            span = text[hit.start : hit.end]
            out.append(TimeExpression(hit.start, hit.end, span, TimeType(kind), value))
            stated = hit.kind not in DERIVED
            if resolved[1] and resolved[0] == "DATE" and resolved[1][:1].isdigit() and stated:
                last.append(resolved[1])
    return tuple(out)


def _hits(text: str) -> list[_Hit]:
    """Non-overlapping rule matches, the longest winning."""
    hits: list[_Hit] = []
    for kind, pattern in RULES:
        for m in pattern.finditer(text):
            start, end = _span(kind, m)
            hits.append(_Hit(start, end, kind, m))
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    chosen: list[_Hit] = []
    for h in hits:
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


def _span(kind: str, m: re.Match[str]) -> tuple[int, int]:
    """The expression's extent: prepositions before a month or weekday are left out."""
    if kind in SPAN_GROUP:
        return m.span(SPAN_GROUP[kind])
    if kind == "month":
        return (m.start("mod") if m.group("mod") else m.start("m")), m.end()
    if kind == "month_noun":
        return m.span("m") if m.group("m") else m.span("m2")
    if kind == "some_day":
        return m.span("w") if m.group("w") else m.span("w2")
    if kind == "second_day":
        return m.start("d"), m.end()
    if kind == "weekday":
        return (m.start("mod") if m.group("mod") else m.start("w")), m.end()
    return m.span()
