"""Conflict finders, one module per kind family, registered in one table keyed by kind.

A new kind of conflict is a ``ConflictKind`` member (``storydesk.model``), a module here with
a finder of the ``Finder`` signature, and one entry in ``FINDERS``; ``crosscheck`` runs every
finder the table lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from storydesk.crosscheck.align import Unit
from storydesk.crosscheck.conflicts.earlier import find_earlier_reports
from storydesk.crosscheck.conflicts.finder import ConflictInput, Finder
from storydesk.crosscheck.conflicts.members import find_members
from storydesk.crosscheck.conflicts.modality import find_modality
from storydesk.crosscheck.conflicts.numbers import find_dates, find_numbers
from storydesk.crosscheck.conflicts.speaker import find_speaker
from storydesk.crosscheck.conflicts.wording import find_wording
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind

__all__ = ["FINDERS", "ConflictInput", "Finder", "fact_conflicts", "find_conflicts"]

FINDERS: Mapping[ConflictKind, Finder] = MappingProxyType(
    {
        ConflictKind.NUMBER: find_numbers,
        ConflictKind.DATE: find_dates,
        ConflictKind.MODALITY: find_modality,
        ConflictKind.MEMBERS: find_members,
        ConflictKind.QUOTE: find_wording,
        ConflictKind.SPEAKER: find_speaker,
        ConflictKind.EARLIER_REPORT: find_earlier_reports,
    }
)


def find_conflicts(
    story: ConflictInput, finders: Mapping[ConflictKind, Finder] = FINDERS
) -> list[Conflict]:
    """Every conflict the table's finders find in one story, kind by kind."""
    return [c for find in finders.values() for c in find(story)]


def fact_conflicts(articles: Sequence[AnalyzedArticle], units: Sequence[Unit]) -> list[Conflict]:
    """Number, date and modality disagreements (and earlier reports) among one fact's sentences."""
    story = ConflictInput(articles, (units,))
    found = [*find_numbers(story), *find_dates(story), *find_modality(story)]
    return [*found, *find_earlier_reports(story)]
