"""Story clustering on news it was not tuned on: ECB+ dev by topic folds, and basil-dev (dated).

Usage: python bench/stories_heldout.py [--folds 5] [--orders 5] [--thresholds 0.3,...]
       [--window-bars 0.2,...] [--group-bars 0.15,0.175,0.2] [--entity-weights 0.2,0.3,0.4]
       [--title-weights 0,0.1,0.2] [--cuts 0.6,0.65,...] [--no-gists]
       [--part ecb,basil,independence] [--fold K] [--window 128] [--recommit 0]

(a) ECB+ dev: the 33 topics (sorted by number) are dealt round-robin into ``--folds`` folds.
Each fold is clustered alone. For each fold the settings of the incremental index (a grid:
story threshold, placing bar, grouping bar, and the weights of entities and headline words
in the window's grouping score) (``StoryIndex``, fed as the
pipeline feeds it: windows of ``batch_articles`` (512) grouped first by ``StoryIndex.plan``,
then assign, add, converge per article in chunks of 128; ``--window 128`` plans smaller
windows, as a service polling feeds in small batches would; each window also groups again
the young stories of the in-memory index, ``cluster.recommit_articles``, which the stored
index does not do yet; ``--recommit 0`` commits window by window) and the
distance cut of the batch peer (TF-IDF, average linkage, cosine; same tokens) are tuned on
the other folds (the mean F1 over them, each clustered alone, one shuffled order), then
both run on the fold's own articles:
the index in ``--orders`` shuffled orders (undated input, pipeline profiles with gists),
reporting the mean, the *worst* order and the spread (worst to best). Printed per fold, then
the mean over folds and the range across folds; "dev" is the same figure tuned and measured
on all five folds.
(b) basil-dev: 150 dated articles (50 events × Fox News, NYT, HuffPost), fed in date order
and in ``--orders`` shuffled orders; the threshold and cut come from ECB+ (all folds: never
tuned on basil), with the figure at basil's own best beside it as "dev".
(c) Independence on basil-dev: for each gold event, right when one predicted story holds all
three of its articles and that story counts exactly 3 independent sources
(``storydesk.lineage`` groups over the story's articles, as the dossier counts them).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from cluster_ecb import bcubed, feed
from ecb_analyzed import analyzed, analyzed_files, cached_gists

from storydesk.cluster.gist import article_gist_text
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import profile
from storydesk.model import AnalyzedArticle, ArticleProfile
from storydesk.options import ClusterSettings, Options

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ECB = DATA / "ecbplus-dev"
BASIL = DATA / "basil-dev"
Figures = tuple[float, float, float]
T = TypeVar("T")
WINDOW = [0]  # articles planned together (0: the pipeline's ``batch_articles``; ``--window``)
RECOMMIT = [ClusterSettings().recommit_articles]  # young articles grouped again (``--recommit``)


@dataclass(frozen=True)
class Corpus:
    """Profiles (ids by position), their gold stories, and the analyses behind them."""

    profiles: list[ArticleProfile]
    story: dict[int, str]
    group: dict[int, str]  # ECB+ topic, or basil outlet
    articles: list[AnalyzedArticle]


def _renumbered(a: AnalyzedArticle, i: int) -> AnalyzedArticle:
    """The analysis with its article id set to i."""
    return replace(a, article=replace(a.article, id=i))


def _with_gists(articles: list[AnalyzedArticle], gists: bool) -> list[ArticleProfile]:
    """Pipeline profiles (ids by position), with headline-and-lead gists when asked."""
    made = cached_gists([article_gist_text(a) for a in articles]) if gists else None
    return [
        replace(profile(a), id=i, gist=made[i] if made is not None else b"")
        for i, a in enumerate(articles)
    ]


def ecb(gists: bool) -> Corpus:
    """ECB+ dev as the pipeline analyses it (cached), undated as the files are."""
    rows = [json.loads(line) for line in (ECB / "gold.jsonl").read_text().splitlines()]
    articles = [_renumbered(a, i) for i, a in enumerate(analyzed(ECB))]
    story = {i: row["story"] for i, row in enumerate(rows)}
    topic = {i: str(row["topic"]) for i, row in enumerate(rows)}
    return Corpus(_with_gists(articles, gists), story, topic, articles)


def basil(gists: bool) -> Corpus:
    """basil-dev as the pipeline analyses it (cached), in date order, ids by position."""
    gold = {}
    for line in (BASIL / "gold.jsonl").read_text().splitlines():
        row = json.loads(line)
        gold[row["url"]] = row["story"]
    done = analyzed_files([BASIL / "articles.jsonl"], Options(workers=1))
    done = sorted(done, key=lambda a: (a.article.published or "", a.article.url or ""))
    articles = [_renumbered(a, i) for i, a in enumerate(done)]
    story = {i: gold[a.article.url or ""] for i, a in enumerate(articles)}
    outlet = {i: a.article.outlet or "" for i, a in enumerate(articles)}
    return Corpus(_with_gists(articles, gists), story, outlet, articles)


def incremental(
    profiles: Sequence[ArticleProfile],
    order: Sequence[int],
    threshold: float,
    settings: ClusterSettings | None = None,
) -> dict[int, int]:
    """Story per article id, fed as the pipeline feeds them (``cluster_ecb.feed``)."""
    backend = MemoryBackend()
    cluster = replace(settings or ClusterSettings(), story_threshold=threshold)
    by_id = {p.id: p for p in profiles}
    feed(backend, [by_id[aid] for aid in order], Options(cluster=cluster), WINDOW[0])
    return backend.story_of()


def peer(profiles: Sequence[ArticleProfile], cut: float) -> dict[int, int]:
    """The batch peer: average-linkage clustering of TF-IDF vectors cut at a cosine distance."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(profiles) < 2:
        return {p.id: 0 for p in profiles}
    docs = [" ".join(p.terms) for p in profiles]
    matrix = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+").fit_transform(docs)
    distances = (1.0 - (matrix @ matrix.T).toarray()).clip(0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cut
    )
    labels = model.fit_predict(distances)
    return {p.id: int(label) for p, label in zip(profiles, labels, strict=True)}


