"""Modality conflicts: one fact's sentences give its claim different statuses."""

from __future__ import annotations

import re

from storydesk.crosscheck.align import Unit
from storydesk.crosscheck.conflicts.describe import value_conflict
from storydesk.crosscheck.conflicts.finder import ConflictInput
from storydesk.model import Conflict, ConflictKind

MODALITY = (
    ("agreed in principle", re.compile(r"\bagree(?:d|s)? in principle\b", re.I)),
    ("has agreed", re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?agreed\b", re.I)),
    ("is expected to", re.compile(r"\b(?:is|are|was|were)\s+(?:\w+\s+)?expected\s+to\b", re.I)),
    (
        "still in negotiations",
        re.compile(
            r"\bfinal (?:stage|stages|phase)\b|\bstill being negotiated\b|\bin negotiations?\b",
            re.I,
        ),
    ),
    ("will join", re.compile(r"\bwill\s+(?:\w+\s+)?(?:join|sign|enter)\b", re.I)),
)


def modality(text: str) -> tuple[str, str] | None:
    """The status a sentence gives a claim, as (label, phrase), or None."""
    for label, pattern in MODALITY:
        m = pattern.search(text)
        if m:
            return label, m.group(0)
    return None


def find_modality(story: ConflictInput) -> list[Conflict]:
    """Facts whose sentences give the claim more than one status."""
    out: list[Conflict] = []
    for units in story.facts:
        modal: dict[str, list[tuple[Unit, str]]] = {}
        for u in units:
            status = modality(story.articles[u.article].sentences[u.sentence].text)
            if status:
                modal.setdefault(status[0], []).append((u, status[1]))
        if len(modal) > 1:
            out.append(value_conflict(story.articles, ConflictKind.MODALITY, "status", modal))
    return out
