"""Same-claim scorer on the MSR paraphrase corpus: train it, and score it on a held-out part.

The held-out part is a fixed quarter of msrp-train chosen by a hash of the pair's two ids
(never by a random draw), and nothing is tuned on it. Training also takes the labelled pairs
of the ECB+ tuning topics (``bench/align_pairs.py``; never its held-out topics), which carry
the story-level word overlap the dossier sees. The ``story_dice`` feature of an MSRP pair is
its idf-weighted Dice with idf over the sentences of msrp-train's training part. The text is
read from ``../shared/data/msrp-train`` at run time; sentence embeddings are cached under /tmp.

    .venv/bin/python bench/align_msrp.py            # figures on the held-out part
    .venv/bin/python bench/align_msrp.py --train    # refit, write crosscheck/claim_weights.py
    .venv/bin/python bench/align_msrp.py --sample 400   # a quick look on fewer pairs
"""

from __future__ import annotations

import argparse
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck import claim_weights
from storydesk.crosscheck.claims import (
    FEATURES,
    claim_features,
    claim_logit,
    claim_text,
)
from storydesk.text.embed import load_embedder
from storydesk.text.features import content_words, idf

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "msrp-train" / "msr_paraphrase_train.txt"
WEIGHTS = ROOT / "src" / "storydesk" / "crosscheck" / "claim_weights.py"
CACHE = Path("/tmp/storydesk-msrp-embeddings.npz")
HELD_OUT_QUARTERS = 1  # of 4: pairs whose id hash falls in the first quarter are held out
ECB_WEIGHT = 2.0  # sample weight of an ECB+ tuning pair (an MSRP pair weighs 1)
TOPIC_WEIGHT = 8.0  # ... times this for a pair of one story stating different claims: in a
# story such pairs far outnumber the same-claim ones (chosen on the tuning topics' F1, ties
# broken by 5-fold accuracy on msrp-train's training part)


@dataclass(frozen=True)
class Pair:
    """One labelled MSRP pair."""

    label: int
    left: str
    right: str
    held_out: bool


def held_out(id1: str, id2: str) -> bool:
    """Whether a pair is in the fixed held-out quarter (sha256 of its ids)."""
    digest = hashlib.sha256(f"{id1}-{id2}".encode()).digest()
    return digest[0] % 4 < HELD_OUT_QUARTERS


def load_pairs(path: Path = DATA) -> list[Pair]:
    """The corpus's pairs with their split."""
    out: list[Pair] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) != 5:
            continue
        out.append(Pair(int(parts[0]), parts[3], parts[4], held_out(parts[1], parts[2])))
    return out


def cosines(pairs: list[Pair]) -> npt.NDArray[np.float64]:
    """MiniLM cosine of every pair (embeddings cached by text)."""
    cache: dict[str, npt.NDArray[np.float32]] = {}
    if CACHE.exists():
        stored = np.load(CACHE, allow_pickle=False)
        cache = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
    missing = sorted({t for p in pairs for t in (p.left, p.right)} - set(cache))
    if missing:
        model = load_embedder()
        start = time.perf_counter()
        cache.update(zip(missing, model.embed(missing), strict=True))
        print(f"embedded {len(missing)} sentences in {time.perf_counter() - start:.1f} s")
        texts = sorted(cache)
        np.savez(CACHE, texts=np.array(texts), vectors=np.stack([cache[t] for t in texts]))
    return np.array([float(cache[p.left] @ cache[p.right]) for p in pairs])


def story_dice(pairs: list[Pair]) -> list[float]:
    """Idf-weighted Dice of each pair's content words, idf over the training part's
    sentences (the MSRP stand-in for the story's sentences in the dossier)."""
    train = {t for p in load_pairs() if not p.held_out for t in (p.left, p.right)}
    weights = idf(frozenset(content_words(t)) for t in sorted(train))
    top = max(weights.values())

    def dice(a: frozenset[str], b: frozenset[str]) -> float:
        size = sum(weights.get(w, top) for w in a) + sum(weights.get(w, top) for w in b)
        return 2 * sum(weights.get(w, top) for w in a & b) / size if size else 0.0

    bags = [(frozenset(content_words(p.left)), frozenset(content_words(p.right))) for p in pairs]
    return [dice(a, b) for a, b in bags]


