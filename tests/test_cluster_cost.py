"""The cluster stage's savings keep its results: counts and profiles read once, small batches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storydesk.cluster.gist import EMBED_BATCH, article_gist_text, article_gists, gists
from storydesk.cluster.index import _Story
from storydesk.cluster.score import vector
from storydesk.model import AnalyzedArticle, Article, ArticleProfile
from storydesk.options import Options
from storydesk.store import Store
from storydesk.store.profiles import StoredIndex
from storydesk.text.embed import LazyEmbedder
from storydesk.text.features import normalized
from tests.conftest import embeddings_installed


def _profile(
    aid: int, terms: tuple[str, ...], entities: frozenset[str] = frozenset()
) -> ArticleProfile:
    return ArticleProfile(aid, f"t{aid}", terms, entities, 10)


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "t.db")
    store.conn.execute("PRAGMA foreign_keys=OFF")  # profiles stand in for articles here
    return store


def test_counts_read_once_follow_the_articles_added(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        index = StoredIndex(store)
        index.add(store.new_story(), _profile(1, ("ferry", "ferry", "storm"), frozenset({"oslo"})))
        keys = ["ferry", "storm", "quake", "@oslo"]
        assert index.frequencies(keys) == {"ferry": 1, "storm": 1, "@oslo": 1}
        index.add(store.new_story(), _profile(2, ("ferry", "quake")))  # quake was read absent
        kept = index.frequencies(keys)
        assert kept == {"ferry": 2, "storm": 1, "quake": 1, "@oslo": 1}
        assert StoredIndex(store).frequencies(keys) == kept  # as the table holds them
        assert index.frequencies(["ferry", "ferry"]) == {"ferry": 2}


def test_stored_profiles_are_decoded_once_per_index(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        index = StoredIndex(store)
        sid = store.new_story()
        for aid in (1, 2, 3):
            p = _profile(aid, ("ferry", f"w{aid}"))
            index.add(sid, p)
            store.conn.execute(
                "INSERT INTO memberships (article_id, story_id, score, explanation, created_at)"
                " VALUES (?, ?, 1.0, '{}', '')",
                (aid, sid),
            )
        latest = index.members([sid], 2)[sid]
        first = index.first_members([sid], 3)[sid]
        assert [p.id for p in latest] == [2, 3] and [p.id for p in first] == [1, 2, 3]
        assert latest[0] is first[1]  # one decoding serves both reads
        assert StoredIndex(store).members([sid], 2)[sid] == latest


def test_a_built_core_is_the_unit_sum_of_its_members() -> None:
    weights = {"ferry": 1.0, "storm": 2.0, "oslo": 3.0}
    members = [_profile(i, t) for i, t in enumerate([("ferry", "storm"), ("oslo",), ("ferry",)])]
    pairs = [(p, vector(p, weights)) for p in members]
    state = _Story.build(1, 3, pairs, core_limit=2)
    one_by_one = _Story.build(1, 3, pairs, core_limit=0)
    for p, vec in pairs[:2]:
        one_by_one.add_core(p, vec)
    assert state.core_vector == one_by_one.core_vector == normalized(state.core_total)
    assert state.core_size == 2


@pytest.mark.skipif(not embeddings_installed(), reason="embedding model not installed")
def test_gists_in_small_batches_are_the_same_bits() -> None:
    leads = ["Ferry sinks off the north cape", "Storm closes the airport for two days"] * 6
    articles = [
        AnalyzedArticle(
            Article("x", f"{i:064d}", title, (f"Officials said {i} things.",), id=i), ()
        )
        for i, title in enumerate(
            [*leads, "A much longer headline about a budget vote in parliament"]
        )
    ]
    embedder = LazyEmbedder(Options(), optimize=False)
    made = article_gists(articles, embedder)
    model = embedder.get()
    assert model is not None and len(articles) > EMBED_BATCH
    texts = [article_gist_text(a) for a in articles]
    assert made == gists(model, texts)  # the model's own batches: the same bits
    assert np.frombuffer(made[0], dtype=np.float16).shape == (384,)


def test_the_kept_profiles_and_counts_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storydesk.store.profiles as stored

    monkeypatch.setattr(stored, "KEPT_PROFILES", 2)
    monkeypatch.setattr(stored, "KEPT_COUNTS", 3)
    with _store(tmp_path) as store:
        index = StoredIndex(store)
        sid = store.new_story()
        for aid in (1, 2, 3):
            index.add(sid, _profile(aid, ("ferry", f"w{aid}")))
            store.conn.execute(
                "INSERT INTO memberships (article_id, story_id, score, explanation, created_at)"
                " VALUES (?, ?, 1.0, '{}', '')",
                (aid, sid),
            )
        assert [p.id for p in index.members([sid], 3)[sid]] == [1, 2, 3]
        assert len(index._decoded) <= 2
        assert index.frequencies(["ferry", "w1"]) == {"ferry": 3, "w1": 1}
        assert index.frequencies(["w2", "w3"]) == {"w2": 1, "w3": 1}
        assert len(index._df) <= 3
