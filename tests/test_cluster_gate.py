"""Evaluation gate: story clustering on ECB+ dev must keep its measured quality."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, SHARED, embeddings_installed

ECB = SHARED / "data" / "ecbplus-dev"
# Measured on shuffle 0 (words only, threshold 0.30), 2026-11-23, with conflicting details:
# story F1 0.869 (P 0.879), stories against gold topics P 1.000, topic layer F1 0.850
# (5-shuffle means 0.866 and 0.834). 2026-11-24, sibling stories also looked up by their
# heaviest common words: story F1 0.868 (P 0.879), topic layer F1 0.883 (5-shuffle 0.884).
STORY_F1_FLOOR = 0.86
STORY_PRECISION_FLOOR = 0.87
TOPIC_PRECISION_FLOOR = 0.99
TOPIC_LAYER_F1_FLOOR = 0.87


def _bench() -> ModuleType:
    """bench/cluster_ecb.py as a module (bench/ is not a package)."""
    path = Path(REPO / "bench" / "cluster_ecb.py")
    spec = importlib.util.spec_from_file_location("cluster_ecb", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("cluster_ecb", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (ECB / "gold.jsonl").is_file(), reason="ECB+ dev data not present")
def test_ecb_story_bcubed_stays_above_floor() -> None:
    bench = _bench()
    profiles, topic, story = bench.load(ECB)
    order = [p.id for p in profiles]
    random.Random(0).shuffle(order)
    pred, topics = bench.run_levels(profiles, order, 0.30)
    story_p, _, story_f1 = bench.bcubed(pred, story)
    topic_p, _, _ = bench.bcubed(pred, topic)
    _, _, topic_layer_f1 = bench.bcubed(topics, topic)
    assert story_f1 >= STORY_F1_FLOOR, story_f1
    assert story_p >= STORY_PRECISION_FLOOR, story_p
    assert topic_p >= TOPIC_PRECISION_FLOOR, topic_p
    assert topic_layer_f1 >= TOPIC_LAYER_F1_FLOOR, topic_layer_f1


# Measured 2026-11-24 on shuffle 0 (words only, threshold 0.30) with gists (headline and
# first sentence embedded) blended into topic links: topic layer F1 0.908, P 0.930
# (5-shuffle mean 0.903; without gists 0.884). Story membership does not use gists.
TOPIC_LAYER_GIST_F1_FLOOR = 0.89


@pytest.mark.skipif(not (ECB / "gold.jsonl").is_file(), reason="ECB+ dev data not present")
@pytest.mark.skipif(not embeddings_installed(), reason="embedding model not installed")
def test_ecb_topic_layer_with_gists_stays_above_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "bench"))  # the gists are cached by ecb_analyzed
    bench = _bench()
    profiles, topic, story = bench.load(ECB, gists=True)
    assert all(p.gist for p in profiles)
    order = [p.id for p in profiles]
    random.Random(0).shuffle(order)
    pred, topics = bench.run_levels(profiles, order, 0.30)
    _, _, story_f1 = bench.bcubed(pred, story)
    _, _, topic_layer_f1 = bench.bcubed(topics, topic)
    assert story_f1 >= STORY_F1_FLOOR, story_f1
    assert topic_layer_f1 >= TOPIC_LAYER_GIST_F1_FLOOR, topic_layer_f1
