"""Time `storydesk compare` of two ~1,000-word articles once the models are loaded.

The articles are two PolNeAR train stories on one subject (read from ../shared at run time),
cleaned as `compare` cleans files. spaCy and the embedding model are loaded (and warmed on
the pair) first; then each run times the analysis of both articles and the comparison
(lineage, alignment with embeddings, conflicts), and the best and median of the runs are
printed, with the process's CPU time (steadier than wall time on a shared machine; the
embedding model runs on 2 threads). Goal (issue 17): under 1 s for the two.

    .venv/bin/python bench/compare_speed.py
    .venv/bin/python bench/compare_speed.py A.txt B.txt --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path

from storydesk.analyze import analyze_with, load_nlp
from storydesk.options import Options
from storydesk.pipeline.compare import compare_analyzed, read_source
from storydesk.text.embed import LazyEmbedder

TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"
PAIR = (
    "nyt_2016-06-23_convention-cities-brace-for-prot.txt",
    "usa-today_2016-07-26_protesters-push-through-intense-.txt",
)


def main() -> None:
    """Print the time of analysis and comparison of two articles, models loaded."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[str(TEXTS / name) for name in PAIR])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    options = Options()
    first, second = (
        replace(read_source(side, f, options), id=k)
        for k, (side, f) in enumerate(zip("AB", args.files, strict=True), start=1)
    )
    words = [len(a.text.split()) for a in (first, second)]
    nlp = load_nlp(options.spacy_model)
    embedder = LazyEmbedder(options)
    a, b = analyze_with(nlp, [first, second])  # warm: models loaded, caches filled
    compare_analyzed(a, b, options, embedder)
    analysis: list[float] = []
    comparing: list[float] = []
    cpu: list[float] = []
    model = embedder.model
    embedded = model.sentences if model else 0
    in_model = model.seconds if model else 0.0
    found = None
    for _ in range(args.runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        a, b = analyze_with(nlp, [first, second])
        middle = time.perf_counter()
        found = compare_analyzed(a, b, options, embedder)
        analysis.append(middle - start)
        comparing.append(time.perf_counter() - middle)
        cpu.append(time.process_time() - cpu_start)
    assert found is not None
    totals = [x + y for x, y in zip(analysis, comparing, strict=True)]
    per_run = ((model.sentences - embedded) // args.runs) if model else 0
    model_s = ((model.seconds - in_model) / args.runs) if model else 0.0
    print(f"articles: {args.files[0]} ({words[0]} words), {args.files[1]} ({words[1]} words)")
    print(
        f"sentences: {len(a.sentences)} + {len(b.sentences)}, {per_run} embedded per run"
        f" ({model_s:.3f} s in the model, mean);"
        f" load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    print(
        f"result: {sum(p.same for p in found.pairs)} same pairs, {len(found.pairs)} pairs shown,"
        f" {len(found.only_a)} only in A, {len(found.only_b)} only in B,"
        f" {len(found.conflicts)} conflicts; embeddings: {'on' if model else 'off'} {found.note}"
    )
    for name, times in (
        ("analysis", analysis),
        ("compare", comparing),
        ("total", totals),
        ("total cpu", cpu),
    ):
        print(f"{name:>9}: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    print(f"goal: total under 1 s -> {'met' if statistics.median(totals) < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
