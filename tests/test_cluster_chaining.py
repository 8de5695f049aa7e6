"""No chaining: a story does not absorb a topic through a chain of pairwise-similar articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from storydesk.cluster.index import MAX_MEMBERS, StoryIndex, key_cap
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import StoryProfile, cohesion, story_profile
from storydesk.cluster.scorer import LINK_FLOOR, WeightedScorer
from storydesk.model import ArticleProfile
from storydesk.options import ClusterSettings, Options
from storydesk.text.features import idf

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

OPTIONS = Options()
CORE_MEMBERS = OPTIONS.cluster.core_members
CANDIDATES = frozenset({"donald trump", "hillary clinton"})  # named by every article of a topic


def _words(start: int, width: int) -> tuple[str, ...]:
    """A window of a long vocabulary: neighbouring windows share most of their words."""
    return tuple(f"w{k:04d}" for k in range(start, start + width))


def _chain(
    n: int,
    step: int = 2,
    width: int = 12,
    entities: frozenset[str] = frozenset(),
    days: Sequence[int | None] | None = None,
) -> list[ArticleProfile]:
    """Articles A, B, C ... each sharing most words with the next, the vocabulary drifting."""
    out = []
    for i in range(n):
        words = _words(i * step, width)
        day = days[i] if days is not None else None
        out.append(ArticleProfile(i + 1, " ".join(words[:3]), words[:3] + words, entities, day))
    return out


def _feed(articles: Sequence[ArticleProfile], options: Options = OPTIONS) -> dict[int, int]:
    """Cluster articles one by one as the pipeline does (assign, add, converge): story per id."""
    backend = MemoryBackend()
    index = StoryIndex(options, backend)
    opened = 0
    for p in articles:
        a = index.assign(p)
        if a.story is None:
            opened += 1
        sid = a.story if a.story is not None else opened
        index.add(sid, p)
        index.converge(sid)
    return backend.story_of()


def _largest(stories: dict[int, int]) -> int:
    """Size of the largest story."""
    return max(Counter(stories.values()).values())


def test_neighbours_in_a_drifting_chain_are_similar_and_its_ends_are_not() -> None:
    chain = _chain(40)
    weights = idf(p.terms for p in chain)
    one, two, far = (story_profile(i, [chain[i]], weights) for i in (0, 1, 20))
    scorer = WeightedScorer()
    assert scorer.story_similarity(one, two) > 0.6
    assert scorer.story_similarity(one, far) == 0.0


def test_an_undated_drifting_chain_does_not_end_in_one_story() -> None:
    stories = _feed(_chain(60, step=1, width=30))
    assert _largest(stories) <= 30  # was: all 60 in one story
    assert len(set(stories.values())) >= 3


def test_a_dated_drifting_chain_a_day_apart_does_not_end_in_one_story() -> None:
    stories = _feed(_chain(60, step=1, width=30, days=[700_000 + i for i in range(60)]))
    assert _largest(stories) <= 30  # was: all 60 in one story


def test_a_chain_naming_the_same_people_throughout_does_not_end_in_one_story() -> None:
    # a topic's coverage: every article names both candidates; their words drift
    stories = _feed(_chain(120, step=3, entities=CANDIDATES))
    assert _largest(stories) <= 2 * CORE_MEMBERS  # was: all 120 in one story


def test_a_dated_chain_whose_dates_lie_far_apart_does_not_end_in_one_story() -> None:
    days = [700_000 + 40 * i for i in range(20)]  # 40 days between neighbours
    stories = _feed(_chain(20, step=1, width=20, days=days))
    assert len(set(stories.values())) == 20  # each month's article opens its own story
    close = _feed(_chain(20, step=1, width=20, days=[700_000 + i // 4 for i in range(20)]))
    assert _largest(close) > CORE_MEMBERS  # the same articles days apart: one story grows


def test_one_event_reported_many_times_stays_one_story_beyond_its_core() -> None:
    shared = _words(0, 14)
    reports = [
        ArticleProfile(i + 1, "", shared + _words(1000 + 3 * i, 3), CANDIDATES, None)
        for i in range(4 * CORE_MEMBERS)
    ]
    stories = _feed(reports)
    assert len(set(stories.values())) == 1


def test_the_core_is_the_first_members_and_stays_when_they_leave_the_profile() -> None:
    chain = _chain(MAX_MEMBERS + 10, step=1, width=30)
    index = StoryIndex(OPTIONS, MemoryBackend())
    for p in chain:  # forced into one story, as a user's merge would
        index.assign(p)
        index.add(1, p)
    updated = index._profiles([1], index.backend.size())[0]
    fresh = StoryIndex(OPTIONS, index.backend)._profiles([1], index.backend.size())[0]
    assert updated.core is not None and fresh.core is not None
    first = {t for p in chain[:CORE_MEMBERS] for t in p.terms}
    assert set(updated.core) == set(fresh.core) == first
    assert "w0000" not in updated.centroid  # the first article left the latest members
    assert all(abs(updated.core[t] - fresh.core[t]) < 0.05 for t in first)


def test_a_story_within_its_core_has_no_separate_core() -> None:
    chain = _chain(CORE_MEMBERS + 1, step=1, width=30)
    weights = idf(p.terms for p in chain)
    assert story_profile(1, chain[:CORE_MEMBERS], weights).core is None
    assert story_profile(1, chain, weights).core is not None


def test_an_article_far_from_the_core_scores_low_however_close_to_the_latest() -> None:
    scorer = WeightedScorer()
    story = StoryProfile(1, {"late": 1.0}, frozenset(), None, None, core={"early": 1.0})
    article = ArticleProfile(9, "", ("late",), frozenset(), None)
    assert scorer.scores(article, {"late": 1.0}, [story]) == [0.0]
    plain = StoryProfile(1, {"late": 1.0}, frozenset(), None, None)
    assert scorer.scores(article, {"late": 1.0}, [plain]) == [1.0]


def test_stories_whose_latest_members_met_do_not_merge_when_their_cores_differ() -> None:
    scorer = WeightedScorer()
    a = StoryProfile(1, {"met": 1.0}, frozenset(), None, None, core={"alpha": 1.0})
    b = StoryProfile(2, {"met": 1.0}, frozenset(), None, None, core={"beta": 1.0})
    assert scorer.story_similarity(a, b) == 1.0
    assert scorer.merge_score(a, b) == 0.0
    same_core = StoryProfile(2, {"met": 1.0}, frozenset(), None, None, core={"alpha": 1.0})
    assert scorer.merge_score(a, same_core) == 1.0


def test_cohesion_is_one_for_agreeing_members_and_falls_as_they_differ() -> None:
    assert cohesion([{"a": 1.0}]) == 1.0
    assert cohesion([{"a": 1.0}, {"a": 1.0}]) == 1.0
    assert abs(cohesion([{"a": 1.0}, {"b": 1.0}]) - 0.5**0.5) < 1e-9
    assert cohesion([]) == 1.0


def test_an_article_far_from_a_loose_story_s_members_on_average_scores_lower() -> None:
    scorer = WeightedScorer()
    article = ArticleProfile(9, "", ("a",), frozenset(), None)
    vec = {"a": 0.5, "x": 0.75**0.5}
    tight = StoryProfile(1, {"a": 1.0}, frozenset(), None, None)
    loose = StoryProfile(2, {"a": 1.0}, frozenset(), None, None, cohesion=0.2)
    (near,) = scorer.scores(article, vec, [tight])
    (far,) = scorer.scores(article, vec, [loose])
    assert near == 0.5  # mean cosine to the members 0.5 ≥ the floor
    assert abs(far - 0.5 * (0.5 * 0.2) / LINK_FLOOR) < 1e-9  # mean cosine 0.1: scaled down


def test_entities_most_articles_name_do_not_count_as_a_story_s_entities() -> None:
    index = StoryIndex(OPTIONS, MemoryBackend())
    n = key_cap(0) + 10
    for i in range(n):  # every article names both candidates; one names a rarer person
        names = CANDIDATES | ({"jeb bush"} if i == 0 else set())
        p = ArticleProfile(i + 1, "", (f"u{i}", "vote"), frozenset(names), None)
        index.add(1 if i < 2 else i, p)
    (story,) = StoryIndex(OPTIONS, index.backend)._profiles([1], n)
    assert story.entities == {"jeb bush"}
    assert story.mentioned >= {"@donald trump", "@hillary clinton"}  # still details' evidence


def test_the_core_size_is_a_setting() -> None:
    chain = _chain(60)
    loose = Options(cluster=ClusterSettings(core_members=0))  # no core: the chain drifts on
    assert _largest(_feed(chain, loose)) > _largest(_feed(chain))


def test_the_stored_index_gives_a_story_core_from_its_first_members(tmp_path: Path) -> None:
    from storydesk import api
    from storydesk.cluster.index import CoreBackend
    from storydesk.store import Store
    from storydesk.store.profiles import StoredIndex

    db = tmp_path / "core.db"
    api.run([str(EXAMPLES)], Options(db=db, published="2026-03-13", workers=1))
    with Store(db) as store:
        backend = StoredIndex(store)
        assert isinstance(backend, CoreBackend)
        members = store.story_members()
        big = max(members, key=lambda sid: len(members[sid]))
        assert len(members[big]) >= 3
        first = backend.first_members([big], 2)[big]
        latest = backend.members([big], 2)[big]
        assert [p.id for p in first] == sorted(members[big])[:2]
        assert [p.id for p in latest] == sorted(members[big])[-2:]
