"""User corrections (merge, split, move) persist, and automatic merging respects them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.options import Options
from storydesk.pipeline import corrections
from storydesk.pipeline.run import SilentReporter, assign_stories, rebuild
from storydesk.store import Store
from storydesk.store.profiles import StoredIndex
from tests.factories import fisheries_story, make_article, store_articles, unrelated_article


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding the fisheries story (articles 1-4) and a factory fire (5)."""
    path = tmp_path / "c.db"
    with Store(path) as store:
        store_articles(store, [*fisheries_story(), unrelated_article()])
        touched = assign_stories(Options(db=path), store, SilentReporter())
        rebuild(touched, Options(db=path), store, SilentReporter())
    return path


def _stories(path: Path) -> dict[int, list[int]]:
    with Store(path) as store:
        return store.story_members()


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_pipeline_clusters_through_the_stored_index(db: Path) -> None:
    assert _stories(db) == {1: [1, 2, 3, 4], 2: [5]}
    with Store(db) as store:
        index = StoredIndex(store)
        assert index.size() == 5
        assert index.frequencies(["@estmark"]) == {"@estmark": 4}
        (why,) = [e for e in store.explanations(1) if e.article == 4]
        assert "joined story 1" in why.reason and why.candidates >= 1
        assert "estmark" in why.shared_entities


def test_stories_explain_table_and_json(db: Path) -> None:
    code, out = _invoke("--db", str(db), "stories", "--explain")
    assert code == 0
    assert "joined story 1" in out and "entities: " in out and "opened a story" in out
    code, out = _invoke("--db", str(db), "stories", "--explain", "--format", "json")
    rows = json.loads(out)
    assert {e["article"] for e in rows[0]["explanations"]} == {1, 2, 3, 4}
    code, out = _invoke("--db", str(db), "stories", "--format", "json")
    assert "explanations" not in json.loads(out)[0]


def test_merge_moves_everything_and_rebuilds(db: Path) -> None:
    code, out = _invoke("--db", str(db), "merge", "1", "2")
    assert code == 0, out
    assert _stories(db) == {1: [1, 2, 3, 4, 5]}
    with Store(db) as store:
        assert store.dossier(2) is None
        dossier = store.dossier(1)
        assert dossier is not None and {a.id for a in dossier.articles} == {1, 2, 3, 4, 5}
        (why,) = [e for e in store.explanations(1) if e.article == 5]
        assert "merged by a user" in why.reason
    assert _invoke("--db", str(db), "merge", "1", "2")[0] == 2  # story 2 is gone


def test_split_persists_and_blocks_automatic_merging(db: Path) -> None:
    new = corrections.split(1, [3, 4], Options(db=db))
    assert _stories(db) == {1: [1, 2], 2: [5], new: [3, 4]}
    with Store(db) as store:
        backend = StoredIndex(store)
        assert not backend.may_merge(1, new)
        assert backend.may_merge(1, 2)
        dossier = store.dossier(new)
        assert dossier is not None and {a.id for a in dossier.articles} == {3, 4}
        assert "split out of story 1" in store.explanations(new)[0].reason


def test_move_persists_and_the_story_left_is_kept_apart(db: Path) -> None:
    code, out = _invoke("--db", str(db), "move", "4", "2")
    assert code == 0, out
    assert "moved from story 1 to story 2" in out
    assert _stories(db) == {1: [1, 2, 3], 2: [4, 5]}
    with Store(db) as store:
        assert not StoredIndex(store).may_merge(1, 2)
        moved = next(e for e in store.explanations(2) if e.article == 4)
        assert "moved from story 1" in moved.reason
    # a later article of the fisheries story joins story 1 and never drags story 2 along
    wire = fisheries_story()[0]
    more = make_article(
        60,
        wire.article.paragraphs[:4],
        title="Treaty follow-up",
        published="2025-03-06",
        entities=[("Estmark", "GPE", "Estmark")],
    )
    with Store(db) as store:
        store_articles(store, [more])
        assign_stories(Options(db=db), store, SilentReporter())
    assert _stories(db) == {1: [1, 2, 3, 6], 2: [4, 5]}


