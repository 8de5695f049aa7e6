"""Published parts of a story above the exact core: search rows, listing and changes per fold.

A story small enough for the exact core writes its whole dossier, and the ``dossier_written``
trigger derives its search rows, listing row and changes from it. A bigger story does not
rewrite its dossier on every add: each fold publishes the rows of what it touched (facts and
quote groups by their stable numbers), and the dossier is assembled when it is read and kept
as a cache until the next fold (``dossier_due``). Every write here happens inside the caller's
transaction, but ``cache``, which readers call: it takes its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from storydesk.model import Conflict, Dossier, FactStatus
from storydesk.serialize import dumps, loads
from storydesk.store.db import SEARCH_ROWS, Store

QUOTE_ROWS = 500_000  # a story's quote rows start here in its rowid range (as the trigger's)


@dataclass(frozen=True)
class FactRow:
    """What one fact publishes: its search row and what its status tells the changes log."""

    number: int
    text: str
    sources: int
    status: str
    disputed: bool
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class QuoteRow:
    """One quote group's search row."""

    group: int
    text: str
    speaker: str | None
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    """The story's listing row and the new articles and conflicts of the step."""

    articles: int
    sources: int
    facts: int
    conflicts: int
    first_published: str | None
    last_published: str | None
    headline: str | None  # set when the story's lead is (re)chosen
    joined: tuple[tuple[int, str], ...] = ()  # new articles: id, title
    found: tuple[tuple[str, str], ...] = ()  # new conflicts: description, kind


@dataclass(frozen=True)
class Due:
    """A story whose dossier is assembled on read: articles folded, articles cached."""

    folded: int
    cached: int | None

    @property
    def current(self) -> bool:
        return self.cached == self.folded


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def due(store: Store, story_id: int) -> Due | None:
    """Whether the story's dossier is assembled on read (None: its stored dossier is whole)."""
    row = store.conn.execute(
        "SELECT folded, cached FROM dossier_due WHERE story_id = ?", (story_id,)
    ).fetchone()
    return None if row is None else Due(int(row[0]), None if row[1] is None else int(row[1]))


def fact_statuses(store: Store, story_id: int, facts: Sequence[int]) -> dict[int, tuple[str, bool]]:
    """The published status and disputed flag of these facts (absent: not published yet)."""
    out: dict[int, tuple[str, bool]] = {}
    for k in range(0, len(facts), 400):
        chunk = list(facts[k : k + 400])
        rows = store.conn.execute(
            "SELECT fact, status, disputed FROM fold_fact_status WHERE story_id = ?"
            f" AND fact IN ({','.join('?' * len(chunk))})",
            (story_id, *chunk),
        )
        out.update((int(f), (s, bool(d))) for f, s, d in rows)
    return out


def published_outlets(store: Store, story_id: int, groups: Sequence[int]) -> dict[int, list[str]]:
    """The outlets the quote groups' search rows list now."""
    out: dict[int, list[str]] = {}
    for g in groups:
        row = store.conn.execute(
            "SELECT outlets FROM claims_search WHERE rowid = ?",
            (story_id * SEARCH_ROWS + QUOTE_ROWS + g,),
        ).fetchone()
        if row is not None and row[0]:
            out[g] = list(json.loads(row[0]))
    return out


def listed(store: Store, story_id: int) -> tuple[int, str | None, str | None] | None:
    """The story's listing row as published: sources, first and last published."""
    row = store.conn.execute(
        "SELECT sources, first_published, last_published FROM story_index WHERE story_id = ?",
        (story_id,),
    ).fetchone()
    return None if row is None else (int(row[0]), row[1], row[2])


