"""Lineage of one new article against a story's stored articles, through LSH band keys.

The article's MinHash band keys (word 5-grams and vocabulary, ``derivation``'s bands) and a
hash of its text find the stored articles it may derive from; at most ``LINEAGE_CANDIDATES``
of them, those sharing the most keys, are compared with ``derivation.compare``. Agency relays
link it to the stored articles of the agency it relays (or that relay it).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from storydesk.lineage.derivation import (
    SHINGLE_BANDS,
    VOCABULARY_BANDS,
    _worth_comparing,
    article_features,
    compare,
)
from storydesk.lineage.relays import relayed_agency
from storydesk.model import AnalyzedArticle, EdgeKind, LineageEdge
from storydesk.options import Options
from storydesk.text.minhash import EMPTY, Signature, permutations, signature

LINEAGE_POSTINGS = 64  # stored articles read per band key (the first ones)
LINEAGE_CANDIDATES = 8  # stored articles compared with a new one, most shared keys first

Load = Callable[[Sequence[int]], Sequence[AnalyzedArticle]]


class BandIndex(Protocol):
    """What the lineage fold reads of a story's stored articles."""

    def band_candidates(self, bands: Sequence[str], per_band: int) -> Counter[int]: ...

    def relaying(self, agency: str, own: bool) -> list[int]: ...


def band_keys(article: AnalyzedArticle) -> tuple[str, ...]:
    """The article's LSH band keys and its text key."""
    f = article_features(article)
    coefficients = permutations()
    keys: list[str] = []
    if f.text:
        keys.append("t" + hashlib.blake2b(f.text.encode("utf-8"), digest_size=12).hexdigest())
    for tag, items, (bands, rows) in (
        ("s", f.shingles, SHINGLE_BANDS),
        ("v", f.vocabulary, VOCABULARY_BANDS),
    ):
        sig: Signature = signature(items, coefficients)
        if sig[0] == EMPTY:
            continue
        for band in range(bands):
            keys.append(f"{tag}{band}:{sig[band * rows : (band + 1) * rows].tobytes().hex()}")
    return tuple(keys)


def fold_lineage(
    article: AnalyzedArticle,
    keys: Sequence[str],
    index: BandIndex,
    load: Load,
    options: Options,
) -> tuple[LineageEdge, ...]:
    """Edges between a new article and the story's stored articles (state in, edges out)."""
    shared = index.band_candidates(keys, LINEAGE_POSTINGS)
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:LINEAGE_CANDIDATES]
    feature = article_features(article)
    edges: list[LineageEdge] = []
    for other in sorted(load(sorted(aid for aid, _ in ranked)), key=lambda a: a.id):
        fo = article_features(other)
        if _worth_comparing(fo, feature):
            edge = compare(other, fo, article, feature, options)  # the earlier article first
            if edge is not None:
                edges.append(edge)
    linked = {frozenset((e.derived, e.source)) for e in edges}
    found = relayed_agency(article)
    if found is not None:
        name, evidence = found
        own = evidence.startswith("published by")
        if own:  # the agency's own report: the stored articles relaying it derive from it
            pairs = [(r, article.id) for r in index.relaying(name, own=False)]
        else:
            pairs = [(article.id, s) for s in index.relaying(name, own=True)]
        for derived, source in pairs:
            if frozenset((derived, source)) not in linked:
                why = f"relays {name}; article {source} is {name}'s own report"
                edges.append(LineageEdge(derived, source, EdgeKind.RELAY, 1.0, True, why))
    return tuple(edges)
