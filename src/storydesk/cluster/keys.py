"""The index's lookup keys: idf weights, which keys are common, an article's rarest keys."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping

from storydesk.model import ENTITY_KEY, ArticleProfile

RARE_KEYS = 24  # rarest keys of an article looked up in the index
KEY_SHARE = 0.05  # keys carried by more than this share of articles are not looked up (nor
# count as a story's entities: every campaign article names both candidates) ...
KEY_FLOOR = 40  # ... unless carried by fewer articles than this;
KEY_SCAN = 40  # of each key, only its latest articles are read (keeps lookups flat as data grows)
MAX_CANDIDATES = 30  # stories scored per article


def weight(df: int, n: int) -> float:
    """Smoothed idf of a term carried by df of n articles."""
    return math.log((1 + n) / (1 + df)) + 1.0


def key_cap(n: int) -> int:
    """Keys carried by more of n indexed articles than this are common: no event's own."""
    return max(KEY_FLOOR, int(KEY_SHARE * n))


def lookup_keys(p: ArticleProfile, df: Mapping[str, int], n: int) -> list[str]:
    """The article's entities and rarest terms that other articles carry, common ones left out."""
    return rare_keys(p.entities, set(p.terms), df, n)


def rare_keys(
    entities: Iterable[str], terms: Iterable[str], df: Mapping[str, int], n: int
) -> list[str]:
    """Entity keys and the rarest terms that other articles carry, common ones left out."""
    cap = key_cap(n)
    entity_keys = [ENTITY_KEY + e for e in sorted(entities)]
    usable = [k for k in entity_keys if 0 < df.get(k, 0) <= cap]
    rarest = heapq.nsmallest(
        RARE_KEYS,
        (t for t in terms if 0 < df.get(t, 0) <= cap),
        key=lambda t: (df[t], t),
    )
    return usable + rarest