def publish(
    store: Store,
    story_id: int,
    facts: Sequence[FactRow],
    quotes: Sequence[QuoteRow],
    listing: Listing,
    folded: int,
    full: bool,
    final: bool = True,
) -> None:
    """Write the parts a fold touched (``full``: the story's rows are replaced; ``final``:
    the story is complete, so a new count of sources is a change, not a step of a rebuild)."""
    conn = store.conn
    at = _now()
    base = story_id * SEARCH_ROWS
    if full:
        conn.execute(
            "DELETE FROM claims_search WHERE rowid BETWEEN ? AND ?", (base, base + SEARCH_ROWS - 1)
        )
    conn.executemany(
        "DELETE FROM claims_search WHERE rowid = ?",
        [(base + f.number,) for f in facts] + [(base + QUOTE_ROWS + q.group,) for q in quotes],
    )
    conn.executemany(
        "INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published,"
        " status) VALUES (?, '', ?, 'fact', ?, ?, ?, ?, ?)",
        [
            (
                base + f.number,
                f.text,
                story_id,
                f.number,
                json.dumps(f.outlets),
                listing.last_published,
                f.status,
            )
            for f in facts
            if f.number < QUOTE_ROWS
        ],
    )
    conn.executemany(
        "INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published,"
        " status) VALUES (?, ?, ?, 'quote', ?, ?, ?, ?, NULL)",
        [
            (
                base + QUOTE_ROWS + q.group,
                q.speaker or "",
                q.text,
                story_id,
                q.group,
                json.dumps(q.outlets),
                listing.last_published,
            )
            for q in quotes
            if q.group < QUOTE_ROWS
        ],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO fold_fact_status (story_id, fact, sources, status, disputed)"
        " VALUES (?, ?, ?, ?, ?)",
        [(story_id, f.number, f.sources, f.status, int(f.disputed)) for f in facts],
    )
    _changes(store, story_id, at, facts, listing, final)
    conn.execute(
        "INSERT OR REPLACE INTO story_index (story_id, articles, sources, facts, conflicts,"
        " first_published, last_published, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            story_id,
            listing.articles,
            listing.sources,
            listing.facts,
            listing.conflicts,
            listing.first_published,
            listing.last_published,
            at,
        ),
    )
    if listing.headline is not None:
        conn.execute("UPDATE stories SET title = ? WHERE id = ?", (listing.headline, story_id))
    conn.execute(
        "INSERT INTO dossier_due (story_id, folded) VALUES (?, ?) ON CONFLICT (story_id)"
        " DO UPDATE SET folded = excluded.folded",
        (story_id, folded),
    )


def _changes(
    store: Store, story_id: int, at: str, facts: Sequence[FactRow], listing: Listing, final: bool
) -> None:
    """What is new, as the dossier trigger records it: each text once per story and kind."""
    conn = store.conn

    def once(kind: str, ref: object, text: str, detail: dict[str, object] | None = None) -> None:
        seen = conn.execute(
            "SELECT 1 FROM changes WHERE story_id = ? AND kind = ? AND "
            + ("ref = ?" if kind == "article" else "text = ?"),
            (story_id, kind, str(ref) if kind == "article" else text),
        ).fetchone()
        if seen is None:
            conn.execute(
                "INSERT INTO changes (at, story_id, kind, ref, text, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (at, story_id, kind, ref, text, json.dumps(detail or {}, separators=(",", ":"))),
            )

    if listing.headline is not None:
        first = conn.execute(
            "SELECT 1 FROM changes WHERE story_id = ? AND kind = 'story'", (story_id,)
        ).fetchone()
        if first is None:
            once("story", story_id, listing.headline)
    for aid, title in listing.joined:
        once("article", aid, title)
    for f in facts:
        once("fact", f.number, f.text, {"status": f.status, "independent_sources": f.sources})
        if f.status == FactStatus.CORROBORATED.value:
            once("corroborated", f.number, f.text, {"independent_sources": f.sources})
    for description, kind in listing.found:
        once("conflict", None, description, {"kind": kind})
    if not final:
        return
    before = conn.execute(
        "SELECT CAST(ref AS INTEGER) FROM changes WHERE story_id = ? AND kind = 'sources'"
        " ORDER BY id DESC LIMIT 1",
        (story_id,),
    ).fetchone()
    if before is None or int(before[0]) != listing.sources:
        conn.execute(
            "INSERT INTO changes (at, story_id, kind, ref, text, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (
                at,
                story_id,
                "sources",
                listing.sources,
                f"{listing.sources} independent source(s)",
                json.dumps(
                    {"from": None if before is None else int(before[0]), "to": listing.sources},
                    separators=(",", ":"),
                ),
            ),
        )


def add_relay_keys(store: Store, story_id: int, keys: Iterable[str]) -> list[str]:
    """Record names that relay quotes in the story; return those it did not have."""
    new: list[str] = []
    for key in sorted(set(keys)):
        cur = store.conn.execute(
            "INSERT OR IGNORE INTO fold_relay_keys (story_id, key) VALUES (?, ?)", (story_id, key)
        )
        if cur.rowcount:
            new.append(key)
    return new


def relay_keys(store: Store, story_id: int) -> frozenset[str]:
    """The names that relay quotes in the story (a few per outlet)."""
    rows = store.conn.execute("SELECT key FROM fold_relay_keys WHERE story_id = ?", (story_id,))
    return frozenset(r[0] for r in rows)


