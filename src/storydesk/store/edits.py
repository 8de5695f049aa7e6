"""Edits of what the input got wrong (an article's outlet, its date) and undo of a correction.

Both are rows of the corrections log (``storydesk.store.corrections``): an edit keeps the
values before and after in ``detail``; an undo names the correction it undid, which is marked
``undone_by`` so it is never undone twice.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from storydesk.errors import InputError
from storydesk.model import Article, Assignment
from storydesk.serialize import dumps, loads
from storydesk.store.corrections import live_story, record, story_of
from storydesk.store.db import Store

EDITABLE = ("outlet", "published")


def log(store: Store) -> list[dict[str, Any]]:
    """Every correction, oldest first, with its detail and the undo that reverted it."""
    rows = store.conn.execute(
        "SELECT id, action, story_id, other_story, articles, detail, undone_by, created_at"
        " FROM corrections ORDER BY id"
    )
    return [
        {
            "id": i,
            "action": a,
            "story": s,
            "other": o,
            "articles": json.loads(t),
            "detail": json.loads(d),
            "undone_by": u,
            "at": c,
        }
        for i, a, s, o, t, d, u, c in rows
    ]


def edit_article(store: Store, article_id: int, values: dict[str, str | None]) -> int:
    """Set an article's outlet and/or date; its story goes stale. Returns the correction id."""
    unknown = set(values) - set(EDITABLE)
    if unknown or not values:
        raise InputError(f"an edit changes {' and/or '.join(EDITABLE)}")
    with store.transaction():
        article = store.article(article_id)
        if article is None:
            raise InputError(f"no article {article_id}")
        before = {k: getattr(article, k) for k in values}
        story = story_of(store, article_id)
        cid = record(store, "edit", story if story is not None else 0, None, [article_id])
        _set_detail(store, cid, {"article": article_id, "before": before, "after": values})
        _apply(store, article, values)
    return cid


def undo_last(store: Store) -> tuple[int, int]:
    """Undo the latest correction not yet undone; returns (the undo's id, the one undone)."""
    with store.transaction():
        row = store.conn.execute(
            "SELECT id, action, story_id, other_story, articles, detail FROM corrections"
            " WHERE action != 'undo' AND undone_by IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise InputError("no correction to undo")
        cid, action, story, other, articles, detail = row
        ids = [int(a) for a in json.loads(articles)]
        if action == "merge":
            _unmerge(store, cid, int(story), int(other), ids)
        elif action == "split":
            _back(store, ids, from_story=int(other), to_story=int(story), cid=cid)
            store.conn.execute("DELETE FROM story_separations WHERE correction = ?", (cid,))
        elif action == "move":
            _back(store, ids, from_story=int(story), to_story=int(other), cid=cid)
            store.conn.execute("DELETE FROM article_exclusions WHERE correction = ?", (cid,))
        elif action == "edit":
            found = json.loads(detail)
            article = store.article(int(found["article"]))
            if article is not None:
                _apply(store, article, found["before"])
        else:
            raise InputError(f"a {action} cannot be undone")
        undo = record(store, "undo", int(story), other, ids)
        _set_detail(store, undo, {"undid": cid, "action": action})
        store.conn.execute("UPDATE corrections SET undone_by = ? WHERE id = ?", (undo, cid))
    return undo, cid


def _unmerge(store: Store, cid: int, keep: int, absorbed: int, ids: list[int]) -> None:
    """Give a merged-away story back the articles it had (those still in the kept story)."""
    if not ids:
        raise InputError(f"correction {cid} did not record the merged articles: cannot undo it")
    if not live_story(store, keep):
        raise InputError(f"story {keep} was merged away since: undo that first")
    store.conn.execute("DELETE FROM story_merges WHERE absorbed = ?", (absorbed,))
    _back(store, ids, from_story=keep, to_story=absorbed, cid=cid)


def _back(store: Store, ids: list[int], from_story: int, to_story: int, cid: int) -> None:
    """Put articles (those still in ``from_story``) into ``to_story``; both go stale."""
    moved = False
    for aid in ids:
        if story_of(store, aid) != from_story:
            continue
        row = store.conn.execute(
            "SELECT explanation FROM memberships WHERE article_id = ?", (aid,)
        ).fetchone()
        kept = loads(Assignment, row[0])
        why = replace(kept, story=to_story, reason=f"{kept.reason}; correction {cid} undone")
        store.conn.execute(
            "UPDATE memberships SET story_id = ?, explanation = ? WHERE article_id = ?",
            (to_story, dumps(why), aid),
        )
        moved = True
    if not moved:
        raise InputError(f"nothing left to undo of correction {cid}")
    store.mark_stale([to_story])
    store.left(from_story)  # stale, or without outputs when now empty


def _apply(store: Store, article: Article, values: dict[str, Any]) -> None:
    """Write an article's new outlet/date into its row, its data and its analysis."""
    changed = replace(article, **{k: values[k] for k in EDITABLE if k in values})
    store.conn.execute(
        "UPDATE articles SET outlet = ?, published = ?, data = ? WHERE id = ?",
        (changed.outlet, changed.published, dumps(changed), changed.id),
    )
    found = store.analyses([changed.id])
    if found:
        row = store.conn.execute(
            "SELECT model FROM analyses WHERE article_id = ?", (changed.id,)
        ).fetchone()
        store.put_analysis(replace(found[0], article=changed), row[0])  # marks the story stale


def _set_detail(store: Store, cid: int, detail: dict[str, Any]) -> None:
    store.conn.execute("UPDATE corrections SET detail = ? WHERE id = ?", (json.dumps(detail), cid))
