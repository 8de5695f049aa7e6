"""The timeline: a story's dated time expressions, one entry per date, early ones background."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from storydesk.crosscheck.evidence import dedupe_supports
from storydesk.model import AnalyzedArticle, Support, TimeHit, TimelineEntry
from storydesk.options import Options
from storydesk.text.features import sentence_index

_DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def timeline(
    articles: Sequence[AnalyzedArticle], first: str | None, options: Options | None = None
) -> list[TimelineEntry]:
    """Dated time expressions, one entry per date, sorted; early ones marked background."""
    return timeline_of([h for a in articles for h in time_hits(a)], first, options)


def time_hits(a: AnalyzedArticle) -> list[TimeHit]:
    """An article's dated time expressions that lie in a sentence, in text order."""
    out: list[TimeHit] = []
    for t in a.times:
        if not t.value or not _DATE_VALUE.match(t.value):
            continue
        s_index = sentence_index(a, t.start)
        if s_index is None:
            continue
        out.append(TimeHit(t.value, t.text, Support(a.id, s_index, a.sentences[s_index].text)))
    return out


def timeline_of(
    hits: Sequence[TimeHit], first: str | None, options: Options | None = None
) -> list[TimelineEntry]:
    """The timeline of a story's time hits (in article order)."""
    background_days = (options or Options()).dossier.background_days
    found: dict[str, list[tuple[str, Support]]] = {}
    for h in hits:
        found.setdefault(h.value, []).append((h.label, h.support))
    start = dt.date.fromisoformat(first) if first else None
    entries: list[TimelineEntry] = []
    for value in sorted(found):
        dated = found[value]
        end = _period_end(value)
        background = bool(start and end and (start - end).days > background_days)
        entries.append(
            TimelineEntry(
                value=value,
                label=dated[0][0],
                text=dated[0][1].text,
                support=dedupe_supports(s for _, s in dated),
                background=background,
            )
        )
    return entries


def _period_end(value: str) -> dt.date | None:
    """The last day of the period a date value names (a year, a month or a day)."""
    m = _DATE_VALUE.match(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return dt.date(year, int(month), int(day))
        if month:
            nxt = dt.date(year + int(month) // 12, int(month) % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, 12, 31)
    except ValueError:
        return None
