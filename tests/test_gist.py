"""Gists: headline-and-lead embeddings that link sibling stories into topics."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storydesk.cluster.gist import (
    GIST_CHARS,
    article_gists,
    as_vector,
    gist_cosine,
    gist_text,
    gists,
    to_gist,
)
from storydesk.cluster.index import StoryIndex
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import StoryProfile
from storydesk.cluster.scorer import (
    GIST_WEIGHT,
    TOPIC_GIST_THRESHOLD,
    TOPIC_THRESHOLD,
    story_similarity,
    topic_similarity,
)
from storydesk.model import AnalyzedArticle, Article, ArticleProfile
from storydesk.options import ClusterSettings, Options
from storydesk.store.profiles import from_json, to_json
from storydesk.text.embed import LazyEmbedder
from tests.conftest import embeddings_installed


def unit(*values: float) -> bytes:
    return to_gist(np.array(values, dtype=np.float32))


def test_gist_text_is_headline_and_first_sentence() -> None:
    assert gist_text("Quake hits city", ["Rescuers dig.", "More later."]) == (
        "Quake hits city Rescuers dig."
    )


def test_gist_text_skips_a_first_sentence_that_repeats_the_headline() -> None:
    text = gist_text("Quake  hits city", ["Quake hits city", "Rescuers dig.", "More."])
    assert text == "Quake hits city Rescuers dig."
    assert gist_text("", []) == ""
    assert len(gist_text("Headline", ["word " * 100_000])) == GIST_CHARS


def test_gist_cosine_needs_two_gists_of_one_size() -> None:
    a, b = unit(1, 0, 0), unit(1, 1, 0)
    assert gist_cosine(a, b) == pytest.approx(2**-0.5, abs=1e-3)
    assert gist_cosine(a, b"") is None
    assert gist_cosine(a, unit(1, 0)) is None
    assert to_gist(np.zeros(3, dtype=np.float32)) == b""
    assert float(np.linalg.norm(as_vector(unit(3, 4)))) == pytest.approx(1.0, abs=1e-3)


class FakeEmbedder:
    """Stands in for the model: one fixed row per text, counting calls."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[1.0, float(len(t)), 0.0] for t in texts], dtype=np.float32)


def test_gists_embed_non_empty_texts_in_one_batch() -> None:
    fake = FakeEmbedder()
    made = gists(fake, ["ab", " ", "abc"])  # type: ignore[arg-type]
    assert fake.calls == [["ab", "abc"]]
    assert made[1] == b"" and len(made[0]) == len(made[2]) == 3 * 2  # float16


def test_article_gists_are_empty_when_embeddings_are_off() -> None:
    article = AnalyzedArticle(Article("x", "0" * 64, "Title", ("Body.",), id=1), ())
    assert article_gists([article], LazyEmbedder(Options(embeddings=False))) == [b""]


def _story(sid: int, words: dict[str, float], gist: bytes) -> StoryProfile:
    return StoryProfile(sid, words, frozenset(), None, None, gist=gist)


def test_topic_similarity_blends_gists_only_when_both_stories_have_one() -> None:
    a = _story(1, {"quake": 0.6, "alpha": 0.8}, unit(1, 0))
    b = _story(2, {"quake": 0.6, "beta": 0.8}, unit(1, 0))
    words = story_similarity(a, b)
    score, cos = topic_similarity(a, b)
    assert cos == pytest.approx(1.0)
    assert score == pytest.approx((1 - GIST_WEIGHT) * words + GIST_WEIGHT)
    assert topic_similarity(a, replace(b, gist=b"")) == (words, None)


def _kind(aid: int, event: str, gist: bytes) -> ArticleProfile:
    words = ("ferry", "rescue", *(f"{event}{i}" for i in range(12)))
    return ArticleProfile(aid, "", words, frozenset(), None, gist=gist)