def shuffled(ids: Sequence[int], seed: int) -> list[int]:
    """The ids in a shuffled order (seed)."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    return order


Setting = tuple[float, float, float, float, float]
# story threshold, window (placing) bar, group bar, entity weight, headline weight


def settings_of(setting: Setting) -> ClusterSettings:
    """The cluster settings of a grid point (its threshold is passed apart)."""
    _, bar, group, entity, title = setting
    return ClusterSettings(
        window_bar=bar,
        group_bar=group,
        window_entity_weight=entity,
        window_title_weight=title,
        recommit_articles=RECOMMIT[0],
    )


def orders_of(
    profiles: Sequence[ArticleProfile], gold: dict[int, str], setting: Setting, seeds: Sequence[int]
) -> list[Figures]:
    """B³ figures of the incremental index over several shuffled orders."""
    ids = [p.id for p in profiles]
    settings = settings_of(setting)
    return [
        bcubed(incremental(profiles, shuffled(ids, s), setting[0], settings), gold) for s in seeds
    ]


def best(values: Sequence[T], score: Callable[[T], float]) -> tuple[T, float]:
    """The value with the highest score (the first on ties), and that score."""
    scored = [(score(v), -i) for i, v in enumerate(values)]
    top, i = max(scored)
    return values[-i], top


def show(x: Setting) -> str:
    """A grid point: threshold/window bar/group bar/entity weight/headline weight."""
    return "/".join(f"{v:g}" for v in x)


def fmt(f: Figures) -> str:
    """P/R/F1 to three decimals."""
    return f"{f[0]:.3f}/{f[1]:.3f}/{f[2]:.3f}"


def summary(figures: Sequence[Figures]) -> tuple[Figures, Figures, float]:
    """Mean figures, the worst order's figures (lowest F1), and the F1 spread worst to best."""
    mean = tuple(sum(f[k] for f in figures) / len(figures) for k in range(3))
    worst = min(figures, key=lambda f: f[2])
    spread = max(f[2] for f in figures) - worst[2]
    return (mean[0], mean[1], mean[2]), worst, spread