def add_speakers(store: Store, story_id: int, found: Iterable[tuple[str, int]]) -> None:
    """Record speaker keys of quote groups: (key, group)."""
    store.conn.executemany(
        "INSERT OR IGNORE INTO fold_quote_speakers (story_id, key, grp) VALUES (?, ?, ?)",
        [(story_id, k, g) for k, g in sorted(set(found))],
    )


def speaking(store: Store, story_id: int, keys: Sequence[str]) -> set[int]:
    """The quote groups some occurrence of which is attributed to one of these keys."""
    out: set[int] = set()
    for key in keys:
        rows = store.conn.execute(
            "SELECT grp FROM fold_quote_speakers WHERE story_id = ? AND key = ?", (story_id, key)
        )
        out.update(int(r[0]) for r in rows)
    return out


def put_quote_conflicts(
    store: Store,
    story_id: int,
    group: int,
    found: Sequence[Conflict],
    cites: Iterable[tuple[int, int]],
) -> tuple[set[str], set[tuple[int, int]]]:
    """Replace a quote group's conflicts and the sentences they dispute; return what it had
    before (descriptions, cited sentences)."""
    conn = store.conn
    key = (story_id, group)
    old = {
        loads(Conflict, r[0]).description
        for r in conn.execute(
            "SELECT data FROM fold_quote_conflicts WHERE story_id = ? AND grp = ?", key
        )
    }
    cited = {
        (int(a), int(s))
        for a, s in conn.execute(
            "SELECT article_id, sentence FROM fold_quote_cites WHERE story_id = ? AND grp = ?", key
        )
    }
    conn.execute("DELETE FROM fold_quote_conflicts WHERE story_id = ? AND grp = ?", key)
    conn.execute("DELETE FROM fold_quote_cites WHERE story_id = ? AND grp = ?", key)
    conn.executemany(
        "INSERT INTO fold_quote_conflicts (story_id, grp, seq, data) VALUES (?, ?, ?, ?)",
        [(story_id, group, k, dumps(c)) for k, c in enumerate(found)],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO fold_quote_cites (story_id, article_id, sentence, grp)"
        " VALUES (?, ?, ?, ?)",
        [(story_id, a, s, group) for a, s in sorted(set(cites))],
    )
    return old, cited


def quote_disputed(store: Store, story_id: int, facts: Sequence[int]) -> set[int]:
    """Those of the facts with a sentence that a quote group's conflict disputes."""
    out: set[int] = set()
    for k in range(0, len(facts), 400):
        chunk = list(facts[k : k + 400])
        rows = store.conn.execute(
            "SELECT DISTINCT m.fact FROM fold_members m JOIN fold_quote_cites c"
            " ON c.story_id = m.story_id AND c.article_id = m.article_id"
            " AND c.sentence = m.sentence"
            f" WHERE m.story_id = ? AND m.fact IN ({','.join('?' * len(chunk))})",
            (story_id, *chunk),
        )
        out.update(int(r[0]) for r in rows)
    return out


def quote_conflict_count(store: Store, story_id: int) -> int:
    """How many quote-group conflicts the story has."""
    row = store.conn.execute(
        "SELECT count(*) FROM fold_quote_conflicts WHERE story_id = ?", (story_id,)
    ).fetchone()
    return int(row[0])


def stale_caches(store: Store, limit: int) -> list[int]:
    """Stories assembled on read whose cached dossier is behind their state, oldest first."""
    rows = store.conn.execute(
        "SELECT d.story_id FROM dossier_due d LEFT JOIN story_index i ON i.story_id = d.story_id"
        " WHERE d.cached IS NOT d.folded ORDER BY i.updated_at, d.story_id LIMIT ?",
        (limit,),
    )
    return [int(r[0]) for r in rows]


def cache(store: Store, dossier: Dossier, folded: int) -> bool:
    """Keep a dossier assembled on read until the next fold; False when a fold came first."""
    with store.transaction():
        found = due(store, dossier.story_id)
        if found is None or found.folded != folded:
            return False
        store.conn.execute(
            "INSERT OR REPLACE INTO dossiers (story_id, data, updated_at) VALUES (?, ?, ?)",
            (dossier.story_id, dumps(dossier), _now()),
        )
        store.conn.execute(
            "UPDATE dossier_due SET cached = ? WHERE story_id = ?", (folded, dossier.story_id)
        )
    return True


def whole(store: Store, story_id: int) -> None:
    """The story's dossier is written whole again: its parts are no longer published."""
    store.conn.execute("DELETE FROM dossier_due WHERE story_id = ?", (story_id,))