def test_bad_corrections_are_usage_errors(db: Path) -> None:
    assert _invoke("--db", str(db), "merge", "1", "1")[0] == 2
    assert _invoke("--db", str(db), "merge", "1", "99")[0] == 2
    assert _invoke("--db", str(db), "split", "1", "5")[0] == 2
    assert _invoke("--db", str(db), "split", "2", "5")[0] == 2  # would empty the story
    assert _invoke("--db", str(db), "move", "99", "1")[0] == 2
    assert _invoke("--db", str(db), "move", "1", "1")[0] == 2
    assert _stories(db) == {1: [1, 2, 3, 4], 2: [5]}


def test_stored_candidates_read_only_the_latest_articles_of_a_key(tmp_path: Path) -> None:
    from storydesk.model import ArticleProfile, Assignment

    with Store(tmp_path / "idx.db") as store:
        store.conn.execute("PRAGMA foreign_keys=OFF")  # profiles stand in for articles
        index = StoredIndex(store)
        for i in range(1, 11):
            sid = store.new_story()
            store.assign(Assignment(article=i, story=None, score=0.0), sid)
            index.add(sid, ArticleProfile(i, "", ("quake", f"w{i}"), frozenset(), None))
        assert index.size() == 10
        latest = index.candidates(["quake"], None, 90, 30, 3)
        assert len(latest) == 3
        story_of = dict(store.conn.execute("SELECT article_id, story_id FROM memberships"))
        assert {sid for sid, _ in latest} == {story_of[i] for i in (8, 9, 10)}
        both = index.candidates(["quake", "w2"], None, 90, 30, 40)
        assert both[0] == (story_of[2], 2)


def test_stored_topics_link_and_follow_merges(db: Path) -> None:
    from storydesk.store.stories import link_topics, story_topics, topic_of

    with Store(db) as store:
        assert story_topics(store) == {1: 1, 2: 2}  # the fire is no kin of the treaty
        extra = store.new_story()
        link_topics(store, extra, 2)
        assert topic_of(store, extra) == 2 and topic_of(store, 2) == 2
        link_topics(store, 2, 1)
        assert story_topics(store) == {1: 1, 2: 1, extra: 1}
        assert StoredIndex(store).topic_of(extra) == 1


def test_stories_explain_says_why_a_story_joined_its_topic(db: Path) -> None:
    from storydesk.model import TopicLink

    with Store(db) as store:
        StoredIndex(store).link_topics(2, 1, TopicLink(2, 1, 0.41, 0.3, 0.58))
    code, out = _invoke("--db", str(db), "stories", "--explain")
    assert code == 0, out
    assert "topic 1: similar to story 1: 0.41 = 0.6 × words 0.30" in out
    assert "gist 0.58 ≥ 0.325" in out
    code, out = _invoke("--db", str(db), "stories", "--explain", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows[2]["topic"] == 1 and rows[2]["topic_link"]["gist"] == 0.58
    assert rows[1]["topic_link"] is None


def test_backfill_indexes_assigned_articles_with_the_stage_profile(db: Path) -> None:
    from storydesk.cluster.score import profile

    with Store(db) as store:
        keys = dict(store.conn.execute("SELECT key, df FROM key_counts"))
        store.conn.execute("DELETE FROM profile_keys WHERE article_id IN (4, 5)")
        store.conn.execute("DELETE FROM article_profiles WHERE article_id IN (4, 5)")
        store.conn.execute("DELETE FROM key_counts")
        store.conn.executemany(  # the counts as they were before articles 4 and 5 came
            "INSERT INTO key_counts (key, df) SELECT key, count(*) FROM profile_keys"
            " WHERE key = ? GROUP BY key",
            [(k,) for k in keys],
        )
        assert StoredIndex(store).size() == 3
        assert StoredIndex(store).backfill(profile) == 2
        index = StoredIndex(store)
        assert index.size() == 5
        assert dict(store.conn.execute("SELECT key, df FROM key_counts")) == keys
        (stored,) = index.members([2], 10)[2]
        (fire,) = store.analyses([5])
        assert sorted(stored.terms) == sorted(profile(fire).terms)
        assert stored.entities == profile(fire).entities
