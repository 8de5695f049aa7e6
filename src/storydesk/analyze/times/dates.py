"""Date arithmetic for TimeML values, anchored on the publication date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

from storydesk.text.numbers import SCALES, TEENS, TENS, UNITS

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
# The counts a duration may be given in: no "zero" or "dozen"; hundreds and up multiply.
COUNT_WORDS: Mapping[str, int] = MappingProxyType(
    {"a": 1, "an": 1, **UNITS, **TEENS, **TENS, "a couple of": 2, "a couple": 2, "couple of": 2}
)
MULTIPLIERS: Mapping[str, int] = MappingProxyType(
    {word: SCALES[word] for word in ("hundred", "thousand", "million")}
)
VAGUE_NUMBERS = frozenset({"a few", "few", "several", "many", "some"})
UNIT_CODES = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "week": "W",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "centuries": "CE",
}  # fmt: skip
YEARS_IN = {"DE": 10, "CE": 100}
HALVES = {"Y": "6M", "M": "15D", "D": "T12H", "TH": "30M", "TM": "30S"}  # "2 1/2 years": P2Y6M
PART_OF_DAY = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}
NEAR_DAYS = 90  # a month and day this close to publication is taken in the nearest year
NEAR_MONTHS = 2  # likewise for a month named alone
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}


def parse_published(published: str | None) -> date | None:
    """The calendar date of an ISO date or datetime string, or None."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def month_number(word: str) -> int:
    """1-12 for a month name or abbreviation ("Nov.", "Sept", "November")."""
    return MONTHS[word.strip(".").lower()[:3]]


