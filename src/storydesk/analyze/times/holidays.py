"""Named holidays and their dates in a given year, for time expressions like "Thanksgiving"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR, date, timedelta

from storydesk.text.canon import country_named, demonym_country


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1 for the last) given weekday of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


HOLIDAYS: dict[str, Callable[[int], date]] = {
    "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31),
    "valentine's day": lambda y: date(y, 2, 14),
    "easter sunday": easter,
    "easter": easter,
    "good friday": lambda y: easter(y) - timedelta(days=2),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "halloween": lambda y: date(y, 10, 31),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "veterans day": lambda y: date(y, 11, 11),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25),
    "boxing day": lambda y: date(y, 12, 26),
}
# Independence days of a few countries often in the news, by the names canon.py gives them.
INDEPENDENCE_DAYS = {
    "United States": (7, 4), "India": (8, 15), "Pakistan": (8, 14), "Mexico": (9, 16),
    "Indonesia": (8, 17), "Philippines": (6, 12), "Brazil": (9, 7), "Ukraine": (8, 24),
    "Kazakhstan": (12, 16),
}  # fmt: skip
NOT_COUNTRIES = frozenset({"European Union", "United Nations"})
INDEPENDENCE = "independence day"
CAPITALISED = re.compile(r"[A-Z][\w.]*(?:['’]s)?")
# Longest first so "Christmas Eve" wins over "Christmas"; apostrophes may be curly.
NAMES = "|".join(
    name.replace("'", "['’]").replace(" ", r"\s+")
    for name in sorted([*HOLIDAYS, INDEPENDENCE], key=len, reverse=True)
)


def holiday(name: str, year: int, country: str | None = "United States") -> date | None:
    """The date of a named holiday in a year (Independence Day: the given country's, if known)."""
    key = " ".join(name.lower().replace("’", "'").split())
    if not MINYEAR <= year <= MAXYEAR:
        return None  # the calendar has no such year
    if key == INDEPENDENCE:
        month_day = INDEPENDENCE_DAYS.get(country or "")
        return date(year, *month_day) if month_day else None
    try:
        return HOLIDAYS[key](year)
    except (ValueError, OverflowError):  # a rule that reaches past the calendar's ends
        return None


def nearest_holiday(
    name: str, anchor: date, tense: str | None, country: str | None = "United States"
) -> date | None:
    """The holiday's date nearest the anchor, the last one for past and next one for future."""
    found = [holiday(name, y, country) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    options = [d for d in found if d is not None]
    if not options:
        return None
    if tense == "past":
        return max((d for d in options if d <= anchor), default=None)
    if tense == "future":
        return min((d for d in options if d >= anchor), default=None)
    return min(options, key=lambda d: abs((d - anchor).days))


def countries_in(text: str) -> set[str]:
    """Countries a text names or whose people it names ("Kazakh", "India's"), by canon.py."""
    words = CAPITALISED.findall(text)
    found = set()
    for i in range(len(words)):
        for n in (3, 2, 1):
            phrase = " ".join(words[i : i + n])
            country = country_named(phrase) or (demonym_country(phrase) if n == 1 else None)
            if country and country not in NOT_COUNTRIES:
                found.add(country)
                break
    return found


def independence_country(paragraph: str, article: str) -> str | None:
    """Whose Independence Day a text means: the one other country named, else the US's.

    The paragraph decides if it names a country, else the whole article; None when several
    countries besides the United States are named.
    """
    for text in (paragraph, article):
        named = countries_in(text)
        others = named - {"United States"}
        if len(others) == 1:
            return others.pop()
        if others:
            return None
        if named:
            return "United States"
    return "United States"
