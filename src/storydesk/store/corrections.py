"""User corrections to stories (merge, split, move), recorded so later runs respect them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from storydesk.errors import InputError
from storydesk.model import Assignment
from storydesk.serialize import dumps, loads
from storydesk.store.db import Store
from storydesk.store.stories import drop_outputs, merge_stories


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def story_of(store: Store, article_id: int) -> int | None:
    """The story an article belongs to, or None."""
    row = store.conn.execute(
        "SELECT story_id FROM memberships WHERE article_id = ?", (article_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def live_story(store: Store, story_id: int) -> bool:
    """Whether a story exists and was not merged into another."""
    row = store.conn.execute(
        "SELECT 1 FROM stories s LEFT JOIN story_merges g ON g.absorbed = s.id"
        " WHERE s.id = ? AND g.absorbed IS NULL",
        (story_id,),
    ).fetchone()
    return row is not None


def record(
    store: Store, action: str, story: int, other: int | None, articles: Sequence[int] = ()
) -> int:
    """Log a correction and return its id."""
    with store._tx():
        cur = store.conn.execute(
            "INSERT INTO corrections (action, story_id, other_story, articles, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (action, story, other, json.dumps(list(articles)), _now()),
        )
    assert cur.lastrowid is not None
    return cur.lastrowid


def merge(store: Store, keep: int, absorb: int) -> int:
    """Merge story ``absorb`` into story ``keep``; returns the correction id."""
    with store._tx():  # checks and changes under one write lock
        for sid in (keep, absorb):
            if not live_story(store, sid):
                raise InputError(f"no story {sid}")
        if keep == absorb:
            raise InputError("cannot merge a story with itself")
        cid = record(store, "merge", keep, absorb, store.members_of(absorb))  # for undo
        lo, hi = sorted((keep, absorb))
        store.conn.execute(
            "DELETE FROM story_separations WHERE story_a = ? AND story_b = ?", (lo, hi)
        )
        store.conn.execute(
            "DELETE FROM article_exclusions WHERE story_id IN (?, ?) AND article_id IN"
            " (SELECT article_id FROM memberships WHERE story_id IN (?, ?))",
            (keep, absorb, keep, absorb),
        )
        merge_stories(store, absorb, keep, None, cid)
        return cid


def split(store: Store, story: int, article_ids: Sequence[int]) -> int:
    """Take articles out of a story into a new one, kept apart from it; returns the new id."""
    with store._tx():  # checks and changes under one write lock
        if not live_story(store, story):
            raise InputError(f"no story {story}")
        members = set(store.story_members().get(story, []))
        outside = [a for a in article_ids if a not in members]
        if outside:
            raise InputError(f"article(s) {', '.join(map(str, outside))} not in story {story}")
        if not article_ids or set(article_ids) == members:
            raise InputError("a split must leave some articles in the story and take some out")
        new = store.new_story()
        cid = record(store, "split", story, new, article_ids)
        store.conn.execute(
            "INSERT OR IGNORE INTO story_separations (story_a, story_b, correction)"
            " VALUES (?, ?, ?)",
            (story, new, cid),
        )
        for aid in article_ids:
            _place(store, aid, new, f"split out of story {story} by a user (correction {cid})")
        store.mark_stale([story, new])
        return new


def move(store: Store, article_id: int, story: int) -> int:
    """Move an article into another story; returns the story it left."""
    with store._tx():  # checks and changes under one write lock
        old = story_of(store, article_id)
        if old is None:
            raise InputError(f"article {article_id} is in no story")
        if not live_story(store, story):
            raise InputError(f"no story {story}")
        if old == story:
            raise InputError(f"article {article_id} is already in story {story}")
        cid = record(store, "move", story, old, [article_id])
        store.conn.execute(
            "INSERT OR IGNORE INTO article_exclusions (article_id, story_id, correction)"
            " VALUES (?, ?, ?)",
            (article_id, old, cid),
        )
        store.conn.execute(
            "DELETE FROM article_exclusions WHERE article_id = ? AND story_id = ?",
            (article_id, story),
        )
        _place(store, article_id, story, f"moved from story {old} by a user (correction {cid})")
        store.mark_stale([story])
        if store.members_of(old):
            store.mark_stale([old])
        else:
            drop_outputs(store, old)
        return old


def corrections(store: Store) -> list[dict[str, object]]:
    """Every correction, oldest first."""
    rows = store.conn.execute(
        "SELECT id, action, story_id, other_story, articles, created_at FROM corrections"
        " ORDER BY id"
    )
    return [
        {"id": i, "action": a, "story": s, "other": o, "articles": json.loads(t), "at": c}
        for i, a, s, o, t, c in rows
    ]


def _place(store: Store, article_id: int, story: int, reason: str) -> None:
    """Put an article into a story, keeping its explanation and adding the user's reason."""
    row = store.conn.execute(
        "SELECT explanation FROM memberships WHERE article_id = ?", (article_id,)
    ).fetchone()
    kept = loads(Assignment, row[0]) if row else Assignment(article_id, story, 0.0)
    explanation = replace(kept, story=story, reason=reason)
    store.conn.execute(
        "UPDATE memberships SET story_id = ?, explanation = ? WHERE article_id = ?",
        (story, dumps(explanation), article_id),
    )
