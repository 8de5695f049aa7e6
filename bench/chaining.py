"""Chaining: the largest stories of the dev articles, undated and dated, through the story index.

Usage: python bench/chaining.py [--corpus undated|dated|basil] [--top 10] [--sample 30] [--rank 1]
       [--seed 0] [--no-gists] [--threshold T] [--orders name,0,1] [--peer CUT]

``undated``: the 1,696 development articles of issue 16, every ``.txt`` of ECB+ dev and of
PolNeAR train and dev as if copied into one folder: fed in file-name order (the order
``storydesk run DIR`` reads a folder in), each read, cleaned and analysed as the pipeline
does (cached under /tmp by ``ecb_analyzed.py``), with the dates cleaning finds (none in
PolNeAR's plain text). ``dated``: the 924 PolNeAR articles, each with its publication date
from ``metadata.tsv``, fed in date order (a stream). Both run ``StoryIndex`` with the
pipeline's steps (assign, add, converge) and, unless ``--no-gists``, the headline-and-lead
gists the pipeline adds (cached). Printed: the sizes of the largest stories, their
publishers and the span of their articles' publication dates (from the metadata, also for
the undated run), ECB+ story and topic B-cubed over the ECB+ articles of the mixed stream,
and with ``--sample N`` N random members of the story of rank ``--rank`` (publisher, date,
headline and first sentence) to check by hand whether it is one event or one running story.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from cluster_ecb import bcubed, feed
from ecb_analyzed import analyzed, analyzed_files, cached_gists

from storydesk.cluster.gist import article_gist_text
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import profile
from storydesk.model import AnalyzedArticle, ArticleProfile
from storydesk.options import ClusterSettings, Options

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ECB = DATA / "ecbplus-dev"
POLNEAR = DATA / "polnear"
BASIL = DATA / "basil-dev"


@dataclass(frozen=True)
class Item:
    """One article of a corpus: its profile and what the report shows of it."""

    profile: ArticleProfile
    name: str  # file name
    publisher: str  # PolNeAR publisher, or "ecb+"
    date: str  # PolNeAR publication date, or ""
    lead: str  # first sentence
    gold_story: str  # ECB+ gold story, or ""
    gold_topic: str  # ECB+ gold topic, or ""


def _metadata() -> dict[str, dict[str, str]]:
    """PolNeAR's metadata row per file name (without .txt)."""
    with (POLNEAR / "metadata.tsv").open(newline="") as f:
        return {row["filename"]: row for row in csv.DictReader(f, delimiter="\t")}


def _polnear() -> list[tuple[Path, AnalyzedArticle]]:
    """The analysed PolNeAR train and dev articles, in file-name order."""
    paths = sorted(
        [*POLNEAR.glob("train/text/*.txt"), *POLNEAR.glob("dev/text/*.txt")], key=lambda p: p.name
    )
    return list(zip(paths, analyzed_files(paths, Options(workers=1)), strict=True))


def _lead(a: AnalyzedArticle) -> str:
    """The first sentence of an article, shortened."""
    return a.sentences[0].text.strip()[:160] if a.sentences else ""


def _basil() -> list[tuple[str, AnalyzedArticle, str, str, str, str]]:
    """The basil-dev articles with their outlet, date and gold story, in date order."""
    story = {}
    for line in (BASIL / "gold.jsonl").read_text().splitlines():
        row = json.loads(line)
        story[row["url"]] = row["story"]
    done = analyzed_files([BASIL / "articles.jsonl"], Options(workers=1))
    rows = [
        (a.article.url or "", a, a.article.outlet or "", a.article.published or "", "", "")
        for a in done
    ]
    rows = [(u, a, o, d, story[u], "") for u, a, o, d, _, _ in rows]
    return sorted(rows, key=lambda t: (t[3], t[0]))


def corpus(name: str, gists: bool) -> list[Item]:
    """The articles of a corpus in feeding order, ids by position."""
    if name == "basil":
        return _items(_basil(), gists)
    meta = _metadata()
    pairs: list[tuple[str, AnalyzedArticle, str, str, str, str]] = []
    for path, a in _polnear():
        row = meta[path.stem]
        pairs.append((path.name, a, row["publisher"], row["publication_date"], "", ""))
    if name == "dated":
        pairs.sort(key=lambda t: (t[3], t[0]))
        pairs = [
            (n, replace(a, article=replace(a.article, published=d)), pub, d, s, t)
            for n, a, pub, d, s, t in pairs
        ]
    else:
        gold = [json.loads(line) for line in (ECB / "gold.jsonl").read_text().splitlines()]
        for row, a in zip(gold, analyzed(ECB), strict=True):
            pairs.append((row["file"], a, "ecb+", "", row["story"], row["topic"]))
        pairs.sort(key=lambda t: t[0])
    return _items(pairs, gists)


def _items(pairs: list[tuple[str, AnalyzedArticle, str, str, str, str]], gists: bool) -> list[Item]:
    """Items from (name, analysis, publisher, date, gold story, gold topic), ids by position."""
    made = cached_gists([article_gist_text(a) for _, a, *_ in pairs]) if gists else None
    items = []
    for i, (n, a, pub, d, s, t) in enumerate(pairs):
        p = replace(profile(a), id=i, gist=made[i] if made is not None else b"")
        items.append(Item(p, n, pub, d, _lead(a), s, t))
    return items


