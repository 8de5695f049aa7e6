"""Number and date conflicts: one fact's sentences give one count or one date different values.

Counts are compared as the ranges they state (``precision``): "almost $6 million" and "$5.9
million", or "more than 200" and "212", agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from storydesk.crosscheck.align import Unit
from storydesk.crosscheck.conflicts.describe import Values, value_conflict
from storydesk.crosscheck.conflicts.finder import ConflictInput
from storydesk.crosscheck.mentions import Mention, dates, numbers, unambiguous
from storydesk.crosscheck.precision import any_disagree
from storydesk.model import Conflict, ConflictKind

Found = tuple[Unit, Mention]
Disagree = Callable[[Sequence[Found]], bool]  # whether some linked mentions disagree


def find_numbers(story: ConflictInput) -> list[Conflict]:
    """Counts of one thing that differ among the sentences of a fact."""
    out: list[Conflict] = []
    for units in story.facts:
        found = [
            (u, m)
            for u in units
            for m in unambiguous(numbers(story.articles[u.article].sentences[u.sentence].text))
        ]
        for first, values in _differing(found, _counts_disagree(story)):
            what = f"count of {first.unit or first.key}"
            out.append(value_conflict(story.articles, ConflictKind.NUMBER, what, values))
    return out


def find_dates(story: ConflictInput) -> list[Conflict]:
    """Dates of one event that differ among the sentences of a fact."""
    out: list[Conflict] = []
    for units in story.facts:
        found = [
            (u, m) for u in units for m in unambiguous(dates(story.articles[u.article], u.sentence))
        ]
        for _, values in _differing(found, _values_differ):
            out.append(value_conflict(story.articles, ConflictKind.DATE, "date", values))
    return out


def _counts_disagree(story: ConflictInput) -> Disagree:
    """Whether some counts of one thing allow no common value (approximators, precision)."""

    def check(found: Sequence[Found]) -> bool:
        texts = [story.articles[u.article].sentences[u.sentence].text for u, _ in found]
        return any_disagree([(m, t) for (_, m), t in zip(found, texts, strict=True)])

    return check


def _values_differ(found: Sequence[Found]) -> bool:
    """Whether some mentions give different values."""
    return len({m.value for _, m in found}) > 1


def _differing(found: Sequence[Found], disagree: Disagree) -> list[tuple[Mention, Values]]:
    """Linked mentions that disagree: the first mention and the sentences of each value."""
    out: list[tuple[Mention, Values]] = []
    for component in _linked(found):
        by_value: Values = {}
        for u, m in component:
            by_value.setdefault(m.value, []).append((u, m.written))
        if len(by_value) > 1 and disagree(component):
            out.append((component[0][1], by_value))
    return out


def _linked(mentions: Sequence[Found]) -> list[list[Found]]:
    """Same-key mentions in different articles whose leading words overlap, as components."""
    # "take effect on June 1" ~ "take effect on July 1"; "met on May 2" !~ "drafted on May 9";
    # two aligned sentences that both open with a count of the same thing are about that count
    # ("Twelve people were injured …" ~ "Fourteen people were treated in hospital …")
    parent = list(range(len(mentions)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, (ui, mi) in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            uj, mj = mentions[j]
            same_topic = mi.context & mj.context or (mi.opens and mj.opens)
            if ui.article != uj.article and mi.key == mj.key and same_topic:
                parent[max(find(i), find(j))] = min(find(i), find(j))
    groups: dict[int, list[Found]] = {}
    for i, pair in enumerate(mentions):
        groups.setdefault(find(i), []).append(pair)
    return [g for g in groups.values() if len(g) > 1]
