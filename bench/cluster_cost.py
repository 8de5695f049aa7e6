"""Cost growth of story clustering: seconds per article at 1k-8k articles, one add at 10k.

Usage: python bench/cluster_cost.py [DATA_DIR] [--sizes 1000,2000,4000,8000] [--db-size 10000]
       [--db PATH] [--replicas distinct|half] [--repeat K]

Wall and CPU (process) time are both printed: CPU time is what to compare when other
processes share the cores. ECB+ dev articles are replicated with perturbation. By default
(``--replicas distinct``) replica r stands for new events of the same kinds, as a longer
stream brings: it renames every term that is not common (carried by at most
``COMMON_SHARE`` of the originals: names, places, numbers, rare words) and every entity
(term + "~r"), keeps the common words, and drops 10% of its tokens, so replicas form
stories of their own and the average story size stays that of the originals. With
``--replicas half`` (the earlier scheme) only about half of the terms are renamed:
replicas then share half their words with the originals and some stories gather across
replicas, so stories grow with the corpus and the figures mix that growth into the cost.
Part 1 clusters N articles with the in-memory index (``MemoryBackend``) in a shuffled order,
as the pipeline does (windows of 512 grouped first by ``StoryIndex.plan``, ``cluster_ecb.feed``),
and
prints seconds per article (with ``--repeat K``, the fastest of K runs: timings on a shared
virtual machine wander by ±5–10% from run to run, upwards only). Part 2 grows a database to
--db-size articles through the stored index (``StoredIndex``, what the pipeline uses), printing
seconds per article per block, then adds one more article through ``pipeline.assign_stories``
end to end (database opened, index consulted, membership written) and prints its wall time.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path

from cluster_ecb import DEFAULT_DATA, feed, load

from storydesk.cluster.index import StoryIndex
from storydesk.cluster.memory import MemoryBackend
from storydesk.model import AnalyzedArticle, Article, ArticleProfile
from storydesk.options import ClusterSettings, Options
from storydesk.pipeline.run import SilentReporter, assign_stories
from storydesk.store import Store
from storydesk.store.profiles import StoredIndex

THRESHOLD = 0.30
COMMON_SHARE = 0.02  # distinct replicas keep the words more than this share of originals carry


def replicate(
    profiles: list[ArticleProfile], n: int, seed: int = 0, scheme: str = "distinct"
) -> list[ArticleProfile]:
    """n profiles: the originals, then perturbed replicas with fresh ids."""
    rng = random.Random(seed)
    carried = Counter(t for p in profiles for t in set(p.terms))
    common = frozenset(t for t, c in carried.items() if c > COMMON_SHARE * len(profiles))
    out: list[ArticleProfile] = []
    r = 0
    while len(out) < n:
        for p in profiles:
            if len(out) >= n:
                break
            if not r:
                out.append(_with_id(p, len(out)))
            elif scheme == "half":
                out.append(_perturb(p, r, len(out), rng))
            else:
                out.append(_distinct(p, r, len(out), rng, common))
        r += 1
    return out


def _with_id(p: ArticleProfile, new_id: int) -> ArticleProfile:
    return ArticleProfile(new_id, p.title, p.terms, p.entities, p.day, p.details)


def _perturb(p: ArticleProfile, r: int, new_id: int, rng: random.Random) -> ArticleProfile:
    """A replica: half the terms renamed for replica r, 10% of tokens dropped."""

    def rename(t: str) -> str:
        return f"{t}~{r}" if zlib.crc32(f"{t}|{r}".encode()) % 2 == 0 else t

    terms = tuple(rename(t) for t in p.terms if rng.random() >= 0.1)
    entities = frozenset(f"{e}~{r}" for e in p.entities)
    details = frozenset(d for d in map(rename, p.details) if d.isdigit())
    return ArticleProfile(new_id, p.title, terms, entities, p.day, details)


def _distinct(
    p: ArticleProfile, r: int, new_id: int, rng: random.Random, common: frozenset[str]
) -> ArticleProfile:
    """A replica standing for another event of the same kind: uncommon terms renamed."""

    def rename(t: str) -> str:
        return t if t in common else f"{t}~{r}"

    terms = tuple(rename(t) for t in p.terms if rng.random() >= 0.1)
    entities = frozenset(f"{e}~{r}" for e in p.entities)
    details = frozenset(rename(d) for d in p.details)
    return ArticleProfile(new_id, p.title, terms, entities, p.day, details)


def memory_cost(
    profiles: list[ArticleProfile],
    sizes: list[int],
    scheme: str,
    repeat: int = 1,
    recommit: int = ClusterSettings().recommit_articles,
) -> None:
    """Seconds per article for clustering N articles in memory (the fastest of ``repeat`` runs).

    ``recommit``: the young articles grouped again with each window (0: off).
    """
    print("articles  seconds  ms/article  cpu ms/article  stories  per story  (in-memory index)")
    for n in sizes:
        batch = replicate(profiles, n, scheme=scheme)
        order = list(range(n))
        random.Random(1).shuffle(order)
        runs = [_cluster_in_memory(batch, order, recommit) for _ in range(repeat)]
        took, cpu, stories = min(runs)
        per, per_cpu = took / n * 1000, cpu / n * 1000
        spread = (max(r[0] for r in runs) - took) / n * 1000
        also = f"  (slowest of {repeat}: +{spread:.2f} ms)" if repeat > 1 else ""
        print(
            f"{n:8d}  {took:7.1f}  {per:7.2f} ms  {per_cpu:9.2f} ms  {stories:7d}"
            f"  {n / stories:9.1f}{also}"
        )


def _cluster_in_memory(
    batch: list[ArticleProfile], order: list[int], recommit: int
) -> tuple[float, float, int]:
    """Wall and CPU seconds to cluster a batch in the given order, and the stories made."""
    settings = ClusterSettings(story_threshold=THRESHOLD, recommit_articles=recommit)
    options = Options(cluster=settings)
    backend = MemoryBackend()
    start, cpu = time.perf_counter(), time.process_time()
    feed(backend, [batch[i] for i in order], options, one_index=True)  # windows planned
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    stories = len(set(backend.story_of().values()))
    return took, cpu, stories


def stored_cost(
    profiles: list[ArticleProfile], size: int, db: Path, data: Path, scheme: str
) -> None:
    """Grow a database through the stored index, then add one article end to end."""
    options = Options(db=db, cluster=ClusterSettings(story_threshold=THRESHOLD))
    batch = replicate(profiles, size, scheme=scheme)
    random.Random(2).shuffle(batch)
    blocks = sorted({b for b in (1000, 2000, 4000, 8000, size) if b <= size})
    print("articles  ms/article over the block  cpu ms/article   (stored index, database on disk)")
    with Store(db) as store:
        store.conn.execute("PRAGMA foreign_keys=OFF")  # profiles stand in for articles here
        index = StoryIndex(options, StoredIndex(store))
        done, start, cpu = 0, time.perf_counter(), time.process_time()
        for end in blocks:
            for k in range(done, end):
                p = _with_id(batch[k], k + 1)
                a = index.assign(p)
                sid = a.story if a.story is not None else store.new_story()
                store.assign(a, sid)
                index.add(sid, p)
                index.converge(sid)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            per, per_cpu = took / (end - done) * 1000, cpu / (end - done) * 1000
            print(f"{end:8d}  {per:7.2f} ms  {per_cpu:7.2f} ms")
            done, start, cpu = end, time.perf_counter(), time.process_time()
        article = _new_article(data, size + 1)
        store.conn.execute(
            "INSERT INTO articles (id, sha256, source, title, data, created_at)"
            " VALUES (?, ?, ?, ?, '{}', '')",
            (article.id, article.article.sha256, article.article.source, article.article.title),
        )
        store.put_analysis(article, "bench")
    start = time.perf_counter()
    with Store(db) as store:
        store.conn.execute("PRAGMA foreign_keys=OFF")
        touched = assign_stories(options, store, SilentReporter())
    took = time.perf_counter() - start
    print(f"one article added to a {size}-article database: {took:.3f} s (story {touched})")


def _new_article(data: Path, article_id: int) -> AnalyzedArticle:
    """A dev article as an analysed article (no sentences or entities needed to cluster)."""
    path = sorted(data.glob("*.txt"))[0]
    lines = [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]
    sha = hashlib.sha256(path.read_bytes() + b"bench").hexdigest()
    article = Article(str(path), sha, lines[0], tuple(lines[1:]), id=article_id)
    return AnalyzedArticle(article=article, sentences=())


def main() -> None:
    """Print the cost figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sizes", default="1000,2000,4000,8000")
    ap.add_argument("--db-size", type=int, default=10000)
    ap.add_argument("--db", type=Path, default=None, help="database file (default: temporary)")
    ap.add_argument("--replicas", choices=("distinct", "half"), default="distinct")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size (the fastest is shown)")
    ap.add_argument(
        "--recommit",
        type=int,
        default=ClusterSettings().recommit_articles,
        help="young articles grouped again with each window, in memory (0: off)",
    )
    args = ap.parse_args()
    profiles, _, _ = load(args.data)
    if args.sizes:
        sizes = [int(x) for x in args.sizes.split(",")]
        memory_cost(profiles, sizes, args.replicas, args.repeat, args.recommit)
    if args.db_size:
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or Path(tmp) / "cost.db"
            stored_cost(profiles, args.db_size, db, args.data, args.replicas)


if __name__ == "__main__":
    main()