def cluster(items: list[Item], order: list[int], options: Options) -> dict[int, int]:
    """Story per article id, fed as the pipeline feeds them (``cluster_ecb.feed``)."""
    backend = MemoryBackend()
    feed(backend, [items[i].profile for i in order], options)
    return backend.story_of()


def peer(items: list[Item], cut: float) -> dict[int, int]:
    """The batch peer: average-linkage clustering of TF-IDF vectors cut at a cosine distance."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ".join(it.profile.terms) for it in items]
    matrix = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+").fit_transform(docs)
    distances = 1.0 - (matrix @ matrix.T).toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cut
    )
    return {i: int(label) for i, label in enumerate(model.fit_predict(distances.clip(0.0)))}


def report(items: list[Item], pred: dict[int, int], top: int) -> list[list[int]]:
    """Print the largest stories and ECB+ B-cubed; the stories, largest first."""
    members: dict[int, list[int]] = defaultdict(list)
    for aid, sid in pred.items():
        members[sid].append(aid)
    stories = sorted(members.values(), key=lambda m: (-len(m), min(m)))
    sizes = [len(m) for m in stories]
    print(f"{len(stories)} stories; largest {sizes[:top]}")
    print(f"stories ≥ 20: {sum(s >= 20 for s in sizes)}; ≥ 50: {sum(s >= 50 for s in sizes)}")
    for rank, m in enumerate(stories[:top], 1):
        pubs = Counter(items[i].publisher for i in m)
        dates = sorted(items[i].date for i in m if items[i].date)
        span = f"{dates[0]}..{dates[-1]}" if dates else "-"
        first = items[min(m)].profile.title[:70]
        print(f"{rank:3d} {len(m):4d} pubs {len(pubs)} {span:22s} {first}")
    gold = {i: pred[i] for i, it in enumerate(items) if it.gold_story}
    if gold and len(gold) < len(items):
        rest = [len(m) for m in stories if not any(items[i].gold_story for i in m)]
        print(f"largest stories without a gold article (PolNeAR): {rest[:top]}")
    if gold:
        sp, sr, sf = bcubed(gold, {i: items[i].gold_story for i in gold})
        print(f"gold part ({len(gold)}): story P/R/F1 {sp:.3f}/{sr:.3f}/{sf:.3f}", end="")
        if any(it.gold_topic for it in items):
            tp, tr, tf = bcubed(gold, {i: items[i].gold_topic for i in gold})
            print(f"; stories against topics {tp:.3f}/{tr:.3f}/{tf:.3f}", end="")
        print()
    return stories


def sample(items: list[Item], story: list[int], n: int, seed: int) -> None:
    """Print n random members of a story: publisher, date, headline, first sentence."""
    picked = sorted(random.Random(seed).sample(story, min(n, len(story))))
    for i in picked:
        it = items[i]
        print(f"- [{it.publisher} {it.date}] {it.profile.title[:100]}\n    {it.lead}")


def main() -> None:
    """Cluster a corpus and print its largest stories."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", choices=("undated", "dated", "basil"), default="undated")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--sample", type=int, default=0, help="members of one story shown")
    ap.add_argument("--rank", type=int, default=1, help="the story sampled (1: largest)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-gists", action="store_true")
    ap.add_argument("--threshold", type=float, default=ClusterSettings().story_threshold)
    ap.add_argument("--window-bar", type=float, default=ClusterSettings().window_bar)
    ap.add_argument("--group-bar", type=float, default=ClusterSettings().group_bar)
    ap.add_argument("--entity-weight", type=float, default=ClusterSettings().window_entity_weight)
    ap.add_argument("--title-weight", type=float, default=ClusterSettings().window_title_weight)
    ap.add_argument("--orders", default="name", help="name (feeding order) and/or seeds")
    ap.add_argument(
        "--recommit",
        type=int,
        default=ClusterSettings().recommit_articles,
        help="young articles grouped again with each window (0: off)",
    )
    ap.add_argument(
        "--peer", type=float, default=None, help="also the batch peer at this cut (ECB+: 0.75)"
    )
    args = ap.parse_args()
    items = corpus(args.corpus, not args.no_gists)
    if args.peer is not None:
        print(f"== {args.corpus}, batch peer (TF-IDF, average linkage, cut {args.peer})")
        report(items, peer(items, args.peer), args.top)
    settings = ClusterSettings(
        story_threshold=args.threshold,
        window_bar=args.window_bar,
        group_bar=args.group_bar,
        window_entity_weight=args.entity_weight,
        window_title_weight=args.title_weight,
        recommit_articles=args.recommit,
    )
    options = Options(cluster=settings)
    for name in args.orders.split(","):
        order = list(range(len(items)))
        if name != "name":
            random.Random(int(name)).shuffle(order)
        start = time.perf_counter()
        pred = cluster(items, order, options)
        took = time.perf_counter() - start
        print(f"== {args.corpus}, order {name}: {len(items)} articles in {took:.1f} s")
        stories = report(items, pred, args.top)
        if args.sample:
            print(f"-- {args.sample} members of story {args.rank} ({len(stories[args.rank - 1])})")
            sample(items, stories[args.rank - 1], args.sample, args.seed)


if __name__ == "__main__":
    main()
