"""The cluster stage as ``storydesk run`` runs it, timed (and optionally profiled) on dev articles.

Usage: python bench/cluster_profile.py [--articles 768] [--no-embeddings] [--profile N]
       [--memberships PATH] [--repeat K]

The analysed ECB+ dev and PolNeAR articles (cached by ``ecb_analyzed.py``; ids renumbered,
mixed in a fixed shuffled order) go through ``pipeline.run.assign_stories`` in batches of
``options.batch_articles``, on a fresh database, with the embedding model loaded before the
clock starts (the run loads it once). Prints CPU ms per article of this process (the model's
threads included), wall time and stories; ``--memberships`` writes article -> story so that
two code versions can be compared; ``--profile N`` prints the N top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import pstats
import random
import tempfile
import time
from pathlib import Path

from ecb_analyzed import DEFAULT_DATA, analyzed, analyzed_files

from storydesk.model import AnalyzedArticle
from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, assign_stories
from storydesk.store import Store
from storydesk.text.embed import LazyEmbedder

POLNEAR = DEFAULT_DATA.parent / "polnear"


def articles(n: int) -> list[AnalyzedArticle]:
    """n dev articles (ECB+ and PolNeAR) in a fixed mixed order, ids 1..n."""
    options = Options()
    pool = list(analyzed(DEFAULT_DATA, options))
    paths = sorted(POLNEAR.glob("*/text/*.txt"))
    if paths:
        pool += analyzed_files(paths, options)
    random.Random(7).shuffle(pool)
    out = []
    for i, a in enumerate(pool[:n], start=1):
        art = dataclasses.replace(a.article, id=i)
        out.append(dataclasses.replace(a, article=art))
    return out


def run_once(
    batch: list[AnalyzedArticle], options: Options, embedder: LazyEmbedder, prof: bool
) -> tuple[float, float, dict[int, int], cProfile.Profile | None]:
    """Wall and CPU seconds of the cluster stage on a fresh database; memberships; profile."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "p.db") as store:
        store.conn.execute("PRAGMA foreign_keys=OFF")
        store.conn.executemany(
            "INSERT INTO articles (id, sha256, source, title, data, created_at)"
            " VALUES (?, ?, ?, ?, '{}', '')",
            [
                (a.id, a.article.sha256 + str(a.id), a.article.source, a.article.title)
                for a in batch
            ],
        )
        store.conn.commit()
        size = options.batch_articles
        profiler = cProfile.Profile() if prof else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        for i in range(0, len(batch), size):
            assign_stories(options, store, SilentReporter(), batch[i : i + size], embedder)
        if profiler:
            profiler.disable()
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows = store.conn.execute("SELECT article_id, story_id FROM memberships").fetchall()
        return took, cpu, {int(a): int(s) for a, s in rows}, profiler


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=768)
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--profile", type=int, default=0, help="print the N top functions")
    ap.add_argument("--memberships", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=1, help="runs (the fastest CPU is shown)")
    ap.add_argument("--dump", type=Path, default=None, help="write the profile (pstats) here")
    args = ap.parse_args()
    options = Options(embeddings=not args.no_embeddings)
    batch = articles(args.articles)
    embedder = LazyEmbedder(options, optimize=True)
    embedder.get()  # loaded before the clock, as a run loads it once
    runs = [run_once(batch, options, embedder, bool(args.profile)) for _ in range(args.repeat)]
    took, cpu, members, profiler = min(runs, key=lambda r: r[1])
    n = len(batch)
    stories = len(set(members.values()))
    print(
        f"{n} articles  embeddings={options.embeddings}  wall {took:.1f} s  CPU {cpu:.1f} s"
        f"  = {cpu / n * 1000:.1f} CPU ms/article  (all runs: "
        + ", ".join(f"{r[1] / n * 1000:.1f}" for r in runs)
        + f")  stories {stories}"
    )
    if args.memberships:
        args.memberships.write_text(json.dumps(sorted(members.items())))
    if profiler and args.dump:
        profiler.dump_stats(str(args.dump))
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
