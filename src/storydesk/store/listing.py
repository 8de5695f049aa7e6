"""Stories as listed by the service: filtered, sorted, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storydesk.store.db import Store
from storydesk.store.search import check_query

SORTS = {  # name -> ORDER BY over story_index (ties broken by id, newest first)
    "updated": "i.updated_at DESC, i.story_id DESC",
    "size": "i.articles DESC, i.story_id DESC",
    "sources": "i.sources DESC, i.articles DESC, i.story_id DESC",
}


@dataclass(frozen=True)
class StoryQuery:
    """Which stories: full-text query on their articles, dates, outlet, topic, sources."""

    q: str | None = None
    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    topic: int | None = None
    min_sources: int | None = None
    sort: str = "updated"
    limit: int = 50
    offset: int = 0
    ids: tuple[int, ...] | None = None  # only these stories


@dataclass(frozen=True)
class StoryListRow:
    """A story as the service lists it."""

    id: int
    title: str
    articles: tuple[int, ...]
    outlets: tuple[str, ...]
    topic: int
    independent_sources: int
    first_published: str | None
    last_published: str | None
    updated: str


def list_stories(store: Store, query: StoryQuery) -> list[StoryListRow]:
    """One page of stories with a dossier matching the query, in the chosen order."""
    where: list[str] = []
    args: list[Any] = []
    if query.q is not None:
        check_query(store, query.q)  # SearchQueryError, never SQLite's own error
        where.append(
            "i.story_id IN (SELECT m.story_id FROM memberships m WHERE m.article_id IN"
            " (SELECT rowid FROM articles_search WHERE articles_search MATCH ?))"
        )
        args.append(query.q)
    if query.outlet is not None:
        where.append(
            "i.story_id IN (SELECT m.story_id FROM memberships m JOIN articles a"
            " ON a.id = m.article_id WHERE a.outlet = ?)"
        )
        args.append(query.outlet)
    if query.ids is not None:
        where.append(f"i.story_id IN ({','.join('?' * len(query.ids))})")
        args += list(query.ids)
    for clause, value in (
        ("coalesce(t.topic_id, i.story_id) = ?", query.topic),
        ("substr(i.last_published, 1, 10) >= ?", query.since),
        ("substr(i.first_published, 1, 10) <= ?", query.until),
        ("i.sources >= ?", query.min_sources),
    ):
        if value is not None:
            where.append(clause)
            args.append(value)
    sql = (
        "SELECT i.story_id, s.title, i.sources, i.first_published, i.last_published,"
        " i.updated_at, coalesce(t.topic_id, i.story_id)"
        " FROM story_index i JOIN stories s ON s.id = i.story_id"
        " LEFT JOIN story_topics t ON t.story_id = i.story_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {SORTS[query.sort]} LIMIT ? OFFSET ?"
    )
    with store.snapshot():
        rows = store.conn.execute(sql, [*args, query.limit, query.offset]).fetchall()
        members = _members(store, [int(r[0]) for r in rows])
    out = []
    for sid, title, sources, first, last, updated, topic in rows:
        aids, names = members.get(int(sid), ((), ()))
        out.append(
            StoryListRow(
                int(sid), title, aids, names, int(topic), int(sources), first, last, updated
            )
        )
    return out


def _members(
    store: Store, story_ids: list[int]
) -> dict[int, tuple[tuple[int, ...], tuple[str, ...]]]:
    """Article ids and outlets (first seen first) of each story."""
    if not story_ids:
        return {}
    marks = ",".join("?" * len(story_ids))
    rows = store.conn.execute(
        f"SELECT m.story_id, a.id, a.outlet FROM memberships m JOIN articles a"
        f" ON a.id = m.article_id WHERE m.story_id IN ({marks}) ORDER BY m.story_id, a.id",
        story_ids,
    )
    found: dict[int, tuple[list[int], list[str]]] = {}
    for sid, aid, outlet in rows:
        ids, names = found.setdefault(int(sid), ([], []))
        ids.append(int(aid))
        if outlet and outlet not in names:
            names.append(outlet)
    return {sid: (tuple(ids), tuple(names)) for sid, (ids, names) in found.items()}
