"""Earlier reports: a preview of an event that a later report of the event superseded.

"X is expected to announce ..." written before a summit and "Y said on Thursday that X will
join ..." written after it are a story that moved on, not outlets that disagree: shown as an
earlier report (kind ``earlier-report``), which leaves the fact's status alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.crosscheck.align import Unit
from storydesk.crosscheck.conflicts.describe import carried_by, value_conflict
from storydesk.crosscheck.conflicts.finder import ConflictInput
from storydesk.crosscheck.conflicts.modality import statuses
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind


def find_earlier_reports(story: ConflictInput) -> list[Conflict]:
    """Facts with a preview that a later report of the event superseded."""
    out: list[Conflict] = []
    for units in story.facts:
        found = statuses(story.articles, units)
        if not found.earlier:
            continue
        values = {**found.earlier, **found.later}
        made = value_conflict(story.articles, ConflictKind.EARLIER_REPORT, "status", values)
        before = _side(story.articles, found.earlier)
        after = _side(story.articles, found.later)
        description = f"earlier report: {before}, before the event; later: {after}"
        out.append(Conflict(made.kind, description, made.variants))
    return out


def _side(articles: Sequence[AnalyzedArticle], values: dict[str, list[tuple[Unit, str]]]) -> str:
    """Statuses as written, each with the outlets that carried it."""
    return "; ".join(
        f"“{found[0][1]}” ({carried_by(articles, (articles[u.article].id for u, _ in found))})"
        for found in values.values()
    )
