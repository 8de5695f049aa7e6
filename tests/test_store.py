"""The SQLite store: migrations, content addressing, idempotence, round trips."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from storydesk.model import (
    AnalyzedArticle,
    Article,
    Assignment,
    Entity,
    Quote,
    RawDocument,
    Rejection,
    Sentence,
    Span,
    Speaker,
)
from storydesk.store import Store
from storydesk.store.migrate import available


def _doc(content: bytes, source: str = "a.txt") -> RawDocument:
    return RawDocument(source, content, "text/plain", hashlib.sha256(content).hexdigest())


def test_migrations_are_numbered_and_recorded(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        rows = store.conn.execute("SELECT number, name FROM schema_migrations").fetchall()
        mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
    numbers = [n for n, _, _ in available()]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1
    assert [r[0] for r in rows] == numbers
    assert mode == "wal"
    # Opening again applies nothing twice.
    with Store(tmp_path / "s.db") as store:
        count = store.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert count == len(numbers)


def test_raw_bytes_are_content_addressed_and_idempotent(tmp_path: Path) -> None:
    doc = _doc(b"Headline\nBody line.\n")
    with Store(tmp_path / "s.db") as store:
        assert store.put_raw(doc) is True
        assert store.put_raw(doc) is False
        assert store.put_raw(_doc(doc.content, "copy.txt")) is True  # same bytes, new source
        assert store.raw(doc.sha256) == doc.content
        assert store.sources_of(doc.sha256) == ["a.txt", "copy.txt"]
        blobs = store.conn.execute("SELECT count(*) FROM blobs").fetchone()[0]
    assert blobs == 1


def test_article_and_analysis_round_trip(tmp_path: Path) -> None:
    doc = _doc(b"x")
    article = Article(source="a.txt", sha256=doc.sha256, title="T", paragraphs=("He said “hi.”",))
    with Store(tmp_path / "s.db") as store:
        store.put_raw(doc)
        stored = store.add_article(article)
        assert stored.id > 0 and store.article(stored.id) == stored
        analyzed = AnalyzedArticle(
            article=stored,
            sentences=(Sentence(0, 13, "He said “hi.”"),),
            entities=(Entity(0, 2, "He", "PERSON", "He"),),
            quotes=(Quote(8, 13, "“hi.”", Speaker(None, 0, 2, "He"), Span(3, 7, "said")),),
        )
        store.put_analysis(analyzed, "model")
        assert store.analyses([stored.id]) == [analyzed]
        assert store.unanalyzed() == []
        assert store.unassigned() == [stored.id]
        sid = store.new_story()
        store.assign(Assignment(stored.id, None, 1.0), sid)
        assert store.unassigned() == []
        assert store.stories()[0].articles == (stored.id,)
        assert store.search("said") == [stored.id]


def test_rejections_are_recorded_once(tmp_path: Path) -> None:
    r = Rejection("bad.bin", "read", "binary content")
    with Store(tmp_path / "s.db") as store:
        store.add_rejection(r)
        store.add_rejection(r)
        assert store.rejections() == [r]


def test_failed_write_rolls_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        try:
            with store._tx():
                store.conn.execute(
                    "INSERT INTO stories (title, created_at, updated_at) VALUES ('x', '', '')"
                )
                store.conn.execute("INSERT INTO no_such_table VALUES (1)")
        except sqlite3.OperationalError:
            pass
        assert store.stories() == []
        assert store.conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
