"""Speaker conflicts: the same quotation attributed to different speakers across articles."""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.crosscheck.conflicts.describe import carried_by, shorten
from storydesk.crosscheck.conflicts.finder import ConflictInput
from storydesk.crosscheck.evidence import dedupe_supports, support_at
from storydesk.crosscheck.quotes import Occurrence, quote_key, relays, speaker_groups
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Variant

MIN_SPEAKER_QUOTE_WORDS = 4  # shorter quotations are too common to pin on one speaker


def find_speaker(story: ConflictInput) -> list[Conflict]:
    """Quotes attributed to different speakers in different articles."""
    relayed_by = relays(story.articles)
    out: list[Conflict] = []
    for members in story.quotes:
        conflict = speaker_conflict(story.articles, members, relayed_by)
        if conflict is not None:
            out.append(conflict)
    return out


def speaker_conflict(
    articles: Sequence[AnalyzedArticle], members: Sequence[Occurrence], relayed_by: frozenset[str]
) -> Conflict | None:
    """The same quotation attributed to different speakers in different articles."""
    long_enough = [m for m in members if len(quote_key(m.text).split()) >= MIN_SPEAKER_QUOTE_WORDS]
    speakers = speaker_groups(long_enough, relayed_by)
    if len(speakers) < 2 or len({m.article for _, v in speakers.values() for m in v}) < 2:
        return None
    variants = tuple(
        Variant(name, dedupe_supports(support_at(articles, m.article, m.sentence) for m in found))
        for name, found in speakers.values()
    )
    who = " vs ".join(
        f"{v.value} ({carried_by(articles, (s.article for s in v.support))})" for v in variants
    )
    quote = shorten(quote_key(members[0].text))
    return Conflict(ConflictKind.SPEAKER, f"speaker of “{quote}” differs: {who}", variants)
