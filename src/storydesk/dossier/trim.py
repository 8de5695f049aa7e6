"""Trimming brief sentences, and checking that a trimmed sentence only leaves words out.

A trim removes a dateline ("PORT ELLIS -"), a leading connective ("Meanwhile,") or a short
parenthetical ("(74 million pounds)"); it never removes an attribution, a negation or a
quotation, and never adds a word: the only change besides removal is capitalising the new
first letter. ``made_by_deletion`` is the check: the trimmed text's words appear in the
source sentence in order, in a few contiguous runs.
"""

from __future__ import annotations

import re
from itertools import pairwise

MAX_PIECES = 4  # contiguous runs of source words a trimmed sentence may be made of
MAX_PARENTHETICAL = 60  # characters; longer asides may carry the claim

_CONNECTIVE = re.compile(
    r"^(?:meanwhile|however|separately|additionally|in addition|moreover|furthermore|"
    r"indeed|nonetheless|nevertheless|also|still|in other news),\s+(?=[A-Za-z])",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:\s*[-\u2013\u2014])\s+(?=[A-Z\"\u201c])")
_PARENTHETICAL = re.compile(rf" \(([^()\"\u201c\u201d]{{1,{MAX_PARENTHETICAL}}})\)(?=[ ,.;:])")
_ATTRIBUTING = re.compile(
    r"\b(?:said|says|told|according|reported|reports|cited|quoted|not|no|never)\b", re.I
)


def trim_sentence(text: str) -> str:
    """The sentence without a dateline, a leading connective or short parentheticals."""
    out = text.strip()
    dateline = _DATELINE.match(out)
    place = dateline.group(0).strip(" -\u2013\u2014:") if dateline else ""
    # a capitalised place ("PORT ELLIS -"), never a source ("NATO:", "AP -", "WHO -")
    if dateline and place.isupper() and (" " in place or "," in place or len(place) > 5):
        out = out[dateline.end() :]
    connective = _CONNECTIVE.match(out)
    if connective:
        out = out[connective.end() :]
    out = _PARENTHETICAL.sub(_drop_aside, out)
    if out != text.strip() and out[:1].islower():
        out = out[0].upper() + out[1:]
    return out


def _drop_aside(m: re.Match[str]) -> str:
    """Drop a parenthetical unless it attributes or negates something."""
    return m.group(0) if _ATTRIBUTING.search(m.group(1)) else ""


def made_by_deletion(trimmed: str, source: str) -> bool:
    """Whether a text is the source sentence with whole words left out (in a few runs, none
    of them an attribution or a negation), the first letter's case aside."""
    words, of = trimmed.split(), source.split()
    if not words:
        return False
    kept: list[int] = []
    k = 0
    for n, w in enumerate(words):
        while k < len(of) and not _same_word(w, of[k], first=n == 0):
            k += 1
        if k == len(of):
            return False
        kept.append(k)
        k += 1
    pieces = 1 + sum(1 for a, b in pairwise(kept) if b != a + 1)
    chosen = set(kept)
    left_out = " ".join(w for i, w in enumerate(of) if i not in chosen)
    return pieces <= MAX_PIECES and not _ATTRIBUTING.search(left_out)


def _same_word(word: str, other: str, *, first: bool) -> bool:
    """Equal words; the brief's first word may differ in the case of its first letter."""
    if word == other:
        return True
    return first and word[:1].upper() + word[1:] == other[:1].upper() + other[1:]
