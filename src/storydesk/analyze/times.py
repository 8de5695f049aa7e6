"""Time expressions found by rules and normalised to TimeML values against the publication date."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storydesk.analyze import dates, holidays
from storydesk.analyze.nlp import Parsed
from storydesk.analyze.tense import date_cue, tense_at, token_ent
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
    r"(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five"
    r"|six|seven|eight|nine)\b|\d+(?:\.\d+)?|a few|few|a couple of|couple of|several|many|some"
    r"|an?|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|(?:a|one|two|three|four|five|six|seven|eight|nine)\s+(?:hundred|thousand))"
)
MORE = r"(?:\s+(?i:more|additional|further|extra))?"  # "20 more years", "an additional year"
UNIT = (
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries"
    r"|quarters(?!\s+of\b)"  # "three quarters of the vote" is a share
)
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip
ORDINAL_CENTURIES = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
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
        ("month_year", rf"\b(?P<m>{MONTH_STRICT})\s+(?:of\s+)?(?P<y>{YEAR}|{SPELLED_YEAR})\b"),
        (
            "half_year",
            rf"\b(?:(?i:the)\s+)?(?P<h>(?i:first|second|last|latter))\s+(?:half|two\s+quarters)"
            rf"\s+of\s+(?P<y>{YEAR})\b",
        ),
        (
            "week_of",
            rf"\b(?:(?i:the)\s+)?(?i:week)\s+of\s+(?P<m>{MONTH})\s+{DAY}\b(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        (
            "month_rel_year",
            rf"\b(?P<m>{MONTH_FULL})\s+(?P<rel>(?i:this|next|last))\s+year\b",
        ),
        ("part_year", rf"\b(?i:mid|early|late|post|pre)-(?P<y>{YEAR})\b"),
        ("year_period", rf"\b(?i:the)\s+(?P<y>{YEAR})\s+(?:period|quarter)\b"),
        (
            "month",
            rf"(?:\b(?P<mod>(?i:last|next|this|early|late|mid))[\s-]+|\b(?i:in|since|until|by"
            rf"|through|from|during|before|after|between|and|or|of|for)\s+)"
            rf"(?P<m>{MONTH_FULL})\b(?!\s+\d)",
        ),
        (  # "the October slaying", "a June agreement", "December's figures"
            "month_noun",
            rf"(?:\b(?i:the|an?)\s+(?P<m>{MONTH_FULL})\s+(?!(?:of|on|to|for|and|or|in|at|by|with)\b)"
            rf"(?=[a-z])|\b(?P<m2>{MONTH_FULL})['’]s\s)",
        ),
        ("iso", r"\b(?P<y>(?:1[89]|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b"),
        ("numeric", r"\b(?P<mo>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)\d\d)\b"),
        (
            "weekday",
            rf"\b(?:(?P<mod>(?i:last|next|this))\s+)?(?P<w>{WEEKDAY})(?P<pl>s)?\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)(?P<parts>s)?\b)?",
        ),
        (
            "every",
            rf"\b(?i:every|each)\s+(?P<u>day|week|month|quarter|year|morning|night|{WEEKDAY}"
            rf"|{MONTH_FULL})\b",
        ),
        ("adverb_set", r"\b(?P<a>hourly|daily|weekly|monthly|annually|yearly|nightly)\b"),
        (
            "deictic",
            r"\b(?P<w>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow)\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)\b)?",
        ),
        (  # "mid-afternoon yesterday", "by mid morning"
            "mid_part",
            rf"\b(?i:mid)[-\s]?(?P<part>morning|afternoon)\b(?:\s+(?P<w>{WEEKDAY}"
            r"|(?i:yesterday|today|tomorrow))\b)?",
        ),
        ("later_date", r"\b(?P<w>(?i:a)\s+(?:later|future)\s+date)\b"),
        (
            "ref",
            r"(?<![Aa]s\s)\b(?P<w>[Nn]ow|[Rr]ecently|[Cc]urrently|[Rr]ecent|[Ss]oon)\b"
            r"(?![-’']|\s+(?:as|after)\b)",
        ),
        (  # "the current system": now, unless a fixed phrase ("current account", "the current")
            "current",
            r"\b(?P<w>(?:(?P<then>[Tt]hen)[\s-])?[Cc]urrent)\s+"
            r"(?!(?:accounts?|assets|liabilities|affairs|events|yield|of|and|to|in)\b)(?=[a-z])",
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
        (  # "the same period last year", "last year's quarter": the named quarter a year back
            "period_last_year",
            r"\b(?:(?i:the)\s+(?:same|corresponding|comparable)\s+(?:quarter|period)\s+"
            r"(?:(?i:of|in)\s+)?(?:last\s+year|a\s+year\s+(?:ago|earlier))"
            r"|(?i:last)\s+year['’]s\s+(?:quarter|period))\b",
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
        ("term_ref", r"\b(?P<w>(?i:the)\s+(?:near|short)\s+term)\b(?!-)"),
        ("future_ref", r"\b(?P<w>the\s+(?:near\s+|distant\s+|foreseeable\s+)?future)\b"),
        (
            "relative",
            r"\b(?P<lead>(?i:earlier|later)\s+)?(?P<mod>(?i:this|last|next|coming))\s+"
            r"(?P<u>week|weekend|month|quarter|year|decade|morning|afternoon|evening|night"
            r"|spring|summer|fall|autumn|winter)\b",
        ),
        (
            "anaphoric",
            r"\b(?P<lead>(?i:earlier|later)\s+)?(?P<mod>(?i:that|the\s+same)|(?i:the)\s+(?:following"
            r"|previous|preceding))\s+(?P<u>day|week|month|quarter|year)\b",
        ),
        (
            "per_unit",
            r"\b(?P<prev>[\w$%]+)\s+(?P<w>(?:a|an|per)\s+(?P<u>year|month|week|day|hour))\b"
            r"(?!\s+(?:ago|later|earlier|before|after|from|or|and))",
        ),
        ("ago", rf"\b(?P<n>{NUM})[\s-]+(?P<u>{UNIT})\s+(?:or\s+so\s+)?ago\b"),
        (
            "span",
            rf"\b(?i:the\s+)?(?i:past|last|next|first|coming)\s+(?P<n>{NUM})\s+"
            rf"(?P<u>{UNIT}|quarters?)\b",
        ),
        ("past_unit", r"\b(?i:the\s+)?(?i:past)\s+(?P<u>week|month|year|decade)\b"),
        (
            "duration",
            rf"(?<![\d.,/])\b(?P<n>{NUM}){MORE}(?P<half>\s+1/2)?[\s-]+"
            rf"(?:(?i:trading|business|working)\s+(?=days?\b))?(?P<u>{UNIT})\b(?![\s-]+old\b)"
            r"(?P<and_half>\s+and\s+a\s+half\b)?",
        ),
        ("for_units", r"\b(?i:for)\s+(?P<u>years|decades|months|weeks|days|hours|centuries)\b"),
        ("decade", r"(?<![\w$])(?:(?P<y>(?:1[89]|20)\d0)[’']?s|['’](?P<yy>[1-9]0)s)\b"),
        ("decade_word", rf"\b(?i:the)\s+(?P<dw>(?i:{'|'.join(DECADE_WORDS)}))\b"),
        (
            "century",
            rf"\b(?:(?i:the)\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<nw>(?i:"
            rf"{'|'.join(ORDINAL_CENTURIES)})))[\s-]+century\b",  # not "21st Century Fox"
        ),
        (
            "clock_part",
            r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s+(?:o['’]clock\s+)?in\s+the\s+"
            r"(?P<part>morning|afternoon|evening|night)\b",
        ),
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
            rf"(?P<week>\s+(?i:week)\b)?(?:,?\s+(?P<y>{YEAR})\b)?",
        ),
        (
            "season_year",
            rf"\b(?:(?i:the)\s+)?(?P<s>(?i:spring|summer|fall|autumn|winter))\s+(?:of\s+)?"
            rf"(?P<y>{YEAR}|{SPELLED_YEAR})\b",
        ),
    )
)
SPAN_GROUP = {
    "ref": "w",
    "term_ref": "w",
    "current": "w",
    "later_date": "w",
    "future_ref": "w",
    "for_units": "u",
    "per_unit": "w",
    "the_past": "w",
    "weekend": "w",
    "the_year": "w",
}
MONTH_KINDS = frozenset({"weekday_date", "month_day", "day_month", "month", "month_noun"})
UNTIL = re.compile(r"\b(?:until|till)\s+(?:at\s+)?$", re.I)
# Rules whose values are read off other expressions; only stated values are referred back to.
DERIVED = frozenset(
    {"ago", "year_back", "period_last_year", "anaphoric", "the_quarter", "year_period"}
)
TEMPERATURE = re.compile(r"(?i)degree|temperatur|\bhighs?\b|\blows?\b|°|fahrenheit")
ORDINAL_SECOND = re.compile(r"\s+(?!later|earlier|ago|before|after|or|and)[a-z]")
CALENDAR = re.compile(r"\d{4}(?:-\d\d){0,2}")  # a year, month or day value
QUARTER_VALUE = re.compile(r"(?P<y>\d{4})-Q(?P<q>[1-4])")
RATE_WORDS = frozenset({"once", "twice", "thrice", "times", "million", "billion", "thousand"})
NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
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

        resolved = resolve(hit.kind, hit.match, anchor, at_hit, last, text)
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
    if kind == "month_noun":
        return m.span("m") if m.group("m") else m.span("m2")
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
    if kind in ("weekday_date", "month_day", "day_month"):
        return _month_day(g, anchor, tense)
    if kind == "month_year":
        return "DATE", f"{_year_text(g['y'])}-{dates.month_number(g['m']):02d}"
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
        year = anchor.year + {"this": 0, "next": 1, "last": -1}[g["rel"].lower()] if anchor else 0
        return "DATE", f"{year:04d}-{dates.month_number(g['m']):02d}" if anchor else None
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
        if unit[:3] in dates.MONTHS:
            return "SET", f"XXXX-{dates.month_number(unit):02d}"  # "each July"
        if unit in SET_UNITS:
            value = SET_UNITS[unit]
            return "SET", value if value.startswith("P") else f"XXXX-WXX-XT{value[1:]}"
        return "SET", f"XXXX-WXX-{dates.WEEKDAYS[unit] + 1}"
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
            return "DATE", f"{anchor.year - n * (10 if unit == 'decade' else 100):04d}"
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
        return _clock_part(g, anchor)
    if kind == "year":
        return "DATE", m.group(0)
    if kind == "clock":
        return _clock(g, anchor)
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
    named = None if g.get("mod") else _story_quarter(seen, anchor)
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
        return f"{year - 1:04d}-Q{QUARTERS[number.lower()]}" if year else None
    if named:
        return f"{int(named[:4]) - 1:04d}-{named[5:]}"
    return f"{anchor.year - 1:04d}" if anchor else None


def _anaphoric(unit: str, seen: list[str], step: int) -> tuple[str, str | None]:
    """ "That year", "the following month": the latest date named before it, ``step`` units on."""
    if unit == "quarter":
        named = _latest_quarter(seen)
        if named is None:
            return "DATE", None
        index = int(named[:4]) * 4 + int(named[-1]) - 1 + step
        return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}"
    width = {"year": 4, "month": 7, "day": 10}.get(unit)
    for value in reversed(seen):
        if width and len(value) >= width and CALENDAR.fullmatch(value[:width]):
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
