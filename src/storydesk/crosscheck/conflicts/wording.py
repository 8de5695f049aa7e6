"""Quote-wording conflicts: one quote worded materially differently across articles."""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.crosscheck.conflicts.describe import carried_by, shorten, verb_for
from storydesk.crosscheck.conflicts.finder import ConflictInput
from storydesk.crosscheck.evidence import dedupe_supports, support_at
from storydesk.crosscheck.quotes import Occurrence, wording_changes, wording_classes
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Variant


def find_wording(story: ConflictInput) -> list[Conflict]:
    """Quotes carried in wordings that say different things."""
    out: list[Conflict] = []
    for members in story.quotes:
        classes = wording_classes(members)
        if len(classes) > 1:
            out.append(wording_conflict(story.articles, classes))
    return out


def wording_conflict(
    articles: Sequence[AnalyzedArticle], classes: Sequence[Sequence[Occurrence]]
) -> Conflict:
    """Wordings of one quote that say different things: what changed, and who carried each."""
    base = classes[0][0].text
    speaker = next((m.speaker for c in classes for m in c if m.speaker), None)
    variants = tuple(
        Variant(c[0].text, dedupe_supports(support_at(articles, m.article, m.sentence) for m in c))
        for c in classes
    )
    parts: list[str] = []
    for cls, variant in zip(classes[1:], variants[1:], strict=True):
        changes = wording_changes(base, cls[0].text)
        said = "; ".join(f"“{x}” vs “{y}”" for x, y in changes)
        parts.append(f"{said} ({carried_by(articles, (s.article for s in variant.support))})")
    head = f"wording differs{f' ({speaker})' if speaker else ''}: "
    carried = carried_by(articles, (s.article for s in variants[0].support))
    quoting = f"{carried} {verb_for('quote', carried)} “{shorten(base)}”; "
    description = head + quoting + ", ".join(parts)
    return Conflict(ConflictKind.QUOTE, description, variants)
