"""Crash safety: runs killed with SIGKILL at each stage recover to an uninterrupted run's state."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from storydesk import api
from storydesk.options import Options
from storydesk.pipeline import run as pipeline
from storydesk.store import Store
from tests.conftest import EXAMPLES

# Small assignment chunks, so a kill in clustering finds some chunks committed and one open.
BOOT = (
    "import storydesk.pipeline.run as r; r.ASSIGN_CHUNK = 4; r.GIST_BATCH = 4;"
    " from storydesk.cli.main import main; main()"
)


def storydesk_run(db: Path, kill_at: str | None = None) -> subprocess.Popen[str]:
    """Start `storydesk run` over the examples in a subprocess (killing itself where told)."""
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", pipeline.KILL_AT)}
    if kill_at:
        env[pipeline.KILL_AT] = kill_at
    args = ["--db", str(db), "run", "--published", "2026-03-13", "--workers", "1", str(EXAMPLES)]
    return subprocess.Popen(
        [sys.executable, "-c", BOOT, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    """Wait for a run: its exit code and stderr."""
    _, err = proc.communicate(timeout=300)
    return proc.returncode, err


def final_state(db: Path) -> dict[str, Any]:
    """What a finished run must leave, with ids, texts, stories and dossiers; checks invariants."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = {
            int(i): (Path(src).name, hashlib.sha256(data.encode()).hexdigest())
            for i, src, data in conn.execute("SELECT id, source, data FROM articles")
        }
        members = dict(conn.execute("SELECT article_id, story_id FROM memberships").fetchall())
        dossiers = dict(conn.execute("SELECT story_id, data FROM dossiers").fetchall())
        edges = sorted(conn.execute("SELECT * FROM lineage_edges").fetchall())
        stale = conn.execute("SELECT count(*) FROM stale_stories").fetchone()[0]
        analyses = conn.execute("SELECT count(*) FROM analyses").fetchone()[0]
        rejections = conn.execute("SELECT count(*) FROM rejections").fetchone()[0]
    finally:
        conn.close()
    with Store(db) as store:
        listed = {r.id: (r.title, r.articles) for r in store.stories()}
        for sid, (_, aids) in listed.items():
            dossier = store.dossier(sid)
            assert dossier is not None and tuple(a.id for a in dossier.articles) == aids
    assert set(members) == set(articles), "every article in exactly one story"
    assert set(dossiers) == set(listed), "every listed story has a dossier, no other has one"
    assert (stale, analyses, rejections) == (0, len(articles), 0)
    return {"articles": articles, "stories": listed, "dossiers": dossiers, "edges": edges}


def listed_stories_show(db: Path) -> None:
    """Every listed story has a dossier to show (the last complete one, or one built now)."""
    options = Options(db=db)
    with Store(db) as store:
        unbuilt = [r.id for r in store.stories() if store.dossier(r.id) is None]
    for row in api.stories(options):
        if row.id in unbuilt[1:]:
            continue  # one story without a dossier yet is built for the reader: enough
        dossier = api.dossier(row.id, options)
        assert dossier is not None, f"no dossier for listed story {row.id}"
        assert {a.id for a in dossier.articles} <= set(row.articles)


def _article(i: int) -> Any:
    """A small analysed article."""
    from tests.factories import make_article

    return make_article(i, [f"The harbour board closed pier {i} on Tuesday."], title=f"Pier {i}")


