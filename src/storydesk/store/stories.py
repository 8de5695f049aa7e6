"""Stories in the database: merges, topics (a union of stories) and their links, outputs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from storydesk.model import Assignment, TopicLink
from storydesk.serialize import dumps, loads
from storydesk.store.db import Store


def merge_stories(
    store: Store, absorbed: int, into: int, score: float | None, correction: int | None
) -> None:
    """Move one story's articles into another (now stale); the absorbed one's outputs go."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    why = "merged by a user" if correction is not None else f"stories converged (score {score})"
    note = f"; story {absorbed} merged into {into}: {why}"
    with store._tx():
        link_topics(store, absorbed, into)
        rows = store.conn.execute(
            "SELECT article_id, explanation FROM memberships WHERE story_id = ?", (absorbed,)
        ).fetchall()
        for aid, text in rows:
            explanation = loads(Assignment, text)
            moved = replace(explanation, reason=explanation.reason + note)
            store.conn.execute(
                "UPDATE memberships SET story_id = ?, explanation = ? WHERE article_id = ?",
                (into, dumps(moved), aid),
            )
        store.conn.execute(
            "INSERT OR REPLACE INTO story_merges (absorbed, into_story, score, correction,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            (absorbed, into, score, correction, now),
        )
        drop_outputs(store, absorbed)
        store.mark_stale([into])


def merged_into(store: Store, story_id: int) -> int | None:
    """The story a merged-away story now lives in (following a→b→c), or None if never merged."""
    seen = {story_id}
    current = story_id
    with store.snapshot():
        while True:
            row = store.conn.execute(
                "SELECT into_story FROM story_merges WHERE absorbed = ?", (current,)
            ).fetchone()
            if row is None or int(row[0]) in seen:  # the live end of the chain (or a cycle)
                return None if current == story_id else current
            current = int(row[0])
            seen.add(current)


def topic_of(store: Store, story_id: int) -> int:
    """The topic of a story: the lowest story id of its topic, its own id when alone."""
    row = store.conn.execute(
        "SELECT topic_id FROM story_topics WHERE story_id = ?", (story_id,)
    ).fetchone()
    return int(row[0]) if row is not None else story_id


def link_topics(store: Store, a: int, b: int) -> None:
    """Put the topics of two stories together: every story of the higher topic id moves."""
    ta, tb = topic_of(store, a), topic_of(store, b)
    if ta == tb:
        return
    low, high = min(ta, tb), max(ta, tb)
    with store._tx():
        store.conn.execute("UPDATE story_topics SET topic_id = ? WHERE topic_id = ?", (low, high))
        store.conn.executemany(
            "INSERT OR REPLACE INTO story_topics (story_id, topic_id) VALUES (?, ?)",
            [(sid, low) for sid in {a, b, low, high}],
        )


def topic_links(store: Store) -> dict[int, TopicLink]:
    """The latest topic link of each story that was linked (the scorer words its reason)."""
    rows = store.conn.execute("SELECT story_id, nearest, score, words, gist FROM topic_links")
    return {
        int(sid): TopicLink(int(sid), int(near), score, words, gist)
        for sid, near, score, words, gist in rows
    }


def story_topics(store: Store) -> dict[int, int]:
    """Story id to topic id, for every story in the database."""
    rows = store.conn.execute(
        "SELECT s.id, coalesce(t.topic_id, s.id) FROM stories s"
        " LEFT JOIN story_topics t ON t.story_id = s.id"
    )
    return {int(sid): int(tid) for sid, tid in rows}


def drop_outputs(store: Store, story_id: int) -> None:
    """Forget the lineage, dossier and pending rebuild of a story (it is empty or gone)."""
    with store._tx():
        store.conn.execute("DELETE FROM stale_stories WHERE story_id = ?", (story_id,))
        store.conn.execute("DELETE FROM lineage_edges WHERE story_id = ?", (story_id,))
        store.conn.execute("DELETE FROM dossiers WHERE story_id = ?", (story_id,))
        store.drop_published(story_id)