def feature_matrix(pairs: list[Pair], cos: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """One row of scorer features per pair."""
    return np.array(
        [
            claim_features(claim_text(p.left), claim_text(p.right), float(c), lex)
            for p, c, lex in zip(pairs, cos, story_dice(pairs), strict=True)
        ]
    )


def ecb_tuning_pairs() -> tuple[
    npt.NDArray[np.float64], npt.NDArray[np.int_], npt.NDArray[np.float64]
]:
    """Features, labels and sample weights of the ECB+ tuning topics' pairs
    (bench/align_pairs.py)."""
    import align_pairs  # the sibling bench script

    from storydesk.options import Options

    f = align_pairs.run(Options(), every_pair=True)
    keep = [k for k in range(len(f.labels)) if not f.held_out[k]]
    x = np.array(
        [
            claim_features(
                claim_text(f.texts[k][0]),
                claim_text(f.texts[k][1]),
                float(f.cosine[k]),
                float(f.lexical[k]),
            )
            for k in keep
        ]
    )
    labels = [f.labels[k] for k in keep]
    weights = [ECB_WEIGHT * (TOPIC_WEIGHT if label == "topic" else 1.0) for label in labels]
    return x, np.array([int(label == "same") for label in labels]), np.array(weights)


def figures(
    truth: npt.NDArray[np.int_], guess: npt.NDArray[np.bool_]
) -> tuple[float, float, float]:
    """Accuracy, precision and recall."""
    tp = int((guess & (truth == 1)).sum())
    accuracy = float((guess == (truth == 1)).mean())
    precision = tp / int(guess.sum()) if guess.any() else 0.0
    recall = tp / int((truth == 1).sum())
    return accuracy, precision, recall


def best_cut(values: npt.NDArray[np.float64], truth: npt.NDArray[np.int_]) -> float:
    """The threshold on values with the best accuracy (ties: the lower cut)."""
    cuts = np.unique(values)
    accs = [float(((values >= c) == (truth == 1)).mean()) for c in cuts]
    return float(cuts[int(np.argmax(accs))])


def train(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.int_],
    sample_weight: npt.NDArray[np.float64],
    shift: float,
) -> None:
    """Fit the logistic model on the train part and write the weights module (the
    regularisation is chosen by unweighted 5-fold accuracy)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    z = (x - means) / scales
    best = max(
        (0.01, 0.1, 1.0, 10.0),
        key=lambda c: cross_val_score(LogisticRegression(C=c, max_iter=1000), z, y, cv=5).mean(),
    )
    model = LogisticRegression(C=best, max_iter=1000).fit(z, y, sample_weight=sample_weight)
    print(f"trained on {len(y)} pairs, C={best}")

    def floats(values: npt.NDArray[np.float64]) -> str:
        return "(\n" + "".join(f"    {v:.6f},\n" for v in values) + ")"

    names = ",\n#   ".join(", ".join(FEATURES[k : k + 6]) for k in range(0, len(FEATURES), 6))
    WEIGHTS.write_text(
        '"""Weights of the same-claim scorer, written by ``bench/align_msrp.py --train``'
        ' (do not edit)."""\n\n'
        f"# features: {names}\n"
        f"# trained on {len(y)} pairs, C={best}: msrp-train's training part and the ECB+\n"
        f"# tuning topics (weight {ECB_WEIGHT}, x{TOPIC_WEIGHT} for one story's different claims)\n"
        f"INTERCEPT = {float(model.intercept_[0]):.6f}\n"
        f"MEANS = {floats(means)}\n"
        f"SCALES = {floats(scales)}\n"
        f"COEFS = {floats(model.coef_[0])}\n"
        "# log-odds subtracted for the dossier's 'same' mark (0 is the MSRP-calibrated cut): the\n"
        "# best ECB+ tuning-topic F1 with precision >= 0.94\n"
        "# (bench/align_pairs.py --grid; docs/benchmarks.md has the hand check of the facts)\n"
        f"DOSSIER_SHIFT = {shift}\n"
    )
    print(f"wrote {WEIGHTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="refit and write the weights")
    parser.add_argument("--shift", type=float, default=None, help="DOSSIER_SHIFT to write")
    parser.add_argument("--sample", type=int, default=0, help="use only this many pairs")
    args = parser.parse_args()
    pairs = load_pairs()
    if args.sample:
        pairs = pairs[: args.sample]
    cos = cosines(pairs)
    x = feature_matrix(pairs, cos)
    y = np.array([p.label for p in pairs])
    test = np.array([p.held_out for p in pairs])
    if args.train:
        shift = claim_weights.DOSSIER_SHIFT if args.shift is None else args.shift
        ecb_x, ecb_y, ecb_w = ecb_tuning_pairs()
        weights = np.concatenate([np.ones(int((~test).sum())), ecb_w])
        train(np.vstack([x[~test], ecb_x]), np.concatenate([y[~test], ecb_y]), weights, shift)
        return
    logits = np.array([claim_logit(row) for row in x])
    dice = x[:, FEATURES.index("dice")]
    cut = best_cut(dice[~test], y[~test])
    cos_cut = best_cut(cos[~test], y[~test])
    yt = y[test]
    majority = np.full(len(yt), bool(round(y[~test].mean())))
    print(f"msrp-train: {len(pairs)} pairs, held out {int(test.sum())} ({yt.mean():.3f} same)")
    rows = (
        ("majority baseline", majority),
        (f"word overlap (Dice >= {cut:.3f}, tuned on train)", dice[test] >= cut),
        (f"MiniLM cosine (>= {cos_cut:.3f}, tuned on train)", cos[test] >= cos_cut),
        ("same-claim scorer (logistic)", logits[test] >= 0),
    )
    for name, guess in rows:
        acc, prec, rec = figures(yt, guess)
        print(f"held-out  {name}: accuracy {acc:.3f}, precision {prec:.3f}, recall {rec:.3f}")
    acc, prec, rec = figures(y[~test], logits[~test] >= 0)
    print(f"train  same-claim scorer: accuracy {acc:.3f}, precision {prec:.3f}, recall {rec:.3f}")


if __name__ == "__main__":
    main()
