"""TimeML type and value of one rule match, read against the publication date and earlier dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from storydesk.analyze.times import dates, days, holidays, periods
from storydesk.analyze.times.rules import DECADE_WORDS, ORDINAL_CENTURIES

TEMPERATURE = re.compile(r"(?i)degree|temperatur|\bhighs?\b|\blows?\b|°|fahrenheit")
ORDINAL_SECOND = re.compile(r"\s+(?!later|earlier|ago|before|after|or|and)[a-z]")
QUARTER_LEAD = re.compile(r"(?:\b(?i:in|for|of|during|its|their|a)|['’]s)\s+$")
QUARTER_TAIL = re.compile(
    r"\s+(?:results|earnings|profits?|sales|revenues?|loss(?:es)?|growth|GDP|figures|output)\b"
)
RATE_WORDS = frozenset({"once", "twice", "thrice", "times", "million", "billion", "thousand"})
SET_UNITS = {
    "day": "P1D",
    "week": "P1W",
    "month": "P1M",
    "quarter": "P1Q",
    "year": "P1Y",
    "morning": "TMO",
    "night": "TNI",
}
# "the following year", "the prior month", "next fiscal year": units on from the reference date
STEPS = {"following": 1, "next": 1, "coming": 1, "previous": -1, "preceding": -1, "prior": -1,
         "last": -1, "this": 0}  # fmt: skip
HALF_UNITS = {"minute": "PT30S", "hour": "PT30M", "day": "PT12H", "week": "P3.5D",
              "month": "P15D", "year": "P6M", "decade": "P5Y", "century": "P50Y"}  # fmt: skip
ADVERB_SETS = {
    "hourly": "PT1H",
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
}


def resolve(
    kind: str,
    m: re.Match[str],
    anchor: date | None,
    tense: Callable[[], str | None],
    seen: list[str],
    article: str = "",
) -> tuple[str, str | None] | None:
    """(TimeML type, value) for one rule match (``article``: its whole text); None drops it."""
    g = m.groupdict()
    if kind in ("weekday_date", "month_day", "second_day", "day_month"):
        return days.month_day(g, anchor, tense)
    if kind == "month_year":
        return "DATE", f"{periods.year_text(g['y'])}-{dates.month_number(g['m']):02d}"
    if kind == "half_rel_year":
        if anchor is None:
            return "DATE", None
        shift = {"next": 1, "last": -1}.get(g["rel"].lower(), 0)
        which = "H1" if g["h"].lower() == "first" else "H2"
        return "DATE", periods.in_year(anchor.year + shift, which)
    if kind == "fiscal_year":
        return "DATE", g["y"]
    if kind == "quarter_abbr":
        told = QUARTER_LEAD.search(m.string, 0, m.start()) or QUARTER_TAIL.match(m.string, m.end())
        if not g.get("y") and not told:
            return None  # "the Audi Q3": a name, unless a year, "in" or "profit" makes it a quarter
        number = int(g["q"] or g["q2"])
        if g.get("y"):
            return "DATE", f"{g['y']}-Q{number}"
        return "DATE", periods.quarter({"q": str(number)}, anchor, seen)
    if kind == "half_year":
        return "DATE", f"{g['y']}-H{1 if g['h'].lower() == 'first' else 2}"
    if kind == "week_of_month":
        month = dates.month_number(g["m"])
        if g.get("y"):
            return "DATE", f"{g['y']}-{month:02d}"
        return "DATE", dates.bare_month(month, anchor, tense()) if anchor else None
    if kind == "week_of":
        return "DATE", days.week_of(g, anchor, tense)
    if kind == "month_noun":
        if m.group("m2") and re.search(r"[A-Z]\w*\s$", m.string[: m.start()]):
            return None  # "Theresa May's": a name, not a month
        month = dates.month_number(g["m"] or g["m2"])
        said = "past" if anchor and tense() == "past" else None  # a plan may sit in any clause
        return "DATE", dates.bare_month(month, anchor, said) if anchor else None
    if kind == "month_rel_year":
        if anchor is None:
            return "DATE", None
        year = dates.year_value(anchor.year + {"this": 0, "next": 1, "last": -1}[g["rel"].lower()])
        return "DATE", f"{year}-{dates.month_number(g['m']):02d}" if year else None
    if kind == "part_year":
        return "DATE", g["y"]
    if kind == "year_period":
        named = periods.story_quarter(seen, anchor)  # "the 1988 period" after "the third quarter"
        return "DATE", f"{g['y']}-Q{named[-1]}" if named else g["y"]
    if kind == "month":
        if anchor is None:
            return "DATE", None
        mod = (g.get("mod") or "").lower()
        said = {"last": "past", "next": "future"}.get(mod)
        month = dates.month_number(g["m"])
        if mod == "this":
            return "DATE", f"{anchor.year:04d}-{month:02d}"
        if mod == "last" and (anchor.month - month) % 12 <= 1:
            # "last February" written in March: last month is "last month", so a year back
            year = dates.year_value(anchor.year - 1)
            return "DATE", f"{year}-{month:02d}" if year else None
        return "DATE", dates.bare_month(month, anchor, said or tense(), near=not said)
    if kind == "iso":
        d = dates.safe_date(int(g["y"]), int(g["mo"]), int(g["d"]))
        return ("DATE", d.isoformat()) if d else None
    if kind == "numeric":
        d = dates.safe_date(int(g["y"]), int(g["mo"]), int(g["d"]))
        return ("DATE", d.isoformat()) if d else None
    if kind == "weekday":
        return days.weekday(g, anchor, tense)
    if kind == "weekday_around":
        return "DATE", days.weekday_around(g, days.last_day(seen) or anchor)
    if kind == "every":
        unit = g["u"].lower()
        if unit[:3] in dates.MONTHS:
            return "SET", f"XXXX-{dates.month_number(unit):02d}"  # "each July"
        if unit in SET_UNITS:
            value = SET_UNITS[unit]
            return "SET", value if value.startswith("P") else f"XXXX-WXX-XT{value[1:]}"
        return "SET", f"XXXX-WXX-{dates.WEEKDAYS[unit] + 1}"
    if kind == "every_n":
        return "SET", dates.duration("2" if g["n"].lower() == "other" else g["n"], g["u"])
    if kind == "vague_stretch":
        return "DURATION", dates.duration("several", g["u"] or g["u2"])
    if kind == "day_beyond":
        day = dates.add_days(anchor, -2 if g.get("before") else 2) if anchor else None
        return "DATE", day.isoformat() if day else None
    if kind == "adverb_set":
        return "SET", ADVERB_SETS[g["a"].lower()]
    if kind == "deictic":
        return days.deictic(g["w"].lower(), g.get("part"), anchor)
    if kind == "mid_part":
        return days.mid_part(g, anchor, tense)
    if kind == "later_date":
        return "DATE", "FUTURE_REF"
    if kind == "current":
        return "DATE", "PAST_REF" if g.get("then") else "PRESENT_REF"  # "the then-current"
    if kind == "ref":
        word = g["w"].lower()
        ref = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "soon": "FUTURE_REF"}
        return "DATE", ref.get(word, "PAST_REF")
    if kind in ("quarter", "the_quarter"):
        return "DATE", periods.quarter(g, anchor, seen)
    if kind == "recent_units":
        return "DURATION", dates.duration("several", g["u"])
    if kind == "coming_units":
        return "DURATION", dates.duration("several", g["u"] or g["u2"])
    if kind == "season_fall":
        return "DATE", periods.nearest_season("fall", anchor, tense())
    if kind == "season":
        said = "past" if g.get("past") else tense()
        return "DATE", periods.nearest_season(g["s"].lower(), anchor, said)
    if kind == "spelled_year":
        return "DATE", periods.spelled_year(g["y"])
    if kind in ("the_past", "past_units"):
        return "DATE", "PAST_REF"
    if kind == "some_day":
        return "DATE", "PAST_REF" if tense() == "past" else "FUTURE_REF"
    if kind == "era":
        return "DATE", "PRESENT_REF"
    if kind == "future_units":
        return "DATE", "FUTURE_REF"
    if kind == "that_part":
        return days.that_part(g, days.last_day(seen))
    if kind == "day_after":
        return days.day_after(g.get("part"), days.last_day(seen) or anchor)
    if kind == "weekend":
        return "DATE", dates.weekend(anchor, tense()) if anchor else None
    if kind == "the_year":
        if g.get("end"):
            return "DURATION", "P1Y"
        return "DATE", f"{anchor.year:04d}" if anchor else None
    if kind == "year_back":
        return "DATE", periods.year_back(anchor, seen, g.get("q"))
    if kind == "period_last_year":
        return "DATE", periods.year_back(anchor, seen, None)
    if kind in ("future_ref", "term_ref"):
        return "DATE", "FUTURE_REF"
    if kind == "relative":
        if g["u"].lower() == "quarter" and g["mod"].lower() == "this" and not g.get("lead"):
            named = periods.story_quarter(seen, anchor)  # "this quarter's loss": the one reported
            return "DATE", named or (dates.shift(anchor, "quarter", 0) if anchor else None)
        return days.relative(g["mod"].lower(), g["u"].lower(), anchor)
    if kind == "anaphoric":
        step = STEPS.get(g["mod"].split()[-1].lower(), 0)
        return periods.anaphoric(g["u"].lower(), seen, step, anchor)
    if kind == "long_adj":
        amount = g["n"] or ("several" if g["pl"] else "1")
        return "DURATION", dates.duration(amount, g["u"])
    if kind == "half_unit":
        return "DURATION", HALF_UNITS[(g["u"] or g["u2"]).lower()]
    if kind == "from_now":
        return "DATE", _from_now(g["n"], g["u"].lower().rstrip("s"), anchor)
    if kind == "fiscal_rel":
        year = dates.year_value(anchor.year + STEPS[g["mod"].lower()]) if anchor else None
        return "DATE", year
    if kind == "this_past":
        return days.relative("last", g["u"].lower(), anchor)
    if kind == "ago":
        n = dates.count(g["n"])
        unit = g["u"].lower().rstrip("s")
        if unit in ("decade", "century", "centurie") and n is not None and anchor is not None:
            return "DATE", dates.year_value(anchor.year - n * (10 if unit == "decade" else 100))
        if n is None or anchor is None or unit not in ("day", "week", "month", "quarter", "year"):
            return "DATE", "PAST_REF" if n is None else None
        if n == 1 and unit == "year":
            return "DATE", periods.year_back(anchor, seen, None)
        return "DATE", dates.shift(anchor, unit, -n)
    if kind == "per_unit":
        prev = g["prev"].lower()
        if prev in RATE_WORDS or prev[-1:].isdigit() or prev[-1:] in "s%" or g["w"][:3] == "per":
            return "SET", dates.duration("1", g["u"])
        return "DURATION", dates.duration("1", g["u"])
    if kind == "past_unit":
        return "DURATION", dates.duration("1", g["u"])
    if kind == "duration" and ORDINAL_SECOND.match(m.string, m.end()) and g["u"] == "second":
        return None  # "a second round": an ordinal, not a length of time
    if kind in ("span", "duration"):
        half = bool(g.get("half") or g.get("and_half"))
        return "DURATION", dates.duration(g["n"], g["u"], half)
    if kind == "range_low":
        return "DURATION", dates.duration(g["n"], g["u"])
    if kind == "for_units":
        return "DURATION", dates.duration("several", g["u"])
    if kind == "decade":
        return "DATE", g["y"][:3] if g.get("y") else periods.decade(int(g["yy"][0]), anchor)
    if kind == "decade_word":
        if TEMPERATURE.search(m.string, max(0, m.start() - 40), m.end() + 12):
            return None  # "highs in the nineties": degrees, not years
        return "DATE", periods.decade(DECADE_WORDS[g["dw"].lower()], anchor)
    if kind == "century":
        number = int(g["n"]) if g.get("n") else ORDINAL_CENTURIES[g["nw"].lower()]
        return "DATE", f"{number - 1:02d}"  # the 20th century: 1900-1999, TimeML "19"
    if kind == "clock_part":
        return days.clock_part(g, days.bare_clock_day(seen, anchor))
    if kind == "year":
        return "DATE", m.group(0)
    if kind == "clock":
        return days.clock(g, days.bare_clock_day(seen, anchor))
    if kind == "clock_day":
        return days.clock_day(g, anchor, tense)
    if kind == "holiday":
        named = " ".join(g["hol"].lower().split())
        country = holidays.independence_country(m.string, article) if "indep" in named else None
        return "DATE", days.holiday(g, anchor, tense, country)
    if kind == "season_year":
        return "DATE", f"{periods.year_text(g['y'])}-{dates.SEASONS[g['s'].lower()]}"
    return None


def _from_now(number: str, unit: str, anchor: date | None) -> str | None:
    """ "Two years from now": that many units after the publication date."""
    n = dates.count(number)
    if n is None:
        return "FUTURE_REF"  # "some years from now"
    if anchor is None:
        return None
    if unit == "decade":
        return dates.year_value(anchor.year + 10 * n)
    return dates.shift(anchor, unit, n)