def add_days(day: date, days: int) -> date | None:
    """The date ``days`` after ``day`` (before, if negative), or None past year 1 or 9999."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def year_value(year: int) -> str | None:
    """A year as a four-digit TimeML value, or None outside 0000-9999."""
    return f"{year:04d}" if 0 <= year <= 9999 else None


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None for impossible ones (February 30)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_day(month: int, day: int, anchor: date, tense: str | None) -> date | None:
    """A month and day without a year, placed in the year the context makes likeliest."""
    options = [
        d
        for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (d := safe_date(y, month, day)) is not None
    ]
    if not options:
        return None
    if tense == "past":  # "was signed on Jan. 5" in a November story: the January gone by
        earlier = [d for d in options if (d - anchor).days <= 1]
        return earlier[-1] if earlier else options[0]
    nearest = min(options, key=lambda d: abs((d - anchor).days))
    if abs((nearest - anchor).days) <= NEAR_DAYS:
        return nearest  # otherwise the tense tells the year only for dates far from publication
    if tense == "future":
        later = [d for d in options if (d - anchor).days >= -1]
        return later[0] if later else options[-1]
    same_year = safe_date(anchor.year, month, day)
    if same_year is not None and abs((same_year - anchor).days) <= 183:
        return same_year
    return min(options, key=lambda d: abs((d - anchor).days))


def bare_month(month: int, anchor: date, tense: str | None, near: bool = True) -> str | None:
    """YYYY-MM for a month named without a year ("in May"; ``near``: the closest if close)."""
    year = anchor.year
    ahead = (month - anchor.month) % 12
    if tense == "past" and month <= anchor.month:
        pass  # "fell in January" in a November story: this January
    elif near and (ahead <= NEAR_MONTHS or 12 - ahead <= NEAR_MONTHS):
        year = (anchor.year * 12 + anchor.month - 1 + (ahead if ahead <= 6 else ahead - 12)) // 12
    elif tense == "past":
        year -= 1
    elif tense == "future" and month < anchor.month:
        year += 1
    value = year_value(year)
    return f"{value}-{month:02d}" if value else None


def weekday(day: int, anchor: date, tense: str | None, modifier: str | None) -> date | None:
    """The date of a weekday named relative to the anchor ("last Monday", "said Thursday").

    "Last Tuesday" is the Tuesday of the week before the anchor's (weeks from Monday): written
    on a Wednesday it is eight days back, since the day before would be "Tuesday".
    """
    back = (anchor.weekday() - day) % 7
    ahead = (day - anchor.weekday()) % 7
    if modifier == "last":
        return add_days(anchor, day - anchor.weekday() - 7)
    if modifier in ("next", "coming"):
        return add_days(anchor, ahead or 7)
    if modifier == "this":
        return add_days(anchor, day - anchor.weekday())
    if tense == "future":
        # "will meet Thursday" in a piece dated Friday means the day before, not six days on:
        # writers say "next Thursday" for that, and dates are often a UTC day late.
        return add_days(anchor, ahead if ahead < 6 else -1)
    return add_days(anchor, -back)


def weekend(anchor: date, tense: str | None) -> str | None:
    """TimeML value of "the weekend": the coming one in future contexts, else the latest."""
    if anchor.weekday() >= 5 or tense == "future":
        saturday = add_days(anchor, 5 - anchor.weekday())
    else:
        saturday = add_days(anchor, -anchor.weekday() - 2)
    return iso_week(saturday, "-WE")


def iso_week(day: date | None, suffix: str = "") -> str | None:
    """TimeML value of the ISO week holding a day ("2025-W45"), or None without a day."""
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}{suffix}"


def shift(anchor: date, unit: str, amount: int) -> str | None:
    """TimeML value of the unit (day/week/month/year) ``amount`` units from the anchor."""
    if unit == "day":
        day = add_days(anchor, amount)
        return day.isoformat() if day else None
    if unit in ("week", "weekend"):
        return iso_week(add_days(anchor, 7 * amount), "-WE" if unit == "weekend" else "")
    if unit == "quarter":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + amount
        year = year_value(index // 4)
        return f"{year}-Q{index % 4 + 1}" if year else None
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 + amount
        year = year_value(index // 12)
        return f"{year}-{index % 12 + 1:02d}" if year else None
    if unit == "decade":
        decade = anchor.year // 10 + amount
        return f"{decade:03d}" if 0 <= decade <= 999 else None
    return year_value(anchor.year + amount)


def duration(number: str, unit: str, half: bool = False) -> str:
    """TimeML duration ("P33Y", "PT2H", "PXY") for a count and a unit word (and a half)."""
    unit = unit.lower().rstrip("s") if unit.lower() != "centuries" else "centuries"
    code = UNIT_CODES.get(unit, "Y")
    key = number.lower()
    value = count(key)
    if key in VAGUE_NUMBERS:
        amount = "X"
    elif value is not None:
        amount = str(value)
    else:
        amount = number.replace(",", "")
    extra = HALVES.get(code, "") if half and amount.isdigit() else ""
    if half and amount.isdigit() and not extra:
        amount += ".5"  # ISO 8601 allows a fraction in the last unit: "P3.5W"
    if code.startswith("T"):
        return f"PT{amount}{code[1]}{extra}"
    if extra:
        return f"P{amount}{code}{extra}"
    if code in YEARS_IN and amount.isdigit():
        return f"P{int(amount) * YEARS_IN[code]}Y"  # "two decades": P20Y, as annotators write it
    if code == "DE" and amount == "X":
        return "PXY"  # "for decades", "decades-long": some years, written in years likewise
    return f"P{amount}{code}"


def count(number: str) -> int | None:
    """An integer for digits or number words ("twenty-four", "two hundred"), None if vague."""
    key = number.lower().replace(",", "")
    if key in COUNT_WORDS:
        return COUNT_WORDS[key]
    if key.isdigit():
        return int(key)
    total = current = 0
    for word in key.replace("-", " ").split():
        if word in MULTIPLIERS:
            current = (current or 1) * MULTIPLIERS[word]
            if MULTIPLIERS[word] > 100:  # "two thousand five hundred": close the thousands
                total, current = total + current, 0
        elif word in COUNT_WORDS and word != "and":
            current += COUNT_WORDS[word]
        elif word != "and":
            return None
    return total + current or None
