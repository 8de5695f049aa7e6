"""Story clustering on ECB+ dev: B-cubed P/R/F1 at the topic and story level.

Usage: python bench/cluster_ecb.py [DATA_DIR] [--thresholds 0.2,0.25] [--orders sorted,0,1,2]
       [--ner | --analyzed] [--gists] [--shuffles 5] [--no-merge] [--oracle-joins]

With --shuffles N each threshold is run over N shuffled orders (seeds 0..N-1) and the mean
and the spread (max − min) of each figure are printed.

Articles are fed as the pipeline feeds them (``feed``): windows of ``batch_articles``,
each first grouped by average linkage (``StoryIndex.plan``), then one at a time to
``storydesk.cluster.index.StoryIndex`` (the scoring of
``storydesk.cluster.assign.assign``, with profiles kept between calls and idf estimated from the
articles seen so far). By default profiles are built from the raw files (first line as the
title, words only, no dates); --ner adds spaCy entity surface texts. --analyzed builds them
exactly as the pipeline does: each file read, cleaned and analysed by storydesk (cached, see
bench/ecb_analyzed.py), then ``storydesk.cluster.score.profile`` (canonical entities, and the
dates that cleaning finds in about a third of the files). --gists adds each article's gist,
the headline-and-lead embedding the pipeline adds for topic links when embeddings are on
(with --analyzed from the analysed sentences, as the pipeline does; otherwise from the
file's first line and the first sentence after it; cached under /tmp). --oracle-joins vetoes
every join into a story most of whose articles are of another gold story: the score reached
with perfect join-or-open decisions over the index's own candidates, scores and bar.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from storydesk.cluster.gist import article_gist_text, gist_text
from storydesk.cluster.index import StoryIndex
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import STORY_LABELS, lead_numbers, profile
from storydesk.model import ArticleProfile
from storydesk.options import ClusterSettings, Options
from storydesk.text.features import content_words, entity_key

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"


def load(
    data: Path, ner: bool = False, analyzed: bool = False, gists: bool = False
) -> tuple[list[ArticleProfile], dict[int, str], dict[int, str]]:
    """Profiles of every gold file, with gold topic and story per article id."""
    profiles: list[ArticleProfile] = []
    topic: dict[int, str] = {}
    story: dict[int, str] = {}
    texts: list[str] = []
    rows = (data / "gold.jsonl").read_text().splitlines()
    for i, line in enumerate(rows):
        row = json.loads(line)
        topic[i], story[i] = row["topic"], row["story"]
        if analyzed:
            continue
        lines = [ln.strip() for ln in (data / row["file"]).read_text().splitlines() if ln.strip()]
        title, body = (lines[0], " ".join(lines[1:])) if lines else ("", "")
        terms = content_words(title) * 2 + content_words(body)
        details = lead_numbers(title, body)
        profiles.append(ArticleProfile(i, title, tuple(terms), frozenset(), None, details))
    if analyzed:
        from ecb_analyzed import analyzed as analyzed_articles

        articles = analyzed_articles(data)
        profiles = [profile(a) for a in articles]
        texts = [article_gist_text(a) for a in articles]
    elif ner:
        profiles = _with_entities(data, profiles)
    if gists:
        from ecb_analyzed import cached_gists

        if not analyzed:
            texts = [_raw_gist_text(data / json.loads(line)["file"]) for line in rows]
        made = cached_gists(texts)
        profiles = [replace(p, gist=g) for p, g in zip(profiles, made, strict=True)]
    return profiles, topic, story


def _raw_gist_text(path: Path) -> str:
    """The gist text of a raw file: its first line and the first sentence after it."""
    lines = [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]
    if not lines:
        return ""
    body = re.split(r"(?<=[.!?])\s+", " ".join(lines[1:]))
    return gist_text(lines[0], body)


def _with_entities(data: Path, profiles: list[ArticleProfile]) -> list[ArticleProfile]:
    """Profiles with spaCy entity names (surface text, no coreference) added."""
    import spacy  # optional: only for --ner

    nlp = spacy.load(Options().spacy_model, disable=["lemmatizer"])
    rows = [json.loads(line) for line in (data / "gold.jsonl").read_text().splitlines()]
    texts = [(data / row["file"]).read_text() for row in rows]
    out = []
    for p, doc in zip(profiles, nlp.pipe(texts, batch_size=32), strict=True):
        names = frozenset(
            entity_key(e.text) for e in doc.ents if e.label_ in STORY_LABELS and e.text.strip()
        )
        out.append(ArticleProfile(p.id, p.title, p.terms, names, p.day, p.details))
    return out


def run(
    profiles: list[ArticleProfile], order: list[int], threshold: float, merge: bool = True
) -> dict[int, int]:
    """Predicted story per article id, assigning in the given order through a StoryIndex."""
    return run_levels(profiles, order, threshold, merge)[0]


def run_levels(
    profiles: list[ArticleProfile],
    order: list[int],
    threshold: float,
    merge: bool = True,
    oracle: dict[int, str] | None = None,
    recommit: int = ClusterSettings().recommit_articles,
) -> tuple[dict[int, int], dict[int, int]]:
    """Predicted story and topic (the index's topic layer) per article id.

    With ``oracle`` (gold story per article id), a join is vetoed when most of the chosen
    story's articles belong to another gold story: perfect join-or-open decisions over the
    index's own candidates, scores and bar (merges are left as they are). ``recommit``: the
    young articles grouped again with each window (``cluster.recommit_articles``).
    """
    backend = MemoryBackend()
    options = Options(
        cluster=ClusterSettings(story_threshold=threshold, recommit_articles=recommit)
    )
    by_id = {p.id: p for p in profiles}
    veto = None
    if oracle is not None:

        def veto(aid: int, sid: int) -> bool:
            members = backend.members([sid], len(by_id))[sid]
            (majority, _), *_ = Counter(oracle[m.id] for m in members).most_common(1)
            return bool(majority != oracle[aid])

    feed(backend, [by_id[aid] for aid in order], options, merge=merge, veto=veto)
    return backend.story_of(), backend.topics()


def feed(
    backend: MemoryBackend,
    ordered: Sequence[ArticleProfile],
    options: Options,
    window: int | None = None,
    merge: bool = True,
    veto: Callable[[int, int], bool] | None = None,
    one_index: bool = False,
) -> None:
    """Feed articles as ``storydesk run`` does: windows of ``options.batch_articles`` (or
    ``window``) planned first (``StoryIndex.plan``), then chunks of ``ASSIGN_CHUNK`` assigned
    one by one (assign, add, converge), each chunk through a fresh index adopting the plan.

    ``veto(article, story)``: a join to refuse (the article opens a story instead);
    ``one_index``: one index throughout (its profile cache kept, as the cost figures before).
    """
    from storydesk.pipeline.run import ASSIGN_CHUNK

    size = window or max(ASSIGN_CHUNK, options.batch_articles // ASSIGN_CHUNK * ASSIGN_CHUNK)
    opened = 0
    kept = StoryIndex(options, backend)
    for first in range(0, len(ordered), size):
        part = ordered[first : first + size]
        plan = None
        for start in range(0, len(part), min(size, ASSIGN_CHUNK)):
            index = kept if one_index else StoryIndex(options, backend)  # one per chunk
            if plan is None:
                plan = index.plan(part)
            else:
                index.adopt(plan)
            for p in part[start : start + min(size, ASSIGN_CHUNK)]:
                a = index.assign(p)
                if veto is not None and a.story is not None and veto(p.id, a.story):
                    a = replace(a, story=None)
                if a.story is None:
                    opened += 1
                sid = a.story if a.story is not None else opened
                index.add(sid, p)
                if merge:
                    index.converge(sid)


def bcubed(pred: dict[int, int], gold: dict[int, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1."""
    pc: dict[int, set[int]] = defaultdict(set)
    gc: dict[str, set[int]] = defaultdict(set)
    for i in pred:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = r = 0.0
    for i in pred:
        inter = len(pc[pred[i]] & gc[gold[i]])
        p += inter / len(pc[pred[i]])
        r += inter / len(gc[gold[i]])
    p, r = p / len(pred), r / len(pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    """Print B-cubed scores for each threshold and order."""
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--thresholds", default="0.15,0.2,0.25,0.3,0.35,0.4")
    ap.add_argument("--orders", default="sorted,0,1,2")
    ap.add_argument("--ner", action="store_true", help="add spaCy entities (slow)")
    ap.add_argument("--analyzed", action="store_true", help="profiles as the pipeline makes them")
    ap.add_argument("--gists", action="store_true", help="add headline-and-lead embeddings")
    ap.add_argument("--shuffles", type=int, default=0, help="mean and spread over N orders")
    ap.add_argument(
        "--recommit",
        type=int,
        default=ClusterSettings().recommit_articles,
        help="young articles grouped again with each window (0: off; with --shuffles)",
    )
    ap.add_argument("--no-merge", action="store_true", help="do not merge converging stories")
    ap.add_argument(
        "--oracle-joins", action="store_true", help="veto joins into another gold story's story"
    )
    args = ap.parse_args()
    profiles, topic, story = load(args.data, args.ner, args.analyzed, args.gists)
    print(
        f"{len(profiles)} articles, {len(set(topic.values()))} topics, "
        f"{len(set(story.values()))} stories"
    )
    if args.shuffles:
        shuffled(profiles, topic, story, args)
        return
    print("threshold order    stories  topic P/R/F1        story P/R/F1")
    for t in (float(x) for x in args.thresholds.split(",")):
        for name in args.orders.split(","):
            order = [p.id for p in profiles]
            if name != "sorted":
                random.Random(int(name)).shuffle(order)
            pred = run(profiles, order, t)
            tp, tr, tf = bcubed(pred, topic)
            sp, sr, sf = bcubed(pred, story)
            print(
                f"{t:9.2f} {name:8s} {len(set(pred.values())):7d}  "
                f"{tp:.3f}/{tr:.3f}/{tf:.3f}  {sp:.3f}/{sr:.3f}/{sf:.3f}"
            )


def shuffled(
    profiles: list[ArticleProfile],
    topic: dict[int, str],
    story: dict[int, str],
    args: argparse.Namespace,
) -> None:
    """Mean and spread of B-cubed figures over shuffled orders, per threshold."""
    print("threshold  level  P mean/spread   R mean/spread   F1 mean/spread  (stories)")
    print("(topic: predicted stories against gold topics; topics: the topic layer against them)")
    for t in (float(x) for x in args.thresholds.split(",")):
        rows: dict[str, list[tuple[float, float, float]]] = {"topic": [], "story": [], "topics": []}
        counts = []
        for seed in range(args.shuffles):
            order = [p.id for p in profiles]
            random.Random(seed).shuffle(order)
            oracle = story if args.oracle_joins else None
            pred, topics = run_levels(profiles, order, t, not args.no_merge, oracle, args.recommit)
            counts.append(len(set(pred.values())))
            rows["topic"].append(bcubed(pred, topic))
            rows["story"].append(bcubed(pred, story))
            rows["topics"].append(bcubed(topics, topic))
        for level, figures in rows.items():
            cells = []
            for k in range(3):
                values = [f[k] for f in figures]
                cells.append(f"{sum(values) / len(values):.3f}/{max(values) - min(values):.3f}")
            print(f"{t:9.2f}  {level:6s} {'   '.join(cells)}  ({min(counts)}-{max(counts)})")


if __name__ == "__main__":
    main()
