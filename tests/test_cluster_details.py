"""Specific numbers (scores, tolls, ages, years) as evidence for and against joining a story."""

from __future__ import annotations

from storydesk.cluster.assign import choose
from storydesk.cluster.index import StoryIndex
from storydesk.cluster.memory import MemoryBackend
from storydesk.cluster.score import (
    DETAIL_LEAD,
    lead_numbers,
    main_actor,
    profile,
    story_profile,
    vector,
)
from storydesk.cluster.scorer import CONFLICT_FACTOR, merge_score, story_similarity
from storydesk.model import ArticleProfile
from storydesk.options import ClusterSettings, Options
from storydesk.store.profiles import from_json, to_json
from storydesk.text.features import content_words, idf
from tests.factories import make_article

CHIEFS = "Colts beat Chiefs 20-13 to clinch a playoff berth"
JAGUARS = "Colts beat Jaguars 31-24 to clinch a playoff berth"
BODY = "Indianapolis won on the road with a late touchdown drive and a field goal."


def _article(aid: int, title: str, body: str = BODY) -> ArticleProfile:
    terms = content_words(title) * 2 + content_words(body)
    return ArticleProfile(aid, title, tuple(terms), frozenset(), None, lead_numbers(title, body))


def test_lead_numbers_are_the_title_and_lead_numbers_of_ten_and_more() -> None:
    late = " ".join(f"word{i}" for i in range(DETAIL_LEAD)) + " 1999"
    assert lead_numbers(CHIEFS, f"Five players scored 17 points. {late}") == {"20", "13", "17"}
    assert lead_numbers("Quake hits island", "3 people were hurt") == frozenset()


def _plain(p: ArticleProfile) -> ArticleProfile:
    """The profile without its details (as stored before details existed)."""
    return ArticleProfile(p.id, p.title, p.terms, p.entities, p.day)


def _scores(first: ArticleProfile, second: ArticleProfile) -> tuple[float, float]:
    """The second article's score against a story of the first, with and without details."""
    weights = idf([first.terms, second.terms])
    vec = vector(second, weights)
    story = story_profile(1, [first], weights)
    plain_story = story_profile(1, [_plain(first)], weights)
    with_details = choose(second, vec, [story], 0.0).score
    without = choose(_plain(second), vec, [plain_story], 0.0).score
    return with_details, without


def test_conflicting_numbers_lower_the_score_and_shared_ones_do_not() -> None:
    chiefs = _article(1, CHIEFS)
    conflicted, plain = _scores(chiefs, _article(2, JAGUARS))
    assert abs(conflicted - plain * CONFLICT_FACTOR) < 1e-3
    agreed, plain = _scores(chiefs, _article(3, "Colts top Chiefs 20-13 in Kansas City"))
    assert abs(agreed - plain) < 1e-3
    # a number of the story's lead mentioned anywhere in the article is no conflict
    late = " ".join(f"word{i}" for i in range(DETAIL_LEAD)) + " The Chiefs lost 20-13 in 2012."
    later, plain = _scores(chiefs, _article(4, JAGUARS, BODY + late))
    assert abs(later - plain) < 1e-3


def test_an_article_with_conflicting_numbers_opens_a_story_and_says_why() -> None:
    chiefs, jaguars = _article(1, CHIEFS), _article(2, JAGUARS)
    conflicted, plain = _scores(chiefs, jaguars)
    assert conflicted < plain
    threshold = plain * (1 + CONFLICT_FACTOR) / 2  # joins on words alone, not with the conflict
    index = StoryIndex(Options(cluster=ClusterSettings(story_threshold=threshold)), MemoryBackend())
    index.add(1, chiefs)
    result = index.assign(jaguars)
    assert result.story is None
    assert "specifics 24, 31 differ from the story's 13, 20" in result.reason
    assert index.assign(_plain(jaguars)).story == 1  # no details of its own: no conflict


def test_conflicting_stories_do_not_merge_but_stay_one_topic() -> None:
    chiefs = [_article(1, CHIEFS), _article(2, "Colts top Chiefs 20-13")]
    jaguars = [_article(3, JAGUARS), _article(4, "Colts top Jaguars 31-24")]
    weights = idf(p.terms for p in chiefs + jaguars)
    a, b = story_profile(1, chiefs, weights), story_profile(2, jaguars, weights)
    assert merge_score(a, b) == story_similarity(a, b) * CONFLICT_FACTOR


def test_stored_profiles_keep_details_and_old_ones_read_without() -> None:
    p = _article(7, CHIEFS)
    back = from_json(7, to_json(p))
    assert back.details == p.details == {"20", "13"} and sorted(back.terms) == sorted(p.terms)
    old = '{"t":"x","c":{"quake":2},"e":[],"d":null}'
    assert from_json(8, old).details == frozenset()


def test_main_actor_is_the_most_named_person_or_organisation() -> None:
    felt = make_article(
        1,
        ["Mark Felt died. Mark Felt was the FBI man Richard Nixon feared. Watergate ended."],
        title="Watergate figure dies",
        entities=[("Mark Felt", "PERSON", "Mark Felt"), ("Richard Nixon", "PERSON", "Nixon")],
    )
    larue = make_article(
        2,
        ["Fred LaRue died. Fred LaRue was the aide Richard Nixon trusted. Watergate ended."],
        title="Watergate figure dies",
        entities=[("Fred LaRue", "PERSON", "Fred LaRue"), ("Richard Nixon", "PERSON", "Nixon")],
    )
    once = make_article(3, ["Mark Felt and the FBI."], entities=[("FBI", "ORG", "FBI")])
    place = make_article(4, ["Paris, Paris."], entities=[("Paris", "GPE", "Paris")])
    assert main_actor(felt) == {"@mark felt"} and main_actor(larue) == {"@fred larue"}
    assert main_actor(once) == frozenset() and main_actor(place) == frozenset()
    a, b = profile(felt), profile(larue)
    weights = idf([a.terms, b.terms])
    story = story_profile(1, [a], weights)
    assert "@nixon" in story.mentioned and "@mark felt" in story.details
    conflicted = choose(b, vector(b, weights), [story], 0.0).score
    plain = choose(_plain(b), vector(b, weights), [story_profile(1, [_plain(a)], weights)], 0.0)
    assert abs(conflicted - plain.score * CONFLICT_FACTOR) < 1e-3
