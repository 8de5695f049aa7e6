"""Incremental story assignment: a new article joins the most similar story or opens one.

Scoring is split into small pieces (profiles, story profiles, one score per story, the
choice) so that a candidate index, cached profiles or story merges can be added later
without changing what a score means.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from storydesk.model import AnalyzedArticle, Assignment
from storydesk.options import Options
from storydesk.text_features import (
    Vector,
    centroid,
    content_words,
    cosine,
    day_number,
    entity_key,
    idf,
    tfidf,
)

STORY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "EVENT"})
TEXT_WEIGHT = 0.75  # share of the score from word similarity when both sides name entities
ENTITY_WEIGHT = 0.25  # share from shared entities
TIME_GRACE_DAYS = 3  # no penalty for articles this close to the story's dates
TIME_SCALE_DAYS = 30.0  # beyond the grace period the score decays with this scale
SHARED_SHOWN = 5  # entities and terms listed to explain an assignment
SMALL_INDEX = 50  # an index this small recomputes idf on every addition
IDF_REFRESH = 0.1  # larger ones when they have grown by this share since the last time


@dataclass(frozen=True)
class ArticleProfile:
    """What clustering compares for one article: its words, entities and date."""

    id: int
    title: str
    terms: tuple[str, ...]  # content words, title words counted twice
    entities: frozenset[str]
    day: int | None


@dataclass(frozen=True)
class StoryProfile:
    """An existing story summarised for comparison."""

    id: int
    centroid: Vector
    entities: frozenset[str]
    first_day: int | None
    last_day: int | None


def profile(article: AnalyzedArticle) -> ArticleProfile:
    """The clustering profile of one article."""
    title = article.article.title
    terms = content_words(title) * 2 + content_words(article.text)
    entities = frozenset(
        entity_key(e.canonical or e.text) for e in article.entities if e.label in STORY_LABELS
    )
    return ArticleProfile(
        article.id, title, tuple(terms), entities, day_number(article.article.published)
    )


def vector(p: ArticleProfile, weights: Mapping[str, float]) -> Vector:
    """The unit tf-idf vector of an article profile."""
    return tfidf(p.terms, weights)


def story_profile(
    story_id: int, members: Sequence[ArticleProfile], weights: Mapping[str, float]
) -> StoryProfile:
    """Centroid, entities and date span of a story's articles."""
    days = [p.day for p in members if p.day is not None]
    return StoryProfile(
        id=story_id,
        centroid=centroid([vector(p, weights) for p in members]),
        entities=frozenset().union(*(p.entities for p in members)),
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
    )


def text_score(vec: Vector, story: StoryProfile) -> float:
    """Cosine between the article and the story centroid."""
    return cosine(vec, story.centroid)


def entity_score(entities: frozenset[str], story: StoryProfile) -> float | None:
    """Share of the smaller entity set found in the other; None when either side has none."""
    if not entities or not story.entities:
        return None
    return len(entities & story.entities) / min(len(entities), len(story.entities))


def time_factor(day: int | None, story: StoryProfile) -> float:
    """1 near the story's dates, decaying with the gap in days; 1 when dates are unknown."""
    if day is None or story.first_day is None or story.last_day is None:
        return 1.0
    gap = max(story.first_day - day, day - story.last_day, 0)
    if gap <= TIME_GRACE_DAYS:
        return 1.0
    return math.exp(-(gap - TIME_GRACE_DAYS) / TIME_SCALE_DAYS)


def score_story(p: ArticleProfile, vec: Vector, story: StoryProfile) -> float:
    """Blended similarity of an article to a story."""
    text = text_score(vec, story)
    ents = entity_score(p.entities, story)
    blended = text if ents is None else TEXT_WEIGHT * text + ENTITY_WEIGHT * ents
    return blended * time_factor(p.day, story)


def shared_terms(vec: Vector, story: StoryProfile, limit: int = SHARED_SHOWN) -> tuple[str, ...]:
    """The terms contributing most to the article-story similarity."""
    contrib = {t: v * story.centroid[t] for t, v in vec.items() if t in story.centroid}
    return tuple(t for t, _ in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])


