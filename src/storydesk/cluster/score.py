"""What clustering compares: article and story profiles (words, entities, dates, details).

The score over them is ``storydesk.cluster.scorer``, the choice ``storydesk.cluster.assign``;
``storydesk.cluster.index`` finds the candidate stories, caches their profiles and merges
stories that converge. Story titles (the most central article) are read from here too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from storydesk.model import AnalyzedArticle, ArticleProfile
from storydesk.options import ClusterSettings
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


@dataclass(frozen=True)
class StoryProfile:
    """An existing story summarised for comparison."""

    id: int
    centroid: Vector
    entities: frozenset[str]  # the members' (the index leaves out those most articles name)
    first_day: int | None
    last_day: int | None
    details: frozenset[str] = frozenset()  # the members' details
    mentioned: frozenset[str] = frozenset()  # every number and "@" + entity the members name
    gist: bytes = b""  # unit mean of the members' gists; empty when none has one
    # the unit centroid and entities of the story's core, its first members (the setting
    # ``cluster.core_members``); None while the story has no member beyond its core. A profile
    # of the latest members alone lets a story drift member by member (A~B, B~C, ... until Z
    # has nothing of A: a whole topic's coverage chained into one story); the scorer also
    # holds an article against the core, which does not move
    core: Vector | None = None
    core_entities: frozenset[str] = frozenset()
    # the length of the mean of the members' unit vectors: 1 for one member, lower the more
    # they differ (an article's mean cosine to the members is its cosine to the centroid × this)
    cohesion: float = 1.0
    core_cohesion: float = 1.0  # the same for the core's members (with ``core``)

    def core_or_centroid(self) -> tuple[Vector, frozenset[str]]:
        """The core's centroid and entities, or the whole story's while it is all core."""
        if self.core is None:
            return self.centroid, self.entities
        return self.core, self.core_entities


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


def surname(detail: str) -> str:
    """An entity detail by its last word ("@anthony d weiner" → "@weiner"); numbers unchanged.

    Outlets name one person differently ("Anthony D. Weiner", "Anthony Weiner", "Obama",
    "Barack Obama"): the last word of a name is what they share.
    """
    words = detail.removeprefix(DETAIL_ENTITY).split() if detail.startswith(DETAIL_ENTITY) else []
    return DETAIL_ENTITY + words[-1] if words else detail


def mentions(p: ArticleProfile) -> frozenset[str]:
    """What details are checked against: numbers, "@" + entities and their last words."""
    named = {DETAIL_ENTITY + e for e in p.entities}
    return numbers(p.terms) | named | {surname(e) for e in named}


def vector(p: ArticleProfile, weights: Mapping[str, float]) -> Vector:
    """The unit tf-idf vector of an article profile."""
    return tfidf(p.terms, weights)


def story_profile(
    story_id: int,
    members: Sequence[ArticleProfile],
    weights: Mapping[str, float],
    core_members: int = ClusterSettings().core_members,
) -> StoryProfile:
    """Centroid, entities, date span and core (the first members) of a story's articles."""
    days = [p.day for p in members if p.day is not None]
    core = members[:core_members]
    has_core = 0 < len(core) < len(members)
    vectors = [vector(p, weights) for p in members]
    return StoryProfile(
        id=story_id,
        centroid=centroid(vectors),
        entities=frozenset().union(*(p.entities for p in members)),
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        details=frozenset().union(*(p.details for p in members)),
        mentioned=frozenset().union(*(mentions(p) for p in members)),
        core=centroid(vectors[: len(core)]) if has_core else None,
        core_entities=frozenset().union(*(p.entities for p in core)) if has_core else frozenset(),
        cohesion=cohesion(vectors),
        core_cohesion=cohesion(vectors[: len(core)]) if has_core else 1.0,
    )


def cohesion(vectors: Sequence[Mapping[str, float]]) -> float:
    """Length of the mean of unit vectors (1 when they agree or for one; lower as they differ)."""
    if not vectors:
        return 1.0
    total: dict[str, float] = {}
    for vec in vectors:
        for t, v in vec.items():
            total[t] = total.get(t, 0.0) + v
    return math.sqrt(sum(v * v for v in total.values())) / len(vectors)


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
