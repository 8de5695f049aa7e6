"""Evaluation gate: story clustering on ECB+ dev must keep its measured quality."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO, SHARED, embeddings_installed

ECB = SHARED / "data" / "ecbplus-dev"
# Re-based on topic folds (issue 21): the 33 topics dealt round-robin into 5 folds, each
# fold clustered alone as the pipeline does (a window of up to 512 articles grouped first by
# average linkage, then placed in chunks of 128), words only, threshold 0.30, window bar
# 0.20, shuffle 0. Measured 2026-12-07: mean over folds story F1 0.870 (folds 0.933 / 0.830
# / 0.840 / 0.925 / 0.820), P 0.863, stories against gold topics P 1.000, topic layer F1
# 0.945. Before (one by one, the whole set, shuffle 0): story F1 0.868 (P 0.879), topic P
# 1.000, topic layer F1 0.883. The precision floor moved from 0.87 to the fold figure; the
# other floors are unchanged. With the window's grouping score blending words, entities and
# headline words (group bar 0.175; words-only profiles have no entities, so words and headline
# words): story F1 0.879 (folds 0.951 / 0.834 / 0.846 / 0.936 / 0.826), P 0.845, topic P
# 1.000, topic layer F1 0.946 (2026-12-07); the precision floor moved from 0.85 to 0.84.
STORY_F1_FLOOR = 0.86
STORY_PRECISION_FLOOR = 0.84
TOPIC_PRECISION_FLOOR = 0.99
TOPIC_LAYER_F1_FLOOR = 0.87
FOLDS = 5


def _bench() -> ModuleType:
    """bench/cluster_ecb.py as a module (bench/ is not a package)."""
    path = Path(REPO / "bench" / "cluster_ecb.py")
    spec = importlib.util.spec_from_file_location("cluster_ecb", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("cluster_ecb", module)
    spec.loader.exec_module(module)
    return module


def _folds(topic: dict[int, Any]) -> dict[Any, int]:
    """Fold of each gold topic: topics sorted by number, dealt round-robin."""
    topics = sorted(set(topic.values()), key=lambda t: (len(str(t)), str(t)))
    return {t: k % FOLDS for k, t in enumerate(topics)}


def _fold_means(
    bench: ModuleType, profiles: list[Any], topic: dict[int, Any], story: dict[int, Any]
) -> list[float]:
    """Story P and F1, topic P and topic-layer F1, each the mean over the topic folds."""
    fold_of = _folds(topic)
    sums = [0.0, 0.0, 0.0, 0.0]
    for k in range(FOLDS):
        test = [p for p in profiles if fold_of[topic[p.id]] == k]
        order = [p.id for p in test]
        random.Random(0).shuffle(order)
        pred, topics = bench.run_levels(test, order, 0.30)
        story_p, _, story_f1 = bench.bcubed(pred, story)
        figures = (story_p, story_f1, bench.bcubed(pred, topic)[0], bench.bcubed(topics, topic)[2])
        sums = [a + b / FOLDS for a, b in zip(sums, figures, strict=True)]
    return sums


@pytest.mark.skipif(not (ECB / "gold.jsonl").is_file(), reason="ECB+ dev data not present")
def test_ecb_story_bcubed_stays_above_floor() -> None:
    bench = _bench()
    profiles, topic, story = bench.load(ECB)
    story_p, story_f1, topic_p, topic_layer_f1 = _fold_means(bench, profiles, topic, story)
    assert story_f1 >= STORY_F1_FLOOR, story_f1
    assert story_p >= STORY_PRECISION_FLOOR, story_p
    assert topic_p >= TOPIC_PRECISION_FLOOR, topic_p
    assert topic_layer_f1 >= TOPIC_LAYER_F1_FLOOR, topic_layer_f1


@pytest.mark.skipif(not (ECB / "gold.jsonl").is_file(), reason="ECB+ dev data not present")
def test_ecb_fold_gives_one_clustering_in_every_order() -> None:
    bench = _bench()
    profiles, topic, story = bench.load(ECB)
    fold_of = _folds(topic)
    test = [p for p in profiles if fold_of[topic[p.id]] == 1]
    assert 128 < len(test) <= 512  # two chunks of one window, grouped before any is placed
    figures = set()
    for seed in range(3):
        order = [p.id for p in test]
        random.Random(seed).shuffle(order)
        pred = bench.run(test, order, 0.30)
        figures.add(round(bench.bcubed(pred, story)[2], 6))
    assert len(figures) == 1, figures


# Measured 2026-11-24 on shuffle 0 (words only, threshold 0.30) with gists (headline and
# first sentence embedded) blended into topic links: topic layer F1 0.908, P 0.930
# (5-shuffle mean 0.903; without gists 0.884). Story membership does not use gists.
# Re-based on the topic folds 2026-12-07 (as above, with gists): story F1 0.870; the topic
# layer floor is unchanged.
TOPIC_LAYER_GIST_F1_FLOOR = 0.89


@pytest.mark.skipif(not (ECB / "gold.jsonl").is_file(), reason="ECB+ dev data not present")
@pytest.mark.skipif(not embeddings_installed(), reason="embedding model not installed")
def test_ecb_topic_layer_with_gists_stays_above_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "bench"))  # the gists are cached by ecb_analyzed
    bench = _bench()
    profiles, topic, story = bench.load(ECB, gists=True)
    assert all(p.gist for p in profiles)
    _, story_f1, _, topic_layer_f1 = _fold_means(bench, profiles, topic, story)
    assert story_f1 >= STORY_F1_FLOOR, story_f1
    assert topic_layer_f1 >= TOPIC_LAYER_GIST_F1_FLOOR, topic_layer_f1
