"""Years and parts of years: quarters, seasons, decades, "a year ago", "that year"."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from storydesk.analyze.times import dates
from storydesk.text.numbers import TEENS, TENS, UNITS

CALENDAR = re.compile(r"\d{4}(?:-\d\d){0,2}")  # a year, month or day value
QUARTER_VALUE = re.compile(r"(?P<y>\d{4})-Q(?P<q>[1-4])")
QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4}


def quarter(g: dict[str, str | Any], anchor: date | None, seen: list[str]) -> str | None:
    """A calendar quarter: "the third quarter" (the latest one by that number), "the quarter"."""
    year_named = g.get("y") or g.get("y2")
    if g.get("q"):
        number = int(g["q"][0]) if g["q"][0].isdigit() else QUARTERS[g["q"].lower()]
        if year_named:
            return f"{year_named}-Q{number}"
        if anchor is None:
            return None
        if g.get("rel") or g.get("rel2"):  # "next year's first quarter", "… of last year"
            shift = {"next": 1, "last": -1}.get((g.get("rel") or g["rel2"]).lower(), 0)
            return in_year(anchor.year + shift, f"Q{number}")
        current = (anchor.month - 1) // 3 + 1
        return in_year(anchor.year if number <= current else anchor.year - 1, f"Q{number}")
    named = None if g.get("mod") else story_quarter(seen, anchor)
    if named is not None:
        return named  # "the quarter" after "the third quarter": the one the story is about
    if anchor is None:
        return None
    current = (anchor.month - 1) // 3 + 1
    if (g.get("mod") or "").lower() == "current":
        return f"{anchor.year:04d}-Q{current}"
    year, number = (anchor.year, current - 1) if current > 1 else (anchor.year - 1, 4)
    return in_year(year, f"Q{number}")  # "the quarter" in a report: the one just ended


def in_year(year: int, part: str) -> str | None:
    """TimeML value of a part of a year ("1999-Q3", "1999-SU"), or None outside 0000-9999."""
    value = dates.year_value(year)
    return f"{value}-{part}" if value else None


def nearest_season(season: str, anchor: date | None, tense: str | None) -> str | None:
    """ "The summer": this year's, or the latest one in a past context, the next in a future one."""
    if anchor is None:
        return None
    start = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}[season]
    year = anchor.year
    if tense == "past" and anchor.month < start:
        year -= 1
    elif tense == "future" and anchor.month >= start + 3:
        year += 1
    return in_year(year, dates.SEASONS[season])


def spelled_year(words: str) -> str:
    """ "nineteen ninety-six" → "1996", "two thousand one" → "2001"."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w not in ("and", "oh")]
    if parts[:2] == ["two", "thousand"]:
        rest = parts[2:]
        return f"{2000 + (UNITS.get(rest[0]) or TEENS.get(rest[0], 0) if rest else 0):04d}"
    tail = parts[1:]
    number = TEENS.get(tail[0]) or TENS.get(tail[0], 0) or UNITS.get(tail[0], 0)
    if len(tail) > 1:
        number += UNITS.get(tail[1], 0)
    return f"19{number:02d}"


def _latest_quarter(seen: list[str]) -> str | None:
    """The last quarter the text named ("1989-Q3"), if any: what "that quarter" points to."""
    return next((v for v in reversed(seen) if QUARTER_VALUE.fullmatch(v)), None)


def story_quarter(seen: list[str], anchor: date | None) -> str | None:
    """The quarter a results story reports: of the recent ones it names, the one named most
    often, the earliest on a tie (the lead names it first); else the last one named."""
    now = anchor.year * 4 + (anchor.month - 1) // 3 if anchor else None
    quarters = [v for v in seen if QUARTER_VALUE.fullmatch(v)]
    recent = [v for v in quarters if now is None or 0 <= now - _quarter_index(v) <= 4]
    return max(recent, key=recent.count) if recent else _latest_quarter(seen)


def _quarter_index(value: str) -> int:
    """A running number for a quarter value: 4 × year + quarter − 1."""
    return int(value[:4]) * 4 + int(value[-1]) - 1


def year_back(anchor: date | None, seen: list[str], number: str | None) -> str | None:
    """ "A year ago/earlier", "the year-ago quarter": the period a story compares with."""
    # Results stories compare a quarter with the same quarter a year before, so once a quarter
    # has been named the comparison is to that quarter; otherwise it is the previous year.
    named = story_quarter(seen, anchor)
    if number:
        year = int(named[:4]) if named else anchor.year if anchor else None
        return in_year(year - 1, f"Q{QUARTERS[number.lower()]}") if year else None
    if named:
        return in_year(int(named[:4]) - 1, named[5:])
    return dates.year_value(anchor.year - 1) if anchor else None


def anaphoric(
    unit: str, seen: list[str], step: int, anchor: date | None = None
) -> tuple[str, str | None]:
    """ "That year", "the following month": the latest date named, ``step`` units on."""
    fallback = anchor if step else None  # with none named, "the previous year" counts from now
    if unit == "quarter":
        named = _latest_quarter(seen)
        if named is None:
            return "DATE", dates.shift(fallback, "quarter", step) if fallback else None
        index = int(named[:4]) * 4 + int(named[-1]) - 1 + step
        return "DATE", in_year(index // 4, f"Q{index % 4 + 1}")
    width = {"year": 4, "month": 7, "week": 10, "day": 10}.get(unit)
    for value in reversed(seen):
        if width and len(value) >= width and CALENDAR.fullmatch(value[:width]):
            if not step and unit != "week":
                return "DATE", value[:width]
            d = dates.parse_published(value[:10] if width == 10 else value[:7] + "-01")
            if width == 4:
                return "DATE", dates.year_value(int(value[:4]) + step)
            return "DATE", dates.shift(d, unit, step) if d else None
    return "DATE", dates.shift(fallback, unit, step) if fallback and width else None


def year_text(year: str) -> str:
    """A year as digits, whether written so or spelled out."""
    return year if year.isdigit() else spelled_year(year)


def decade(digit: int, anchor: date | None) -> str:
    """ "The nineties", "the '80s": the latest such decade up to the publication year."""
    century = anchor.year // 100 if anchor else 19
    if anchor and century * 100 + digit * 10 > anchor.year:
        century -= 1
    return f"{century:02d}{digit}"
