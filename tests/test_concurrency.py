"""Concurrent use: processes opening, writing and reading one database at once."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storydesk import api
from storydesk.cli.main import cli
from storydesk.options import Options
from storydesk.store import Store
from storydesk.store.migrate import available
from tests.conftest import EXAMPLES

BOOT = (
    "import storydesk.pipeline.run as r; r.ASSIGN_CHUNK = 4; r.GIST_BATCH = 4;"
    " from storydesk.cli.main import main; main()"
)


def _open_at_once(path: str, barrier: Any) -> None:
    """Open (and migrate) a database as soon as every process is ready."""
    barrier.wait()
    with Store(path) as store:
        store.new_story("opened")


def test_two_processes_open_a_new_database_at_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    for trial in range(10):
        path = str(tmp_path / f"new{trial}.db")
        barrier = context.Barrier(2)
        procs = [context.Process(target=_open_at_once, args=(path, barrier)) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0], f"trial {trial}"
        with sqlite3.connect(path) as conn:
            numbers = [r[0] for r in conn.execute("SELECT number FROM schema_migrations")]
            assert sorted(numbers) == [n for n, _, _ in available()]  # each applied once
            assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 2
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _writer(db: Path, folder: Path) -> subprocess.Popen[str]:
    """A `storydesk run` over one folder, started now."""
    env = {k: v for k, v in os.environ.items() if k != "STORYDESK_DB"}
    args = ["--db", str(db), "run", "--published", "2026-03-13", "--workers", "1", str(folder)]
    return subprocess.Popen(
        [sys.executable, "-c", BOOT, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _halves(tmp_path: Path) -> tuple[Path, Path]:
    """The example articles split into two folders (alternate files, so stories span both)."""
    files = sorted(EXAMPLES.glob("*.txt"))
    halves = (tmp_path / "first", tmp_path / "second")
    for i, f in enumerate(files):
        halves[i % 2].mkdir(exist_ok=True)
        shutil.copy(f, halves[i % 2] / f.name)
    return halves


@dataclass
class Readings:
    """What the readers saw while the writers worked, and how the writers ended."""

    db: Path
    writers: list[tuple[int, str]]
    rounds: int = 0
    failures: list[str] = field(default_factory=list)


def _read_once(db: Path, built: set[int], runner: CliRunner, seen: Readings) -> None:
    """One round of reading: list the stories and show each (building one at most once)."""
    options = Options(db=db)
    rows = api.stories(options)
    for row in rows:
        with Store(db) as store:
            stored = store.dossier(row.id) is not None
        if stored or row.id not in built:  # a dossier not written yet is built here, once
            if api.dossier(row.id, options) is None:
                seen.failures.append(f"story {row.id} listed but not shown")
            built.add(row.id)
    result = runner.invoke(cli, ["--db", str(db), "stories"])
    if result.exit_code != 0:
        seen.failures.append(f"stories: {result.output}")
    if rows:
        result = runner.invoke(cli, ["--db", str(db), "show", str(rows[-1].id), "--format", "json"])
        if result.exit_code != 0:
            seen.failures.append(f"show {rows[-1].id}: {result.output}")


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> Readings:
    """Three writers started together (two halves, and both at once), a reader meanwhile."""
    tmp = tmp_path_factory.mktemp("writers")
    db = tmp / "both.db"
    Store(db).close()  # the database exists: the reader reads while the writers fill it
    every = tmp / "every"  # a third writer given the same inputs as the other two together
    shutil.copytree(EXAMPLES, every, ignore=shutil.ignore_patterns("feeds", "*.md"))
    writers = [_writer(db, folder) for folder in (*_halves(tmp), every)]
    seen = Readings(db, [])
    built: set[int] = set()
    runner = CliRunner()
    while any(w.poll() is None for w in writers) or seen.rounds == 0:
        try:
            _read_once(db, built, runner, seen)
        except Exception as exc:  # a reader's failure of any kind is counted
            seen.failures.append(f"{type(exc).__name__}: {exc}")
        seen.rounds += 1
        time.sleep(0.2)
    seen.writers = [(w.returncode, w.communicate()[1]) for w in writers]
    return seen


def test_two_writers_at_once_lose_nothing(readings: Readings) -> None:
    for code, err in readings.writers:
        assert code == 0 and "Traceback" not in err, err
    files = sorted(EXAMPLES.glob("*.txt"))
    with Store(readings.db) as store:
        listed = store.stories()
        assert store.article_count() == len(files) and store.unassigned() == []  # none lost
        assert sorted(a for r in listed for a in r.articles) == list(range(1, len(files) + 1))
        assert store.stale() == {}
        for row in listed:
            dossier = store.dossier(row.id)
            assert row.articles and dossier is not None
            assert tuple(a.id for a in dossier.articles) == row.articles
        with_dossier = {r[0] for r in store.conn.execute("SELECT story_id FROM dossiers")}
        assert with_dossier == {r.id for r in listed}  # none for a story merged away
        stories = {
            frozenset(Path(a.source).name for a in map(store.article, r.articles) if a)
            for r in listed
        }
    # the stories a sequential run finds: one per event (file names are <event>-<outlet>.txt)
    events: dict[str, set[str]] = {}
    for f in files:
        events.setdefault(f.name.split("-")[0], set()).add(f.name)
    assert stories == {frozenset(names) for names in events.values()}


def test_readers_never_fail_while_writers_work(readings: Readings) -> None:
    assert readings.failures == []
    assert readings.rounds > 1
