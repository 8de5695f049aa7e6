"""User corrections to story clustering, as library calls: merge, split, move.

Each one is recorded in the database (``storydesk.store.corrections``), so automatic merging
in later runs never undoes it; the stories it touches are marked stale with it and rebuilt at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from storydesk.model import Assignment, TopicLink
from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, finish_stale, story_scorer
from storydesk.store import Store
from storydesk.store import corrections as stored


def merge(keep: int, absorb: int, options: Options) -> int:
    """Merge story ``absorb`` into ``keep``; returns the story kept."""
    with Store(options.db) as store:
        stored.merge(store, keep, absorb)
        finish_stale(options, store, SilentReporter())  # the stories it marked stale
    return keep


def split(story: int, article_ids: Sequence[int], options: Options) -> int:
    """Take articles out of a story into a new story; returns the new story's id."""
    with Store(options.db) as store:
        new = stored.split(store, story, article_ids)
        finish_stale(options, store, SilentReporter())  # the stories it marked stale
    return new


def move(article_id: int, story: int, options: Options) -> int:
    """Move an article into another story; returns the story it left."""
    with Store(options.db) as store:
        old = stored.move(store, article_id, story)
        finish_stale(options, store, SilentReporter())  # the stories it marked stale
    return old


def explanations(story_id: int, options: Options) -> list[Assignment]:
    """Why each article of a story is in it."""
    with Store(options.db) as store:
        return store.explanations(story_id)


def topics(options: Options) -> dict[int, int]:
    """Story id to topic id (the lowest story id of its topic) for every story."""
    from storydesk.store.stories import story_topics

    with Store(options.db) as store:
        return story_topics(store)


def topic_links(options: Options) -> dict[int, TopicLink]:
    """Why each linked story joined its topic (its latest link, in the scorer's words)."""
    from storydesk.store.stories import topic_links as stored_links

    scorer = story_scorer(options)
    with Store(options.db) as store:
        links = stored_links(store)
    return {sid: replace(link, explanation=scorer.link_reason(link)) for sid, link in links.items()}
