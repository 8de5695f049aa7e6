"""Days and clock times: weekdays, today/yesterday, "this week", "that night", "10 p.m. Monday"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from storydesk.analyze.times import dates, holidays

DAY_VALUE = re.compile(r"\d{4}-\d\d-\d\d")  # a calendar day, not a week ("2026-W10")
NEWS_DAYS = 7  # a named day this close to publication is the day a bare clock time is on


def weekday(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None]:
    """A weekday: a set when plural, else a date placed by modifier or tense."""
    day = dates.WEEKDAYS[g["w"].lower()]
    part = g.get("part") or g.get("cpart")
    if g.get("pl") or g.get("parts") or g.get("cpart"):  # "Mondays", "Tuesday nights"
        suffix = dates.PART_OF_DAY[part.lower()] if part else ""
        return "SET", f"XXXX-WXX-{day + 1}{suffix}"
    if anchor is None:
        return ("TIME" if part else "DATE"), None
    mod = (g.get("mod") or "").lower() or None
    d = dates.weekday(day, anchor, None if mod else tense(), mod)
    if d is None:
        return ("TIME" if part else "DATE"), None
    if part:
        return "TIME", d.isoformat() + dates.PART_OF_DAY[part.lower()]
    return "DATE", d.isoformat()


def weekday_around(g: dict[str, str | Any], day: date | None) -> str | None:
    """ "The previous Friday", "the following Monday": that weekday just before or after ``day``."""
    if day is None:
        return None
    named = dates.WEEKDAYS[g["w"].lower()]
    if g["mod"].lower() == "following":
        found = dates.add_days(day, (named - day.weekday() - 1) % 7 + 1)
    else:
        found = dates.add_days(day, -((day.weekday() - named - 1) % 7 + 1))
    return found.isoformat() if found else None


def deictic(word: str, part: str | None, anchor: date | None) -> tuple[str, str | None]:
    """Today, tonight, yesterday, tomorrow (with a part of the day)."""
    suffix = dates.PART_OF_DAY[part.lower()] if part else "TNI" if word == "tonight" else ""
    kind = "TIME" if suffix else "DATE"
    if anchor is None:
        return kind, None
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    day = dates.add_days(anchor, offset)
    return kind, day.isoformat() + suffix if day else None


def relative(mod: str, unit: str, anchor: date | None) -> tuple[str, str | None]:
    """This/last/next week, month, year, season or part of the day."""
    amount = {"this": 0, "last": -1, "next": 1, "coming": 1}[mod]
    if unit in dates.PART_OF_DAY:
        if anchor is None:
            return "TIME", None
        day = dates.add_days(anchor, -1 if mod == "last" else 1 if amount > 0 else 0)
        return "TIME", day.isoformat() + dates.PART_OF_DAY[unit] if day else None
    if anchor is None:
        return "DATE", None
    if unit in dates.SEASONS:
        year = dates.year_value(anchor.year + amount)
        return "DATE", f"{year}-{dates.SEASONS[unit]}" if year else None
    return "DATE", dates.shift(anchor, unit, amount)


def last_day(seen: list[str]) -> date | None:
    """The day the text last named ("Friday", "Oct. 13"): the day a bare clock time is on."""
    days = (v for v in reversed(seen) if DAY_VALUE.match(v))
    return next((d for v in days if (d := dates.parse_published(v[:10]))), None)


def that_part(g: dict[str, str | Any], day: date | None) -> tuple[str, str | None]:
    """ "That night" (on ``day``), "the day before." (next to it); None without a named day."""
    part = g.get("part") or (g["p2"] if g.get("p2") == "night" else None)
    step = {"before": -1, "after": 1}.get(g.get("rel") or "", 0)
    suffix = dates.PART_OF_DAY[part.lower()] if part else ""
    found = dates.add_days(day, step) if day else None
    return ("TIME" if suffix else "DATE"), found.isoformat() + suffix if found else None


def day_after(part: str | None, day: date | None) -> tuple[str, str | None]:
    """ "The next day", "the following morning": the day after ``day``, with its part."""
    suffix = dates.PART_OF_DAY[part.lower()] if part else ""
    after = dates.add_days(day, 1) if day else None
    return ("TIME" if suffix else "DATE"), after.isoformat() + suffix if after else None


def bare_clock_day(seen: list[str], anchor: date | None) -> date | None:
    """The day of a bare clock time: the day last named if within a week, else publication."""
    day = last_day(seen)
    if day is None or anchor is None or abs((day - anchor).days) > NEWS_DAYS:
        return anchor
    return day


def clock(g: dict[str, str | Any], anchor: date | None) -> tuple[str, str | None]:
    """A clock time ("5 p.m.", "noon") on ``anchor``, the day it is read against."""
    if anchor is None:
        return "TIME", None
    return "TIME", f"{anchor.isoformat()}T{_hh_mm(g)}"


def _hh_mm(g: dict[str, str | Any]) -> str:
    """HH:MM of a clock match; midnight is the end of its day (24:00), as TimeML writes it."""
    if g.get("noon"):
        return "24:00" if g["noon"] == "midnight" else "12:00"
    hour = int(g["h"]) % 12 + (12 if g["ap"].lower().startswith("p") else 0)
    return f"{hour:02d}:{int(g['mi'] or 0):02d}"


def clock_day(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None] | None:
    """A clock time on a named day ("10 p.m. Wednesday", "5 p.m. EST Nov. 9", "3 p.m. today")."""
    if g.get("dw"):
        offset = {"yesterday": -1, "tomorrow": 1}.get(g["dw"].lower(), 0)
        found = dates.add_days(anchor, offset) if anchor else None
        day = found.isoformat() if found else None
    elif g.get("w"):
        day = weekday(g, anchor, tense)[1]
    else:
        resolved = month_day(g, anchor, tense)
        if resolved is None:
            return None
        day = resolved[1]
    return "TIME", f"{day}T{_hh_mm(g)}" if day else None


def month_day(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None] | None:
    """A month and day, with its year if given, else the likeliest one."""
    month, day = dates.month_number(g["m"]), int(g["d"])
    if not 1 <= day <= 31:
        return None
    year = g.get("y") or g.get("y2")
    if year:
        d = dates.safe_date(int(year), month, day)
        return "DATE", d.isoformat() if d else None
    if anchor is None:
        return "DATE", None
    if g.get("w"):  # "Monday, March 4": the nearby year in which that day is a Monday
        named = dates.WEEKDAYS[g["w"].lower()]
        fits = [
            d
            for y in (anchor.year - 1, anchor.year, anchor.year + 1)
            if (d := dates.safe_date(y, month, day)) and d.weekday() == named
        ]
        if len(fits) == 1:
            return "DATE", fits[0].isoformat()
    d = dates.month_day(month, day, anchor, tense())
    return "DATE", d.isoformat() if d else None


def holiday(
    g: dict[str, str | Any],
    anchor: date | None,
    tense: Callable[[], str | None],
    country: str | None,
) -> str | None:
    """A named holiday: in the year given, else the one the modifier or tense points to."""
    if g.get("y"):
        found = holidays.holiday(g["hol"], int(g["y"]), country)
    elif anchor is None:
        return None
    elif (g.get("mod") or "").lower() == "this":
        found = holidays.holiday(g["hol"], anchor.year, country)
    else:
        said = {"last": "past", "next": "future"}.get((g.get("mod") or "").lower())
        # "as Easter week began": a holiday's week may be under way, so the nearest one
        told = said or (None if g.get("week") else tense())
        found = holidays.nearest_holiday(g["hol"], anchor, told, country)
    if found and g.get("week"):
        year, week, _ = found.isocalendar()
        return f"{year:04d}-W{week:02d}"  # "Christmas week": the week holding the day
    return found.isoformat() if found else None


def week_of(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> str | None:
    """ "The week of March 6": the ISO week holding that day."""
    resolved = month_day(g, anchor, tense)
    day = dates.parse_published(resolved[1]) if resolved and resolved[1] else None
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def mid_part(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None]:
    """ "Mid-afternoon yesterday": a part of a named day, else of the publication day."""
    word = (g.get("w") or "").lower()
    if word in dates.WEEKDAYS:
        return weekday({"w": word, "part": g["part"]}, anchor, tense)
    return deictic(word or "today", g["part"], anchor)


def clock_part(g: dict[str, str | Any], anchor: date | None) -> tuple[str, str | None]:
    """ "4 in the morning", "9 in the evening": a clock time on the publication date."""
    hour = int(g["h"]) % 12
    part = g["part"].lower()
    if part in ("afternoon", "evening") or (part == "night" and hour >= 6):
        hour += 12
    if anchor is None:
        return "TIME", None
    return "TIME", f"{anchor.isoformat()}T{hour:02d}:{int(g['mi'] or 0):02d}"
