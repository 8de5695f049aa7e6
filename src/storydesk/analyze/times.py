"""Time expressions found by rules and normalised to TimeML values against the publication date."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storydesk.analyze import dates, holidays
from storydesk.analyze.nlp import Parsed
from storydesk.analyze.tense import tense_at, token_ent
from storydesk.model import TimeExpression

TENS = {"twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7, "eighty": 8,
        "ninety": 9}  # fmt: skip
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9}  # fmt: skip
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_TENS, _UNITS, _TEENS = ("|".join(words) for words in (TENS, UNITS, TEENS))
SPELLED_YEAR = (  # "nineteen ninety-six", "two thousand one": years as transcripts write them
    rf"(?i:nineteen)[\s-]+(?:(?:{_TENS})(?:[\s-]+(?:{_UNITS}))?|{_TEENS}|oh[\s-]+(?:{_UNITS}))"
    rf"|(?i:two\s+thousand)\s+(?:and\s+)?(?:{_UNITS}|{_TEENS})|(?<=year\s)(?i:two\s+thousand)"
)
MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.?)"
MONTH_STRICT = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.)"
WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
YEAR = r"(?:1[89]\d\d|20\d\d)"
NUM = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five"
    r"|six|seven|eight|nine)\b|\d+(?:\.\d+)?|a few|few|a couple of|couple of|several|many|some"
    r"|an?|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety"
    r"|a hundred"
)
UNIT = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries"
DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
CLOCK = (
    r"(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.m\.|[ap]m)(?!\w)"
    r"|(?P<noon>noon|midday|midnight)"
)

RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "weekday_date",
            rf"\b(?P<w>{WEEKDAY}),?\s+(?P<m>{MONTH})\s+{DAY}\b(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        ("month_day", rf"\b(?P<m>{MONTH})\s+{DAY}\b(?:,?\s+(?P<y>{YEAR})\b)?"),
        ("day_month", rf"\b{DAY}\s+(?:of\s+)?(?P<m>{MONTH_STRICT})(?:,?\s+(?P<y>{YEAR}))?(?!\w)"),
        ("month_year", rf"\b(?P<m>{MONTH_STRICT})\s+(?:of\s+)?(?P<y>{YEAR})\b"),
        (
            "month_rel_year",
            rf"\b(?P<m>{MONTH_FULL})\s+(?P<rel>(?i:this|next|last))\s+year\b",
        ),
        ("part_year", rf"\b(?i:mid|early|late|post|pre)-(?P<y>{YEAR})\b"),
        ("year_period", rf"\b(?i:the)\s+(?P<y>{YEAR})\s+(?:period|quarter)\b"),
        (
            "month",
            rf"(?:\b(?P<mod>(?i:last|next|this|early|late|mid))[\s-]+|\b(?i:in|since|until|by"
            rf"|through|from|during|before|after|between|and|or|of)\s+)(?P<m>{MONTH_FULL})\b(?!\s+\d)",
        ),
        ("iso", r"\b(?P<y>(?:1[89]|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b"),
        ("numeric", r"\b(?P<mo>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)\d\d)\b"),
        (
            "weekday",
            rf"\b(?:(?P<mod>(?i:last|next|this))\s+)?(?P<w>{WEEKDAY})(?P<pl>s)?\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)(?P<parts>s)?\b)?",
        ),
        ("every", rf"\b(?i:every|each)\s+(?P<u>day|week|month|year|morning|night|{WEEKDAY})\b"),
        ("adverb_set", r"\b(?P<a>daily|weekly|monthly|annually|yearly|nightly)\b"),
        (
            "deictic",
            r"\b(?P<w>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow)\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)\b)?",
        ),
        (
            "ref",
            r"(?<![Aa]s\s)\b(?P<w>[Nn]ow|[Rr]ecently|[Cc]urrently|[Rr]ecent|[Ss]oon)\b"
            r"(?![-’']|\s+(?:as|after)\b)",
        ),
        ("recent_units", r"\b(?i:recent)\s+(?P<u>years|months|weeks|days|decades)\b"),
        ("the_past", r"\b(?i:in)\s+(?P<w>the\s+past)\b"),
        (
            "coming_units",
            r"\b(?:(?i:the)\s+)?(?:(?i:coming)\s+(?P<u>years|months|weeks|days)"
            r"|(?P<u2>years|months|weeks|days)\s+ahead)\b",
        ),
        (
            "season",
            r"\b(?:(?P<past>(?i:this\s+past))|(?i:the))\s+(?:(?i:early|late)\s+)?"
            r"(?P<s>spring|summer|winter|autumn)\b(?!\s+of\b)",
        ),
        ("spelled_year", rf"\b(?:(?i:the\s+year)\s+)?(?P<y>{SPELLED_YEAR})\b"),
        ("weekend", r"\b(?P<w>(?i:the)\s+weekend)\b"),
        (
            "the_year",
            r"\b(?:(?P<p>(?i:for|of|in|during|through|throughout))\s+)?(?P<w>(?i:the)\s+"
            r"(?P<mod>(?:full|current|fiscal|current fiscal)\s+)?year)\b(?!-|\s+\d)"
            r"(?:\s+(?P<end>end(?:ed|ing)))?",
        ),
        (
            "year_back",
            r"\b(?:(?i:the)\s+(?:(?i:comparable|same)\s+)?)?(?:(?i:a|one)\s+year\s+(?i:earlier|before)"
            r"|(?i:year)-(?:ago|earlier)(?:\s+(?:(?P<q>first|second|third|fourth)\s+)?"
            r"(?:quarter|period))?)\b",
        ),
        (
            "quarter",
            rf"\b(?:(?i:the)\s+)?(?:(?P<y>{YEAR})(?:['’]s)?\s+|(?P<rel>(?i:next|last|this))\s+"
            r"year['’]s\s+)?(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[\s-]"
            rf"(?i:quarter)\b(?:\s+of\s+(?P<y2>{YEAR})\b)?",
        ),
        (
            "the_quarter",
            r"\b(?i:the)\s+(?:(?P<mod>(?i:latest|last|past|current|recent))\s+)?"
            r"(?:(?i:quarter)|(?<=latest\s)period)\b(?!-)",
        ),
        ("future_ref", r"\b(?P<w>the\s+(?:near\s+|distant\s+|foreseeable\s+)?future)\b"),
        (
            "relative",
            r"\b(?P<lead>(?i:earlier|later)\s+)?(?P<mod>(?i:this|last|next|coming))\s+"
            r"(?P<u>week|weekend|month|year|decade|morning|afternoon|evening|night"
            r"|spring|summer|fall|autumn|winter)\b",
        ),
        (
            "anaphoric",
            r"\b(?P<lead>(?i:earlier|later)\s+)?(?P<mod>that|the same|(?i:the)\s+(?:following"
            r"|previous|preceding))\s+(?P<u>day|week|month|year)\b",
        ),
        (
            "per_unit",
            r"\b(?P<prev>[\w$%]+)\s+(?P<w>(?:a|an|per)\s+(?P<u>year|month|week|day|hour))\b"
            r"(?!\s+(?:ago|later|earlier|before|after|from|or|and))",
        ),
        ("ago", rf"\b(?P<n>{NUM})[\s-]+(?P<u>{UNIT})\s+ago\b"),
        (
            "span",
            rf"\b(?i:the\s+)?(?i:past|last|next|first|coming)\s+(?P<n>{NUM})\s+"
            rf"(?P<u>{UNIT}|quarters?)\b",
        ),
        ("past_unit", r"\b(?i:the\s+)?(?i:past)\s+(?P<u>week|month|year|decade)\b"),
        (
            "duration",
            rf"(?<![\d.,/])\b(?P<n>{NUM})(?P<half>\s+1/2)?[\s-]+(?P<u>{UNIT})\b(?![\s-]+old\b)"
            r"(?P<and_half>\s+and\s+a\s+half\b)?",
        ),
        ("for_units", r"\b(?i:for)\s+(?P<u>years|decades|months|weeks|days|hours|centuries)\b"),
        ("decade", r"(?<![\w$])(?P<y>(?:1[89]|20)\d0)[’']?s\b"),
        ("year", rf"(?<![\w$£€.,/:-]){YEAR}(?![\w%]|[.,:/]\d|-\d|\s*(?:percent|per cent))"),
        ("clock", rf"\b(?:{CLOCK})"),
        (
            "clock_day",
            rf"\b(?:{CLOCK})(?:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?,?\s+(?:(?:on|of)\s+)?"
            rf"(?:(?P<w>{WEEKDAY})|(?P<m>{MONTH})\s+{DAY}\b)",
        ),
        (
            "holiday",
            rf"\b(?:(?P<mod>(?i:last|next|this))\s+)?(?P<hol>(?i:{holidays.NAMES}))\b"
            rf"(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        (
            "season_year",
            rf"\b(?P<s>(?i:spring|summer|fall|autumn|winter))\s+(?:of\s+)?(?P<y>{YEAR})\b",
        ),
    )
)
SPAN_GROUP = {
    "ref": "w",
    "future_ref": "w",
    "for_units": "u",
    "per_unit": "w",
    "the_past": "w",
    "weekend": "w",
    "the_year": "w",
}
UNTIL = re.compile(r"\b(?:until|till)\s+(?:at\s+)?$", re.I)
# Rules whose values are read off other expressions; only stated values are referred back to.
DERIVED = frozenset({"ago", "year_back", "anaphoric", "the_quarter", "year_period"})
QUARTER_VALUE = re.compile(r"(?P<y>\d{4})-Q(?P<q>[1-4])")
RATE_WORDS = frozenset({"once", "twice", "thrice", "times", "million", "billion", "thousand"})
NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
SET_UNITS = {
    "day": "P1D",
    "week": "P1W",
    "month": "P1M",
    "year": "P1Y",
    "morning": "TMO",
    "night": "TNI",
}
ADVERB_SETS = {
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

            def tense(
                at: int = hit.start, d: Any = doc, k: str = hit.kind, text: str = block.text
            ) -> str | None:
                """Tense at this hit, computed only when a rule needs it."""
                if k in ("weekday", "clock_day") and UNTIL.search(text, 0, at):
                    return "future"  # "extended until Tuesday": a deadline ahead
                return tense_at(d, at)

            resolved = resolve(hit.kind, hit.match, anchor, tense, last)
            if resolved is None:
                continue
            kind, value = resolved
            if value and kind == "DATE" and value[:1].isdigit() and hit.kind not in DERIVED:
                last.append(value)
            start, end = block.start + hit.start, block.start + hit.end
            out.append(TimeExpression(start, end, parsed.text[start:end], kind, value))
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

        resolved = resolve(hit.kind, hit.match, anchor, at_hit, last)
        if resolved is not None:
            out.append(TimeExpression(hit.start, hit.end, text[hit.start : hit.end], *resolved))
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
    if kind == "weekday":
        return (m.start("mod") if m.group("mod") else m.start("w")), m.end()
    return m.span()


def resolve(
    kind: str,
    m: re.Match[str],
    anchor: date | None,
    tense: Callable[[], str | None],
    seen: list[str],
) -> tuple[str, str | None] | None:
    """(TimeML type, value) for one rule match; None drops the match."""
    g = m.groupdict()
    if kind in ("weekday_date", "month_day", "day_month"):
        return _month_day(g, anchor, tense)
    if kind == "month_year":
        return "DATE", f"{int(g['y']):04d}-{dates.month_number(g['m']):02d}"
    if kind == "month_rel_year":
        year = anchor.year + {"this": 0, "next": 1, "last": -1}[g["rel"].lower()] if anchor else 0
        return "DATE", f"{year:04d}-{dates.month_number(g['m']):02d}" if anchor else None
    if kind == "part_year":
        return "DATE", g["y"]
    if kind == "year_period":
        named = _latest_quarter(seen)  # "the 1988 period" after "the third quarter"
        return "DATE", f"{g['y']}-Q{named[-1]}" if named else g["y"]
    if kind == "month":
        if anchor is None:
            return "DATE", None
        mod = (g.get("mod") or "").lower()
        said = {"last": "past", "next": "future"}.get(mod)
        month = dates.month_number(g["m"])
        if mod == "this":
            return "DATE", f"{anchor.year:04d}-{month:02d}"
        return "DATE", dates.bare_month(month, anchor, said or tense(), near=not said)
    if kind == "iso":
        d = dates.safe_date(int(g["y"]), int(g["mo"]), int(g["d"]))
        return ("DATE", d.isoformat()) if d else None
    if kind == "numeric":
        d = dates.safe_date(int(g["y"]), int(g["mo"]), int(g["d"]))
        return ("DATE", d.isoformat()) if d else None
    if kind == "weekday":
        return _weekday(g, anchor, tense)
    if kind == "every":
        unit = g["u"].lower()
        if unit in SET_UNITS:
            value = SET_UNITS[unit]
            return "SET", value if value.startswith("P") else f"XXXX-WXX-XT{value[1:]}"
        return "SET", f"XXXX-WXX-{dates.WEEKDAYS[unit] + 1}"
    if kind == "adverb_set":
        return "SET", ADVERB_SETS[g["a"].lower()]
    if kind == "deictic":
        return _deictic(g["w"].lower(), g.get("part"), anchor)
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
    if kind == "season":
        return "DATE", _season(g["s"].lower(), anchor, "past" if g.get("past") else tense())
    if kind == "spelled_year":
        return "DATE", _spelled_year(g["y"])
    if kind == "the_past":
        return "DATE", "PAST_REF"
    if kind == "weekend":
        return "DATE", dates.weekend(anchor, tense()) if anchor else None
    if kind == "the_year":
        if g.get("end"):
            return "DURATION", "P1Y"
        return "DATE", f"{anchor.year:04d}" if anchor else None
    if kind == "year_back":
        return "DATE", _year_back(anchor, seen, g.get("q"))
    if kind == "future_ref":
        return "DATE", "FUTURE_REF"
    if kind == "relative":
        return _relative(g["mod"].lower(), g["u"].lower(), anchor)
    if kind == "anaphoric":
        step = {"following": 1, "previous": -1, "preceding": -1}.get(g["mod"].split()[-1].lower())
        return _anaphoric(g["u"].lower(), seen, step or 0)
    if kind == "ago":
        n = dates.count(g["n"])
        unit = g["u"].lower().rstrip("s")
        if n is None or anchor is None or unit not in ("day", "week", "month", "year"):
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
    if kind in ("span", "duration"):
        half = bool(g.get("half") or g.get("and_half"))
        return "DURATION", dates.duration(g["n"], g["u"], half)
    if kind == "for_units":
        return "DURATION", dates.duration("several", g["u"])
    if kind == "decade":
        return "DATE", g["y"][:3]
    if kind == "year":
        return "DATE", m.group(0)
    if kind == "clock":
        return _clock(g, anchor)
    if kind == "clock_day":
        return _clock_day(g, anchor, tense)
    if kind == "holiday":
        return "DATE", _holiday(g, anchor, tense)
    if kind == "season_year":
        return "DATE", f"{g['y']}-{dates.SEASONS[g['s'].lower()]}"
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
    if part:
        return "TIME", d.isoformat() + dates.PART_OF_DAY[part.lower()]
    return "DATE", d.isoformat()


def _deictic(word: str, part: str | None, anchor: date | None) -> tuple[str, str | None]:
    """Today, tonight, yesterday, tomorrow (with a part of the day)."""
    suffix = dates.PART_OF_DAY[part.lower()] if part else "TNI" if word == "tonight" else ""
    kind = "TIME" if suffix else "DATE"
    if anchor is None:
        return kind, None
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    return kind, (anchor + timedelta(days=offset)).isoformat() + suffix


def _relative(mod: str, unit: str, anchor: date | None) -> tuple[str, str | None]:
    """This/last/next week, month, year, season or part of the day."""
    amount = {"this": 0, "last": -1, "next": 1, "coming": 1}[mod]
    if unit in dates.PART_OF_DAY:
        if anchor is None:
            return "TIME", None
        day = anchor + timedelta(days=-1 if mod == "last" else 1 if amount > 0 else 0)
        return "TIME", day.isoformat() + dates.PART_OF_DAY[unit]
    if anchor is None:
        return "DATE", None
    if unit in dates.SEASONS:
        return "DATE", f"{anchor.year + amount:04d}-{dates.SEASONS[unit]}"
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
            return f"{anchor.year + shift:04d}-Q{number}"
        current = (anchor.month - 1) // 3 + 1
        year = anchor.year if number <= current else anchor.year - 1
        return f"{year:04d}-Q{number}"
    named = None if g.get("mod") else _latest_quarter(seen)
    if named is not None:
        return named  # "the quarter" after "the third quarter": the one the story is about
    if anchor is None:
        return None
    current = (anchor.month - 1) // 3 + 1
    if (g.get("mod") or "").lower() == "current":
        return f"{anchor.year:04d}-Q{current}"
    year, number = (anchor.year, current - 1) if current > 1 else (anchor.year - 1, 4)
    return f"{year:04d}-Q{number}"  # "the quarter" in a report: the one just ended


def _season(season: str, anchor: date | None, tense: str | None) -> str | None:
    """ "The summer": this year's, or the latest one in a past context, the next in a future one."""
    if anchor is None:
        return None
    start = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}[season]
    year = anchor.year
    if tense == "past" and anchor.month < start:
        year -= 1
    elif tense == "future" and anchor.month >= start + 3:
        year += 1
    return f"{year:04d}-{dates.SEASONS[season]}"


