"""The range a stated count allows: its approximator ("almost", "more than") and its precision.

A bare figure allows what rounds to it: "$5.9 million" 5.85 to 5.95 million, "6 million" and
"12%" half a unit either side, a plain count of things ("212 passengers") itself only. An
approximator allows a margin on its side of the figure, the place of its last significant
digit but at most a tenth of it: "about 50" 45 to 55, "about 3,200" 3,100 to 3,300, "almost
$6 million" 5.4 to 6 million; "more than 200" anything above 200. Two counts of one thing
disagree only when the ranges they allow do not meet. ``split_disagreeing`` keeps weakly
aligned sentences whose counts disagree apart (two facts, not one fact in conflict).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck.mentions import Mention, numbers, unambiguous
from storydesk.model import AnalyzedArticle
from storydesk.text.numbers import SCALES

CONFLICT_SAME = 0.55  # alignment score from which differing counts are a conflict, not 2 facts
APPROX_SHARE = 0.1  # an approximator's margin is at most this share of its figure
PERCENT = "percent"

# approximator words before a number, by the side of the number they allow
_AROUND = r"about|around|roughly|approximately|some|an estimated|estimated|circa"
_BELOW = r"almost|nearly|close to|just under|just shy of|not quite"
_ABOVE = r"more than|over|upwards of|at least|no fewer than|no less than|in excess of|just over"
_AT_MOST = r"fewer than|less than|under|up to|at most|as many as|no more than|below"
_BEFORE = re.compile(
    rf"\b(?:(?P<around>{_AROUND})|(?P<below>{_BELOW})|(?P<above>{_ABOVE})|(?P<most>{_AT_MOST}))"
    r"\s*[$€£¥]?\s*$",
    re.IGNORECASE,
)
_AFTER = re.compile(r"^\s*(?:(?P<above>or more\b|or higher\b|\+)|(?P<around>or so\b))", re.I)
_FIGURE = re.compile(r"^(\d[\d,]*)(?:\.(\d+))?")


@dataclass(frozen=True)
class Stated:
    """The values a stated count allows: from ``low`` to ``high`` (open ends as infinities);
    ``rounded``: the range is a bare figure's rounding, whose ends belong to its neighbours."""

    low: float
    high: float
    rounded: bool = False

    def meets(self, other: Stated) -> bool:
        """Whether two stated ranges share a value ("12%" and "13%" only touch: they do not)."""
        if self.rounded and other.rounded and self.low < self.high and other.low < other.high:
            return self.low < other.high and other.low < self.high
        return self.low <= other.high and other.low <= self.high


def stated(mention: Mention, sentence: str) -> Stated:
    """The range one count in a sentence allows, by its approximator and its precision."""
    value = float(mention.value)
    at = sentence.find(mention.written)
    before = sentence[: max(at, 0)]
    after = sentence[at + len(mention.written) :] if at >= 0 else ""
    side = _side(before, after)
    margin = min(_place(mention), abs(value) * APPROX_SHARE)
    if side == "around":
        return Stated(value - margin, value + margin)
    if side == "below":  # "almost 6": a little under six, never over
        return Stated(value - margin, value)
    if side == "above":
        return Stated(value, math.inf)
    if side == "most":
        return Stated(-math.inf if value < 0 else 0.0, value)
    half = _step(mention) / 2
    return Stated(value - half, value + half, rounded=True)


def _side(before: str, after: str) -> str | None:
    """Which side an approximator around a number allows: around, below, above, most."""
    m = _BEFORE.search(before) or _AFTER.match(after)
    if m is None:
        return None
    return next(name for name, found in m.groupdict().items() if found)


def _step(mention: Mention) -> float:
    """The rounding step a bare figure is written to: its last decimal, or one unit of a scale
    ("6 million", "12%"); a plain count of things is exact."""
    figure = _FIGURE.match(mention.written)
    if figure is None:
        return 0.0  # a number word: "four nations"
    decimals = figure.group(2)
    if decimals:
        return 10.0 ** -len(decimals)
    scaled = mention.key == PERCENT or mention.unit.split(" ", 1)[0].lower() in SCALES
    return 1.0 if scaled else 0.0


def _place(mention: Mention) -> float:
    """The place of a figure's last significant digit: 100 for "3,200", 0.1 for "5.9"."""
    figure = _FIGURE.match(mention.written)
    whole, decimals = (figure.group(1), figure.group(2)) if figure else (mention.value, None)
    if decimals:
        return 10.0 ** -len(decimals)
    digits = whole.replace(",", "").split(".")[0]
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10.0 ** min(zeros, max(len(digits) - 1, 0))


def disagree(a: tuple[Mention, str], b: tuple[Mention, str]) -> bool:
    """Whether two counts of one thing (each with its sentence) allow no common value."""
    (ma, sa), (mb, sb) = a, b
    if ma.value == mb.value:
        return False
    return not stated(ma, sa).meets(stated(mb, sb))


def counts_differ(a: str, b: str, *, openers: bool = False) -> bool:
    """Whether two sentences give one count values that their precision cannot reconcile
    (``openers``: two counts that both open their sentence count the same thing)."""
    return any(
        x.key == y.key
        and (x.context & y.context or (openers and x.opens and y.opens))
        and disagree((x, a), (y, b))
        for x in unambiguous(numbers(a))
        for y in unambiguous(numbers(b))
    )


def any_disagree(found: Sequence[tuple[Mention, str]]) -> bool:
    """Whether any two of some counts of one thing disagree beyond their precision."""
    return any(disagree(found[i], found[j]) for i in range(len(found)) for j in range(i))


class Spot(Protocol):
    """A sentence of a story: its article's position and its index (``align.Unit``)."""

    @property
    def article(self) -> int: ...

    @property
    def sentence(self) -> int: ...


def split_disagreeing(
    articles: Sequence[AnalyzedArticle], units: Sequence[Spot], sim: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Scores with weakly aligned pairs that give one count different values set below the
    'same' mark: a disagreement is a conflict only between sentences that clearly align."""
    # "the last strike lasted nine days" ~ "the strike is set to last five days" (0.51)
    rows, cols = np.nonzero(np.triu((sim >= 0.5) & (sim < CONFLICT_SAME), k=1))
    if not len(rows):
        return sim

    def text(i: int) -> str:
        return articles[units[i].article].sentences[units[i].sentence].text

    out = sim.copy()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if counts_differ(text(i), text(j)):  # beyond what their approximators allow
            out[i, j] = out[j, i] = 0.0
    return out
