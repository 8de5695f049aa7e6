"""Side-by-side baseline: scikit-learn agglomerative clustering on TF-IDF, tuned on ECB+ dev.

Usage: python bench/cluster_baseline.py [DATA_DIR] [--cuts 0.5,0.6,...] [--linkage average]

Needs the dev extra (scikit-learn). Same texts and tokens as bench/cluster_ecb.py (title
counted twice), sublinear tf, cosine distance, one batch over all articles (not
incremental); every distance cut is printed so the best one is tuned on the same data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cluster_ecb import DEFAULT_DATA, bcubed, load


def main() -> None:
    """Print B-cubed figures of the baseline for each distance cut."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cuts", default="0.6,0.65,0.7,0.75,0.8,0.85,0.9")
    ap.add_argument("--linkage", default="average", choices=["average", "complete", "single"])
    args = ap.parse_args()
    profiles, topic, story = load(args.data)
    docs = [" ".join(p.terms) for p in profiles]
    matrix = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+").fit_transform(docs)
    dense = matrix.toarray()
    print(f"{len(profiles)} articles; agglomerative ({args.linkage} linkage, cosine) on TF-IDF")
    print("cut     clusters  topic P/R/F1        story P/R/F1")
    for cut in (float(x) for x in args.cuts.split(",")):
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage=args.linkage, distance_threshold=cut
        )
        labels = model.fit_predict(dense)
        pred = {p.id: int(label) for p, label in zip(profiles, labels, strict=True)}
        tp, tr, tf = bcubed(pred, topic)
        sp, sr, sf = bcubed(pred, story)
        print(
            f"{cut:5.2f}  {len(set(labels)):8d}  {tp:.3f}/{tr:.3f}/{tf:.3f}  "
            f"{sp:.3f}/{sr:.3f}/{sf:.3f}"
        )


if __name__ == "__main__":
    main()
