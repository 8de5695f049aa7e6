"""Delayed commitment over the stored index: a later run regroups the young stories."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from storydesk import api
from storydesk.cluster.index import StoryIndex
from storydesk.model import Article, ArticleProfile, RawDocument
from storydesk.options import ClusterSettings, Options
from storydesk.store import Store
from storydesk.store.profiles import StoredIndex
from tests.test_cluster_recommit import _siblings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FILES = sorted(str(p) for p in EXAMPLES.glob("*.txt"))


def _options(db: Path, recommit: int = ClusterSettings().recommit_articles) -> Options:
    cluster = ClusterSettings(recommit_articles=recommit)
    return Options(db=db, workers=1, embeddings=False, published="2026-03-13", cluster=cluster)


def _partition(db: Path) -> set[frozenset[str]]:
    """The stories as sets of file names."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT m.story_id, a.source FROM memberships m JOIN articles a ON a.id = m.article_id"
        ).fetchall()
    stories: dict[int, set[str]] = {}
    for sid, source in rows:
        stories.setdefault(int(sid), set()).add(Path(source).name)
    return {frozenset(s) for s in stories.values()}


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory) -> set[frozenset[str]]:
    db = tmp_path_factory.mktemp("one") / "one.db"
    api.run(FILES, _options(db))
    return _partition(db)


@pytest.mark.parametrize("first_half", [slice(0, None, 2), slice(1, None, 2)])
def test_two_runs_give_the_stories_of_one_run(
    tmp_path: Path, one_run: set[frozenset[str]], first_half: slice
) -> None:
    db = tmp_path / "two.db"
    first = FILES[first_half]
    api.run(first, _options(db))
    api.run([f for f in FILES if f not in first], _options(db))
    assert _partition(db) == one_run
    with Store(db) as store:
        assert store.stale() == {}  # moved stories were rebuilt in the same run


def test_young_stories_and_corrections(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    options = _options(db)
    api.run(FILES, options)
    with Store(db) as store:
        index = StoredIndex(store)
        young = index.recent(128)
        assert sum(len(ps) for ps in young.values()) == len(FILES)
        assert index.recent(3) == {}  # no story has all its members among the last three
        big = max(young, key=lambda s: len(young[s]))
        other = min(young, key=lambda s: len(young[s]))
        moved = young[other][0].id
    api.move(moved, big, options)  # a user's placing: the story is no longer movable
    with Store(db) as store:
        assert big not in StoredIndex(store).recent(128)


def test_moving_the_last_article_leaves_a_merge_behind(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    api.run(FILES, _options(db))
    with Store(db) as store:
        index = StoredIndex(store)
        young = index.recent(128)
        single = next(s for s, ps in young.items() if len(ps) == 1)
        target = next(s for s in young if s != single)
        with store.transaction():
            index.move(young[single][0].id, target)
        assert store.members_of(single) == []
        assert target in store.stale()
    assert api.merged_into(single, _options(db)) == target


def _stored_windows(
    db: Path, articles: list[ArticleProfile], size: int, recommit: int
) -> set[frozenset[int]]:
    """Cluster synthetic profiles window by window over a stored index, as small runs would."""
    options = Options(db=db, cluster=ClusterSettings(recommit_articles=recommit))
    with Store(db) as store:
        for p in sorted(articles, key=lambda p: p.id):  # ids as the door gives them
            raw = f"{p.id}".encode()
            sha = hashlib.sha256(raw).hexdigest()
            store.put_raw(RawDocument(f"a{p.id}", raw, "text/plain", sha))
            store.add_article(Article(f"a{p.id}", sha, p.title, ("body",)))
        for first in range(0, len(articles), size):
            with store.transaction():
                index = StoryIndex(options, StoredIndex(store))
                part = articles[first : first + size]
                index.plan(part)
                for p in part:
                    a = index.assign(p)
                    sid = a.story if a.story is not None else store.new_story(p.title)
                    store.assign(a, sid)
                    index.add(sid, p)
                    index.converge(sid)
        return {frozenset(store.members_of(s)) for s in set(_story_of(store).values())}


def _story_of(store: Store) -> dict[int, int]:
    rows = store.conn.execute("SELECT article_id, story_id FROM memberships").fetchall()
    return {int(a): int(s) for a, s in rows}


def test_stored_small_windows_give_one_clustering_in_every_order(tmp_path: Path) -> None:
    """The in-memory index's order test (test_cluster_recommit), over the stored index."""
    found: dict[int, set[frozenset[frozenset[int]]]] = {0: set(), 128: set()}
    for recommit in found:
        for seed in range(5):
            order = _siblings()
            random.Random(seed).shuffle(order)
            # ids follow arrival, as the store numbers articles in the order it reads them
            order = [replace(p, id=k + 1) for k, p in enumerate(order)]
            names = {k + 1: p for k, p in enumerate(order)}
            db = tmp_path / f"w{recommit}-{seed}.db"
            stories = _stored_windows(db, order, 4, recommit)
            found[recommit].add(
                frozenset(
                    frozenset(names[a].title + names[a].terms[-1] for a in s) for s in stories
                )
            )
    assert len(found[128]) == 1
    assert len(found[0]) > 1  # committed window by window, some orders merge the siblings
