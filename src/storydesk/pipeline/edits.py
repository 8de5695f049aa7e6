"""Edits of an article's outlet or date, and undo of the latest correction, as library calls.

Each is a row of the corrections log (``storydesk.store.edits``); the stories it touches are
marked stale with it and rebuilt at once, like merge, split and move.
"""

from __future__ import annotations

from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, finish_stale, rebuild
from storydesk.store import Store
from storydesk.store import edits as stored
from storydesk.store.corrections import story_of


def edit(article_id: int, values: dict[str, str | None], options: Options) -> int:
    """Set an article's outlet and/or published date; returns the correction id."""
    with Store(options.db) as store:
        cid = stored.edit_article(store, article_id, values)
        story = story_of(store, article_id)
        # from scratch: a story's stored state (fold rows) holds outlets and dates
        if story is not None:
            rebuild([story], options, store, SilentReporter())
        finish_stale(options, store, SilentReporter())
    return cid


def undo(options: Options) -> tuple[int, int]:
    """Undo the latest correction not yet undone; returns (the undo's id, the one undone)."""
    with Store(options.db) as store:
        done = stored.undo_last(store)
        # from scratch: an undone edit changes outlets and dates the stored state holds
        rebuild(sorted(store.stale()), options, store, SilentReporter())
    return done
