"""MinHash signatures and LSH banding: candidate pairs of similar sets without comparing all.

A signature keeps, for each of ``PERMUTATIONS`` hash functions, the smallest hash of the
set's members; two sets agree on one position with probability equal to their Jaccard
similarity. Banding the signature (``bands`` × ``rows``) makes pairs above roughly
``(1 / bands) ** (1 / rows)`` collide in some band with high probability.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

PERMUTATIONS = 128
SEED = 5  # fixed: signatures must agree between runs
EMPTY = np.iinfo(np.uint64).max

Signature = npt.NDArray[np.uint64]


def permutations(n: int = PERMUTATIONS) -> tuple[Signature, Signature]:
    """The (a, b) of n multiply-shift hash functions h(x) = ((a·x + b) mod 2^64) >> 32."""
    rng = np.random.default_rng(SEED)
    a = rng.integers(0, EMPTY, size=n, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, EMPTY, size=n, dtype=np.uint64, endpoint=True)
    return a, b


def base_hash(item: Hashable) -> int:
    """A stable 64-bit hash of a string or tuple of strings."""
    text = "\x1f".join(item) if isinstance(item, tuple) else str(item)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def signature(items: Iterable[Hashable], coefficients: tuple[Signature, Signature]) -> Signature:
    """The MinHash signature of a set (all positions EMPTY for an empty set)."""
    a, b = coefficients
    hashes = np.fromiter((base_hash(x) for x in set(items)), dtype=np.uint64)
    if not hashes.size:
        return np.full(a.shape, EMPTY, dtype=np.uint64)
    with np.errstate(over="ignore"):
        values = (a[:, None] * hashes[None, :] + b[:, None]) >> np.uint64(32)
    return np.asarray(values.min(axis=1), dtype=np.uint64)


def estimate(x: Signature, y: Signature) -> float:
    """Estimated Jaccard similarity of the sets behind two signatures."""
    if x[0] == EMPTY or y[0] == EMPTY:
        return 0.0
    return float(np.mean(x == y))


def lsh_pairs(signatures: Sequence[Signature], bands: int, rows: int) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose signatures agree on every row of at least one band."""
    buckets: dict[tuple[int, bytes], list[int]] = {}
    for i, sig in enumerate(signatures):
        if sig[0] == EMPTY:
            continue
        for band in range(bands):
            key = (band, sig[band * rows : (band + 1) * rows].tobytes())
            buckets.setdefault(key, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for k, i in enumerate(members):
            pairs.update((i, j) for j in members[k + 1 :])
    return pairs
