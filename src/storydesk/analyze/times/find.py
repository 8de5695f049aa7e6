"""Time expressions found by rules and normalised to TimeML values against the publication date."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from storydesk.analyze.nlp import Parsed
from storydesk.analyze.times import dates, holidays
from storydesk.analyze.times.events import dated_event
from storydesk.analyze.times.rules import DECADE_WORDS, ORDINAL_CENTURIES, RULES, SPAN_GROUP
from storydesk.analyze.times.tense import date_cue, tense_at, token_ent
from storydesk.model import TimeExpression, TimeType
from storydesk.text.numbers import TEENS, TENS, UNITS

MONTH_KINDS = frozenset(
    {"weekday_date", "month_day", "second_day", "day_month", "month", "month_noun"}
)
UNTIL = re.compile(r"\b(?:until|till)\s+(?:at\s+)?$", re.I)
# Rules whose values are read off other expressions; only stated values are referred back to.
DERIVED = frozenset(
    {"ago", "year_back", "period_last_year", "anaphoric", "the_quarter", "year_period"}
)
TEMPERATURE = re.compile(r"(?i)degree|temperatur|\bhighs?\b|\blows?\b|°|fahrenheit")
ORDINAL_SECOND = re.compile(r"\s+(?!later|earlier|ago|before|after|or|and)[a-z]")
DAY_VALUE = re.compile(r"\d{4}-\d\d-\d\d")  # a calendar day, not a week ("2026-W10")
CALENDAR = re.compile(r"\d{4}(?:-\d\d){0,2}")  # a year, month or day value
QUARTER_LEAD = re.compile(r"(?:\b(?i:in|for|of|during|its|their|a)|['’]s)\s+$")
QUARTER_TAIL = re.compile(
    r"\s+(?:results|earnings|profits?|sales|revenues?|loss(?:es)?|growth|GDP|figures|output)\b"
)
QUARTER_VALUE = re.compile(r"(?P<y>\d{4})-Q(?P<q>[1-4])")
NEWS_DAYS = 7  # a named day this close to publication is the day a bare clock time is on
RATE_WORDS = frozenset({"once", "twice", "thrice", "times", "million", "billion", "thousand"})
NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4}
SET_UNITS = {
    "day": "P1D",
    "week": "P1W",
    "month": "P1M",
    "quarter": "P1Q",
    "year": "P1Y",
    "morning": "TMO",
    "night": "TNI",
}
ADVERB_SETS = {
    "hourly": "PT1H",
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
}


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
        return _month_day(g, anchor, tense)
    if kind == "month_year":
        return "DATE", f"{_year_text(g['y'])}-{dates.month_number(g['m']):02d}"
    if kind == "half_rel_year":
        if anchor is None:
            return "DATE", None
        shift = {"next": 1, "last": -1}.get(g["rel"].lower(), 0)
        return "DATE", _in_year(anchor.year + shift, "H1" if g["h"].lower() == "first" else "H2")
    if kind == "fiscal_year":
        return "DATE", g["y"]
    if kind == "quarter_abbr":
        told = QUARTER_LEAD.search(m.string, 0, m.start()) or QUARTER_TAIL.match(m.string, m.end())
        if not g.get("y") and not told:
            return None  # "the Audi Q3": a name, unless a year, "in" or "profit" makes it a quarter
        number = int(g["q"] or g["q2"])
        if g.get("y"):
            return "DATE", f"{g['y']}-Q{number}"
        return "DATE", _quarter({"q": str(number)}, anchor, seen)
    if kind == "half_year":
        return "DATE", f"{g['y']}-H{1 if g['h'].lower() == 'first' else 2}"
    if kind == "week_of":
        return "DATE", _week_of(g, anchor, tense)
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
        named = _story_quarter(seen, anchor)  # "the 1988 period" after "the third quarter"
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
        return _weekday(g, anchor, tense)
    if kind == "weekday_around":
        return "DATE", _weekday_around(g, _last_day(seen) or anchor)
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
        return _deictic(g["w"].lower(), g.get("part"), anchor)
    if kind == "mid_part":
        return _mid_part(g, anchor, tense)
    if kind == "later_date":
        return "DATE", "FUTURE_REF"
    if kind == "current":
        return "DATE", "PAST_REF" if g.get("then") else "PRESENT_REF"  # "the then-current"
    if kind == "ref":
        word = g["w"].lower()
        ref = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "soon": "FUTURE_REF"}
        return "DATE", ref.get(word, "PAST_REF")
    if kind in ("quarter", "the_quarter"):
        return "DATE", _quarter(g, anchor, seen)
    if kind == "recent_units":
        return "DURATION", dates.duration("several", g["u"])
    if kind == "coming_units":
        return "DURATION", dates.duration("several", g["u"] or g["u2"])
    if kind == "season_fall":
        return "DATE", _season("fall", anchor, tense())
    if kind == "season":
        return "DATE", _season(g["s"].lower(), anchor, "past" if g.get("past") else tense())
    if kind == "spelled_year":
        return "DATE", _spelled_year(g["y"])
    if kind in ("the_past", "past_units"):
        return "DATE", "PAST_REF"
    if kind == "some_day":
        return "DATE", "PAST_REF" if tense() == "past" else "FUTURE_REF"
    if kind == "era":
        return "DATE", "PRESENT_REF"
    if kind == "future_units":
        return "DATE", "FUTURE_REF"
    if kind == "that_part":
        return _that_part(g, _last_day(seen))
    if kind == "day_after":
        return _day_after(g.get("part"), _last_day(seen) or anchor)
    if kind == "weekend":
        return "DATE", dates.weekend(anchor, tense()) if anchor else None
    if kind == "the_year":
        if g.get("end"):
            return "DURATION", "P1Y"
        return "DATE", f"{anchor.year:04d}" if anchor else None
    if kind == "year_back":
        return "DATE", _year_back(anchor, seen, g.get("q"))
    if kind == "period_last_year":
        return "DATE", _year_back(anchor, seen, None)
    if kind in ("future_ref", "term_ref"):
        return "DATE", "FUTURE_REF"
    if kind == "relative":
        if g["u"].lower() == "quarter" and g["mod"].lower() == "this" and not g.get("lead"):
            named = _story_quarter(seen, anchor)  # "this quarter's loss": the one reported
            return "DATE", named or (dates.shift(anchor, "quarter", 0) if anchor else None)
        return _relative(g["mod"].lower(), g["u"].lower(), anchor)
    if kind == "anaphoric":
        step = {"following": 1, "previous": -1, "preceding": -1}.get(g["mod"].split()[-1].lower())
        return _anaphoric(g["u"].lower(), seen, step or 0)
    if kind == "ago":
        n = dates.count(g["n"])
        unit = g["u"].lower().rstrip("s")
        if unit in ("decade", "century", "centurie") and n is not None and anchor is not None:
            return "DATE", dates.year_value(anchor.year - n * (10 if unit == "decade" else 100))
        if n is None or anchor is None or unit not in ("day", "week", "month", "quarter", "year"):
            return "DATE", "PAST_REF" if n is None else None
        if n == 1 and unit == "year":
            return "DATE", _year_back(anchor, seen, None)
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
        return "DATE", g["y"][:3] if g.get("y") else _decade(int(g["yy"][0]), anchor)
    if kind == "decade_word":
        if TEMPERATURE.search(m.string, max(0, m.start() - 40), m.end() + 12):
            return None  # "highs in the nineties": degrees, not years
        return "DATE", _decade(DECADE_WORDS[g["dw"].lower()], anchor)
    if kind == "century":
        number = int(g["n"]) if g.get("n") else ORDINAL_CENTURIES[g["nw"].lower()]
        return "DATE", f"{number - 1:02d}"  # the 20th century: 1900-1999, TimeML "19"
    if kind == "clock_part":
        return _clock_part(g, _bare_clock_day(seen, anchor))
    if kind == "year":
        return "DATE", m.group(0)
    if kind == "clock":
        return _clock(g, _bare_clock_day(seen, anchor))
    if kind == "clock_day":
        return _clock_day(g, anchor, tense)
    if kind == "holiday":
        named = " ".join(g["hol"].lower().split())
        country = holidays.independence_country(m.string, article) if "indep" in named else None
        return "DATE", _holiday(g, anchor, tense, country)
    if kind == "season_year":
        return "DATE", f"{_year_text(g['y'])}-{dates.SEASONS[g['s'].lower()]}"
    return None


def _weekday(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None]:
    """A weekday: a set when plural, else a date placed by modifier or tense."""
    day = dates.WEEKDAYS[g["w"].lower()]
    part = g.get("part")
    if g.get("pl") or g.get("parts"):  # "Mondays", "Tuesday nights"
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


def _weekday_around(g: dict[str, str | Any], day: date | None) -> str | None:
    """ "The previous Friday", "the following Monday": that weekday just before or after ``day``."""
    if day is None:
        return None
    named = dates.WEEKDAYS[g["w"].lower()]
    if g["mod"].lower() == "following":
        found = dates.add_days(day, (named - day.weekday() - 1) % 7 + 1)
    else:
        found = dates.add_days(day, -((day.weekday() - named - 1) % 7 + 1))
    return found.isoformat() if found else None


def _deictic(word: str, part: str | None, anchor: date | None) -> tuple[str, str | None]:
    """Today, tonight, yesterday, tomorrow (with a part of the day)."""
    suffix = dates.PART_OF_DAY[part.lower()] if part else "TNI" if word == "tonight" else ""
    kind = "TIME" if suffix else "DATE"
    if anchor is None:
        return kind, None
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    day = dates.add_days(anchor, offset)
    return kind, day.isoformat() + suffix if day else None


def _relative(mod: str, unit: str, anchor: date | None) -> tuple[str, str | None]:
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


def _quarter(g: dict[str, str | Any], anchor: date | None, seen: list[str]) -> str | None:
    """A calendar quarter: "the third quarter" (the latest one by that number), "the quarter"."""
    year_named = g.get("y") or g.get("y2")
    if g.get("q"):
        number = int(g["q"][0]) if g["q"][0].isdigit() else QUARTERS[g["q"].lower()]
        if year_named:
            return f"{year_named}-Q{number}"
        if anchor is None:
            return None
        if g.get("rel"):
            shift = {"next": 1, "last": -1}.get(g["rel"].lower(), 0)
            return _in_year(anchor.year + shift, f"Q{number}")
        current = (anchor.month - 1) // 3 + 1
        return _in_year(anchor.year if number <= current else anchor.year - 1, f"Q{number}")
    named = None if g.get("mod") else _story_quarter(seen, anchor)
    if named is not None:
        return named  # "the quarter" after "the third quarter": the one the story is about
    if anchor is None:
        return None
    current = (anchor.month - 1) // 3 + 1
    if (g.get("mod") or "").lower() == "current":
        return f"{anchor.year:04d}-Q{current}"
    year, number = (anchor.year, current - 1) if current > 1 else (anchor.year - 1, 4)
    return _in_year(year, f"Q{number}")  # "the quarter" in a report: the one just ended


def _in_year(year: int, part: str) -> str | None:
    """TimeML value of a part of a year ("1999-Q3", "1999-SU"), or None outside 0000-9999."""
    value = dates.year_value(year)
    return f"{value}-{part}" if value else None


def _season(season: str, anchor: date | None, tense: str | None) -> str | None:
    """ "The summer": this year's, or the latest one in a past context, the next in a future one."""
    if anchor is None:
        return None
    start = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}[season]
    year = anchor.year
    if tense == "past" and anchor.month < start:
        year -= 1
    elif tense == "future" and anchor.month >= start + 3:
        year += 1
    return _in_year(year, dates.SEASONS[season])


