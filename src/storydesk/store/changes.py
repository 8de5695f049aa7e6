"""What changed (written by triggers with each dossier), alerts and what made them fire."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storydesk.store.db import Store

CHANGE_KINDS = ("story", "article", "fact", "conflict", "corroborated", "sources")
# alert reason -> the change kinds that make it fire
REASONS = {
    "articles": ("article",),
    "conflict": ("conflict",),
    "corroborated": ("corroborated",),
    "source": ("sources",),
}


@dataclass(frozen=True)
class Change:
    """One change: when, to which story, what kind, and the article or fact it concerns."""

    id: int
    at: str
    story: int
    kind: str
    ref: str | None
    text: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Alert:
    """A saved search (``query``) or a watched story, the reasons it fires on, a webhook."""

    id: int
    query: str | None
    story: int | None
    reasons: tuple[str, ...]
    webhook: str | None
    created_at: str


@dataclass(frozen=True)
class AlertEvent:
    """One firing of an alert: the change behind it, and the webhook's outcome."""

    id: int
    alert: int
    change: int
    reason: str
    story: int
    ref: str | None
    text: str
    at: str
    delivery: str | None


def changes(
    store: Store,
    since: str | None = None,
    after: int = 0,
    limit: int = 100,
    story: int | None = None,
    kinds: Sequence[str] = (),
) -> list[Change]:
    """Changes after the id ``after`` (and at or after the time ``since``), oldest first."""
    where = ["id > ?"]
    args: list[Any] = [after]
    if since is not None:
        where.append("at >= ?")
        args.append(since)
    if story is not None:
        where.append("story_id = ?")
        args.append(story)
    if kinds:
        where.append(f"kind IN ({','.join('?' * len(kinds))})")
        args += list(kinds)
    rows = store.conn.execute(
        "SELECT id, at, story_id, kind, ref, text, detail FROM changes WHERE "
        + " AND ".join(where)
        + " ORDER BY id LIMIT ?",
        [*args, limit],
    )
    return [Change(i, at, s, k, r, t, json.loads(d)) for i, at, s, k, r, t, d in rows]


def last_change(store: Store) -> int:
    """The id of the latest change (0 when none)."""
    return int(store.conn.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0])


# ---------------------------------------------------------------- alerts


def add_alert(
    store: Store,
    query: str | None,
    story: int | None,
    reasons: Sequence[str],
    webhook: str | None,
) -> Alert:
    """Save an alert; it fires on changes made from now on."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO alerts (query, story_id, reasons, webhook, checked, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (query, story, json.dumps(list(reasons)), webhook, last_change(store), now),
        )
    assert cur.lastrowid is not None
    return Alert(cur.lastrowid, query, story, tuple(reasons), webhook, now)


def alerts(store: Store) -> list[Alert]:
    """Every alert, oldest first."""
    rows = store.conn.execute(
        "SELECT id, query, story_id, reasons, webhook, created_at FROM alerts ORDER BY id"
    )
    return [Alert(i, q, s, tuple(json.loads(r)), w, c) for i, q, s, r, w, c in rows]


def alert(store: Store, alert_id: int) -> Alert | None:
    """One alert, or None."""
    return next((a for a in alerts(store) if a.id == alert_id), None)


def checked(store: Store, alert_id: int) -> int:
    """The last change id an alert was evaluated against."""
    row = store.conn.execute("SELECT checked FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    return 0 if row is None else int(row[0])


def record_events(
    store: Store, alert_id: int, upto: int, fired: Sequence[tuple[Change, str]]
) -> list[AlertEvent]:
    """Store what fired an alert and move its mark to ``upto``, in one transaction."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    out: list[AlertEvent] = []
    with store.transaction():
        store.conn.execute(
            "UPDATE alerts SET checked = max(checked, ?) WHERE id = ?", (upto, alert_id)
        )
        for change, reason in fired:
            cur = store.conn.execute(
                "INSERT OR IGNORE INTO alert_events (alert_id, change_id, reason, story_id, ref,"
                " text, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (alert_id, change.id, reason, change.story, change.ref, change.text, now),
            )
            if cur.rowcount and cur.lastrowid is not None:
                out.append(
                    AlertEvent(
                        cur.lastrowid,
                        alert_id,
                        change.id,
                        reason,
                        change.story,
                        change.ref,
                        change.text,
                        now,
                        None,
                    )
                )
    return out


def set_delivery(store: Store, event_id: int, outcome: str) -> None:
    """Record what became of an event's webhook delivery."""
    with store.transaction():
        store.conn.execute("UPDATE alert_events SET delivery = ? WHERE id = ?", (outcome, event_id))


def events(store: Store, alert_id: int, limit: int = 100) -> list[AlertEvent]:
    """An alert's latest events, newest first."""
    rows = store.conn.execute(
        "SELECT id, alert_id, change_id, reason, story_id, ref, text, at, delivery"
        " FROM alert_events WHERE alert_id = ? ORDER BY id DESC LIMIT ?",
        (alert_id, limit),
    )
    return [AlertEvent(*r) for r in rows]
