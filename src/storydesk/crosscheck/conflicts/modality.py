"""Modality conflicts: one fact's sentences give its claim different statuses.

A preview ("is expected to announce") that a later report of the event supersedes is not a
contradiction but an earlier report (``earlier.find_earlier_reports``): later where the
publication times say so, or, on the same day, where the report tells of the event in the past
tense ("said", "has agreed").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storydesk.crosscheck.align import Unit
from storydesk.crosscheck.conflicts.describe import value_conflict
from storydesk.crosscheck.conflicts.finder import ConflictInput
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind

PREVIEW = "is expected to"
MODALITY = (
    ("agreed in principle", re.compile(r"\bagree(?:d|s)? in principle\b", re.I)),
    ("has agreed", re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?agreed\b", re.I)),
    (
        PREVIEW,
        re.compile(
            r"\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:expected|scheduled|slated|poised|set)\s+to\b",
            re.I,
        ),
    ),
    (
        "still in negotiations",
        re.compile(
            r"\bfinal (?:stage|stages|phase)\b|\bstill being negotiated\b|\bin negotiations?\b",
            re.I,
        ),
    ),
    ("will join", re.compile(r"\bwill\s+(?:\w+\s+)?(?:join|sign|enter)\b", re.I)),
)
# statuses that tell of the event as done ("has agreed"), unlike a preview or a negotiation
DONE = frozenset({"agreed in principle", "has agreed"})
# a report of the event in the past tense: the event it previews has happened
_REPORTED = re.compile(
    r"\b(?:said|announced|confirmed|told|declared|wrote|posted|stated|revealed|unveiled)\b", re.I
)
# strength of each status: the hedged wording of a contested claim is the weakest
STRENGTH = {
    "still in negotiations": 0,
    PREVIEW: 1,
    "agreed in principle": 2,
    "will join": 3,
    "has agreed": 3,
}


def modality(text: str) -> tuple[str, str] | None:
    """The status a sentence gives a claim, as (label, phrase), or None."""
    for label, pattern in MODALITY:
        m = pattern.search(text)
        if m:
            return label, m.group(0)
    return None


@dataclass(frozen=True)
class Statuses:
    """The statuses one fact's sentences give its claim, earlier reports set apart."""

    current: dict[str, list[tuple[Unit, str]]]  # label -> (sentence, phrase) of the story now
    earlier: dict[str, list[tuple[Unit, str]]]  # previews a later report superseded
    later: dict[str, list[tuple[Unit, str]]]  # the reports that superseded them


def statuses(articles: Sequence[AnalyzedArticle], units: Sequence[Unit]) -> Statuses:
    """The statuses of one fact's sentences, with previews that a report moved on from apart."""
    found: list[tuple[str, Unit, str]] = []
    for u in units:
        status = modality(articles[u.article].sentences[u.sentence].text)
        if status:
            found.append((status[0], u, status[1]))
    reports = [(label, u, p) for label, u, p in found if label != PREVIEW]
    current: dict[str, list[tuple[Unit, str]]] = {}
    earlier: dict[str, list[tuple[Unit, str]]] = {}
    later: dict[str, list[tuple[Unit, str]]] = {}
    for label, u, phrase in found:
        after = [r for r in reports if label == PREVIEW and _superseded(articles, u, r[1], r[0])]
        if not after:
            current.setdefault(label, []).append((u, phrase))
            continue
        earlier.setdefault(label, []).append((u, phrase))
        for r_label, r_unit, r_phrase in after:
            if all(x is not r_unit for x, _ in later.get(r_label, [])):
                later.setdefault(r_label, []).append((r_unit, r_phrase))
    return Statuses(current, earlier, later)


def _superseded(
    articles: Sequence[AnalyzedArticle], preview: Unit, report: Unit, label: str
) -> bool:
    """Whether a report supersedes a preview: published later, or, when the times do not
    tell them apart, telling of the event in the past tense."""
    if preview.article == report.article:
        return False
    (day_p, time_p), (day_r, time_r) = (
        _published(articles[preview.article]),
        _published(articles[report.article]),
    )
    if time_p is not None and time_r is not None and time_p != time_r:
        return time_p < time_r
    if day_p is not None and day_r is not None and day_p != day_r:
        return day_p < day_r
    text = articles[report.article].sentences[report.sentence].text
    return label in DONE or _REPORTED.search(text) is not None


def _published(article: AnalyzedArticle) -> tuple[dt.date | None, dt.datetime | None]:
    """When an article was published: its day, and its UTC time when it says one."""
    value = article.article.published
    if not value:
        return None, None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None, None
    if len(value) <= 10:
        return when.date(), None
    utc = when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return when.date(), utc


def find_modality(story: ConflictInput) -> list[Conflict]:
    """Facts whose sentences give the claim more than one status (earlier reports aside)."""
    out: list[Conflict] = []
    for units in story.facts:
        modal = statuses(story.articles, units).current
        if len(modal) > 1:
            out.append(value_conflict(story.articles, ConflictKind.MODALITY, "status", modal))
    return out
