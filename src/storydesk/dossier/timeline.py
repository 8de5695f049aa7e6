"""The timeline: a story's dated events, one entry per event and date, early ones background.

An entry is one event on one date: the time expressions of a date are grouped by what they
date (the predicate and its named actors, from the analysis) and by the facts their
sentences belong to, and each entry is titled by its event's clause.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from storydesk.analyze.times.tense import REPORT_LEMMAS
from storydesk.crosscheck.evidence import dedupe_supports
from storydesk.dossier.quoted_dates import said_on
from storydesk.dossier.whoswho import ACTING_DEPS, FIRST_LABELS
from storydesk.model import AnalyzedArticle, Entity, Fact, Support, TimelineEntry
from storydesk.model_state import TimeHit
from storydesk.options import Options
from storydesk.text.features import entity_key, sentence_index

_DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DAY_PART = re.compile(r"^(\d{4}-\d{2}-\d{2})T(MO|AF|EV|NI|\d{2}:\d{2})$")
_CLOCK = re.compile(r"T\d{2}:\d{2}$")
_DAY_WORD = re.compile(
    r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:today|tonight|yesterday|tomorrow)\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
)
PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})  # a name that qualifies a noun


def timeline(
    articles: Sequence[AnalyzedArticle],
    first: str | None,
    options: Options | None = None,
    facts: Sequence[Fact] = (),
) -> list[TimelineEntry]:
    """Dated events, one entry per event and date, sorted; early ones marked background."""
    return timeline_of([h for a in articles for h in time_hits(a)], first, options, facts)


def time_hits(a: AnalyzedArticle) -> list[TimeHit]:
    """An article's dated time expressions that lie in a sentence, in text order.

    A relative date inside a quote is resolved against when the quote was said, where the
    text says so, and is left out otherwise.
    """
    out: list[TimeHit] = []
    for t in a.times:
        value = said_on(a, t)
        if not value or not day_and_part(value)[0] or _clock_only(value, t.text):
            continue
        s_index = sentence_index(a, t.start)
        if s_index is None:
            continue
        title, actors = _event(a, t.event_start, t.event_end)
        support = Support(a.id, s_index, a.sentences[s_index].text)
        out.append(TimeHit(value, t.text, support, t.predicate, title, actors))
    return out


def day_and_part(value: str) -> tuple[str | None, str]:
    """The calendar value (a year, month or day) of a TimeML value and the part of the day."""
    m = _DAY_PART.match(value)
    if m:
        return m.group(1), PARTS.get(m.group(2), m.group(2))
    return (value if _DATE_VALUE.match(value) else None), ""


def _clock_only(value: str, text: str) -> bool:
    """Whether a clock time names no day ("at 9:40 p.m."): its day is only a guess."""
    return bool(_CLOCK.search(value)) and not _DAY_WORD.search(text)


def _event(a: AnalyzedArticle, start: int, end: int) -> tuple[str, tuple[str, ...]]:
    """The clause a date dates (one line) and the keys of the actors it names."""
    if start < 0 or end <= start:
        return "", ()
    actors = sorted(
        {
            actor_key(e.canonical or e.text, e.label)
            for e in a.entities
            if start <= e.start and e.end <= end and _is_actor(e)
        }
    )
    return " ".join(a.text[start:end].split()), tuple(actors)


def _is_actor(e: Entity) -> bool:
    """Whether a mention names a party to the event: a person always, others not as a modifier
    ("U.S. Secretary of State Rubio", "a White House summit"), a place only as subject or object."""
    if e.label not in ACTOR_LABELS or (e.label != "PERSON" and e.dep in MODIFIER_DEPS):
        return False
    return e.label in FIRST_LABELS or e.dep in ACTING_DEPS


def actor_key(name: str, label: str) -> str:
    """A key for an actor across articles: a person by surname, others by ``entity_key`` (a
    one-word name keys the same whichever label an article gave it)."""
    if label == "PERSON":
        words = name.casefold().split()
        return words[-1] if words else ""
    return entity_key(name)


def timeline_of(
    hits: Sequence[TimeHit],
    first: str | None,
    options: Options | None = None,
    facts: Sequence[Fact] = (),
) -> list[TimelineEntry]:
    """The timeline of a story's time hits (in article order): one entry per event and date."""
    background_days = (options or Options()).dossier.background_days
    fact_of = {(s.article, s.sentence): k for k, f in enumerate(facts) for s in f.support}
    by_day: dict[str, list[TimeHit]] = {}
    for h in hits:
        day = day_and_part(h.value)[0]
        if day:
            by_day.setdefault(day, []).append(h)
    start = dt.date.fromisoformat(first) if first else None
    entries: list[TimelineEntry] = []
    for day in sorted(by_day):
        end = _period_end(day)
        background = bool(start and end and (start - end).days > background_days)
        for event in events(by_day[day], fact_of):
            entries.append(_entry(day, event, background))
    return entries


def events(hits: Sequence[TimeHit], fact_of: dict[tuple[int, int], int]) -> list[list[TimeHit]]:
    """One date's hits grouped into events, in order of first mention.

    Two hits are one event when their sentences are one sentence or belong to one fact, or
    when they date the same predicate and name a common actor (or both name none), when they
    name two common actors, or when they date the same clause; a hit naming no actor joins
    the one event of its predicate that names some. Hits without an event (from older
    analyses) make one entry per date.
    """
    parent = list(range(len(hits)))

    def find(i: int) -> int:
        """The group a hit belongs to."""
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[object, int] = {}
    for i, h in enumerate(hits):
        place = (h.support.article, h.support.sentence)
        keys: list[object] = [("sentence", place)]
        if place in fact_of:
            keys.append(("fact", fact_of[place]))
        if h.predicate and h.actors:
            keys.extend(("actor", h.predicate, a) for a in h.actors)
            pairs = [(a, b) for k, a in enumerate(h.actors) for b in h.actors[k + 1 :]]
            keys.extend(("pair", a, b) for a, b in pairs)
        elif h.predicate and h.predicate not in REPORT_LEMMAS:
            keys.append(("predicate", h.predicate))
        elif h.title:
            keys.append(("title", h.title.casefold()))
        else:
            keys.append(("unknown",))  # analysed before events were found: one per date
        for key in keys:
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    named: dict[str, set[int]] = {}  # predicate -> the groups of the hits that name actors
    for i, h in enumerate(hits):
        if h.predicate and h.actors:
            named.setdefault(h.predicate, set()).add(find(i))
    for i, h in enumerate(hits):
        roots = {find(r) for r in named.get(h.predicate, ())}
        if not h.actors and h.predicate in named and len(roots) == 1:
            parent[find(i)] = roots.pop()  # "to be signed": the one signing the date names
    groups: dict[int, list[TimeHit]] = {}
    for i, h in enumerate(hits):
        groups.setdefault(find(i), []).append(h)
    return list(groups.values())


def _entry(day: str, event: list[TimeHit], background: bool) -> TimelineEntry:
    """One timeline entry: the event's date, part of the day, title and supporting sentences."""
    parts = Counter(p for h in event if (p := day_and_part(h.value)[1]))
    titled = [h for h in event if h.title]
    title = Counter(h.title for h in titled).most_common(1)[0][0] if titled else ""
    lead = next((h for h in event if h.title == title), event[0])
    return TimelineEntry(
        value=day,
        label=lead.label,
        text=lead.support.text,
        support=dedupe_supports(h.support for h in event),
        background=background,
        title=title,
        part=parts.most_common(1)[0][0] if parts else "",
    )


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
