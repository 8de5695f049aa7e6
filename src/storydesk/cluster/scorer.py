"""The story scorer: the one seam through which the story index scores articles and stories.

``StoryIndex`` calls only ``StoryScorer``; to swap the score, pass another implementation to
``StoryIndex(options, backend, scorer)`` (the pipeline picks its scorer in
``storydesk.pipeline.run.story_scorer``). ``WeightedScorer`` is the built-in one: words,
entities and dates blended, lowered when specific details conflict, with headline-and-lead
gists blended into topic links. Against chaining, an article is also held against the story's
core (its first articles) and against its members on average (``LINK_FLOOR``), and two
stories merge only when their cores are close too. The story threshold and the core's size
are settings (``options.cluster``); the weights and bars below are tuning, measured on ECB+
(and, for chaining, on the undated and dated development articles of ``bench/chaining.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from storydesk.cluster.gist import gist_cosine
from storydesk.cluster.score import DETAIL_ENTITY, SHARED_SHOWN, StoryProfile, mentions, surname
from storydesk.model import ArticleProfile, TopicLink
from storydesk.text.features import Vector, cosine

TEXT_WEIGHT = 0.75  # share of the score from word similarity when both sides name entities
ENTITY_WEIGHT = 0.25  # share from shared entities
TIME_GRACE_DAYS = 3  # no penalty for articles this close to the story's dates
TIME_SCALE_DAYS = 30.0  # beyond the grace period the score decays with this scale
CONFLICT_FACTOR = 0.5  # score multiplier when an article's details conflict with a story's
GIST_WEIGHT = 0.4  # share of the gist cosine in the topic similarity of two stories
MERGE_MARGIN = 0.20  # two stories converge when their similarity passes threshold + margin
TOPIC_THRESHOLD = 0.20  # a story joins the topic of its most similar story at this similarity
TOPIC_GIST_THRESHOLD = 0.325  # the same bar when both stories' gists are blended in
# An article's score against a story is the lower of its score against the latest members and
# this factor times its score against the story's core (its first articles), so that a story
# cannot drift member by member; two stories merge only when their cores are close too
# (0.9 / 1.1 tried: ECB+ story F1 0.857 / 0.861, largest undated dev story 48 / 110 against 97).
CORE_FACTOR = 1.0
# Reports of one event share their words: their mean pairwise tf-idf cosine is 0.3-0.5 (ECB+
# dev and basil-dev gold stories; 10th percentile 0.28-0.29), against 0.03-0.07 for two random
# articles and 0.15-0.2 for the members of a topic chained into one story. An article whose
# mean cosine to a story's members falls below this has its score scaled down in proportion
# (0.15 / 0.2 / 0.25 tried: ECB+ story F1 0.861 / 0.861 / 0.851).
LINK_FLOOR = 0.2
# Grouping a chunk (``cluster.window``): two new articles' cosine (words blended with
# entities and headline words, ``StoryIndex.plan``) decays with the days
# between them beyond a week, on a two-month scale (reports and follow-ups of one event
# spread over days; 3 / 30 days and details conflicts in the pair score tried: ECB+ dev
# folds 0 and 2, 3 orders, F1 0.929 / 0.830 and 0.919 / 0.821 against 0.940 / 0.836; no
# dates at all 0.944 / 0.845 but basil-dev P 0.964 against 1.000)
PAIR_GRACE_DAYS = 7
PAIR_SCALE_DAYS = 60.0


class StoryScorer(Protocol):
    """What the story index asks of a score: articles against stories, stories against stories."""

    @property
    def merge_margin(self) -> float:
        """Two stories merge when their merge score reaches the story threshold plus this."""
        ...

    def scores(
        self, p: ArticleProfile, vec: Vector, stories: Sequence[StoryProfile]
    ) -> list[float]:
        """The score of an article (its profile and tf-idf vector) against each story."""
        ...

    def lowered(self, p: ArticleProfile, story: StoryProfile) -> str:
        """Why the article scored lower against the story than its words say ("" if not)."""
        ...

    def story_similarity(self, a: StoryProfile, b: StoryProfile) -> float:
        """Similarity of two stories (reported as a topic link's ``words``)."""
        ...

    def pair_score(
        self,
        a: ArticleProfile,
        mentioned_a: frozenset[str],
        b: ArticleProfile,
        mentioned_b: frozenset[str],
        cos: float,
    ) -> float:
        """Score of two new articles (``cos``: their blended cosine), to group a chunk."""
        ...

    def link_score(
        self, p: ArticleProfile, mentioned: frozenset[str], vec: Vector, story: StoryProfile
    ) -> float:
        """Average-linkage score of a grouped article against a story (``pair_score``'s scale)."""
        ...

    def merge_score(
        self, a: StoryProfile, b: StoryProfile, similarity: float | None = None
    ) -> float:
        """Score of two stories for a merge (``similarity``: their story similarity, if known)."""
        ...

    def topic_similarity(
        self, a: StoryProfile, b: StoryProfile, similarity: float | None = None
    ) -> tuple[float, float | None]:
        """Score of two stories for a topic link, and the gist cosine when it was blended in."""
        ...

    def topic_bar(self, gist: float | None) -> float:
        """The topic score a link needs (``gist``: the gist cosine ``topic_similarity`` gave)."""
        ...

    def link_reason(self, link: TopicLink) -> str:
        """A topic link in words, as ``storydesk stories --explain`` prints it."""
        ...


def text_score(vec: Vector, story: StoryProfile) -> float:
    """Cosine between the article and the story centroid."""
    return cosine(vec, story.centroid)


def entity_score(entities: frozenset[str], story: StoryProfile) -> float | None:
    """Share of the smaller entity set found in the other; None when either side has none."""
    return overlap(entities, story.entities)


def overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Share of the smaller set found in the other; None when either is empty."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


def decay(gap: int, grace: int = TIME_GRACE_DAYS, scale: float = TIME_SCALE_DAYS) -> float:
    """1 within the grace period, then exponential decay with the gap in days."""
    if gap <= grace:
        return 1.0
    return math.exp(-(gap - grace) / scale)


def time_factor(
    day: int | None,
    story: StoryProfile,
    grace: int = TIME_GRACE_DAYS,
    scale: float = TIME_SCALE_DAYS,
) -> float:
    """1 near the story's dates, decaying with the gap in days; 1 when dates are unknown."""
    if day is None or story.first_day is None or story.last_day is None:
        return 1.0
    return decay(max(story.first_day - day, day - story.last_day, 0), grace, scale)


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
    a = details_a | {surname(d) for d in details_a}  # one person named two ways is no conflict
    b = details_b | {surname(d) for d in details_b}
    return not (a & mentioned_b) and not (b & mentioned_a)


def _shown(details: frozenset[str]) -> str:
    """Details as a reader sees them (entity keys without their prefix)."""
    return ", ".join(d.removeprefix(DETAIL_ENTITY) for d in sorted(details)[:SHARED_SHOWN])


@dataclass(frozen=True)
class WeightedScorer:
    """The built-in scorer: words, entities and dates blended; details and gists as evidence."""

    text_weight: float = TEXT_WEIGHT
    entity_weight: float = ENTITY_WEIGHT
    time_grace_days: int = TIME_GRACE_DAYS
    time_scale_days: float = TIME_SCALE_DAYS
    conflict_factor: float = CONFLICT_FACTOR
    gist_weight: float = GIST_WEIGHT
    merge_margin: float = MERGE_MARGIN
    topic_threshold: float = TOPIC_THRESHOLD
    topic_gist_threshold: float = TOPIC_GIST_THRESHOLD
    core_factor: float = CORE_FACTOR
    link_floor: float = LINK_FLOOR
    pair_grace_days: int = PAIR_GRACE_DAYS
    pair_scale_days: float = PAIR_SCALE_DAYS

    def blend(self, text: float, ents: float | None) -> float:
        """Word similarity blended with entity overlap (words alone when either has none)."""
        return text if ents is None else self.text_weight * text + self.entity_weight * ents

    def score(
        self,
        p: ArticleProfile,
        vec: Vector,
        story: StoryProfile,
        mentioned: frozenset[str] | None = None,
    ) -> float:
        """Blended similarity of an article to a story (``mentioned``: ``mentions(p)``)."""
        text = text_score(vec, story)
        blended = self.blend(text, entity_score(p.entities, story))
        link = text * story.cohesion  # the article's mean cosine to the members
        if link < self.link_floor:
            blended *= link / self.link_floor
        if story.core is not None:  # close to the latest members and to the first ones
            core = self.blend(cosine(vec, story.core), overlap(p.entities, story.core_entities))
            blended = min(blended, self.core_factor * core)
        if mentioned is None:
            mentioned = mentions(p)
        if conflicting(p.details, mentioned, story.details, story.mentioned):
            blended *= self.conflict_factor
        return blended * time_factor(p.day, story, self.time_grace_days, self.time_scale_days)

    def scores(
        self, p: ArticleProfile, vec: Vector, stories: Sequence[StoryProfile]
    ) -> list[float]:
        """The blended similarity of an article to each story."""
        mentioned = mentions(p)
        return [self.score(p, vec, story, mentioned) for story in stories]

    def lowered(self, p: ArticleProfile, story: StoryProfile) -> str:
        """The conflicting details, when the article's and the story's conflict."""
        if not conflicting(p.details, mentions(p), story.details, story.mentioned):
            return ""
        return (
            f"its specifics {_shown(p.details)} differ from the story's"
            f" {_shown(story.details)}, score × {self.conflict_factor}"
        )

    def pair_score(
        self,
        a: ArticleProfile,
        mentioned_a: frozenset[str],
        b: ArticleProfile,
        mentioned_b: frozenset[str],
        cos: float,
    ) -> float:
        """The cosine, lowered with the gap between the two dates beyond a week."""
        if a.day is None or b.day is None:
            return cos
        return cos * decay(abs(a.day - b.day), self.pair_grace_days, self.pair_scale_days)

    def link_score(
        self, p: ArticleProfile, mentioned: frozenset[str], vec: Vector, story: StoryProfile
    ) -> float:
        """Mean word cosine to the latest members and to the core (the lower), conflicts, days."""
        score = text_score(vec, story) * story.cohesion
        if story.core is not None:  # and to the story's first members: no drifting
            score = min(score, cosine(vec, story.core) * story.core_cohesion)
        if conflicting(p.details, mentioned, story.details, story.mentioned):
            score *= self.conflict_factor
        return score * time_factor(p.day, story, self.time_grace_days, self.time_scale_days)

    def story_similarity(self, a: StoryProfile, b: StoryProfile) -> float:
        """Blended similarity of two stories (centroids, entities, the gap between their dates)."""
        blended = self.blend(cosine(a.centroid, b.centroid), overlap(a.entities, b.entities))
        return blended * self._gap_factor(a, b)

    def _gap_factor(self, a: StoryProfile, b: StoryProfile) -> float:
        """1 for stories with overlapping or close dates (or undated), decaying with the gap."""
        if a.first_day is None or a.last_day is None or b.first_day is None or b.last_day is None:
            return 1.0
        gap = max(a.first_day - b.last_day, b.first_day - a.last_day, 0)
        return decay(gap, self.time_grace_days, self.time_scale_days)

    def merge_score(
        self, a: StoryProfile, b: StoryProfile, similarity: float | None = None
    ) -> float:
        """Story similarity (``similarity`` if known) or their cores', the lower; details too."""
        score = self.story_similarity(a, b) if similarity is None else similarity
        if a.core is not None or b.core is not None:  # two drifted stories met: cores decide
            (core_a, ents_a), (core_b, ents_b) = a.core_or_centroid(), b.core_or_centroid()
            cores = self.blend(cosine(core_a, core_b), overlap(ents_a, ents_b))
            score = min(score, self.core_factor * cores * self._gap_factor(a, b))
        if conflicting(a.details, a.mentioned, b.details, b.mentioned):
            score *= self.conflict_factor
        return score

    def topic_similarity(
        self, a: StoryProfile, b: StoryProfile, similarity: float | None = None
    ) -> tuple[float, float | None]:
        """Similarity of two stories for a topic link, and their gist cosine when blended in.

        With gists on both sides, ``(1 - gist_weight) * story similarity + gist_weight * gist
        cosine`` (its bar: ``topic_gist_threshold``); otherwise the story similarity alone
        (its bar: ``topic_threshold``).
        """
        base = self.story_similarity(a, b) if similarity is None else similarity
        cos = gist_cosine(a.gist, b.gist)
        if cos is None:
            return base, None
        return (1 - self.gist_weight) * base + self.gist_weight * cos, cos

    def topic_bar(self, gist: float | None) -> float:
        """The plain bar, or the bar for similarities blended with gists."""
        return self.topic_threshold if gist is None else self.topic_gist_threshold

    def link_reason(self, link: TopicLink) -> str:
        """The link's parts and the bar it passed."""
        if link.gist is None:
            return (
                f"similar to story {link.nearest}: words {link.words:.2f} ≥ {self.topic_threshold}"
            )
        return (
            f"similar to story {link.nearest}: {link.score:.2f} = {1 - self.gist_weight:.1f} ×"
            f" words {link.words:.2f} + {self.gist_weight:.1f} × headline-and-lead gist"
            f" {link.gist:.2f} ≥ {self.topic_gist_threshold}"
        )


def story_similarity(a: StoryProfile, b: StoryProfile) -> float:
    """Similarity of two stories by the built-in scorer."""
    return WeightedScorer().story_similarity(a, b)


def merge_score(a: StoryProfile, b: StoryProfile, similarity: float | None = None) -> float:
    """Merge score of two stories by the built-in scorer."""
    return WeightedScorer().merge_score(a, b, similarity)


def topic_similarity(
    a: StoryProfile, b: StoryProfile, similarity: float | None = None
) -> tuple[float, float | None]:
    """Topic similarity of two stories by the built-in scorer (and the gist cosine, if used)."""
    return WeightedScorer().topic_similarity(a, b, similarity)
