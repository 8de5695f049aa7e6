"""Throughput of the analyze stage: articles/s and tokens/s for 1 and 2 processes, peak RSS.

Articles: PolNeAR train texts (real news, ≈ 760 spaCy tokens each), analysed from memory in
batches as the pipeline runs them (``batch_size``). Two figures per worker count: the whole
run (model and worker start included) and the steady state (every batch after the first).

    .venv/bin/python bench/analyze_speed.py [--articles 240] [--workers 1 2] [--batch N]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from dataclasses import replace
from pathlib import Path

from storydesk.analyze.core import analyzer, batch_size
from storydesk.analyze.evaluation import raw_article
from storydesk.options import Options

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"


def main() -> None:
    """Time the analyzer over the same articles with each worker count."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch", type=int, default=0, help="default: as the pipeline batches")
    args = parser.parse_args()
    paths = sorted(DATA.glob("*.txt"))[: args.articles]
    articles = [replace(raw_article(p), id=i + 1) for i, p in enumerate(paths)]
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    words = sum(len(tokenizer(a.text)) for a in articles)
    print(f"{len(articles)} articles, {words} spaCy tokens ({words / len(articles):.0f} each)")
    for workers in args.workers:
        size = args.batch or batch_size(Options(workers=workers))
        batches = [articles[i : i + size] for i in range(0, len(articles), size)]
        cpu = time.process_time()
        started = time.perf_counter()
        with analyzer(Options(workers=workers)) as analyze:
            analyze(batches[0])
            first = time.perf_counter()
            for batch in batches[1:]:
                analyze(batch)
            ended = time.perf_counter()
        total = ended - started
        steady = ended - first
        rest = len(articles) - len(batches[0])
        print(
            f"workers={workers}: whole run {total:.1f} s = {len(articles) / total:.1f} articles/s; "
            f"after the first batch {rest / steady:.1f} articles/s, "
            f"{rest * words / len(articles) / steady:.0f} tokens/s "
            f"(parent CPU {time.process_time() - cpu:.1f} s; load {_load()})"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: main process {own:.0f} MiB, largest worker {children:.0f} MiB")


def _load() -> str:
    """The 1-minute load average and the CPU count: others' work on the cores skews timings."""
    return f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"


if __name__ == "__main__":
    main()
