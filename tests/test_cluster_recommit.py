"""Delayed commitment: young stories grouped again with each new window, their articles movable."""

from __future__ import annotations

import random

from storydesk.cluster.index import StoryIndex
from storydesk.cluster.memory import MemoryBackend
from storydesk.model import ArticleProfile
from storydesk.options import ClusterSettings, Options
from tests.test_cluster_time import _event, _partition


def _siblings() -> list[ArticleProfile]:
    """Two events of one kind (half their words shared, near the grouping bar) and a third."""
    quake = tuple(f"quake{j}" for j in range(6))
    a = _event(1, 5, tuple(f"pla{j}" for j in range(6)) + quake, None)
    b = _event(6, 5, tuple(f"plb{j}" for j in range(6)) + quake, None)
    c = _event(11, 4, tuple(f"vote{j}" for j in range(12)), None)
    return a + b + c


EXPECTED = {frozenset(range(1, 6)), frozenset(range(6, 11)), frozenset(range(11, 15))}


def _feed(
    articles: list[ArticleProfile], options: Options, size: int, after: list[dict[int, int]]
) -> dict[int, int]:
    """Cluster in windows of ``size`` (``after``: the stories after each window)."""
    windows = [articles[first : first + size] for first in range(0, len(articles), size)]
    return _windows(windows, options, after)


def _windows(
    windows: list[list[ArticleProfile]], options: Options, after: list[dict[int, int]]
) -> dict[int, int]:
    """Cluster window by window, each planned by a fresh index (as small runs would)."""
    backend = MemoryBackend()
    opened = 0
    for part in windows:
        index = StoryIndex(options, backend)
        index.plan(part)
        for p in part:
            a = index.assign(p)
            if a.story is None:
                opened += 1
            sid = a.story if a.story is not None else opened + 1000
            index.add(sid, p)
            index.converge(sid)
        after.append(backend.story_of())
    return backend.story_of()


def _orders(recommit: int) -> set[frozenset[frozenset[int]]]:
    """The partitions five shuffled orders give in windows of four."""
    options = Options(cluster=ClusterSettings(recommit_articles=recommit))
    out = set()
    for seed in range(5):
        order = _siblings()
        random.Random(seed).shuffle(order)
        out.add(frozenset(_partition(_feed(order, options, 4, []))))
    return out


def test_small_windows_give_the_stories_of_one_window_in_every_order() -> None:
    one = _partition(_feed(_siblings(), Options(), 100, []))
    assert one == EXPECTED
    assert _orders(ClusterSettings().recommit_articles) == {frozenset(EXPECTED)}
    # committed window by window, some orders merge the two sibling events
    assert len(_orders(0)) > 1


def _words(aid: int, words: list[str]) -> ArticleProfile:
    """An undated article of these words."""
    return ArticleProfile(aid, "", tuple(words), frozenset(), None)


def test_a_young_story_is_split_when_the_next_window_regroups_it() -> None:
    common = [f"common{j}" for j in range(4)]  # words both events' coverage carries
    xw, yw = [f"x{j}" for j in range(8)], [f"y{j}" for j in range(8)]
    # alone, the first two reports share half their words: one story
    first = [_words(1, xw[:4] + common), _words(2, yw[:4] + common)]
    xs = [_words(10 + k, [*xw, *common, f"ox{k}"]) for k in range(4)]
    ys = [_words(20 + k, [*yw, *common, f"oy{k}"]) for k in range(4)]
    after: list[dict[int, int]] = []
    final = _windows([first, xs + ys], Options(), after)
    assert _partition(after[0]) == {frozenset({1, 2})}
    assert _partition(final) == {frozenset({1, 10, 11, 12, 13}), frozenset({2, 20, 21, 22, 23})}
    # committed window by window, the second report stays with the first
    off = Options(cluster=ClusterSettings(recommit_articles=0))
    assert frozenset({2, 20, 21, 22, 23}) not in _partition(_windows([first, xs + ys], off, []))


def test_recent_gives_the_stories_whose_members_are_all_recent() -> None:
    backend = MemoryBackend()
    for aid, sid in [(1, 10), (2, 20), (3, 10), (4, 30), (5, 30)]:
        backend.add(sid, ArticleProfile(aid, "", ("w",), frozenset(), None))
    assert sorted(backend.recent(3)) == [30]  # 10 holds article 1, older than the last 3
    assert sorted(backend.recent(4)) == [20, 30]
    assert [p.id for p in backend.recent(5)[10]] == [1, 3]
    assert backend.recent(0) == {}


def test_move_takes_one_article_into_another_story() -> None:
    backend = MemoryBackend()
    for aid, sid in [(1, 10), (2, 20), (3, 10)]:
        backend.add(sid, ArticleProfile(aid, "", ("w",), frozenset(), None))
    backend.move(3, 20)
    assert backend.story_of() == {1: 10, 2: 20, 3: 20}
    assert [p.id for p in backend.members([20], 10)[20]] == [2, 3]
    backend.move(1, 20)  # story 10 left empty: gone
    assert backend.members([10], 10)[10] == []
    assert 10 not in backend.recent(3)


def test_no_recommit_without_a_backend_that_moves() -> None:
    class Fixed(MemoryBackend):
        """A backend whose stories cannot be regrouped (as a stored index without ``move``)."""

        recent = None  # type: ignore[assignment]

    order = _siblings()
    random.Random(1).shuffle(order)
    options = Options()
    backend = Fixed()
    index = StoryIndex(options, backend)
    index.plan(order[:4])
    for p in order[:4]:
        a = index.assign(p)
        index.add(a.story if a.story is not None else 1000 + p.id, p)
    plan = StoryIndex(options, backend).plan(order[4:8])
    assert not plan.held and not plan.moved