def _spelled_year(words: str) -> str:
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


def _story_quarter(seen: list[str], anchor: date | None) -> str | None:
    """The quarter a results story reports: of the recent ones it names, the one named most
    often, the earliest on a tie (the lead names it first); else the last one named."""
    now = anchor.year * 4 + (anchor.month - 1) // 3 if anchor else None
    quarters = [v for v in seen if QUARTER_VALUE.fullmatch(v)]
    recent = [v for v in quarters if now is None or 0 <= now - _quarter_index(v) <= 4]
    return max(recent, key=recent.count) if recent else _latest_quarter(seen)


def _quarter_index(value: str) -> int:
    """A running number for a quarter value: 4 × year + quarter − 1."""
    return int(value[:4]) * 4 + int(value[-1]) - 1


def _year_back(anchor: date | None, seen: list[str], number: str | None) -> str | None:
    """ "A year ago/earlier", "the year-ago quarter": the period a story compares with."""
    # Results stories compare a quarter with the same quarter a year before, so once a quarter
    # has been named the comparison is to that quarter; otherwise it is the previous year.
    named = _story_quarter(seen, anchor)
    if number:
        year = int(named[:4]) if named else anchor.year if anchor else None
        return _in_year(year - 1, f"Q{QUARTERS[number.lower()]}") if year else None
    if named:
        return _in_year(int(named[:4]) - 1, named[5:])
    return dates.year_value(anchor.year - 1) if anchor else None


