"""The second look (a chunk grouped by average linkage before it is placed) and dates."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import numpy as np

from storydesk.cluster.index import StoryIndex
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.plan import entity_vector
from storydesk.cluster.score import mentions, story_profile
from storydesk.cluster.scorer import WeightedScorer, conflicting
from storydesk.cluster.window import average_linkage, cosines, pair_scores
from storydesk.model import ArticleProfile
from storydesk.options import ClusterSettings, Options


def _event(first: int, n: int, words: tuple[str, ...], day: int | None) -> list[ArticleProfile]:
    """n reports of one event: the event's words, plus words of each report's own."""
    out = []
    for k in range(n):
        own = tuple(f"own{first + k}x{j}" for j in range(4))
        terms = words[:3] + words + own
        out.append(ArticleProfile(first + k, " ".join(words[:3]), terms, frozenset(), day))
    return out


def _events() -> list[ArticleProfile]:
    """Three events of four reports each: two of one kind (sharing a quarter of their words)."""
    quake = tuple(f"quake{j}" for j in range(3))
    a = _event(1, 4, tuple(f"pla{j}" for j in range(9)) + quake, None)
    b = _event(5, 4, tuple(f"plb{j}" for j in range(9)) + quake, None)
    c = _event(9, 4, tuple(f"vote{j}" for j in range(12)), None)
    return a + b + c


def _feed(articles: list[ArticleProfile], options: Options) -> dict[int, int]:
    """Cluster one chunk as the pipeline does (plan, then assign, add, converge each)."""
    backend = MemoryBackend()
    index = StoryIndex(options, backend)
    index.plan(articles)
    opened = 0
    for p in articles:
        a = index.assign(p)
        if a.story is None:
            opened += 1
        sid = a.story if a.story is not None else opened + 1000
        index.add(sid, p)
        index.converge(sid)
    return backend.story_of()


def _partition(story_of: dict[int, int]) -> set[frozenset[int]]:
    """The stories as sets of article ids (story numbers do not matter)."""
    groups: dict[int, set[int]] = {}
    for aid, sid in story_of.items():
        groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def test_average_linkage_merges_closest_first_down_to_the_bar() -> None:
    sim = np.array(
        [
            [1.0, 0.9, 0.1, 0.0],
            [0.9, 1.0, 0.5, 0.0],
            [0.1, 0.5, 1.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )
    # {0,1} first (0.9); then {0,1} with 2 averages (0.1 + 0.5) / 2 = 0.3
    assert average_linkage(sim, 0.35) == [[0, 1], [2], [3]]
    assert average_linkage(sim, 0.3) == [[0, 1, 2], [3]]
    assert average_linkage(sim, 0.95) == [[0], [1], [2], [3]]


def test_average_linkage_does_not_depend_on_the_order_of_its_items() -> None:
    rng = random.Random(3)
    n = 9
    sim = np.zeros((n, n))
    for i, j in itertools.combinations(range(n), 2):
        sim[i, j] = sim[j, i] = rng.random()
    expected = {frozenset(g) for g in average_linkage(sim, 0.5)}
    for _ in range(5):
        perm = list(range(n))
        rng.shuffle(perm)
        shuffled = sim[np.ix_(perm, perm)]
        got = {frozenset(perm[i] for i in g) for g in average_linkage(shuffled, 0.5)}
        assert got == expected


def test_pair_scores_skip_pairs_without_common_words() -> None:
    vectors = [{"a": 1.0}, {"a": 0.6, "b": 0.8}, {"c": 1.0}]
    assert np.allclose(cosines(vectors)[0, 1], 0.6)
    assert cosines(vectors)[0, 2] == 0.0
    calls: list[tuple[int, int]] = []

    def score(i: int, j: int, cos: float) -> float:
        calls.append((i, j))
        assert abs(cos - 0.6) < 1e-6
        return 0.5

    out = pair_scores(vectors, score)
    assert calls == [(0, 1)]
    assert out[0, 1] == out[1, 0] == 0.5
    assert out[0, 2] == 0.0


def test_pair_scores_blend_subspaces_where_both_articles_have_them() -> None:
    words = [{"a": 1.0}, {"a": 0.6, "b": 0.8}, {"a": 1.0}]
    names = [{"@x": 1.0}, {"@x": 1.0}, {}]  # the third names no entity
    got: dict[tuple[int, int], float] = {}

    def score(i: int, j: int, cos: float) -> float:
        got[i, j] = cos
        return cos

    pair_scores(words, score, spaces=[(0.25, names)])
    assert abs(got[0, 1] - (0.75 * 0.6 + 0.25 * 1.0)) < 1e-6  # words and entities blended
    assert abs(got[0, 2] - 1.0) < 1e-6  # no entities on one side: words alone


def test_entities_most_articles_name_do_not_group_a_window() -> None:
    p = ArticleProfile(1, "t", ("a",), frozenset({"trump", "comey"}), None)
    vec = entity_vector(p, {"@trump": 1.0, "@comey": 3.0}, {"@comey"})
    assert set(vec) == {"@comey"}
    assert entity_vector(p, {}, set()) == {}


def test_a_chunk_gives_the_same_stories_in_every_order() -> None:
    articles = _events()
    options = Options(cluster=ClusterSettings(window_bar=0.25))
    expected = _partition(_feed(articles, options))
    assert expected == {frozenset(range(1, 5)), frozenset(range(5, 9)), frozenset(range(9, 13))}
    for seed in range(5):
        order = list(articles)
        random.Random(seed).shuffle(order)
        assert _partition(_feed(order, options)) == expected


def test_a_grouped_article_says_it_went_with_its_group() -> None:
    articles = _events()
    backend = MemoryBackend()
    index = StoryIndex(Options(cluster=ClusterSettings(window_bar=0.25)), backend)
    index.plan(articles)
    first = index.assign(articles[0])
    assert first.story is None and "group" in first.reason
    index.add(7, articles[0])
    second = index.assign(articles[1])
    assert second.story == 7
    assert "group" in second.reason


def test_window_bar_zero_feeds_one_by_one() -> None:
    articles = _events()
    index = StoryIndex(Options(cluster=ClusterSettings(window_bar=0.0)), MemoryBackend())
    index.plan(articles)
    assert "group" not in index.assign(articles[0]).reason


def test_one_person_named_two_ways_is_no_conflict() -> None:
    weiner = ArticleProfile(1, "", ("weiner",), frozenset({"anthony d weiner"}), None)
    also = ArticleProfile(2, "", ("weiner",), frozenset({"anthony weiner"}), None)
    other = ArticleProfile(3, "", ("spitzer",), frozenset({"eliot spitzer"}), None)
    mine, theirs, others = mentions(weiner), mentions(also), mentions(other)
    assert "@weiner" in mine and "@anthony d weiner" in mine
    assert not conflicting(
        frozenset({"@anthony d weiner"}), mine, frozenset({"@anthony weiner"}), theirs
    )
    assert conflicting(
        frozenset({"@anthony d weiner"}), mine, frozenset({"@eliot spitzer"}), others
    )


def test_pair_score_is_lowered_by_days_apart_beyond_a_week() -> None:
    scorer = WeightedScorer()
    a = ArticleProfile(1, "", ("x", "20"), frozenset(), 100, frozenset({"20"}))
    near = ArticleProfile(2, "", ("x", "20"), frozenset(), 106, frozenset({"20"}))
    far = replace(near, day=300)
    said = mentions
    assert scorer.pair_score(a, said(a), near, said(near), 0.5) == 0.5
    assert scorer.pair_score(a, said(a), far, said(far), 0.5) < 0.5 * 0.1
    undated = replace(near, day=None)
    assert scorer.pair_score(a, said(a), undated, said(undated), 0.5) == 0.5


def test_link_score_is_the_mean_cosine_to_the_members() -> None:
    scorer = WeightedScorer()
    members = [{"a": 1.0}, {"b": 1.0}]
    story = story_profile(
        7,
        [
            ArticleProfile(1, "", ("a",), frozenset(), None),
            ArticleProfile(2, "", ("b",), frozenset(), None),
        ],
        {"a": 1.0, "b": 1.0},
    )
    p = ArticleProfile(3, "", ("a",), frozenset(), None)
    # cosine 1 to one member and 0 to the other
    assert abs(scorer.link_score(p, mentions(p), members[0], story) - 0.5) < 1e-9
    later = replace(p, day=500)
    dated = replace(story, first_day=100, last_day=101)
    assert scorer.link_score(later, mentions(later), members[0], dated) < 0.5 * 0.01


def test_a_plan_goes_on_across_chunks_through_another_index() -> None:
    articles = _events()
    order = list(articles)
    random.Random(1).shuffle(order)
    options = Options(cluster=ClusterSettings(window_bar=0.25))
    backend = MemoryBackend()
    plan = StoryIndex(options, backend).plan(order)
    opened = 0
    for start in (0, 5):  # two chunks, each through its own index, as the pipeline does
        index = StoryIndex(options, backend)
        index.adopt(plan)
        for p in order[start : start + 5] if start == 0 else order[start:]:
            a = index.assign(p)
            if a.story is None:
                opened += 1
            sid = a.story if a.story is not None else opened + 1000
            index.add(sid, p)
            index.converge(sid)
    assert _partition(backend.story_of()) == _partition(_feed(articles, options))
