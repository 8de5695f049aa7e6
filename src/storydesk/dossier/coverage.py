"""Coverage: which outlets carried which fact, what only one carried, and what one left out.

Every article counts: its column is its outlet, or, when its outlet is unknown, the article
itself ("article 4"), so a fact is never carried by no column and "only X" is never said of a
fact that an article of unknown outlet carried too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storydesk.model import ArticleRef, Coverage, Fact


def column_name(article_id: int, outlet: str | None) -> str:
    """The coverage column an article counts in: its outlet, else the article itself."""
    return outlet or f"article {article_id}"


def columns(articles: Iterable[ArticleRef]) -> list[tuple[str, tuple[int, ...]]]:
    """Each column with its articles: named outlets sorted, then outlet-less articles by id."""
    named: dict[str, list[int]] = {}
    alone: list[int] = []
    for a in articles:
        if a.outlet:
            named.setdefault(a.outlet, []).append(a.id)
        else:
            alone.append(a.id)
    out = [(o, tuple(sorted(named[o]))) for o in sorted(named)]
    return out + [(column_name(aid, None), (aid,)) for aid in sorted(alone)]


def coverage(facts: Sequence[Fact], articles: Sequence[ArticleRef]) -> Coverage:
    """Which columns carried which fact, the facts only one column carried, and the facts that
    every other column (at least two) carried but one left out."""
    known = {a.id for a in articles}
    elsewhere = sorted({s.article for f in facts for s in f.support} - known)  # not listed
    cols = columns(
        [*articles, *(ArticleRef(aid, "", None, "", None, None, None) for aid in elsewhere)]
    )
    names = [name for name, _ in cols]
    rank = {name: k for k, name in enumerate(names)}  # work per fact: its support, not names
    column_of = {aid: name for name, ids in cols for aid in ids}
    carried = [{column_of[s.article] for s in f.support} for f in facts]
    matrix = tuple(
        (i, tuple(sorted(found, key=rank.__getitem__))) for i, found in enumerate(carried)
    )
    alone: dict[str, list[int]] = {}
    for i, found in enumerate(carried):
        if len(found) == 1:
            alone.setdefault(next(iter(found)), []).append(i)
    exclusives = tuple((o, tuple(alone.get(o, ()))) for o in names)
    omitted: dict[str, list[int]] = {}
    if len(names) >= 3:
        for i, found in enumerate(carried):
            if len(found) == len(names) - 1 and len(found) >= 2:
                missing = next(o for o in names if o not in found)
                omitted.setdefault(missing, []).append(i)
    omissions = tuple((o, tuple(omitted[o])) for o in names if o in omitted)
    return Coverage(tuple(names), matrix, exclusives, omissions, tuple(cols))
