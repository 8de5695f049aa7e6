"""Values a sentence states: counts with the noun they count, and dates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storydesk.model import AnalyzedArticle
from storydesk.text.features import STOPWORDS, content_words, stem
from storydesk.text.numbers import NUMBER_WORDS

CONTEXT_WORDS = 3  # content words before a number or date that say what it is about
_NUMBER = re.compile(
    r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(w for w in NUMBER_WORDS if w not in ("zero", "one"))
    + r")(?![\w])(\s*%)?",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE
)
_NOT_A_COUNT_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|:\d|,\s*\d{4})", re.IGNORECASE)
_NOUN = re.compile(r"[A-Za-z]+")
_LOWER_WORD = re.compile(r" ([a-z]+)\b(?![-'])")
UNIT_WORDS = 2  # lower-case words after the counted noun that may belong to it
_YEAR = re.compile(r"(?<![\w.,])(1[89]\d\d|20\d\d)(?![\w])")
_CALENDAR_TEXT = """january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday
    wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"""
_CALENDAR_WORDS = frozenset(_CALENDAR_TEXT.split())
_HEDGES = frozenset(
    {"roughly", "about", "nearly", "almost", "around", "approximately", "estimated"}
    | {"some", "least", "most"}
)
_DATE_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class Mention:
    """A value stated in a sentence: a count of something, or a date."""

    key: str  # what it measures: the counted noun ("nation"), or a date's precision ("day")
    value: str  # normalised: "4", "12.5", "2025-06-01"
    written: str  # as the sentence writes it: "Four nations", "June 1, 2025"
    context: frozenset[str]  # content words each side of it
    unit: str = ""  # what is counted, as written: "bus drivers", "billion cubic metres"
    opens: bool = False  # the count opens its sentence: it is what the sentence is about


def numbers(text: str) -> list[Mention]:
    """Counts in a sentence with the noun right after them: 'four nations', '12%', '3 cables'."""
    out: list[Mention] = []
    for m in _NUMBER.finditer(text):
        word = m.group(1).lower()
        if _MONTH_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if text[: m.start()].rstrip().endswith(":"):
            continue  # the minutes of a time ("7 : 40 p.m.")
        after = text[m.end() :]
        if m.group(2):
            noun, end = "percent", m.end()
            noun_end = end
        else:
            if _YEAR.fullmatch(word) or _NOT_A_COUNT_AFTER.match(after):
                continue
            w = _NOUN.match(after.lstrip(" "))
            if w is None or w.group(0).lower() in STOPWORDS or after[:1] not in (" ", ""):
                continue
            if len(w.group(0)) < 2:
                continue  # "p" of "p . m ."
            noun = stem(w.group(0).lower())
            noun_end = m.end() + (len(after) - len(after.lstrip(" "))) + w.end()
            end = _unit_end(text, noun_end, w.group(0))
        amount = float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word.replace(",", ""))
        # the words each side say what is counted: "receive 3.2 billion cubic metres"
        context = _context(text[max(0, m.start() - 40) : m.start()])
        context |= _context(text[noun_end : noun_end + 60], last=False)
        unit = "percent" if m.group(2) else text[m.end() : end].strip()
        opens = not text[: m.start()].strip()
        out.append(Mention(noun, f"{amount:g}", text[m.start() : end], context, unit, opens))
    return out


def _unit_end(text: str, end: int, noun: str) -> int:
    """End of the counted phrase: 'bus' -> 'bus drivers', 'billion' -> 'billion cubic metres'
    (up to two more lower-case words, stopping after a plural)."""
    last = noun
    for _ in range(UNIT_WORDS):
        if (last.endswith("s") and last.lower() != "bus") or last.lower() in ("percent", "per"):
            break
        w = _LOWER_WORD.match(text, end)
        if w is None or w.group(1) in STOPWORDS:
            break
        end, last = w.end(), w.group(1)
    return end


def dates(article: AnalyzedArticle, s_index: int) -> list[Mention]:
    """Explicit dates and years in one sentence (time expressions, then bare years)."""
    sentence = article.sentences[s_index]
    found: list[tuple[int, int, str, str]] = []
    for t in article.times:
        if t.start >= sentence.start and t.end <= sentence.end:
            found.append((t.start, t.end, t.value or "", t.text))
    for m in _YEAR.finditer(sentence.text):
        start = sentence.start + m.start()
        if not any(s <= start < e for s, e, _, _ in found):
            found.append((start, sentence.start + m.end(), m.group(1), m.group(1)))
    out: list[Mention] = []
    for start, end, value, written in sorted(found):
        if not _DATE_VALUE.match(value):
            continue
        context = _context(article.text[max(sentence.start, start - 40) : start])
        if not context:  # a date that opens the sentence: use the words after it
            context = _context(article.text[end : min(sentence.end, end + 60)], last=False)
        precision = {4: "year", 7: "month", 10: "day"}[len(value)]
        out.append(Mention(precision, value, written, context))
    return out


def _context(text: str, *, last: bool = True) -> frozenset[str]:
    """The last (or first) three content words of a text, without numbers or calendar words."""
    words = [
        w
        for w in content_words(text)
        if not w.isdigit() and w not in _CALENDAR_WORDS and w not in _HEDGES
    ]
    return frozenset(words[-CONTEXT_WORDS:] if last else words[:CONTEXT_WORDS])


def unambiguous(mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions whose key has a single value in the sentence ('two or three weeks' has two)."""
    values: dict[str, set[str]] = {}
    for m in mentions:
        values.setdefault(m.key, set()).add(m.value)
    seen: set[str] = set()
    out: list[Mention] = []
    for m in mentions:
        if len(values[m.key]) == 1 and m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return out
