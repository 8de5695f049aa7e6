"""Story assignment and story titles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pytest

from storydesk.cluster.assign import assign
from storydesk.cluster.index import StoryIndex
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import (
    StoryProfile,
    central_article,
    profile,
    story_profile,
    story_title,
)
from storydesk.cluster.scorer import MERGE_MARGIN, TOPIC_THRESHOLD, StoryScorer, time_factor
from storydesk.model import AnalyzedArticle, ArticleProfile, Assignment, TopicLink
from storydesk.options import ClusterSettings, Options
from storydesk.text.features import Vector, idf
from tests.conftest import SEEDS
from tests.factories import (
    UNRELATED,
    fisheries_story,
    make_article,
    seed_articles,
    unrelated_article,
)

OPTIONS = Options()


def _run(articles: Sequence[AnalyzedArticle]) -> tuple[dict[int, list[int]], list[Assignment]]:
    """Assign articles one by one; new stories are numbered 1, 2, ..."""
    stories: dict[int, list[AnalyzedArticle]] = {}
    log: list[Assignment] = []
    for a in articles:
        result = assign(a, stories, OPTIONS)
        log.append(result)
        sid = result.story if result.story is not None else len(stories) + 1
        stories.setdefault(sid, []).append(a)
    return {sid: [a.id for a in arts] for sid, arts in stories.items()}, log


def test_first_article_opens_a_story() -> None:
    result = assign(unrelated_article(), {}, OPTIONS)
    assert result == Assignment(article=9, story=None, score=0.0)


def test_same_event_joins_and_unrelated_event_opens_a_new_story() -> None:
    fire = unrelated_article()
    stories, log = _run([*fisheries_story(), fire])
    assert stories == {1: [1, 2, 3, 4], 2: [9]}
    joined = log[3]
    assert joined.story == 1 and joined.score >= OPTIONS.cluster.story_threshold
    assert "estmark" in joined.shared_entities and "lena varga" in joined.shared_entities
    assert "cod" in joined.shared_terms and len(joined.shared_terms) <= 5
    assert log[4].story is None and log[4].score < OPTIONS.cluster.story_threshold


def test_threshold_comes_from_options() -> None:
    wire, *_, independent = fisheries_story()
    assert (
        assign(
            independent, {7: [wire]}, Options(cluster=ClusterSettings(story_threshold=0.99))
        ).story
        is None
    )
    assert (
        assign(
            independent, {7: [wire]}, Options(cluster=ClusterSettings(story_threshold=0.05))
        ).story
        == 7
    )


def test_best_story_wins() -> None:
    wire, edit, *_ = fisheries_story()
    fire = unrelated_article()
    second_fire = make_article(10, UNRELATED[:2], title="Brenholt factory blaze")
    result = assign(second_fire, {1: [wire, edit], 2: [fire]}, OPTIONS)
    assert result.story == 2


def test_time_distance_lowers_the_score() -> None:
    wire = fisheries_story()[0]
    p = profile(wire)
    story = story_profile(1, [p], idf([p.terms]))
    assert time_factor(p.day, story) == 1.0
    assert time_factor(None, story) == 1.0
    assert p.day is not None
    assert time_factor(p.day + 3, story) == 1.0
    assert time_factor(p.day + 60, story) < 0.2
    late = make_article(5, fisheries_story()[3].article.paragraphs, published="2026-03-05")
    near = make_article(6, fisheries_story()[3].article.paragraphs, published="2025-03-05")
    assert assign(late, {1: [wire]}, OPTIONS).score < assign(near, {1: [wire]}, OPTIONS).score


def test_story_index_matches_assign_on_small_inputs() -> None:
    articles = [*fisheries_story(), unrelated_article()]
    expected, _ = _run(articles)
    index = StoryIndex(OPTIONS)
    stories: dict[int, list[int]] = {}
    for a in articles:
        result = index.assign(a)
        sid = result.story if result.story is not None else len(stories) + 1
        index.add(sid, a)
        stories.setdefault(sid, []).append(a.id)
    assert stories == expected


def test_story_title_is_the_most_central_usable_headline() -> None:
    wire, edit, paraphrase, independent = fisheries_story()
    assert story_title([wire, edit, paraphrase, independent]) == wire.article.title
    shouting = make_article(7, wire.article.paragraphs, title="MONITORING DESK")
    untitled = make_article(8, wire.article.paragraphs, title="")
    assert story_title([shouting, untitled, independent]) == independent.article.title
    assert story_title([untitled]) == ""
    assert story_title([]) == ""
    assert central_article([]) is None


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_seeds_form_one_story_and_others_stay_out() -> None:
    for analysed in (False, True):
        seeds = seed_articles("2025-11-06", analysed=analysed)
        fire = unrelated_article(20)
        stories, log = _run([*seeds, fire])
        assert stories == {1: [0, 1, 2, 3, 4], 2: [20]}
        assert all("kazakhstan" in a.shared_terms for a in log[1:5])
    assert story_title(seed_articles()) == seed_articles()[0].article.title


def test_story_profile_updated_in_place_matches_a_rebuild() -> None:
    from storydesk.cluster.index import MAX_MEMBERS
    from storydesk.cluster.memory import MemoryBackend

    def art(i: int) -> ArticleProfile:
        terms = ("flood", "river", f"town{i % 3}", f"word{i}", "rain", str(100 + i))
        number = frozenset({str(100 + i)})
        return ArticleProfile(i, "", terms, frozenset({f"ent{i % 4}"}), None, number)

    index = StoryIndex(OPTIONS, MemoryBackend())
    for i in range(MAX_MEMBERS + 5):  # beyond the window: the oldest members drop out
        p = art(i)
        index.assign(p)
        index.add(1, p)
        index.converge(1)
    updated = index._profiles([1], index.backend.size())[0]
    fresh = StoryIndex(OPTIONS, index.backend)._profiles([1], index.backend.size())[0]
    assert updated.entities == fresh.entities
    assert updated.details == fresh.details and updated.mentioned == fresh.mentioned
    assert "100" not in updated.details and str(100 + MAX_MEMBERS + 4) in updated.mentioned
    assert set(updated.centroid) == set(fresh.centroid)
    assert all(abs(updated.centroid[t] - fresh.centroid[t]) < 0.05 for t in fresh.centroid)


def test_story_keeps_its_rarest_terms_as_members_come_and_go() -> None:
    from storydesk.cluster.index import MAX_MEMBERS, RARE_KEYS
    from storydesk.cluster.memory import MemoryBackend

    def art(i: int) -> ArticleProfile:
        return ArticleProfile(i, "", ("flood", "river", f"word{i:03d}"), frozenset(), None)

    index = StoryIndex(OPTIONS, MemoryBackend())
    for i in range(MAX_MEMBERS + 5):
        p = art(i)
        index.assign(p)
        index.add(1, p)
        index.converge(1)
    state = index._cache[1]
    assert "word000" not in state.rare and "word000" not in state.df  # left with its member
    assert set(state.rare) <= set(state.profile.centroid)
    assert len(state.rare) >= RARE_KEYS
    assert "flood" not in state.rare  # every member carries it


def test_convergence_reads_frequencies_of_a_bounded_number_of_keys() -> None:
    from storydesk.cluster.memory import MemoryBackend

    class Counting(MemoryBackend):
        def __init__(self) -> None:
            super().__init__()
            self.read: list[int] = []

        def frequencies(self, keys: Iterable[str]) -> dict[str, int]:
            keys = list(keys)
            self.read.append(len(keys))
            return super().frequencies(keys)

    backend = Counting()
    index = StoryIndex(OPTIONS, backend)
    for i in range(40):  # a story of 40 members with 30 words of their own each
        own = tuple(f"w{i}x{j}" for j in range(30))
        p = ArticleProfile(i, "", ("flood", "river", *own), frozenset(), None)
        index.assign(p)
        index.add(1, p)
    index.converge(1)  # builds and caches the story
    backend.read.clear()
    p = ArticleProfile(99, "", ("flood", "river", "levee"), frozenset(), None)
    index.assign(p)
    index.add(1, p)
    index.converge(1)  # 41 members: not a size at which siblings are looked up again
    assert len(index._cache[1].profile.centroid) > 1200
    assert sum(backend.read) < 150


def test_candidate_lookup_reads_only_the_latest_articles_of_a_key() -> None:
    from storydesk.cluster.memory import MemoryBackend

    backend = MemoryBackend()
    for i in range(10):
        backend.add(i, ArticleProfile(i, "", ("quake",), frozenset(), None))
    found = backend.candidates(["quake"], None, 90, 30, 3)
    assert [sid for sid, _ in found] == [9, 8, 7]


def _profile(aid: int, terms: str) -> ArticleProfile:
    return ArticleProfile(aid, "", tuple(terms.split()), frozenset(), None)


def test_topics_link_similar_stories_that_stay_apart() -> None:
    index = StoryIndex(Options(cluster=ClusterSettings(story_threshold=0.6)))
    backend = index.backend
    assert isinstance(backend, MemoryBackend)
    articles = [
        _profile(1, "quake city rescue tremor alpha beta gamma"),
        _profile(2, "quake city rescue tremor delta epsilon zeta"),  # same kind, other event
        _profile(3, "budget vote parliament tax minister"),
    ]
    for p in articles:
        a = index.assign(p)
        assert a.story is None  # every article opens its own story at this threshold
        index.add(p.id, p)
        assert index.converge(p.id) is None  # and no two stories merge
    link = index.last_link
    assert link is not None and (link.story, link.nearest) == (2, 1)
    assert TOPIC_THRESHOLD <= link.score < 0.6 + MERGE_MARGIN
    assert backend.topics() == {1: 1, 2: 1, 3: 3}


def test_topic_union_find_keeps_the_lowest_story_id() -> None:
    backend = MemoryBackend()
    backend.link_topics(5, 3)
    backend.link_topics(9, 7)
    assert [backend.topic_of(s) for s in (3, 5, 7, 9, 11)] == [3, 3, 7, 7, 11]
    backend.link_topics(9, 5)
    assert {backend.topic_of(s) for s in (3, 5, 7, 9)} == {3}


def _kind_story(aid: int, event: str) -> ArticleProfile:
    """A ferry sinking: shared kind words (repeated) and 26 names of its own event."""
    kind = ["ferry", "capsize", "harbour", "passenger", "rescue", "coastguard"] * 5
    names = [f"{event}{chr(97 + i)}{chr(97 + i)}" for i in range(26)]
    return ArticleProfile(aid, "", tuple(kind + names), frozenset(), None)


def test_topic_keys_find_a_sibling_story_the_rarest_keys_miss() -> None:
    from storydesk.cluster.index import lookup_keys, topic_keys

    index = StoryIndex(Options(cluster=ClusterSettings(story_threshold=0.5)))
    backend = index.backend
    assert isinstance(backend, MemoryBackend)
    for aid, sid, event in [(1, 1, "kol"), (2, 1, "kol"), (3, 3, "vem"), (4, 3, "vem")]:
        backend.add(sid, _kind_story(aid, event))
    n = backend.size()
    (mine,) = index._profiles([3], n)
    df = backend.frequencies(mine.centroid)
    probe = ArticleProfile(3, "", tuple(mine.centroid), frozenset(), None)
    assert "ferry" not in lookup_keys(probe, df, n)  # the rarest keys are the event's names
    assert set(topic_keys(mine, df, n)[:6]) == {
        "ferry",
        "capsize",
        "harbour",
        "passenger",
        "rescue",
        "coastguard",
    }
    assert index.converge(3) is None  # the two events stay apart ...
    link = index.last_link
    assert link is not None and (link.story, link.nearest) == (3, 1)  # ... in one topic
    assert backend.topic_of(3) == 1


def test_sibling_lookup_runs_each_time_a_story_doubles() -> None:
    from storydesk.cluster.index import kin_due

    assert [m for m in range(0, 70) if kin_due(m)] == [1, 2, 4, 8, 16, 32]


@dataclass(frozen=True)
class _Constant:
    """A stand-in scorer: every score is one value (a swapped score, through the seam)."""

    value: float
    merge_margin: float = 0.0

    def scores(
        self, p: ArticleProfile, vec: Vector, stories: Sequence[StoryProfile]
    ) -> list[float]:
        return [self.value] * len(stories)

    def lowered(self, p: ArticleProfile, story: StoryProfile) -> str:
        return "constant score"

    def story_similarity(self, a: StoryProfile, b: StoryProfile) -> float:
        return self.value

    def pair_score(
        self,
        a: ArticleProfile,
        mentioned_a: frozenset[str],
        b: ArticleProfile,
        mentioned_b: frozenset[str],
        cos: float,
    ) -> float:
        return self.value

    def link_score(
        self, p: ArticleProfile, mentioned: frozenset[str], vec: Vector, story: StoryProfile
    ) -> float:
        return self.value

    def merge_score(
        self, a: StoryProfile, b: StoryProfile, similarity: float | None = None
    ) -> float:
        return self.value

    def topic_similarity(
        self, a: StoryProfile, b: StoryProfile, similarity: float | None = None
    ) -> tuple[float, float | None]:
        return self.value, None

    def topic_bar(self, gist: float | None) -> float:
        return 0.5

    def link_reason(self, link: TopicLink) -> str:
        return f"constant {link.score}"


def test_the_index_scores_only_through_its_scorer() -> None:
    options = Options(cluster=ClusterSettings(story_threshold=0.6))
    first, second = _profile(1, "quake alpha beta gamma"), _profile(2, "quake delta epsilon zeta")
    scorers: list[StoryScorer | None] = [None, _Constant(0.9), _Constant(0.55)]
    joined = []
    for scorer in scorers:
        index = StoryIndex(options, MemoryBackend(), scorer)
        index.add(1, first)
        index.converge(1)
        a = index.assign(second)
        joined.append(a.story)
        if scorer == _Constant(0.55):
            assert "(constant score)" in a.reason
            index.add(2, second)
            assert index.converge(2) is None  # 0.55 < 0.6 + a margin of 0
            link = index.last_link
            assert link is not None and link.nearest == 1 and link.reason() == "constant 0.55"
            assert index.backend.topic_of(2) == 1
    assert joined == [None, 1, None]


def test_candidate_stories_lie_within_the_window_setting() -> None:
    early = ArticleProfile(1, "", ("quake", "city"), frozenset(), 100)
    late = ArticleProfile(2, "", ("quake", "city"), frozenset(), 200)
    found = []
    for days in (90, 120):
        index = StoryIndex(Options(cluster=ClusterSettings(window_days=days)), MemoryBackend())
        index.add(1, early)
        found.append(index.assign(late).candidates)
    assert found == [0, 1]
