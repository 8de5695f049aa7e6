"""Numbered schema migrations, applied in order and recorded in the database."""

from __future__ import annotations

import re
import sqlite3
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
    """Numbers of the migrations already applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations, each in its own transaction; return their names."""
    done = applied(conn)
    names = []
    for number, name, sql in available():
        if number in done:
            continue
        # executescript commits first; wrap the script so it applies atomically.
        conn.executescript(
            "BEGIN;\n"
            + sql
            + "\nINSERT INTO schema_migrations (number, name, applied_at) VALUES "
            + f"({number}, '{name}', '{datetime.now(UTC).isoformat()}');\nCOMMIT;"
        )
        names.append(f"{number:04d}_{name}")
    return names
