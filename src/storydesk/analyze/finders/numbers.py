"""Numbers and quantities with their unit and what they count, for comparing outlets' figures."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from storydesk.analyze.nlp import Parsed
from storydesk.model import Quantity
from storydesk.text.numbers import NUMBER_WORDS
from storydesk.text.numbers import SCALES as SCALE_WORDS

NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
# Words that add to a value ("twenty-five", "a dozen", "half"); the scales multiply it.
WORDS: Mapping[str, float] = MappingProxyType(
    {word: value for word, value in NUMBER_WORDS.items() if word not in SCALE_WORDS} | {"half": 0.5}
)
SCALES: Mapping[str, float] = MappingProxyType(
    {word: float(value) for word, value in SCALE_WORDS.items()} | {"m": 1e6, "bn": 1e9, "k": 1e3}
)
CURRENCIES = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "dollars": "USD",
              "dollar": "USD", "pounds": "GBP", "euros": "EUR", "euro": "EUR", "yen": "JPY",
              "rubles": "RUB", "roubles": "RUB", "yuan": "CNY", "rupees": "INR",
              "shekels": "ILS", "tenge": "KZT"}  # fmt: skip
APPROX = (
    "more than", "less than", "fewer than", "at least", "at most", "up to", "nearly", "almost",
    "about", "around", "roughly", "approximately", "over", "under", "some", "just over",
    "just under", "close to", "as many as", "as much as", "an estimated",
)  # fmt: skip
APPROX_REACH = 200  # characters before a number where "more than", "about" … is looked for
_APPROX = re.compile(rf"\b({'|'.join(sorted(APPROX, key=len, reverse=True))})\s+$", re.I)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_OF_WHAT = re.compile(r"^\s+of\s+((?:[\w’'-]+\s+){0,5}[\w’'-]+)")
_APPROX_START = re.compile(rf"^({'|'.join(sorted(APPROX, key=len, reverse=True))})\s+", re.I)
STOP_WORDS = frozenset(
    {"in", "on", "at", "from", "to", "for", "by", "with", "and", "or", "but", "that", "which",
     "who", "since", "than", "as", "the", "a", "an", "is", "are", "was", "were", "have", "has",
     "had", "will", "would", "over", "per", "this", "last", "next", "ago", "each", "of"}
)  # fmt: skip


def find_numbers(parsed: Parsed) -> tuple[Quantity, ...]:
    """Counts, amounts, percentages and measures the model tags, with value, unit and noun."""
    out: list[Quantity] = []
    for block, doc in zip(parsed.blocks, parsed.docs, strict=True):
        for ent in doc.ents:
            if ent.label_ not in NUMBER_LABELS:
                continue
            quantity = _quantity(block.text, ent)
            if quantity is not None:
                a = block.start + quantity[0]
                b = block.start + quantity[1]
                out.append(Quantity(a, b, parsed.text[a:b], *quantity[2:]))
    return tuple(out)


def _quantity(
    text: str, ent: Any
) -> tuple[int, int, float | None, str | None, str | None, str | None] | None:
    """(start, end, value, unit, counts, approx) for one numeric entity in its block."""
    start, end = ent.start_char, ent.end_char
    surface = text[start:end]
    approx_in = _APPROX_START.match(surface)
    approx = None
    if approx_in and approx_in.end() < len(surface):
        approx = approx_in.group(1).lower()
    else:
        before = _APPROX.search(text, max(0, start - APPROX_REACH), start)  # not the whole head
        if before:
            approx, start = before.group(1).lower(), before.start(1)
    value = number_value(surface)
    label = ent.label_
    unit: str | None = None
    if label == "PERCENT":
        unit = "percent"
    elif label == "MONEY":
        unit = _currency(surface)
    elif label == "QUANTITY":
        unit = _last_word(surface)
    counts = _counted(text, end, label) if label != "CARDINAL" else _nouns_after(text, ent)
    if label == "CARDINAL" and counts is None and value is not None and 1800 <= value <= 2100:
        return None  # a bare year-like number the time rules already cover
    return start, end, value, unit, counts, approx


def number_value(surface: str) -> float | None:
    """The value of "25", "1,500", "2.5 million", "$3bn", "four", "twenty-five", "half"."""
    words = re.findall(r"[a-z]+|\d[\d,]*(?:\.\d+)?", surface.lower().replace("-", " "))
    total = 0.0
    current: float | None = None
    for word in words:
        if word[0].isdigit():
            current = (current or 0) + float(word.replace(",", ""))
        elif word in WORDS:
            current = (current or 0) + WORDS[word]
        elif word in SCALES and (current is not None or word == "hundred"):
            scale = SCALES[word]
            current = (current if current is not None else 1) * scale
            if scale >= 1e3:
                total, current = total + current, None
        elif word in ("a", "an") and current is None:
            current = None
    if current is None and total == 0:
        return None
    return total + (current or 0)


def _currency(surface: str) -> str | None:
    """Currency code of a money amount ("$5 million" -> "USD")."""
    lowered = surface.lower()
    for mark, code in CURRENCIES.items():
        if lowered.startswith(mark) or re.search(rf"\b{re.escape(mark)}\b", lowered):
            return code
    return None


def _last_word(surface: str) -> str | None:
    """The unit word of a measure ("300 km" -> "km")."""
    words = re.findall(r"[A-Za-z]+", surface)
    return words[-1].lower() if words else None


def _counted(text: str, end: int, label: str) -> str | None:
    """What the number counts: "of <noun phrase>" after it, or the nouns right after it."""
    rest = text[end:]
    of = _OF_WHAT.match(rest)
    if of and label in ("PERCENT", "CARDINAL", "QUANTITY"):
        return _cut(of.group(1))
    if label not in ("CARDINAL",):
        return None
    words = re.match(r"^\s+((?:[a-zA-Z][\w’'-]*\s+){0,2}[a-zA-Z][\w’'-]*)", rest)
    return _cut(words.group(1)) if words else None


def _nouns_after(text: str, ent: Any) -> str | None:
    """The noun phrase a count qualifies ("four nations"), or its "of" phrase."""
    of = _OF_WHAT.match(text[ent.end_char :])
    if of:
        return _cut(of.group(1))
    doc, words = ent.doc, []
    for token in doc[ent.end : ent.end + 4]:
        tagged = bool(token.pos_)
        if tagged and token.pos_ not in ("NOUN", "PROPN", "ADJ"):
            break
        if not token.is_alpha or token.lower_ in STOP_WORDS:
            break
        words.append(token.text)
        if not tagged or (token.pos_ == "NOUN" and token.dep_ != "compound"):
            break
    return " ".join(words) or None


def _cut(phrase: str) -> str | None:
    """A noun phrase cut before the first function word."""
    kept: list[str] = []
    for word in phrase.split():
        leading = not kept and word.lower() in ("the", "a", "an", "its", "their", "his", "her")
        if word.lower() in STOP_WORDS and not leading:
            break
        kept.append(word)
    if kept and kept[-1].lower() in ("the", "a", "an", "its", "their", "his", "her"):
        return None
    return " ".join(kept) or None
