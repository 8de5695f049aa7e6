"""Time expressions found by rules and normalised to TimeML values against the publication date."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storydesk.analyze import dates
from storydesk.analyze.nlp import Parsed
from storydesk.model import TimeExpression

MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.?)"
MONTH_STRICT = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.)"
WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
YEAR = r"(?:1[89]\d\d|20\d\d)"
NUM = (
    r"\d+(?:\.\d+)?|a few|a couple of|several|many|some|an?|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|a hundred"
)
UNIT = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries"
DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"

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
            "month",
            rf"(?:\b(?P<mod>(?i:last|next|this|early|late|mid))[\s-]+|\b(?i:in|since|until|by"
            rf"|through|from|during|before|after|between|and|or|of)\s+)(?P<m>{MONTH_FULL})\b(?!\s+\d)",
        ),
        ("iso", r"\b(?P<y>(?:1[89]|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b"),
        ("numeric", r"\b(?P<mo>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)\d\d)\b"),
        (
            "weekday",
            rf"\b(?:(?P<mod>(?i:last|next|this))\s+)?(?P<w>{WEEKDAY})(?P<pl>s)?\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)\b)?",
        ),
        ("every", rf"\b(?i:every|each)\s+(?P<u>day|week|month|year|morning|night|{WEEKDAY})\b"),
        ("adverb_set", r"\b(?P<a>daily|weekly|monthly|annually|yearly|nightly)\b"),
        (
            "deictic",
            r"\b(?P<w>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow)\b"
            r"(?:\s+(?P<part>morning|afternoon|evening|night)\b)?",
        ),
        ("ref", r"\b(?P<w>[Nn]ow|[Rr]ecently|[Cc]urrently|[Rr]ecent|[Ss]oon)\b(?![-’'])"),
        (
            "quarter",
            r"\b(?:(?i:the)\s+)?(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[\s-]"
            r"(?i:quarter)\b",
        ),
        (
            "the_quarter",
            r"\b(?i:the)\s+(?:(?P<mod>(?i:latest|last|past|current|recent))\s+)?"
            r"(?i:quarter)\b(?!-)",
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
            r"\b(?P<lead>(?i:earlier|later)\s+)?(?P<mod>that|the same)\s+"
            r"(?P<u>day|week|month|year)\b",
        ),
        (
            "per_unit",
            r"\b(?P<prev>[\w$%]+)\s+(?P<w>(?:a|an|per)\s+(?P<u>year|month|week|day|hour))\b"
            r"(?!\s+(?:ago|later|earlier|before|after|from|or|and))",
        ),
        ("ago", rf"\b(?P<n>{NUM})[\s-]+(?P<u>{UNIT})\s+ago\b"),
        (
            "span",
            rf"\b(?i:the\s+)?(?i:past|last|next|first|coming)\s+(?P<n>{NUM})\s+(?P<u>{UNIT})\b",
        ),
        ("past_unit", r"\b(?i:the\s+)?(?i:past)\s+(?P<u>week|month|year|decade)\b"),
        ("duration", rf"(?<![\d.,])\b(?P<n>{NUM})[\s-]+(?P<u>{UNIT})\b"),
        ("for_units", r"\b(?i:for)\s+(?P<u>years|decades|months|weeks|days|hours|centuries)\b"),
        ("decade", r"(?<![\w$])(?P<y>(?:1[89]|20)\d0)[’']?s\b"),
        ("year", rf"(?<![\w$£€.,/:-]){YEAR}(?![\w%]|[.,:/]\d|-\d|\s*(?:percent|per cent))"),
        ("clock", r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.m\.|[ap]m)(?!\w)"),
        (
            "season_year",
            rf"\b(?P<s>(?i:spring|summer|fall|autumn|winter))\s+(?:of\s+)?(?P<y>{YEAR})\b",
        ),
    )
)
SPAN_GROUP = {"ref": "w", "future_ref": "w", "for_units": "u", "per_unit": "w"}
RATE_WORDS = frozenset({"once", "twice", "thrice", "times", "million", "billion", "thousand"})
NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
FUTURE_AUX = frozenset({"will", "wo", "shall", "'ll", "’ll", "would", "gon"})
FUTURE_LEMMAS = frozenset(
    {"expect", "set", "schedule", "slate", "plan", "due", "poise", "aim", "intend", "prepare", "go"}
)
REPORT_LEMMAS = frozenset({"say", "tell", "announce", "report", "confirm", "write", "add"})
MODAL_FUTURE = frozenset({"could", "may", "might", "should", "must", "can", "need"})
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
            if hit.kind == "year" and _token_ent(doc, hit.start) in NUMERIC_ENTS:
                continue

            def tense(at: int = hit.start, d: Any = doc) -> str | None:
                """Tense at this hit, computed only when a rule needs it."""
                return tense_at(d, at)

            resolved = resolve(hit.kind, hit.match, anchor, tense, last)
            if resolved is None:
                continue
            kind, value = resolved
            if value and kind == "DATE" and value[:1].isdigit():
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
            if resolved[1] and resolved[0] == "DATE" and resolved[1][:1].isdigit():
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
    if kind == "month_year":
        return "DATE", f"{int(g['y']):04d}-{dates.month_number(g['m']):02d}"
    if kind == "month":
        if anchor is None:
            return "DATE", None
        mod = (g.get("mod") or "").lower()
        t = {"last": "past", "next": "future"}.get(mod) or tense()
        return "DATE", dates.bare_month(dates.month_number(g["m"]), anchor, t)
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
        return "DATE", _quarter(g, anchor)
    if kind == "future_ref":
        return "DATE", "FUTURE_REF"
    if kind == "relative":
        return _relative(g["mod"].lower(), g["u"].lower(), anchor)
    if kind == "anaphoric":
        return _anaphoric(g["u"].lower(), seen)
    if kind == "ago":
        n = dates.count(g["n"])
        unit = g["u"].lower().rstrip("s")
        if n is None or anchor is None or unit not in ("day", "week", "month", "year"):
            return "DATE", "PAST_REF" if n is None else None
        return "DATE", dates.shift(anchor, unit, -n)
    if kind == "per_unit":
        prev = g["prev"].lower()
        if prev in RATE_WORDS or prev[-1:].isdigit() or prev[-1:] in "s%" or g["w"][:3] == "per":
            return "SET", dates.duration("1", g["u"])
        return "DURATION", dates.duration("1", g["u"])
    if kind == "past_unit":
        return "DURATION", dates.duration("1", g["u"])
    if kind in ("span", "duration"):
        return "DURATION", dates.duration(g["n"], g["u"])
    if kind == "for_units":
        return "DURATION", dates.duration("several", g["u"])
    if kind == "decade":
        return "DATE", g["y"][:3]
    if kind == "year":
        return "DATE", m.group(0)
    if kind == "clock":
        return _clock(g, anchor)
    if kind == "season_year":
        return "DATE", f"{g['y']}-{dates.SEASONS[g['s'].lower()]}"
    return None


def _weekday(
    g: dict[str, str | Any], anchor: date | None, tense: Callable[[], str | None]
) -> tuple[str, str | None]:
    """A weekday: a set when plural, else a date placed by modifier or tense."""
    day = dates.WEEKDAYS[g["w"].lower()]
    part = g.get("part")
    if g.get("pl"):
        return "SET", f"XXXX-WXX-{day + 1}"
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


def _quarter(g: dict[str, str | Any], anchor: date | None) -> str | None:
    """A calendar quarter: "the third quarter" (the latest one by that number), "the quarter"."""
    if anchor is None:
        return None
    current = (anchor.month - 1) // 3 + 1
    if g.get("q"):
        number = int(g["q"][0]) if g["q"][0].isdigit() else QUARTERS[g["q"].lower()]
        year = anchor.year if number <= current else anchor.year - 1
        return f"{year:04d}-Q{number}"
    if (g.get("mod") or "").lower() == "current":
        return f"{anchor.year:04d}-Q{current}"
    year, number = (anchor.year, current - 1) if current > 1 else (anchor.year - 1, 4)
    return f"{year:04d}-Q{number}"  # "the quarter" in a report: the one just ended


def _anaphoric(unit: str, seen: list[str]) -> tuple[str, str | None]:
    """Resolve "that year" to the year of the latest dated expression before it."""
    width = {"year": 4, "month": 7, "day": 10}.get(unit)
    for value in reversed(seen):
        if width and len(value) >= width and value[:4].isdigit():
            return "DATE", value[:width]
    return "DATE", None


def _clock(g: dict[str, str | Any], anchor: date | None) -> tuple[str, str | None]:
    """A clock time ("5 p.m.") on the publication date."""
    hour = int(g["h"]) % 12 + (12 if g["ap"].lower().startswith("p") else 0)
    minute = int(g["mi"] or 0)
    if anchor is None:
        return "TIME", None
    return "TIME", f"{anchor.isoformat()}T{hour:02d}:{minute:02d}"


def _token_at(doc: Any, idx: int) -> Any:
    """The token covering a character offset of its doc."""
    best = doc[0]
    for token in doc:
        if token.idx > idx:
            break
        best = token
    return best


def _token_ent(doc: Any, idx: int) -> str:
    """The entity label spaCy gave the token at a character offset ("" for none)."""
    return str(_token_at(doc, idx).ent_type_) if len(doc) else ""


def tense_at(doc: Any, idx: int) -> str | None:
    """Tense ("past", "future" or None) of the verb governing the token at ``idx``."""
    if not len(doc):
        return None
    verb = _token_at(doc, idx)
    for _ in range(12):
        if verb.pos_ in ("VERB", "AUX"):
            return _verb_tense(verb, 0)
        if verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _verb_tense(verb: Any, depth: int) -> str | None:
    """Tense of one verb from its tag and auxiliaries, climbing to the verb it depends on."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in aux}
    if words & FUTURE_AUX:
        return "future"
    if verb.tag_ == "VB" and "to" in words and depth < 4 and verb.head.i != verb.i:
        head = verb.head
        if head.lemma_ in FUTURE_LEMMAS:
            return "future"
        return "future" if _verb_tense(head, depth + 1) != "past" else None
    if words & MODAL_FUTURE:
        return "future"
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
        return "past"
    if verb.tag_ == "VBN" and words & {"has", "have", "had", "'s", "’s", "'ve", "’ve"}:
        return "past"
    if verb.lemma_ in FUTURE_LEMMAS and verb.tag_ in ("VBN", "VBG", "JJ"):
        return "future"
    if verb.tag_ in ("VBZ", "VBP") or words & {"is", "are", "am", "'re", "’re"}:
        return None if verb.lemma_ in REPORT_LEMMAS else "future"
    if (verb.dep_ == "conj" or not aux) and depth < 4:
        head = _verb_above(verb)
        return _verb_tense(head, depth + 1) if head is not None else None
    return None


def _verb_above(token: Any) -> Any:
    """The nearest verb governing a token (a participle's or conjunct's clause)."""
    current = token
    for _ in range(8):
        if current.head.i == current.i:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None
