"""Ceiling of the topic link rule on ECB+ dev: gold stories linked pair by pair, every pair scored.

Usage: python bench/topic_ceiling.py [DATA_DIR] [--bars 0.25,0.28,0.30,0.325,0.35]

Each gold story becomes one story profile (its latest ``MAX_MEMBERS`` articles, as the
pipeline profiles them, with gists; idf over all articles). Every pair of stories is scored
with the topic similarity of ``cluster.scorer.topic_similarity``, and stories are put in one topic
(single linkage) wherever a pair reaches the bar. So stories are perfect and every candidate
is found: the topic B-cubed P/R/F1 printed is what the score itself allows. The gist alone is
printed beside it for comparison. Needs the embedding model; the first run analyses every
file and caches it (see bench/ecb_analyzed.py).
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from cluster_ecb import DEFAULT_DATA, bcubed, load

from storydesk.cluster.gist import as_vector, gist_cosine, to_gist
from storydesk.cluster.index import MAX_MEMBERS, weight
from storydesk.cluster.score import StoryProfile, story_profile
from storydesk.cluster.scorer import topic_similarity
from storydesk.model import ArticleProfile


def gold_stories(
    profiles: list[ArticleProfile], story: dict[int, str]
) -> tuple[list[str], list[StoryProfile], dict[str, list[int]]]:
    """One profile per gold story (latest members, mean gist), with its article ids."""
    df = Counter(t for p in profiles for t in set(p.terms))
    weights = {t: weight(c, len(profiles)) for t, c in df.items()}
    members: dict[str, list[ArticleProfile]] = defaultdict(list)
    for p in sorted(profiles, key=lambda p: p.id):
        members[story[p.id]].append(p)
    names = sorted(members)
    out = []
    for i, name in enumerate(names):
        latest = members[name][-MAX_MEMBERS:]
        made = story_profile(i, latest, weights)
        gists = [as_vector(p.gist) for p in latest if p.gist]
        out.append(replace(made, gist=to_gist(np.sum(gists, axis=0))))
    return names, out, {n: [p.id for p in members[n]] for n in names}


def linked(scores: npt.NDArray[np.float64], bar: float) -> list[int]:
    """Topic of each story: single linkage over the pairs scoring at least the bar."""
    parent = list(range(len(scores)))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, j in zip(*np.nonzero(np.triu(scores >= bar, k=1)), strict=True):
        parent[root(int(i))] = root(int(j))
    return [root(i) for i in range(len(scores))]


def pairwise(
    stories: list[StoryProfile], score: Callable[[StoryProfile, StoryProfile], float]
) -> npt.NDArray[np.float64]:
    """The symmetric matrix of a score over every pair of stories."""
    m = np.zeros((len(stories), len(stories)))
    for i, a in enumerate(stories):
        for j in range(i + 1, len(stories)):
            m[i, j] = m[j, i] = score(a, stories[j])
    return m


def main() -> None:
    """Print the ceiling of the topic link rule and of the gist alone."""
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--bars", default="0.25,0.28,0.30,0.325,0.35")
    ap.add_argument("--gist-bars", default="0.5,0.55,0.6,0.65")
    args = ap.parse_args()
    profiles, topic, story = load(args.data, analyzed=True, gists=True)
    names, stories, ids = gold_stories(profiles, story)
    blended = pairwise(stories, lambda a, b: topic_similarity(a, b)[0])
    gist = pairwise(stories, lambda a, b: gist_cosine(a.gist, b.gist) or 0.0)
    print(f"{len(profiles)} articles, {len(stories)} gold stories as units")
    print("score                 bar    topic P  topic R  topic F1")
    for label, scores, bars in [
        ("topic similarity", blended, args.bars),
        ("gist cosine alone", gist, args.gist_bars),
    ]:
        for bar in (float(b) for b in bars.split(",")):
            roots = linked(scores, bar)
            pred = {aid: roots[k] for k, name in enumerate(names) for aid in ids[name]}
            p, r, f = bcubed(pred, topic)
            print(f"{label:20s}  {bar:5.3f}  {p:7.3f}  {r:7.3f}  {f:8.3f}")


if __name__ == "__main__":
    main()