def choose(
    p: ArticleProfile, vec: Vector, stories: Iterable[StoryProfile], threshold: float
) -> Assignment:
    """The best story at or above the threshold, or a new story (story=None)."""
    best: StoryProfile | None = None
    best_score = 0.0
    for story in stories:
        score = score_story(p, vec, story)
        if score > best_score or (score == best_score and best is not None and story.id < best.id):
            best, best_score = story, score
    if best is None:
        return Assignment(article=p.id, story=None, score=0.0)
    explained = Assignment(
        article=p.id,
        story=best.id if best_score >= threshold else None,
        score=round(best_score, 4),
        shared_entities=tuple(sorted(p.entities & best.entities))[:SHARED_SHOWN],
        shared_terms=shared_terms(vec, best),
    )
    return explained


def assign(
    article: AnalyzedArticle,
    stories: Mapping[int, Sequence[AnalyzedArticle]],
    options: Options,
) -> Assignment:
    """Assign an article to the most similar existing story, or open a new one."""
    mine = profile(article)
    members = {sid: [profile(a) for a in arts] for sid, arts in stories.items() if arts}
    weights = idf([mine.terms, *(p.terms for ps in members.values() for p in ps)])
    story_profiles = [story_profile(sid, ps, weights) for sid, ps in sorted(members.items())]
    return choose(mine, vector(mine, weights), story_profiles, options.story_threshold)


class StoryIndex:
    """Stories kept between assignments, so a run of articles is not re-profiled each time."""

    # Same scoring as ``assign``; idf comes from the articles added so far and is
    # recomputed (with every story profile) whenever the index has grown by IDF_REFRESH.

    def __init__(self, options: Options) -> None:
        self.options = options
        self._members: dict[int, list[ArticleProfile]] = {}
        self._stories: dict[int, StoryProfile] = {}
        self._df: Counter[str] = Counter()
        self._n = 0
        self._weights: dict[str, float] = {}
        self._weights_n = 0

    def add(self, story_id: int, article: AnalyzedArticle | ArticleProfile) -> None:
        """Record an article as a member of a story."""
        p = article if isinstance(article, ArticleProfile) else profile(article)
        self._members.setdefault(story_id, []).append(p)
        self._df.update(set(p.terms))
        self._n += 1
        if self._n <= SMALL_INDEX or self._n > self._weights_n * (1 + IDF_REFRESH):
            self._refresh()
        else:
            self._stories[story_id] = story_profile(
                story_id, self._members[story_id], self._weights
            )

    def assign(self, article: AnalyzedArticle | ArticleProfile) -> Assignment:
        """Assign an article to the most similar story in the index (it is not added)."""
        p = article if isinstance(article, ArticleProfile) else profile(article)
        stories = [self._stories[sid] for sid in sorted(self._stories)]
        return choose(p, vector(p, self._weights), stories, self.options.story_threshold)

    def _refresh(self) -> None:
        """Recompute idf from the document frequencies, and every story profile with it."""
        n = self._n
        self._weights = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in self._df.items()}
        self._weights_n = n
        self._stories = {
            sid: story_profile(sid, ps, self._weights) for sid, ps in self._members.items()
        }


def centrality(articles: Sequence[AnalyzedArticle]) -> list[float]:
    """Mean tf-idf cosine of each article to the others (idf over these articles)."""
    if len(articles) < 2:
        return [1.0] * len(articles)
    profiles = [profile(a) for a in articles]
    weights = idf(p.terms for p in profiles)
    vectors = [vector(p, weights) for p in profiles]
    return [
        sum(cosine(v, w) for j, w in enumerate(vectors) if j != i) / (len(vectors) - 1)
        for i, v in enumerate(vectors)
    ]


def central_article(articles: Sequence[AnalyzedArticle]) -> AnalyzedArticle | None:
    """The most central article, preferring ones with a usable (titled, not all-caps) title."""
    if not articles:
        return None
    scores = centrality(articles)

    def rank(i: int) -> tuple[bool, bool, float, int]:
        title = articles[i].article.title.strip()
        return bool(title), not title.isupper(), scores[i], -articles[i].id

    return articles[max(range(len(articles)), key=rank)]


def story_title(articles: Sequence[AnalyzedArticle]) -> str:
    """Headline of the most central article (highest mean similarity to the others)."""
    lead = central_article(articles)
    return lead.article.title.strip() if lead is not None else ""