def test_gists_link_sibling_stories_that_words_keep_apart() -> None:
    same_kind = unit(1, 0.1)
    for with_gists, linked in ((True, True), (False, False)):
        index = StoryIndex(Options(cluster=ClusterSettings(story_threshold=0.6)))
        backend = index.backend
        assert isinstance(backend, MemoryBackend)
        for p in (_kind(1, "north", same_kind), _kind(2, "south", same_kind)):
            p = p if with_gists else replace(p, gist=b"")
            assert index.assign(p).story is None
            index.add(p.id, p)
            index.converge(p.id)
        assert (backend.topic_of(2) == 1) is linked
        if linked:
            assert index.last_link is not None
            assert index.last_link.score >= TOPIC_GIST_THRESHOLD > TOPIC_THRESHOLD


def test_story_gist_is_the_unit_mean_of_its_members() -> None:
    index = StoryIndex(Options(cluster=ClusterSettings(story_threshold=0.1)))
    a = _kind(1, "x", unit(1, 0))
    b = _kind(2, "x", unit(0, 1))
    for p in (a, b):
        index.assign(p)
        index.add(1, p)
    (story,) = index._profiles([1], index.backend.size())
    assert as_vector(story.gist) == pytest.approx([2**-0.5, 2**-0.5], abs=1e-3)


def test_stored_profiles_keep_their_gist() -> None:
    p = _kind(7, "x", unit(0.6, 0.8))
    assert from_json(7, to_json(p)) == p
    old = to_json(replace(p, gist=b""))
    assert '"g"' not in old and from_json(7, old).gist == b""


def _stored_gists(tmp_path: Path, embeddings: bool) -> list[bool]:
    from storydesk import api

    for i, (title, lead) in enumerate(
        [("Ferry sinks off north cape", "A ferry sank on Monday."), ("Budget passes", "MPs vote.")]
    ):
        (tmp_path / f"{i}.txt").write_text(f"{title}\n\n{lead} More text follows here.\n")
    options = Options(db=tmp_path / "t.db", embeddings=embeddings)
    api.run([str(tmp_path / "0.txt"), str(tmp_path / "1.txt")], options)
    with api.open_store(options) as store:
        rows = store.conn.execute("SELECT data FROM article_profiles ORDER BY article_id")
        return ['"g":' in data for (data,) in rows]


@pytest.mark.skipif(not embeddings_installed(), reason="embedding model not installed")
def test_the_pipeline_stores_a_gist_with_each_profile(tmp_path: Path) -> None:
    assert _stored_gists(tmp_path, embeddings=True) == [True, True]


def test_without_embeddings_profiles_carry_no_gist(tmp_path: Path) -> None:
    assert _stored_gists(tmp_path, embeddings=False) == [False, False]


def test_a_topic_link_is_handed_to_the_backend_with_its_parts() -> None:
    seen: list[object] = []

    class Recording(MemoryBackend):
        def link_topics(self, a: int, b: int, why: object = None) -> None:
            seen.append(why)
            super().link_topics(a, b)

    index = StoryIndex(Options(cluster=ClusterSettings(story_threshold=0.6)), Recording())
    for p in (_kind(1, "north", unit(1, 0.1)), _kind(2, "south", unit(1, 0.1))):
        index.assign(p)
        index.add(p.id, p)
        index.converge(p.id)
    (link,) = [w for w in seen if w is not None]
    assert link == index.last_link
    assert link.gist == pytest.approx(1.0, abs=1e-3)  # type: ignore[attr-defined]
    assert "headline-and-lead gist" in link.reason()  # type: ignore[attr-defined]


def test_without_the_model_the_cluster_stage_goes_on_by_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import storydesk.text.embed

    def missing(threads: int = 2, optimize: bool = True) -> None:
        raise storydesk.text.embed.EmbeddingsUnavailable("sentence embeddings unavailable: test")

    monkeypatch.setattr(storydesk.text.embed, "load_embedder", missing)
    assert _stored_gists(tmp_path, embeddings=True) == [False, False]
    err = capsys.readouterr().err
    assert err.count("sentence embeddings unavailable: test; going on by words only") == 1
