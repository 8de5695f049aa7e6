"""Incremental story assignment: a new article joins the most similar story or opens one.

Scoring is split into small pieces (profiles, story profiles, one score per story, the
choice); ``storydesk.cluster.index`` finds the candidate stories, caches their profiles and
merges stories that converge, without changing what a score means.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from storydesk.cluster.gist import GIST_WEIGHT, gist_cosine
from storydesk.model import AnalyzedArticle, Assignment
from storydesk.options import Options
from storydesk.text.features import (
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
DETAIL_LEAD = 40  # content words of the body (after the title) read for an article's numbers
DETAIL_CHARS = 800  # characters of the body those words are taken from
DETAIL_MIN = 10  # smaller numbers (counts, ranks) are too common to tell two events apart
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
CLOCK_AND_DAY = re.compile(  # times of day and days of the month: a dateline, not the event
    rf"\b\d{{1,2}}\s?[:.]\s?\d{{2}}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}",
    re.IGNORECASE,
)
MAIN_LABELS = frozenset({"PERSON", "ORG"})  # kinds of entity that can be an article's main actor
MAIN_MENTIONS = 2  # an entity named once is no main actor
DETAIL_ENTITY = "@"  # entity details are kept apart from numbers
CONFLICT_FACTOR = 0.5  # score multiplier when an article's details conflict with a story's


@dataclass(frozen=True)
class ArticleProfile:
    """What clustering compares for one article: its words, entities, date and details."""

    id: int
    title: str
    terms: tuple[str, ...]  # content words, title words counted twice
    entities: frozenset[str]
    day: int | None
    details: frozenset[str] = frozenset()  # title and lead numbers, "@" + main actor
    gist: bytes = b""  # embedding of headline and lead (storydesk.cluster.gist); empty when off


@dataclass(frozen=True)
class StoryProfile:
    """An existing story summarised for comparison."""

    id: int
    centroid: Vector
    entities: frozenset[str]
    first_day: int | None
    last_day: int | None
    details: frozenset[str] = frozenset()  # the members' details
    mentioned: frozenset[str] = frozenset()  # every number and "@" + entity the members name
    gist: bytes = b""  # unit mean of the members' gists; empty when none has one


def profile(article: AnalyzedArticle) -> ArticleProfile:
    """The clustering profile of one article."""
    title = article.article.title
    terms = content_words(title) * 2 + content_words(article.text)
    entities = frozenset(
        entity_key(e.canonical or e.text) for e in article.entities if e.label in STORY_LABELS
    )
    return ArticleProfile(
        article.id,
        title,
        tuple(terms),
        entities,
        day_number(article.article.published),
        lead_numbers(title, article.text) | main_actor(article),
    )


def main_actor(article: AnalyzedArticle) -> frozenset[str]:
    """The most-mentioned person or organisation of an article as a detail ("@" + key)."""
    counts = Counter(
        entity_key(e.canonical or e.text) for e in article.entities if e.label in MAIN_LABELS
    )
    if not counts:
        return frozenset()
    top = max(counts.values())
    if top < MAIN_MENTIONS:
        return frozenset()
    return frozenset(DETAIL_ENTITY + k for k, c in counts.items() if c == top)


def lead_numbers(title: str, text: str) -> frozenset[str]:
    """The specific numbers of an article: those of its title and the start of its body."""
    head = CLOCK_AND_DAY.sub(" ", text[:DETAIL_CHARS])
    words = content_words(CLOCK_AND_DAY.sub(" ", title)) + content_words(head)[:DETAIL_LEAD]
    return frozenset(w for w in words if w.isdigit() and int(w) >= DETAIL_MIN)


def numbers(terms: Iterable[str]) -> frozenset[str]:
    """Every number among an article's terms."""
    return frozenset(t for t in terms if t.isdigit())


def mentions(p: ArticleProfile) -> frozenset[str]:
    """What details are checked against: an article's numbers and "@" + its entities."""
    return numbers(p.terms) | {DETAIL_ENTITY + e for e in p.entities}


def conflicting(
    details_a: frozenset[str],
    mentioned_a: frozenset[str],
    details_b: frozenset[str],
    mentioned_b: frozenset[str],
) -> bool:
    """Whether both sides have details and neither mentions any of the other's."""
    # Two reports of one event that give a score, a toll, an age or a year, or that are about
    # one person or team, share at least one of them; two events of the same kind ("Colts
    # beat Chiefs 20-13", "Colts beat Jaguars 31-24") differ in exactly these.
    if not details_a or not details_b:
        return False
    return not (details_a & mentioned_b) and not (details_b & mentioned_a)


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
        details=frozenset().union(*(p.details for p in members)),
        mentioned=frozenset().union(*(mentions(p) for p in members)),
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
    return decay(max(story.first_day - day, day - story.last_day, 0))


