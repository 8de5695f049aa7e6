"""Time lineage + crosscheck + dossier for one 100-article story, and the embedding cost.

The story is the ECB+ dev articles of one topic (read from ../shared at run time), analysed
once (not timed), then replicated with new ids up to the size asked for (copies, as wires
and rewrites produce).

    .venv/bin/python bench/dossier_speed.py --topic 1 --articles 100
    .venv/bin/python bench/dossier_speed.py --topic 1 --articles 100 --no-embeddings
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path

from storydesk.crosscheck.facts import crosscheck
from storydesk.dossier.build import build_dossier, check_grounding
from storydesk.lineage.derivation import find_lineage
from storydesk.model import AnalyzedArticle, Article
from storydesk.options import Options
from storydesk.text.embed import LazyEmbedder

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"


def story(topic: str, size: int, options: Options) -> list[AnalyzedArticle]:
    """Analysed articles of one topic, replicated to ``size`` articles."""
    from storydesk.analyze import analyze_articles

    rows = [json.loads(line) for line in (DATA / "gold.jsonl").read_text().splitlines()]
    files = sorted(r["file"] for r in rows if r["topic"] == topic)
    articles = []
    for k, name in enumerate(files, start=1):
        lines = [ln.strip() for ln in (DATA / name).read_text().splitlines() if ln.strip()]
        articles.append(
            Article(name, f"{k:064x}", lines[0], tuple(lines[1:]), outlet=f"outlet {k}", id=k)
        )
    analysed = analyze_articles(articles, options)
    out = list(analysed)
    while len(out) < size:
        a = analysed[len(out) % len(analysed)]
        meta = dataclasses.replace(a.article, id=len(out) + 1, outlet=f"outlet {len(out) + 1}")
        out.append(dataclasses.replace(a, article=meta))
    return out[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", default="1")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--no-embeddings", action="store_true")
    args = parser.parse_args()
    options = Options(embeddings=not args.no_embeddings, published="2013-05-03")
    articles = story(args.topic, args.articles, options)
    embedder = LazyEmbedder(options)
    model = embedder.get()  # loaded before timing: once per run, not per story
    load = os.getloadavg()[0]
    start = time.perf_counter()
    lineage = find_lineage(articles, options)
    t_lineage = time.perf_counter() - start
    facts, conflicts = crosscheck(articles, lineage, options, embedder)
    t_cross = time.perf_counter() - start - t_lineage
    d = build_dossier(1, articles, lineage, facts, conflicts, options)
    total = time.perf_counter() - start
    sentences = sum(len(a.sentences) for a in articles)
    embedded = model.sentences if model else 0
    spent = model.seconds if model else 0.0
    cpu = model.cpu_seconds if model else 0.0
    tokens = model.tokens if model else 0
    print(
        f"topic {args.topic}: {len(articles)} articles, {sentences} sentences;"
        f" lineage {t_lineage:.2f} s, crosscheck {t_cross:.2f} s,"
        f" dossier {total - t_lineage - t_cross:.2f} s, total {total:.2f} s;"
        f" embedded {embedded} distinct sentences ({tokens} tokens) in {spent:.2f} s"
        f" ({cpu:.2f} s of processor time);"
        f" {len(d.facts)} facts, {len(d.conflicts)} conflicts, brief {len(d.brief)},"
        f" grounding problems {len(check_grounding(d))}; load average {load:.1f}"
    )


if __name__ == "__main__":
    main()