def ecb_folds(
    corpus: Corpus,
    folds: int,
    seeds: Sequence[int],
    grid: Sequence[Setting],
    cuts: Sequence[float],
    only: int | None,
) -> tuple[Setting, float]:
    """Per-fold held-out figures; returns the setting and cut tuned on all the folds.

    Each fold is clustered alone, as the held-out fold is: a setting's tuning score is its
    mean F1 over the tuning folds, each clustered alone (one shuffled order).
    """
    topics = sorted(set(corpus.group.values()), key=lambda t: (len(t), t))
    fold_of = {t: k % folds for k, t in enumerate(topics)}
    parts = [[p for p in corpus.profiles if fold_of[corpus.group[p.id]] == k] for k in range(folds)]
    print(f"(a) ECB+ dev: {len(corpus.profiles)} articles, {len(topics)} topics, {folds} folds")
    tune = {
        (k, x): orders_of(parts[k], corpus.story, x, seeds[:1])[0][2]
        for k in range(folds)
        for x in grid
    }
    tune_peer = {
        (k, c): bcubed(peer(parts[k], c), corpus.story) for k in range(folds) for c in cuts
    }
    measured: dict[tuple[int, Setting], list[Figures]] = {}

    def held_out(k: int, x: Setting) -> list[Figures]:
        if (k, x) not in measured:
            measured[k, x] = orders_of(parts[k], corpus.story, x, seeds)
        return measured[k, x]

    def tuned(on: Sequence[int]) -> tuple[Setting, float]:
        setting, _ = best(grid, lambda x: sum(tune[j, x] for j in on) / len(on))
        cut, _ = best(cuts, lambda c: sum(tune_peer[j, c][2] for j in on) / len(on))
        return setting, cut

    print("fold  arts  setting   index mean P/R/F1     worst F1 (spread) | cut   peer P/R/F1")
    held: list[tuple[float, float, float]] = []
    for k in range(folds):
        if only is not None and k != only:
            continue
        t, c = tuned([j for j in range(folds) if j != k])
        mean, worst, spread = summary(held_out(k, t))
        pf = tune_peer[k, c]
        held.append((worst[2], mean[2], pf[2]))
        print(
            f"{k:4d} {len(parts[k]):5d}  {show(t)}  {fmt(mean)}  {worst[2]:.3f}"
            f" ({spread:.3f})     | {c:.2f}  {fmt(pf)}"
        )
    if held:
        worsts, means, peers = zip(*held, strict=True)
        print(
            f"held-out over folds: index worst-order F1 mean {sum(worsts) / len(worsts):.3f}"
            f" (folds {min(worsts):.3f}-{max(worsts):.3f}), order-mean F1"
            f" {sum(means) / len(means):.3f}; peer {sum(peers) / len(peers):.3f}"
            f" (folds {min(peers):.3f}-{max(peers):.3f})"
        )
    t, c = tuned(range(folds))
    rows = [summary(held_out(k, t)) for k in range(folds)]
    peer_f1 = sum(tune_peer[k, c][2] for k in range(folds)) / folds
    print(
        f"dev (tuned and measured on all folds, each alone): index {show(t)}"
        f" order-mean F1 {sum(r[0][2] for r in rows) / folds:.3f}, worst-order F1"
        f" {sum(r[1][2] for r in rows) / folds:.3f}, largest spread"
        f" {max(r[2] for r in rows):.3f}; peer cut {c:.2f} F1 {peer_f1:.3f}"
    )
    return t, c


def basil_part(
    corpus: Corpus,
    seeds: Sequence[int],
    setting: Setting,
    cut: float,
    grid: Sequence[Setting],
    cuts: Sequence[float],
) -> dict[int, int]:
    """basil-dev figures at ECB+'s settings and at its own best; the date-order clustering."""
    ps = corpus.profiles
    dated = [p.id for p in ps]  # ids are by date
    print(f"(b) basil-dev: {len(ps)} articles, {len(set(corpus.story.values()))} events, dated")
    pred = incremental(ps, dated, setting[0], settings_of(setting))
    inc = bcubed(pred, corpus.story)
    mean, worst, spread = summary(orders_of(ps, corpus.story, setting, seeds))
    pf = bcubed(peer(ps, cut), corpus.story)
    print(
        f"not tuned on basil (ECB+ settings): index {show(setting)} date order"
        f" {fmt(inc)};"
        f" {len(seeds)} shuffled orders mean {fmt(mean)}, worst F1 {worst[2]:.3f}"
        f" (spread {spread:.3f}) | peer cut {cut:.2f} {fmt(pf)}"
    )
    t, tf = best(
        grid,
        lambda x: bcubed(incremental(ps, dated, x[0], settings_of(x)), corpus.story)[2],
    )
    c, cf = best(cuts, lambda x: bcubed(peer(ps, x), corpus.story)[2])
    print(f"dev (basil's own best): index {show(t)} F1 {tf:.3f} | peer cut {c:.2f} F1 {cf:.3f}")
    return pred


