"""Big stories publish parts (issue 16): an add writes the rows it touched, never the dossier.

A story above the exact core keeps its search rows, listing row and changes in step fold by
fold (``pipeline.publish``); readers assemble its dossier from the stored state and cache it
until the next fold. What is published must say what the assembled dossier says.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from storydesk import api
from storydesk.model import Dossier
from storydesk.options import DossierSettings, Options
from storydesk.pipeline import run as pipeline
from storydesk.pipeline.dossiers import stored_dossier
from storydesk.render.jsonout import render_json
from storydesk.store import Store
from storydesk.store.db import SEARCH_ROWS
from storydesk.store.published import due
from tests.conftest import EXAMPLES

FERRY = sorted(EXAMPLES.glob("ferry-*.txt"))


def _options(db: Path, exact: int = 2) -> Options:
    return Options(db=db, published="2026-03-13", dossier=DossierSettings(exact_articles=exact))


def _one_by_one(options: Options, files: Sequence[Path] = FERRY) -> int:
    """Run the files one per run; return the biggest story."""
    with Store(options.db) as store:
        for f in files:
            pipeline.run([str(f)], options, store)
        return max(store.story_members().items(), key=lambda kv: len(kv[1]))[0]


def _assembled(store: Store, sid: int, options: Options) -> Dossier:
    with store.snapshot():
        found, _ = stored_dossier(store, sid, options)
    assert found is not None
    return found


def _published(store: Store, sid: int) -> dict[str, Any]:
    """Everything a story published: search rows, listing row (less its time), changes."""
    rows = store.conn.execute(
        "SELECT kind, ref, title, body, status, outlets FROM claims_search WHERE story = ?"
        " ORDER BY rowid",
        (sid,),
    ).fetchall()
    listing = store.conn.execute(
        "SELECT articles, sources, facts, conflicts, first_published, last_published"
        " FROM story_index WHERE story_id = ?",
        (sid,),
    ).fetchone()
    changes = store.conn.execute(
        "SELECT kind, text FROM changes WHERE story_id = ? ORDER BY id", (sid,)
    ).fetchall()
    return {"rows": rows, "listing": listing, "changes": changes}


def test_published_rows_say_what_the_assembled_dossier_says(tmp_path: Path) -> None:
    options = _options(tmp_path / "p.db")
    sid = _one_by_one(options)
    with Store(options.db) as store:
        marked = due(store, sid)
        members = store.members_of(sid)
        assert marked is not None and marked.folded == len(members) > 2
        dossier = _assembled(store, sid, options)
        got = _published(store, sid)
    facts = {
        int(r[1]): (r[3], r[4], tuple(json.loads(r[5]))) for r in got["rows"] if r[0] == "fact"
    }
    assert facts == {f.number: (f.text, f.status.value, f.outlets) for f in dossier.facts}
    assert len([r for r in got["rows"] if r[0] == "quote"]) == len(dossier.quotes)
    assert got["listing"] == (
        len(dossier.articles),
        dossier.independent_sources,
        len(dossier.facts),
        len(dossier.conflicts),
        dossier.first_published,
        dossier.last_published,
    )
    joined = [t for k, t in got["changes"] if k == "article"]
    assert sorted(joined) == sorted(a.title for a in dossier.articles)
    assert [k for k, _ in got["changes"]].count("story") == 1
    for f in dossier.facts:  # every fact announced once, by its wording
        assert [t for k, t in got["changes"] if k == "fact"].count(f.text) == 1
    corroborated = {t for k, t in got["changes"] if k == "corroborated"}
    assert any(f.status.value == "corroborated" for f in dossier.facts)
    for f in dossier.facts:
        if f.status.value == "corroborated":
            assert f.text in corroborated


def test_a_rebuild_publishes_what_the_folds_published(tmp_path: Path) -> None:
    options = _options(tmp_path / "r.db")
    sid = _one_by_one(options)
    with Store(options.db) as store:
        before = _published(store, sid)
        shown = render_json(_assembled(store, sid, options))
        assert pipeline.rebuild([sid], options, store, pipeline.SilentReporter()) == [sid]
        after = _published(store, sid)
        assert render_json(_assembled(store, sid, options)) == shown
    assert sorted(after["rows"]) == sorted(before["rows"])
    assert after["listing"] == before["listing"]
    assert after["changes"] == before["changes"]  # nothing new to announce


def test_an_add_publishes_only_the_facts_it_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.pipeline import publish as publishing

    written: list[tuple[int, bool]] = []
    real = publishing.write

    def counting(store: Store, sid: int, facts: Sequence[Any], *args: Any, **kw: Any) -> None:
        written.append((len(facts), bool(kw.get("full"))))
        real(store, sid, facts, *args, **kw)

    monkeypatch.setattr(publishing, "write", counting)
    options = _options(tmp_path / "t.db")
    sid = _one_by_one(options)
    with Store(options.db) as store:
        total = store.conn.execute(
            "SELECT count(*) FROM fold_facts WHERE story_id = ?", (sid,)
        ).fetchone()[0]
    assert written and written[0][1]  # the story's first fold publishes every part once
    incremental = [n for n, full in written if not full]
    assert incremental and all(n < total for n in incremental)


def test_a_read_assembles_a_big_story_once_until_the_next_fold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.pipeline import dossiers

    options = _options(tmp_path / "c.db")
    sid = _one_by_one(options, FERRY[:-1])
    first = api.dossier(sid, options)
    with Store(options.db) as store:
        marked = due(store, sid)
    assert first is not None and marked is not None and marked.current

    def no_assembly(*_: object) -> object:
        raise AssertionError("a current cached dossier is read, not assembled")

    with monkeypatch.context() as m:
        m.setattr(dossiers, "assembled", no_assembly)
        again = api.dossier(sid, options)
    assert again is not None and render_json(again) == render_json(first)
    with Store(options.db) as store:
        pipeline.run([str(FERRY[-1])], options, store)
        grown = store.members_of(sid)
        marked = due(store, sid)
    assert marked is not None and not marked.current and marked.folded == len(grown)
    shown = api.dossier(sid, options)
    assert shown is not None and len(shown.articles) == len(grown) > len(first.articles)


def test_a_story_back_under_the_core_is_written_whole(tmp_path: Path) -> None:
    from storydesk.pipeline import corrections

    options = _options(tmp_path / "w.db", exact=3)
    sid = _one_by_one(options)
    with Store(options.db) as store:
        members = store.members_of(sid)
        assert due(store, sid) is not None and len(members) > 3
    corrections.split(sid, members[3:], options)
    with Store(options.db) as store:
        assert due(store, sid) is None  # whole again: the trigger published it
        whole = store.dossier(sid)
        assert whole is not None and [a.id for a in whole.articles] == members[:3]
        rows = store.conn.execute(
            "SELECT count(*) FROM claims_search WHERE story = ? AND kind = 'fact'", (sid,)
        ).fetchone()[0]
    assert rows == len(whole.facts)


def test_a_story_merged_away_leaves_no_published_rows(tmp_path: Path) -> None:
    from storydesk.pipeline import corrections

    options = _options(tmp_path / "m.db")
    with Store(options.db) as store:
        # born big in one run: never written whole
        pipeline.run([str(f) for f in sorted(EXAMPLES.glob("*.txt"))], options, store)
        stories = sorted(store.story_members(), key=lambda s: -len(store.members_of(s)))
        big = stories[0]
        assert store.dossier(big) is None and due(store, big) is not None
    assert len(stories) > 1
    corrections.merge(stories[1], big, options)
    with Store(options.db) as store:
        base = big * SEARCH_ROWS
        left = store.conn.execute(
            "SELECT count(*) FROM claims_search WHERE rowid BETWEEN ? AND ?",
            (base, base + SEARCH_ROWS - 1),
        ).fetchone()[0]
        listed = store.conn.execute(
            "SELECT count(*) FROM story_index WHERE story_id = ?", (big,)
        ).fetchone()[0]
        assert left == 0 and listed == 0 and due(store, big) is None


def test_search_dates_a_fact_by_its_storys_latest_article(tmp_path: Path) -> None:
    from storydesk.store.search import Window

    options = _options(tmp_path / "s.db")
    sid = _one_by_one(options)
    with Store(options.db) as store:
        last = store.conn.execute(
            "SELECT last_published FROM story_index WHERE story_id = ?", (sid,)
        ).fetchone()[0]
        fact = store.conn.execute(
            "SELECT body FROM claims_search WHERE story = ? AND kind = 'fact' LIMIT 1", (sid,)
        ).fetchone()[0]
    word = max((w for w in fact.split() if w.isalpha()), key=len)
    day = str(last)[:10]
    hits = api.search(word, Window(story=sid, since=day), options, kinds=("fact",))
    assert hits and all(h.published == last for h in hits)
    later = api.search(word, Window(story=sid, since="2999-01-01"), options, kinds=("fact",))
    assert later == []


def test_an_idle_service_assembles_big_stories_for_readers(tmp_path: Path) -> None:
    from storydesk.pipeline.dossiers import assembled, warm_next
    from storydesk.store.folds import FoldStore

    options = _options(tmp_path / "i.db")
    sid = _one_by_one(options)
    with Store(options.db) as store:
        marked = due(store, sid)
        assert marked is not None and not marked.current
        assert warm_next(store, options) == sid
        marked = due(store, sid)
        assert marked is not None and marked.current
        cached = store.dossier(sid)
        with store.snapshot():
            fresh, _ = assembled(sid, FoldStore(store, sid), options)
        assert cached is not None and render_json(cached) == render_json(fresh)
        assert warm_next(store, options) is None  # nothing left to do


def test_a_story_that_fails_to_assemble_is_not_tried_on_every_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.pipeline import dossiers

    options = _options(tmp_path / "f.db")
    sid = _one_by_one(options)
    calls: list[int] = []

    def broken(story_id: int, *_: object) -> object:
        calls.append(story_id)
        raise RuntimeError("assembly failed")

    failed: set[int] = set()
    with Store(options.db) as store, monkeypatch.context() as m:
        m.setattr(dossiers, "assembled", broken)
        with pytest.raises(RuntimeError):
            dossiers.warm_next(store, options, failed)
        assert dossiers.warm_next(store, options, failed) is None  # not tried again
    assert calls == [sid] and failed == {sid}


def test_a_read_while_a_writer_holds_the_database_still_gets_the_dossier(tmp_path: Path) -> None:
    import sqlite3

    options = _options(tmp_path / "l.db")
    sid = _one_by_one(options)
    writer = sqlite3.connect(str(options.db), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process writing: the cache must wait
        shown = api.dossier(sid, options)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with Store(options.db) as store:
        marked = due(store, sid)
        whole = _assembled(store, sid, options)
    assert shown is not None and len(shown.articles) == len(whole.articles)
    assert marked is not None and not marked.current  # not cached: the next read assembles
