"""Quotation spans in one line of text: curly, straight, doubled ('') and safe single marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

FRAGMENT_MAX_WORDS = 4
_CURLY_SINGLE = re.compile(r"(?<![\w’‘])‘(?=\S)((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
_STRAIGHT_SINGLE = re.compile(r"(?<![\w'])'(?=[^\s'])((?:[^'\n]|'(?=\w))+)'(?![\w'])")
_DOUBLE = re.compile(r"''|``|[“”\"]")
_BY = re.compile(r",?[ \xa0]+by[ \xa0]+(?:the[ \xa0]+)?[A-Z]")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s+[\w-]+=(?:\"[^\"<>\n]*\"|'[^'<>\n]*'|[^\s<>]*))*\s*/?>")


@dataclass(frozen=True)
class QuoteSpan:
    """Where a quotation sits in its block, marks included."""

    start: int
    end: int
    closed: bool
    kind: str


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quotation spans in one line: double quotes (curly, straight, ''), then safe single quotes."""
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    nested = 0  # curly quotations open inside the open one ("he calls “hell” than …”)
    tags = [(t.start(), t.end()) for t in _TAG.finditer(text)] if "<" in text else []
    for m in _DOUBLE.finditer(text):
        i, mark = m.start(), m.group()
        if tags and any(a < i < b for a, b in tags):
            continue  # an attribute value of markup left in the text (<tweet author="…">)
        straight = mark in ('"', "''")
        opener = mark in ("“", "``") or (
            mark == "”" and open_at is None and not text[:i].strip() and _starts_word(text, i + 1)
        )
        if mark == "“" and open_at is not None and text[open_at] == "“" and _nests(text, i):
            nested += 1
            continue
        if mark == "”" and nested:
            nested -= 1
            continue
        if mark == "“" and open_at is not None and _closes_like(text, i):
            spans.append((open_at, m.end(), True))  # “It's unusual,“ said …: a mistyped closer
            open_at = None
            continue
        if opener or (straight and open_at is None):
            if straight and not _can_open(text, i, len(mark)):
                continue
            if open_at is not None:
                spans.append((open_at, _rstrip(text, open_at, i), False))
            open_at = i
        elif mark != "``" and open_at is not None and not (mark == "''" and _mid_word(text, i)):
            spans.append((open_at, m.end(), True))
            open_at = None
    if open_at is not None and _rstrip(text, open_at, len(text)) > open_at + 2:
        spans.append((open_at, _rstrip(text, open_at, len(text)), False))
    spans = [
        s
        for s in spans
        if any(ch.isalnum() for ch in text[s[0] : s[1]]) and not _byline(text, s[1])
    ]
    singles = [_CURLY_SINGLE]
    if _headline_like(text, spans):
        singles.append(_STRAIGHT_SINGLE)
    for pattern in singles:
        for m in pattern.finditer(text):
            outside = all(m.end() <= a or m.start() >= b for a, b, _ in spans)
            if outside and (pattern is _CURLY_SINGLE or len(m.group(1).split()) >= 3):
                spans.append((m.start(), m.end(), True))
    spans.sort()
    return [QuoteSpan(a, b, closed, _kind(text, a, b)) for a, b, closed in spans]


def _byline(text: str, end: int) -> bool:
    """True for the title of a piece cited with its author (“Bridge to close,” by Ann Lee)."""
    return bool(_BY.match(text, end))


def _nests(text: str, i: int) -> bool:
    """True when the “ at ``i`` opens a quotation inside another: two ” follow before any “."""
    rest = text[i + 1 :]
    following = rest.find("“")
    return rest.count("”", 0, following if following >= 0 else len(rest)) >= 2


def _closes_like(text: str, i: int) -> bool:
    """True for an opening mark placed as a closer: after punctuation, before a space."""
    after = text[i + 1 : i + 2]
    return i > 0 and text[i - 1] in ",.?!" and (not after or after.isspace())


def _starts_word(text: str, i: int) -> bool:
    """True when a word (or an ellipsis before one) follows offset ``i``."""
    rest = text[i : i + 3].lstrip()
    return bool(rest) and (rest[0].isalnum() or rest[0] in "….")


def _can_open(text: str, i: int, width: int = 1) -> bool:
    """True when a straight double quote at ``i`` can open a quotation."""
    nxt = text[i + width] if i + width < len(text) else " "
    prev = text[i - 1] if i else " "
    return not nxt.isspace() and not prev.isalnum()


def _mid_word(text: str, i: int) -> bool:
    """True for '' squeezed between letters (no closing mark there)."""
    return i > 0 and i + 2 < len(text) and text[i - 1].isalpha() and text[i + 2].isalpha()


def _rstrip(text: str, start: int, end: int) -> int:
    """End offset moved back over trailing whitespace."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _headline_like(text: str, spans: list[tuple[int, int, bool]]) -> bool:
    """A line where 'single quotes' are quotation marks: a subtitle or headline."""
    if text.startswith("'") and not text.startswith("''"):
        return True
    return not spans and len(text.split()) <= 30 and not text.rstrip().endswith(".")


def _kind(text: str, start: int, end: int) -> str:
    """Kind "fragment" for a few words quoted inside a running clause, else "direct"."""
    words = re.findall(r"\w+(?:[’'-]\w+)*", text[start:end])
    before = text[:start].rstrip()
    if len(words) <= FRAGMENT_MAX_WORDS and before and (before[-1].isalnum() or before[-1] in "’'"):
        return "fragment"
    return "direct"
