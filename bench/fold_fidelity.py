"""How far a folded dossier is from the exact one: the price of a smaller exact core.

Usage: python bench/fold_fidelity.py [--cores 10,20,30] [--min-articles 20] [--stories 8]

For the biggest ECB+ dev gold stories (analysed once, cached by ``bench/ecb_analyzed.py``),
builds each story's dossier twice with ``pipeline.dossiers.build_story``: exactly (a core as
big as the story) and with a core of the first K articles and the rest folded in through the
indexes. It compares the two fact partitions on their sentences: pairwise precision and recall
of "these two sentences state one fact" (the exact dossier as reference), and the share of
sentences whose fact has the same status. Run by hand, never in ``make test``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from storydesk.model import Dossier
from storydesk.options import DossierSettings, Options


def pairs(d: Dossier) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """Sentence pairs (article, sentence) that one fact holds together."""
    out: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    for f in d.facts:
        keys = sorted({(s.article, s.sentence) for s in f.support})
        out.update(combinations(keys, 2))
    return out


def statuses(d: Dossier) -> dict[tuple[int, int], str]:
    """Each supporting sentence's fact status."""
    return {(s.article, s.sentence): f.status.value for f in d.facts for s in f.support}


def main(argv: Sequence[str] | None = None) -> None:
    """Compare exact and folded dossiers of the biggest gold stories; print a table."""
    from ecb_analyzed import DEFAULT_DATA, analyzed

    from storydesk.pipeline.dossiers import build_story
    from storydesk.text.embed import LazyEmbedder

    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", default="10,20,30")
    ap.add_argument("--min-articles", type=int, default=20)
    ap.add_argument("--stories", type=int, default=8)
    args = ap.parse_args(argv)
    cores = [int(c) for c in args.cores.split(",")]
    arts = analyzed(DEFAULT_DATA)
    gold = [json.loads(x) for x in (DEFAULT_DATA / "gold.jsonl").read_text().splitlines()]
    story_of = {i: row.get("story") for i, row in enumerate(gold)}
    by_story: dict[object, list[int]] = {}
    for i, s in story_of.items():
        by_story.setdefault(s, []).append(i)
    big = sorted((v for v in by_story.values() if len(v) >= args.min_articles), key=len)[::-1]
    big = big[: args.stories]
    print(f"{len(big)} gold stories of {args.min_articles}+ articles: {[len(v) for v in big]}")
    base = Options(db=Path(":memory:"))
    embedder = LazyEmbedder(base)
    totals = {k: [0, 0, 0, 0, 0] for k in cores}  # shared pairs, exact pairs, folded, same, n
    for ids in big:
        story = [arts[i] for i in ids]
        sentences = sum(len(a.sentences) for a in story)
        wide = DossierSettings(exact_articles=len(story), exact_sentences=10**9)
        t = time.perf_counter()
        exact, _ = build_story(1, story, Options(db=Path(":memory:"), dossier=wide), embedder)
        took = time.perf_counter() - t
        ref, ref_status = pairs(exact), statuses(exact)
        row = [f"{len(story)} articles, {sentences} sentences: exact {took:.1f} s"]
        for k in cores:
            if k >= len(story):
                continue
            narrow = DossierSettings(exact_articles=k, exact_sentences=10**9)
            t = time.perf_counter()
            folded, _ = build_story(
                1, story, Options(db=Path(":memory:"), dossier=narrow), embedder
            )
            took = time.perf_counter() - t
            got, got_status = pairs(folded), statuses(folded)
            same = sum(1 for key, s in ref_status.items() if got_status.get(key) == s)
            t_ = totals[k]
            t_[0] += len(ref & got)
            t_[1] += len(ref)
            t_[2] += len(got)
            t_[3] += same
            t_[4] += len(ref_status)
            p = len(ref & got) / len(got) if got else 1.0
            r = len(ref & got) / len(ref) if ref else 1.0
            row.append(
                f"core {k}: P {p:.3f} R {r:.3f}, status {same / max(len(ref_status), 1):.3f},"
                f" {took:.1f} s"
            )
        print("; ".join(row), flush=True)
    print("| core | pair precision | pair recall | same status | stories |")
    print("|---|---|---|---|---|")
    for k in cores:
        shared, ref_n, got_n, same, n = totals[k]
        if n:
            print(
                f"| {k} | {shared / max(got_n, 1):.3f} | {shared / max(ref_n, 1):.3f} |"
                f" {same / n:.3f} | {sum(1 for v in big if len(v) > k)} |"
            )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