def _anaphoric(unit: str, seen: list[str], step: int) -> tuple[str, str | None]:
    """ "That year", "the following month": the latest date named before it, ``step`` units on."""
    if unit == "quarter":
        named = _latest_quarter(seen)
        if named is None:
            return "DATE", None
        index = int(named[:4]) * 4 + int(named[-1]) - 1 + step
        return "DATE", _in_year(index // 4, f"Q{index % 4 + 1}")
    width = {"year": 4, "month": 7, "day": 10}.get(unit)
    for value in reversed(seen):
        if width and len(value) >= width and CALENDAR.fullmatch(value[:width]):
            if not step:
                return "DATE", value[:width]
            d = dates.parse_published(value[:10] if width == 10 else value[:7] + "-01")
            if width == 4:
                return "DATE", dates.year_value(int(value[:4]) + step)
            return "DATE", dates.shift(d, unit, step) if d else None
    return "DATE", None


def _last_day(seen: list[str]) -> date | None:
    """The day the text last named ("Friday", "Oct. 13"): the day a bare clock time is on."""
    days = (v for v in reversed(seen) if DAY_VALUE.match(v))
    return next((d for v in days if (d := dates.parse_published(v[:10]))), None)


def _that_part(g: dict[str, str | Any], day: date | None) -> tuple[str, str | None]:
    """ "That night" (on ``day``), "the day before." (next to it); None without a named day."""
    part = g.get("part") or (g["p2"] if g.get("p2") == "night" else None)
    step = {"before": -1, "after": 1}.get(g.get("rel") or "", 0)
    suffix = dates.PART_OF_DAY[part.lower()] if part else ""
    found = dates.add_days(day, step) if day else None
    return ("TIME" if suffix else "DATE"), found.isoformat() + suffix if found else None


def _day_after(part: str | None, day: date | None) -> tuple[str, str | None]:
    """ "The next day", "the following morning": the day after ``day``, with its part."""
    suffix = dates.PART_OF_DAY[part.lower()] if part else ""
    after = dates.add_days(day, 1) if day else None
    return ("TIME" if suffix else "DATE"), after.isoformat() + suffix if after else None


def _bare_clock_day(seen: list[str], anchor: date | None) -> date | None:
    """The day of a bare clock time: the day last named if within a week, else publication."""
    day = _last_day(seen)
    if day is None or anchor is None or abs((day - anchor).days) > NEWS_DAYS:
        return anchor
    return day


def _clock(g: dict[str, str | Any], anchor: date | None) -> tuple[str, str | None]:
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


def _clock_day(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None] | None:
    """A clock time on a named day ("10 p.m. Wednesday", "5 p.m. EST Nov. 9")."""
    if g.get("w"):
        day = _weekday(g, anchor, tense)[1]
    else:
        resolved = _month_day(g, anchor, tense)
        if resolved is None:
            return None
        day = resolved[1]
    return "TIME", f"{day}T{_hh_mm(g)}" if day else None


def _month_day(
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


def _holiday(
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


def _year_text(year: str) -> str:
    """A year as digits, whether written so or spelled out."""
    return year if year.isdigit() else _spelled_year(year)


def _week_of(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> str | None:
    """ "The week of March 6": the ISO week holding that day."""
    resolved = _month_day(g, anchor, tense)
    day = dates.parse_published(resolved[1]) if resolved and resolved[1] else None
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _mid_part(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None]:
    """ "Mid-afternoon yesterday": a part of a named day, else of the publication day."""
    word = (g.get("w") or "").lower()
    if word in dates.WEEKDAYS:
        return _weekday({"w": word, "part": g["part"]}, anchor, tense)
    return _deictic(word or "today", g["part"], anchor)


def _decade(digit: int, anchor: date | None) -> str:
    """ "The nineties", "the '80s": the latest such decade up to the publication year."""
    century = anchor.year // 100 if anchor else 19
    if anchor and century * 100 + digit * 10 > anchor.year:
        century -= 1
    return f"{century:02d}{digit}"


def _clock_part(g: dict[str, str | Any], anchor: date | None) -> tuple[str, str | None]:
    """ "4 in the morning", "9 in the evening": a clock time on the publication date."""
    hour = int(g["h"]) % 12
    part = g["part"].lower()
    if part in ("afternoon", "evening") or (part == "night" and hour >= 6):
        hour += 12
    if anchor is None:
        return "TIME", None
    return "TIME", f"{anchor.isoformat()}T{hour:02d}:{int(g['mi'] or 0):02d}"
