"""Conflicts within one stored quote group: its wordings and speakers, from its first occurrences.

A group's conflicts depend only on its first ``QUOTE_WORDINGS`` occurrences (in folding order)
and on the names that relay quotes in the story, so a fold re-checks only the groups it added
to and those whose speaker became a relay; a rebuild checks every group and gets the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.crosscheck.conflicts.speaker import speaker_conflict
from storydesk.crosscheck.conflicts.wording import wording_conflict
from storydesk.crosscheck.quotes import Occurrence, wording_classes
from storydesk.model import AnalyzedArticle, Article, Conflict, Sentence
from storydesk.model_state import QuoteMember

QUOTE_WORDINGS = 50  # first occurrences of a quote its wording and speakers are judged on


def group_conflicts(members: Sequence[QuoteMember], relay_keys: frozenset[str]) -> list[Conflict]:
    """Wording and speaker conflicts of one quote group; none unless two articles carry it."""
    first = list(members[:QUOTE_WORDINGS])
    if len({m.article for m in first}) < 2:
        return []
    stubs, occurrences = quote_stubs(first)
    found: list[Conflict] = []
    classes = wording_classes(occurrences)
    if len(classes) > 1:
        found.append(wording_conflict(stubs, classes))
    speakers = speaker_conflict(stubs, occurrences, relay_keys)
    if speakers is not None:
        found.append(speakers)
    return found


def quote_stubs(
    members: Sequence[QuoteMember],
) -> tuple[list[AnalyzedArticle], list[Occurrence]]:
    """Stand-in articles (id, outlet, the sentences the quotes are in) and the occurrences
    pointing into them, articles in first-seen order."""
    sentences: dict[int, dict[int, str]] = {}
    outlets: dict[int, str | None] = {}
    for m in members:
        sentences.setdefault(m.article, {})[m.sentence] = m.context
        outlets.setdefault(m.article, m.outlet)
    blank = Sentence(0, 0, "")
    stubs: list[AnalyzedArticle] = []
    position: dict[int, int] = {}
    for aid, texts in sentences.items():
        article = Article(
            source="", sha256="", title="", paragraphs=(), outlet=outlets[aid], id=aid
        )
        row = tuple(
            Sentence(0, 0, texts[i]) if i in texts else blank for i in range(max(texts) + 1)
        )
        position[aid] = len(stubs)
        stubs.append(AnalyzedArticle(article, row))
    occurrences = [
        Occurrence(position[m.article], m.sentence, m.text, m.speaker, m.unnamed) for m in members
    ]
    return stubs, occurrences
