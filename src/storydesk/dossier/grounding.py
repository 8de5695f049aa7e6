"""Grounding: every brief sentence rests on sentences it cites, and each of them states it.

A brief sentence is grounded when it is one of the sentences it cites (or that sentence with
words left out: ``trim.made_by_deletion``) and every sentence it cites states its claim: no
cited sentence gives the claim another status ("is expected to" under "will join") or a count
that its precision cannot reconcile. A note naming a conflict is grounded by that conflict's
sentences. A contested claim is never stated as settled: a brief sentence that cites a
disputed sentence comes with the note naming the conflict, and a status conflict is stated in
its most hedged wording.
"""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.crosscheck.conflicts.modality import PREVIEW, STRENGTH, modality
from storydesk.crosscheck.precision import counts_differ
from storydesk.dossier.trim import made_by_deletion
from storydesk.model import BriefSentence, Conflict, ConflictKind, Dossier

HEDGES = frozenset({PREVIEW, "still in negotiations"})  # statuses short of the claim itself


def note_text(conflict: Conflict) -> str:
    """The brief's sentence naming a conflict and who holds each side."""
    text = conflict.description.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def states_claim(claim: str, cited: str) -> bool:
    """Whether a cited sentence states a brief sentence's claim: the same status (modality)
    and counts its precision reconciles (no NLI: structured values only)."""
    if claim.strip() in cited or made_by_deletion(claim, cited):
        return True
    said, there = modality(claim), modality(cited)
    if said is not None and there is not None and said[0] != there[0]:
        return False
    if said is None and there is not None and there[0] in HEDGES:
        return False
    return not counts_differ(claim, cited, openers=True)


def check_grounding(d: Dossier) -> list[str]:
    """Brief sentences and facts without support, not found in any sentence they cite, or
    citing a sentence that does not state their claim (a brief sentence may be a cited
    sentence with words left out: trimmed; a note is grounded by its conflict)."""
    problems: list[str] = []
    notes = {note_text(c): c for c in d.conflicts}
    for i, b in enumerate(d.brief):
        if not b.support:
            problems.append(f"brief sentence {i} has no support: {b.text!r}")
        elif b.text in notes:
            cited = {(s.article, s.sentence) for s in notes[b.text].support}
            if any((s.article, s.sentence) not in cited for s in b.support):
                problems.append(f"brief sentence {i} cites outside its conflict: {b.text!r}")
        elif not any(
            b.text.strip() in s.text or made_by_deletion(b.text, s.text) for s in b.support
        ):
            problems.append(f"brief sentence {i} is not in any cited sentence: {b.text!r}")
        else:
            for s in b.support:
                if not states_claim(b.text, s.text):
                    problems.append(
                        f"brief sentence {i} cites [{s.article}.{s.sentence}], which does not"
                        f" state its claim: {b.text!r}"
                    )
    for i, f in enumerate(d.facts):
        if not f.support:
            problems.append(f"fact {i} has no support: {f.text!r}")
        elif not any(f.text.strip() in s.text for s in f.support):
            problems.append(f"fact {i} is not in any cited sentence: {f.text!r}")
    return problems


def overstated(d: Dossier) -> list[str]:
    """Brief sentences that state a contested claim as settled: citing a disputed sentence
    without the note naming its conflict, or a status conflict in a wording not its weakest."""
    shown = {b.text for b in d.brief}
    problems: list[str] = []
    for i, b in enumerate(d.brief):
        if b.text in {note_text(c) for c in d.conflicts}:
            continue
        for c in _disputing(d.conflicts, b):
            if note_text(c) not in shown:
                problems.append(f"brief sentence {i} states a contested claim: {b.text!r}")
            elif c.kind == ConflictKind.MODALITY and not _hedged(b.text, c):
                problems.append(f"brief sentence {i} is not the hedged wording: {b.text!r}")
    return problems


def _disputing(conflicts: Sequence[Conflict], b: BriefSentence) -> list[Conflict]:
    """The conflicts (earlier reports aside) that dispute a sentence a brief sentence cites."""
    cited = {(s.article, s.sentence) for s in b.support}
    return [
        c
        for c in conflicts
        if c.kind != ConflictKind.EARLIER_REPORT
        and any((s.article, s.sentence) in cited for s in c.support)
    ]


def _hedged(text: str, conflict: Conflict) -> bool:
    """Whether a sentence gives a status conflict's weakest status."""
    labels = [m[0] for v in conflict.variants for s in v.support if (m := modality(s.text))]
    said = modality(text)
    if not labels or said is None:
        return said is None
    return STRENGTH.get(said[0], 0) <= min(STRENGTH.get(label, 0) for label in labels)
