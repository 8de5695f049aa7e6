"""Coverage: which outlets carried which fact, what only one carried, and what one left out."""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.model import Coverage, Fact


def coverage(facts: Sequence[Fact]) -> Coverage:
    """Which outlets carried which fact, the facts only one outlet carried, and the facts that
    every other outlet (at least two) carried but one left out."""
    outlets = sorted({o for f in facts for o in f.outlets})
    matrix = tuple((i, tuple(f.outlets)) for i, f in enumerate(facts))
    exclusives = tuple(
        (o, tuple(i for i, f in enumerate(facts) if f.outlets == (o,))) for o in outlets
    )
    omitted: dict[str, list[int]] = {}
    if len(outlets) >= 3:
        for i, f in enumerate(facts):
            missing = [o for o in outlets if o not in f.outlets]
            if len(missing) == 1 and len(f.outlets) >= 2:
                omitted.setdefault(missing[0], []).append(i)
    omissions = tuple((o, tuple(omitted[o])) for o in outlets if o in omitted)
    return Coverage(
        outlets=tuple(outlets), matrix=matrix, exclusives=exclusives, omissions=omissions
    )