def _spelled_year(words: str) -> str:
    """ "nineteen ninety-six" → "1996", "two thousand one" → "2001"."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w not in ("and", "oh")]
    if parts[:2] == ["two", "thousand"]:
        rest = parts[2:]
        return f"{2000 + (UNITS.get(rest[0]) or TEENS.get(rest[0], 0) if rest else 0):04d}"
    tail = parts[1:]
    number = TEENS.get(tail[0]) or 10 * TENS.get(tail[0], 0) or UNITS.get(tail[0], 0)
    if len(tail) > 1:
        number += UNITS.get(tail[1], 0)
    return f"19{number:02d}"


def _latest_quarter(seen: list[str]) -> str | None:
    """The last quarter the text named ("1989-Q3"), if any."""
    return next((v for v in reversed(seen) if QUARTER_VALUE.fullmatch(v)), None)


def _year_back(anchor: date | None, seen: list[str], number: str | None) -> str | None:
    """ "A year ago/earlier", "the year-ago quarter": the period a story compares with."""
    # Results stories compare a quarter with the same quarter a year before, so once a quarter
    # has been named the comparison is to that quarter; otherwise it is the previous year.
    named = _latest_quarter(seen)
    if number:
        year = int(named[:4]) if named else anchor.year if anchor else None
        return f"{year - 1:04d}-Q{QUARTERS[number.lower()]}" if year else None
    if named:
        return f"{int(named[:4]) - 1:04d}-{named[5:]}"
    return f"{anchor.year - 1:04d}" if anchor else None


def _anaphoric(unit: str, seen: list[str], step: int) -> tuple[str, str | None]:
    """ "That year", "the following month": the latest date named before it, ``step`` units on."""
    width = {"year": 4, "month": 7, "day": 10}.get(unit)
    for value in reversed(seen):
        if width and len(value) >= width and value[:4].isdigit():
            if not step:
                return "DATE", value[:width]
            d = dates.parse_published(value[:10] if width == 10 else value[:7] + "-01")
            if width == 4:
                return "DATE", f"{int(value[:4]) + step:04d}"
            return "DATE", dates.shift(d, unit, step) if d else None
    return "DATE", None


def _clock(g: dict[str, str | Any], anchor: date | None) -> tuple[str, str | None]:
    """A clock time ("5 p.m.", "noon") on the publication date."""
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
    if g.get("y"):
        d = dates.safe_date(int(g["y"]), month, day)
        return "DATE", d.isoformat() if d else None
    if anchor is None:
        return "DATE", None
    d = dates.month_day(month, day, anchor, tense())
    return "DATE", d.isoformat() if d else None


def _holiday(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> str | None:
    """A named holiday: in the year given, else the one the modifier or tense points to."""
    if g.get("y"):
        return holidays.holiday(g["hol"], int(g["y"])).isoformat()
    if anchor is None:
        return None
    mod = (g.get("mod") or "").lower()
    if mod == "this":
        return holidays.holiday(g["hol"], anchor.year).isoformat()
    said = {"last": "past", "next": "future"}.get(mod)
    return holidays.nearest_holiday(g["hol"], anchor, said or tense()).isoformat()
