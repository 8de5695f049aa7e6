"""Outlet names learned from the inputs: the names each host was seen with, and their spellings.

The tables of migration 0013. The caller (``pipeline.outletnames``) decides what an article
teaches and which host labels to look up; this module only keeps and reads the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace

from storydesk.model import Article
from storydesk.serialize import dumps
from storydesk.store.db import Store


class OutletNames:
    """Learned outlet names over an open storydesk database connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def learn(self, host: str | None, name: str, key: str, spellings: Iterable[str]) -> bool:
        """Count a sighting of a name (on its host) and its spellings; True when it is new."""
        new = (
            self.conn.execute(
                "SELECT 1 FROM outlet_names WHERE name = ? AND host IN ('', ?) LIMIT 1",
                (name, host or ""),
            )
        ).fetchone() is None
        self.conn.execute(
            "INSERT INTO outlet_names (host, name, key, seen) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (host, name) DO UPDATE SET seen = seen + 1",
            (host or "", name, key),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO outlet_spellings (spelling, name) VALUES (?, ?)",
            [(s, name) for s in sorted(set(spellings))],
        )
        return new

    def first_named(self, key: str) -> str | None:
        """The name first seen with this key (the one an outlet is shown by), or None."""
        row = self.conn.execute(
            "SELECT name FROM outlet_names WHERE key = ? ORDER BY rowid LIMIT 1", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def named(self, host: str, labels: Iterable[str]) -> tuple[str, str] | None:
        """(name, how) for a host: the name most seen on it, else the most seen name spelling it."""
        row = self.conn.execute(
            "SELECT name FROM outlet_names WHERE host = ? ORDER BY seen DESC, name LIMIT 1",
            (host,),
        ).fetchone()
        if row is not None:
            return str(row[0]), "host"
        wanted = sorted(set(labels))
        if not wanted:
            return None
        marks = ", ".join("?" * len(wanted))
        row = self.conn.execute(
            "SELECT s.name FROM outlet_spellings s JOIN outlet_names n ON n.name = s.name"
            f" WHERE s.spelling IN ({marks}) GROUP BY s.name ORDER BY SUM(n.seen) DESC, s.name"
            " LIMIT 1",
            wanted,
        ).fetchone()
        return (str(row[0]), "spelling") if row is not None else None


def articles_on_hosts(
    conn: sqlite3.Connection, labels: Iterable[str], host: str | None = None
) -> list[int]:
    """Stored articles whose outlet is ``host`` or a bare host with one of these labels."""
    found: set[int] = set()
    if host:
        rows = conn.execute("SELECT id FROM articles WHERE outlet = ?", (host,))
        found.update(int(r[0]) for r in rows)
    for label in sorted(set(labels)):
        escaped = label.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = conn.execute(
            "SELECT id FROM articles WHERE outlet LIKE ? ESCAPE '\\' AND outlet NOT LIKE '% %'",
            (escaped + ".%",),
        )
        found.update(int(r[0]) for r in rows)
    return sorted(found)


def rename(store: Store, article: Article) -> None:
    """Write an article's new outlet into its row, its data and its analysis (story: stale)."""
    store.conn.execute(
        "UPDATE articles SET outlet = ?, data = ? WHERE id = ?",
        (article.outlet, dumps(article), article.id),
    )
    found = store.analyses([article.id])
    if found:
        row = store.conn.execute(
            "SELECT model FROM analyses WHERE article_id = ?", (article.id,)
        ).fetchone()
        store.put_analysis(replace(found[0], article=article), row[0])  # marks the story stale
