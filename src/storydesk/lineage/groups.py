"""Independence groups: articles linked by lineage count as one source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from storydesk.model import Lineage, LineageEdge


def independence_groups(
    ids: Sequence[int],
    edges: Sequence[LineageEdge],
    relayed: Mapping[int, str] | None = None,
) -> tuple[frozenset[int], ...]:
    """Union-find over lineage edges and relayed agencies: each group is one source."""
    root = group_roots(ids, [(e.derived, e.source) for e in edges], relayed)
    groups: dict[int, set[int]] = {}
    for i in ids:
        groups.setdefault(root[i], set()).add(i)
    return tuple(frozenset(g) for _, g in sorted(groups.items()))


def group_roots(
    ids: Sequence[int],
    links: Iterable[tuple[int, int]],
    relayed: Mapping[int, str] | None = None,
) -> dict[int, int]:
    """Each article's independence group, named by its smallest article id."""
    parent = {i: i for i in ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = list(links)
    first: dict[str, int] = {}
    for aid, agency in sorted((relayed or {}).items()):
        pairs.append((aid, first.setdefault(agency, aid)))
    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}


def independent_sources(article_ids: Iterable[int], lineage: Lineage) -> int:
    """Number of distinct independence groups among articles (unknown ids count alone)."""
    keys: set[tuple[str, int]] = set()
    for aid in article_ids:
        try:
            keys.add(("group", lineage.group_of(aid)))
        except KeyError:
            keys.add(("article", aid))
    return len(keys)
