"""A second look at new articles: a window is grouped by average linkage before any is placed.

Fed one at a time, an article joins the best story *so far*: which articles came first
decides which stories exist, so different input orders give different stories. The articles
that arrive together (a window of a run, ``options.batch_articles``) are first grouped among
themselves by average linkage over the scorer's article-to-article score (``pair_score``:
their cosine over words, entities and headline words (three TF-IDF subspaces blended, as
Miranda et al. 2018 do), lowered when their dates lie more than a week apart; every pair scored,
the closest groups merged first, until no two groups are on average at the bar): a grouping
that does not depend on their order. Each group is then placed as one (``StoryIndex``): it
joins the existing story whose members it is closest to on average, or opens a story. Batch
average linkage is what the TF-IDF peer of ``bench/cluster_baseline.py`` does; here it is
bounded by the window, so the cost per article stays flat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from storydesk.text.features import Vector

PAIR_FLOOR = 0.05  # pairs whose word cosine is below this are not scored (they score ~0)


def cosines(vectors: Sequence[Vector]) -> npt.NDArray[np.float64]:
    """The matrix of word cosines between unit sparse vectors.

    Terms that only one vector carries add nothing between two, so only shared terms are laid
    out (a window of 512 articles then fits in a few MB).
    """
    carried = Counter(t for vec in vectors for t in vec)
    vocab = {t: k for k, t in enumerate(t for t, c in carried.items() if c > 1)}
    dense = np.zeros((len(vectors), max(len(vocab), 1)), dtype=np.float32)
    for i, vec in enumerate(vectors):
        for t, v in vec.items():
            k = vocab.get(t)
            if k is not None:
                dense[i, k] = v
    return np.asarray(dense @ dense.T, dtype=np.float64)


def pair_scores(
    vectors: Sequence[Vector],
    score: Callable[[int, int, float], float],
    floor: float = PAIR_FLOOR,
    spaces: Sequence[tuple[float, Sequence[Vector]]] = (),
) -> npt.NDArray[np.float64]:
    """Symmetric matrix of ``score(i, j, cosine)`` over pairs of cosine ``floor`` or more.

    The cosine is the word cosine, or with ``spaces`` (weight, unit vectors of another TF-IDF
    subspace: entities, headline words) their weighted sum, the words taking the rest; a
    subspace where either article has nothing leaves its weight to the words.
    """
    words = cosines(vectors)
    cos = words.copy()
    for w, space in spaces:
        both = np.array([bool(v) for v in space], dtype=np.float64)
        cos += w * np.outer(both, both) * (cosines(space) - words)
    n = len(vectors)
    out = cos.copy()  # pairs below the floor keep their (tiny) cosine
    for i in range(n):
        for j in range(i + 1, n):
            if cos[i, j] >= floor:
                out[i, j] = out[j, i] = score(i, j, float(cos[i, j]))
    return out


def average_linkage(similarity: npt.NDArray[np.float64], bar: float) -> list[list[int]]:
    """Groups of indices: the two groups closest on average merged first, down to ``bar``.

    Ties go to the lowest indices; each group is sorted, groups by their first index.
    """
    n = len(similarity)
    sim = similarity.astype(np.float64, copy=True)
    np.fill_diagonal(sim, -np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members: list[list[int]] = [[i] for i in range(n)]
    while alive.sum() > 1:
        flat = int(np.argmax(sim))  # rows and columns of merged-away groups are -inf
        i, j = divmod(flat, n)
        if sim[i, j] < bar:
            break
        i, j = min(i, j), max(i, j)
        merged = (sizes[i] * sim[i] + sizes[j] * sim[j]) / (sizes[i] + sizes[j])
        sim[i, :] = merged
        sim[:, i] = merged
        sim[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        sim[j, :] = -np.inf
        sim[:, j] = -np.inf
        members[i].extend(members[j])
        members[j] = []
    groups = [sorted(m) for k, m in enumerate(members) if alive[k]]
    return sorted(groups, key=lambda g: g[0])
