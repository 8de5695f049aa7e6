"""Throughput of the analyze stage: articles/s and tokens/s for 1 and 2 processes, peak RSS.

Articles: PolNeAR train texts (real news, ~850 tokens on average), analysed from memory.

    .venv/bin/python bench/analyze_speed.py [--articles 120] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import replace
from pathlib import Path

from storydesk.analyze import analyze_articles
from storydesk.analyze.evaluation import raw_article
from storydesk.options import Options

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"


def main() -> None:
    """Time analyze_articles over the same articles with each worker count."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    paths = sorted(DATA.glob("*.txt"))[: args.articles]
    articles = [replace(raw_article(p), id=i + 1) for i, p in enumerate(paths)]
    tokens = sum(len(a.text.split()) for a in articles)
    print(
        f"{len(articles)} articles, {tokens} whitespace tokens ({tokens / len(articles):.0f} each)"
    )
    for workers in args.workers:
        options = Options(workers=workers)
        started = time.perf_counter()
        analyze_articles(articles, options)
        seconds = time.perf_counter() - started
        print(
            f"workers={workers}: {seconds:.1f} s, {len(articles) / seconds:.1f} articles/s, "
            f"{tokens / seconds:.0f} tokens/s (model load included)"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: main process {own:.0f} MiB, largest worker {children:.0f} MiB")


if __name__ == "__main__":
    main()
