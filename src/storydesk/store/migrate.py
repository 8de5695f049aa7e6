"""Numbered schema migrations, applied in order under a write lock and recorded in the database."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def available() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("storydesk.store").joinpath("migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


def applied(conn: sqlite3.Connection) -> set[int]:
    """Numbers of the migrations already applied (none when the database is new)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if exists is None:
        return set()
    return {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}


def statements(sql: str) -> Iterator[str]:
    """The complete SQL statements of a script, one by one (executescript would commit first)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        yield buffer.strip()


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations atomically under the write lock; return their names."""
    # The check without a lock costs a reader nothing when the schema is current; otherwise
    # BEGIN IMMEDIATE takes the write lock (waiting out another process's migration with the
    # busy timeout) and the applied set is read again inside it, so two processes opening a
    # new database at once apply each migration exactly once.
    shipped = available()
    if {number for number, _, _ in shipped} <= applied(conn):
        return []
    names = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = applied(conn)
        for number, name, sql in shipped:
            if number in done:
                continue
            for statement in statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (number, name, datetime.now(UTC).isoformat()),
            )
            names.append(f"{number:04d}_{name}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return names