def test_runs_killed_at_each_stage_are_finished_by_the_next(tmp_path: Path) -> None:
    # where each kill falls, and what it leaves there
    left = {
        "ingest:6": "SELECT count(*) FROM articles",  # the first window is not stored yet
        "analyze:7": "SELECT count(*) FROM analyses",  # seven analyses stored
        "cluster:10": "SELECT count(*) FROM memberships",  # two chunks of four committed
        "dossiers:3": "SELECT count(*) FROM dossiers",  # three dossiers written
    }
    expected_left = {"ingest:6": 0, "analyze:7": 7, "cluster:10": 8, "dossiers:3": 3}
    points = list(left)
    clean = storydesk_run(tmp_path / "clean.db")  # all at once: the runs are independent
    killed = {point: storydesk_run(tmp_path / f"{point[:-2]}.db", point) for point in points}
    for point, proc in killed.items():
        code, err = finish(proc)
        assert code == -signal.SIGKILL, f"{point}: {err}"
        with sqlite3.connect(tmp_path / f"{point[:-2]}.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", point
            assert conn.execute(left[point]).fetchone()[0] == expected_left[point], point
        listed_stories_show(tmp_path / f"{point[:-2]}.db")  # a reader before the rerun
    reruns = {point: storydesk_run(tmp_path / f"{point[:-2]}.db") for point in points}
    code, err = finish(clean)
    assert code == 0, err
    expected = final_state(tmp_path / "clean.db")
    for point, proc in reruns.items():
        code, err = finish(proc)
        assert code == 0, f"{point}: {err}"
        assert final_state(tmp_path / f"{point[:-2]}.db") == expected, point


def test_stale_marks_are_written_with_the_membership_change(tmp_path: Path) -> None:
    from storydesk.model import Assignment
    from storydesk.store.stories import merge_stories
    from tests.factories import store_articles

    with Store(tmp_path / "s.db") as store:
        a, b, c = store_articles(store, [_article(i) for i in (1, 2, 3)])
        first, second = store.new_story(), store.new_story()
        store.assign(Assignment(a.id, None, 1.0), first)
        store.assign(Assignment(b.id, None, 1.0), second)
        assert set(store.stale()) == {first, second}
        marks = store.stale()
        store.assign(Assignment(c.id, first, 1.0), first)
        assert store.stale()[first] > marks[first]  # re-marked: an older build may not clear it
        mark, articles = store.story_state(first)
        assert mark == store.stale()[first] and [x.id for x in articles] == [a.id, c.id]
        merge_stories(store, second, first, 0.9, None)
        assert set(store.stale()) == {first}  # the absorbed story has nothing left to build
        assert store.members_of(second) == []


def test_a_rebuild_does_not_clear_a_mark_set_after_it_read_the_story(tmp_path: Path) -> None:
    from storydesk.model import Assignment
    from tests.factories import store_articles

    with Store(tmp_path / "s.db") as store:
        a, b = store_articles(store, [_article(i) for i in (1, 2)])
        sid = store.new_story()
        store.assign(Assignment(a.id, None, 1.0), sid)
        mark, articles = store.story_state(sid)
        dossier, edges = pipeline.build_story(sid, articles, Options())
        store.assign(Assignment(b.id, sid, 1.0), sid)  # another writer, meanwhile
        assert not store.put_story_outputs(dossier, edges, mark)
        assert store.dossier(sid) is None and sid in store.stale()
        options = Options(db=tmp_path / "s.db")
        assert pipeline.finish_stale(options, store, pipeline.SilentReporter()) == [sid]
        assert store.stale() == {}
        stored = store.dossier(sid)
        assert stored is not None and [x.id for x in stored.articles] == [a.id, b.id]


def test_databases_that_lost_dossiers_are_repaired_by_the_next_run(tmp_path: Path) -> None:
    from tests.factories import fisheries_story, store_articles, unrelated_article

    db = tmp_path / "old.db"
    options = Options(db=db)
    with Store(db) as store:
        store_articles(store, [*fisheries_story(), unrelated_article()])
        pipeline.process(options, store, pipeline.SilentReporter())
        # a database made before migration 0006: a run killed while writing dossiers, and
        # a story merged away whose dossier another run wrote again (empty)
        store.conn.execute("DELETE FROM dossiers WHERE story_id = 2")
        ghost = store.new_story()
        store.conn.execute(
            "INSERT INTO dossiers (story_id, data, updated_at) SELECT ?, data, '' FROM dossiers",
            (ghost,),
        )
        store.conn.execute("DROP TABLE stale_stories")
        store.conn.execute("DELETE FROM schema_migrations WHERE number = 6")
    with Store(db) as store:
        assert store.stale().keys() == {2}
        assert store.dossier(ghost) is None
    assert api.dossier(2, options) is not None  # built for the reader meanwhile
    report = api.run([], options)
    assert report.stories == (2,)
    with Store(db) as store:
        assert store.stale() == {} and store.dossier(2) is not None


def test_show_gives_the_last_complete_dossier_while_a_story_is_stale(tmp_path: Path) -> None:
    from storydesk.model import Assignment
    from tests.factories import fisheries_story, store_articles

    db = tmp_path / "s.db"
    options = Options(db=db)
    with Store(db) as store:
        first = store_articles(store, fisheries_story())
        pipeline.process(options, store, pipeline.SilentReporter())
        (late,) = store_articles(store, [_article(7)])
        store.assign(Assignment(late.id, 1, 0.5), 1)  # a run that died before the dossiers
    shown = api.dossier(1, options)
    assert shown is not None
    assert [a.id for a in shown.articles] == [a.id for a in first]
    assert {m.article for m in shown.membership} == {a.id for a in first}
    api.run([], options)
    shown = api.dossier(1, options)
    assert shown is not None and late.id in [a.id for a in shown.articles]