def decay(gap: int) -> float:
    """1 within the grace period, then exponential decay with the gap in days."""
    if gap <= TIME_GRACE_DAYS:
        return 1.0
    return math.exp(-(gap - TIME_GRACE_DAYS) / TIME_SCALE_DAYS)


def score_story(
    p: ArticleProfile, vec: Vector, story: StoryProfile, mentioned: frozenset[str] | None = None
) -> float:
    """Blended similarity of an article to a story (``mentioned``: ``mentions(p)``)."""
    text = text_score(vec, story)
    ents = entity_score(p.entities, story)
    blended = text if ents is None else TEXT_WEIGHT * text + ENTITY_WEIGHT * ents
    if mentioned is None:
        mentioned = mentions(p)
    if conflicting(p.details, mentioned, story.details, story.mentioned):
        blended *= CONFLICT_FACTOR
    return blended * time_factor(p.day, story)


def story_similarity(a: StoryProfile, b: StoryProfile) -> float:
    """Blended similarity of two stories (centroids, entities, the gap between their dates)."""
    text = cosine(a.centroid, b.centroid)
    ents = None
    if a.entities and b.entities:
        ents = len(a.entities & b.entities) / min(len(a.entities), len(b.entities))
    blended = text if ents is None else TEXT_WEIGHT * text + ENTITY_WEIGHT * ents
    if a.first_day is None or a.last_day is None or b.first_day is None or b.last_day is None:
        return blended
    return blended * decay(max(a.first_day - b.last_day, b.first_day - a.last_day, 0))


def topic_similarity(
    a: StoryProfile, b: StoryProfile, similarity: float | None = None
) -> tuple[float, float | None]:
    """Similarity of two stories for a topic link, and their gist cosine when blended in.

    With gists on both sides, ``(1 - GIST_WEIGHT) * story similarity + GIST_WEIGHT * gist
    cosine`` (compare with ``TOPIC_GIST_THRESHOLD``); otherwise the story similarity alone
    (compare with ``TOPIC_THRESHOLD``).
    """
    base = story_similarity(a, b) if similarity is None else similarity
    cos = gist_cosine(a.gist, b.gist)
    if cos is None:
        return base, None
    return (1 - GIST_WEIGHT) * base + GIST_WEIGHT * cos, cos


def merge_score(a: StoryProfile, b: StoryProfile, similarity: float | None = None) -> float:
    """Story similarity (``similarity`` when already known), lowered when details conflict."""
    score = story_similarity(a, b) if similarity is None else similarity
    if conflicting(a.details, a.mentioned, b.details, b.mentioned):
        score *= CONFLICT_FACTOR
    return score


def _shown(details: frozenset[str]) -> str:
    """Details as a reader sees them (entity keys without their prefix)."""
    return ", ".join(d.removeprefix(DETAIL_ENTITY) for d in sorted(details)[:SHARED_SHOWN])


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
    stories = list(stories)
    mentioned = mentions(p)
    for story in stories:
        score = score_story(p, vec, story, mentioned)
        if score > best_score or (score == best_score and best is not None and story.id < best.id):
            best, best_score = story, score
    if best is None:
        return Assignment(article=p.id, story=None, score=0.0)
    joins = best_score >= threshold
    if joins:
        reason = f"joined story {best.id}: score {best_score:.2f} ≥ threshold {threshold}"
    else:
        reason = (
            f"opened a story: the closest of {len(stories)} candidate stories (story {best.id})"
            f" scored {best_score:.2f} < threshold {threshold}"
        )
        if conflicting(p.details, mentioned, best.details, best.mentioned):
            reason += (
                f" (its specifics {_shown(p.details)} differ from the story's"
                f" {_shown(best.details)}, score × {CONFLICT_FACTOR})"
            )
    return Assignment(
        article=p.id,
        story=best.id if joins else None,
        score=round(best_score, 4),
        shared_entities=tuple(sorted(p.entities & best.entities))[:SHARED_SHOWN],
        shared_terms=shared_terms(vec, best),
        candidates=len(stories),
        reason=reason,
    )


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
    return choose(mine, vector(mine, weights), story_profiles, options.cluster.story_threshold)


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
