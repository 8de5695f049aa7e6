"""The choice: an article joins its best-scoring story at or above the threshold, or opens one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from storydesk.cluster.score import SHARED_SHOWN, StoryProfile, profile, story_profile, vector
from storydesk.cluster.scorer import StoryScorer, WeightedScorer
from storydesk.model import AnalyzedArticle, ArticleProfile, Assignment
from storydesk.options import Options
from storydesk.text.features import Vector, idf


def shared_terms(vec: Vector, story: StoryProfile, limit: int = SHARED_SHOWN) -> tuple[str, ...]:
    """The terms contributing most to the article-story similarity."""
    contrib = {t: v * story.centroid[t] for t, v in vec.items() if t in story.centroid}
    return tuple(t for t, _ in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])


def choose(
    p: ArticleProfile,
    vec: Vector,
    stories: Iterable[StoryProfile],
    threshold: float,
    scorer: StoryScorer | None = None,
) -> Assignment:
    """The best story at or above the threshold, or a new story (story=None)."""
    scorer = scorer if scorer is not None else WeightedScorer()
    best: StoryProfile | None = None
    best_score = 0.0
    stories = list(stories)
    for story, score in zip(stories, scorer.scores(p, vec, stories), strict=True):
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
        lowered = scorer.lowered(p, best)
        if lowered:
            reason += f" ({lowered})"
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
    scorer: StoryScorer | None = None,
) -> Assignment:
    """Assign an article to the most similar of the given stories (no index), or open a story."""
    mine = profile(article)
    members = {sid: [profile(a) for a in arts] for sid, arts in stories.items() if arts}
    weights = idf([mine.terms, *(p.terms for ps in members.values() for p in ps)])
    core = options.cluster.core_members
    story_profiles = [story_profile(sid, ps, weights, core) for sid, ps in sorted(members.items())]
    threshold = options.cluster.story_threshold
    return choose(mine, vector(mine, weights), story_profiles, threshold, scorer)
