"""Edits of what the input got wrong (an article's outlet, its date) and undo of a correction.

Both are rows of the corrections log (``storydesk.store.corrections``): an edit keeps the
values before and after in ``detail``; an undo names the correction it undid, which is marked
``undone_by`` so it is never undone twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from storydesk.errors import InputError
from storydesk.model import Article, Assignment, OutletEvidence, OutletSource
from storydesk.serialize import dumps, from_dict, loads, to_dict
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
    return edit_articles(store, [(article_id, values)])


def edit_articles(store: Store, changes: Sequence[tuple[int, dict[str, str | None]]]) -> int:
    """Set several articles' outlets and/or dates as one correction (one undo reverts it all);
    their stories go stale. Returns the correction id."""
    if not changes:
        raise InputError("nothing to edit")
    for _, values in changes:
        if set(values) - set(EDITABLE) or not values:
            raise InputError(f"an edit changes {' and/or '.join(EDITABLE)}")
    with store.transaction():
        edits: list[dict[str, Any]] = []
        found: list[Article] = []
        for article_id, values in changes:
            article = store.article(article_id)
            if article is None:
                raise InputError(f"no article {article_id}")
            before = {k: getattr(article, k) for k in values}
            entry = {"article": article_id, "before": before, "after": values}
            if "outlet" in values:  # kept so that an undo gives the outlet its evidence back
                entry["evidence_before"] = to_dict(article.outlet_evidence)
            edits.append(entry)
            found.append(article)
        ids = [a.id for a in found if a.id is not None]
        story = story_of(store, ids[0])
        cid = record(store, "edit", story if story is not None else 0, None, ids)
        _set_detail(store, cid, edits[0] if len(edits) == 1 else {"edits": edits})
        for article, (_, values) in zip(found, changes, strict=True):
            outlet = values.get("outlet")
            given = OutletEvidence(OutletSource.OPTIONS, outlet) if outlet else None
            _apply(store, article, values, given if "outlet" in values else article.outlet_evidence)
    return cid


def edited(store: Store, cid: int) -> list[dict[str, Any]]:
    """The article edits of a correction: an edit's own, or those of the edit an undo undid."""
    row = store.conn.execute(
        "SELECT action, detail FROM corrections WHERE id = ?", (cid,)
    ).fetchone()
    if row is None:
        return []
    action, detail = row[0], json.loads(row[1] or "{}")
    if action == "undo":
        return edited(store, int(detail.get("undid", 0)))
    if action != "edit":
        return []
    return list(detail.get("edits", [detail]))


def stored_from(store: Store, source: str) -> tuple[int | None, int | None]:
    """For an input already read: (the article made from its bytes, or the article they were
    folded into as a duplicate); (None, None) when unknown or read with other bytes before."""
    shas = [
        r[0] for r in store.conn.execute("SELECT sha256 FROM sources WHERE source = ?", (source,))
    ]
    own = {a for a in (store.article_id_for(sha) for sha in shas) if a is not None}
    if len(own) == 1:
        return own.pop(), None
    if own or not shas:
        return None, None  # unknown, or several articles read from it: which one is ambiguous
    marks = ",".join("?" * len(shas))
    folded = store.conn.execute(
        f"SELECT DISTINCT article_id FROM aliases WHERE sha256 IN ({marks})", shas
    ).fetchall()
    return None, (int(folded[0][0]) if len(folded) == 1 else None)


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
            for one in found.get("edits", [found]):
                article = store.article(int(one["article"]))
                if article is not None:
                    kept = one.get("evidence_before", to_dict(article.outlet_evidence))
                    _apply(store, article, one["before"], _evidence(kept))
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


def _evidence(data: Any) -> OutletEvidence | None:
    """Outlet evidence as kept in a correction's detail."""
    return None if data is None else from_dict(OutletEvidence, data)


def _apply(
    store: Store, article: Article, values: dict[str, Any], evidence: OutletEvidence | None
) -> None:
    """Write an article's new outlet/date (and the outlet's evidence) into its row, its data
    and its analysis."""
    changed = replace(article, **{k: values[k] for k in EDITABLE if k in values})
    changed = replace(changed, outlet_evidence=evidence)
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