def independence(corpus: Corpus, pred: dict[int, int]) -> None:
    """Events whose story holds all three articles and counts exactly 3 independent sources."""
    from storydesk.lineage.derivation import find_lineage
    from storydesk.lineage.groups import independent_sources

    members: dict[int, list[int]] = defaultdict(list)
    for aid, sid in pred.items():
        members[sid].append(aid)
    events: dict[str, list[int]] = defaultdict(list)
    for aid, ev in corpus.story.items():
        events[ev].append(aid)
    counted: dict[int, int] = {}
    right = split = merged = other = 0
    for _, ids in sorted(events.items()):
        stories = {pred[i] for i in ids}
        if len(stories) > 1:
            split += 1
            continue
        (sid,) = stories
        if sid not in counted:
            arts = [corpus.articles[i] for i in sorted(members[sid])]
            counted[sid] = independent_sources([a.id for a in arts], find_lineage(arts, Options()))
        n = counted[sid]
        if n == len({corpus.group[i] for i in ids}):
            right += 1
        elif len(members[sid]) > len(ids):
            merged += 1
        else:
            other += 1
    total = len(events)
    print(
        f"(c) independence on basil-dev: {right}/{total} events right ({right / total:.0%});"
        f" {split} split, {merged} merged with other articles, {other} miscounted"
    )


def main() -> None:
    """Print held-out story B³ for ECB+ folds and basil-dev, beside the peer; independence."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--orders", type=int, default=5)
    ap.add_argument("--thresholds", default="0.3")
    ap.add_argument("--window-bars", default="0.2", help="placing bar; 0: articles one by one")
    ap.add_argument("--group-bars", default="0.15,0.175,0.2", help="window grouping bar")
    ap.add_argument("--entity-weights", default="0.2,0.3,0.4", help="of the grouping score")
    ap.add_argument("--title-weights", default="0,0.1,0.2", help="headline words' weight")
    ap.add_argument("--cuts", default="0.65,0.7,0.75,0.8,0.85")
    ap.add_argument("--no-gists", action="store_true")
    ap.add_argument("--part", default="ecb,basil,independence")
    ap.add_argument("--fold", type=int, default=None, help="only this held-out fold")
    ap.add_argument("--window", type=int, default=0, help="articles planned together (0: 512)")
    ap.add_argument(
        "--recommit", type=int, default=RECOMMIT[0], help="young articles grouped again (0: off)"
    )
    ap.add_argument("--threshold", type=float, default=None, help="basil: skip ECB+ tuning")
    ap.add_argument("--window-bar", type=float, default=None, help="basil: skip ECB+ tuning")
    ap.add_argument("--cut", type=float, default=None, help="basil: skip ECB+ tuning")
    args = ap.parse_args()
    seeds = list(range(args.orders))
    WINDOW[0] = args.window
    RECOMMIT[0] = args.recommit
    grid = list(
        itertools.product(
            *(
                [float(v) for v in arg.split(",")]
                for arg in (
                    args.thresholds,
                    args.window_bars,
                    args.group_bars,
                    args.entity_weights,
                    args.title_weights,
                )
            )
        )
    )
    cuts = [float(x) for x in args.cuts.split(",")]
    parts = args.part.split(",")
    start = time.perf_counter()
    default = ClusterSettings()
    t = args.threshold if args.threshold is not None else default.story_threshold
    setting = (
        t,
        args.window_bar if args.window_bar is not None else default.window_bar,
        default.group_bar,
        default.window_entity_weight,
        default.window_title_weight,
    )
    c = args.cut if args.cut is not None else 0.75
    if "ecb" in parts:
        setting, c = ecb_folds(ecb(not args.no_gists), args.folds, seeds, grid, cuts, args.fold)
    if "basil" in parts or "independence" in parts:
        corpus = basil(not args.no_gists)
        pred = basil_part(corpus, seeds, setting, c, grid, cuts)
        if "independence" in parts:
            independence(corpus, pred)
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
