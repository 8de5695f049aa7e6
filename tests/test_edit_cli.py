"""`storydesk edit` / `undo` and `run --update`: what the input got wrong, corrected after ingest,
with everything that depends on it (lineage, sources, coverage, dates) derived again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from storydesk import api
from storydesk.cli.main import cli
from storydesk.model import Dossier
from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, assign_stories, rebuild
from storydesk.render.jsonout import render_json
from storydesk.store import Store
from tests.conftest import EXAMPLES
from tests.factories import fisheries_story, store_articles


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The fisheries story: wire (1), an edit crediting it (2), paraphrase (3), own report (4)."""
    path = tmp_path / "e.db"
    with Store(path) as store:
        store_articles(store, fisheries_story())
        touched = assign_stories(Options(db=path), store, SilentReporter())
        rebuild(touched, Options(db=path), store, SilentReporter())
    return path


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def dossier(db: Path) -> Dossier:
    found = api.dossier(1, Options(db=db))
    assert found is not None
    return found


def test_edit_outlet_rebuilds_what_depends_on_it_and_undo_restores(db: Path) -> None:
    before = render_json(dossier(db))
    refs = {a.id: a for a in dossier(db).articles}
    assert refs[2].outlet == "Harbour Daily" and refs[2].cites == ("Coastwire",)
    done = invoke(db, "edit", "2", "--outlet", "Coastwire")
    assert done.exit_code == 0, done.output
    assert "article 2: outlet Coastwire (was Harbour Daily)" in done.output
    after = dossier(db)
    refs = {a.id: a for a in after.articles}
    assert refs[2].outlet == "Coastwire" and refs[2].cites == ()  # never cites its own outlet
    evidence = refs[2].outlet_evidence  # the edit is the evidence now, nothing inferred
    assert evidence is not None and evidence.source == "options" and not evidence.inferred
    assert "Harbour Daily" not in after.coverage.outlets
    assert dict(after.coverage.columns)["Coastwire"] == (1, 2)
    listed = json.loads(invoke(db, "stories", "--format", "json").output)
    assert "Harbour Daily" not in listed[0]["outlets"] and "Coastwire" in listed[0]["outlets"]
    undone = invoke(db, "undo")
    assert undone.exit_code == 0 and "undid correction 1 (edit)" in undone.output
    assert render_json(dossier(db)) == before  # the same dossier as before the edit


def test_edit_date_resolves_relative_dates_and_lineage_again(db: Path) -> None:
    refs = {a.id: a for a in dossier(db).articles}
    assert refs[2].derived_from == (1,)  # the light edit came after the wire report
    done = invoke(db, "edit", "1", "--published", "2025-03-13")
    assert done.exit_code == 0, done.output
    assert "published 2025-03-13 (was 2025-03-04)" in done.output
    refs = {a.id: a for a in dossier(db).articles}
    assert refs[1].published == "2025-03-13"
    assert refs[1].derived_from == (2,) and refs[2].derived_from == ()  # now the later one
    with Store(db) as store:
        (wire,) = store.analyses([1])
    tuesdays = {t.value for t in wire.times if t.text == "Tuesday"}
    assert tuesdays == {"2025-03-11"}  # the Tuesday before the new date, not 2025-03-04
    assert dossier(db).last_published == "2025-03-13"


def test_edit_clears_an_outlet_and_the_article_gets_its_own_column(db: Path) -> None:
    assert invoke(db, "edit", "4", "--outlet", "").exit_code == 0
    cov = dossier(db).coverage
    assert "Estmark Herald" not in cov.outlets and dict(cov.columns)["article 4"] == (4,)
    assert {a.id: a.outlet_evidence for a in dossier(db).articles}[4] is None
    assert all(carried for _, carried in cov.matrix)  # every fact carried by some column


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("edit", "99", "--outlet", "X"), "no article 99"),
        (("edit", "1", "--published", "2025-02-30"), "is not a date (YYYY-MM-DD)"),
        (("edit", "1", "--published", "1066-10-14"), "is not a publication date"),
        (("edit", "1"), "give --outlet and/or --published"),
        (("undo",), "no correction to undo"),
    ],
)
def test_bad_edits_are_usage_errors(db: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(db, *args)
    assert result.exit_code == 2 and message in result.output
    assert {a.id: a.outlet for a in dossier(db).articles}[1] == "Coastwire"  # nothing changed


def test_edit_needs_an_existing_database(tmp_path: Path) -> None:
    result = invoke(tmp_path / "none.db", "edit", "1", "--outlet", "X")
    assert result.exit_code == 2 and not (tmp_path / "none.db").exists()


@pytest.fixture
def ferry(tmp_path: Path) -> tuple[Path, list[str]]:
    """Two invented example reports, run into a database: their outlets are in the text."""
    paths = []
    for name in ("ferry-harbor-wire.txt", "ferry-tidewater-herald.txt"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
        paths.append(str(tmp_path / name))
    db = tmp_path / "u.db"
    result = invoke(db, "run", "--published", "2026-03-13", *paths)
    assert result.exit_code == 0, result.output
    return db, paths


def _outlets(db: Path) -> dict[str, str | None]:
    with Store(db) as store:
        rows = store.conn.execute("SELECT source, outlet FROM articles").fetchall()
    return {Path(s).name: o for s, o in rows}


def test_run_update_applies_outlet_and_date_to_stored_inputs(ferry: tuple[Path, list[str]]) -> None:
    db, paths = ferry
    before = _outlets(db)
    plain = invoke(db, "run", "--outlet", "Skerra Sound", paths[1])
    assert plain.exit_code == 0 and _outlets(db) == before  # without --update: left as it is
    result = invoke(
        db, "run", "--update", "--outlet", "Skerra Sound", "--published", "2026-03-14", paths[1]
    )
    assert result.exit_code == 0, result.output
    assert "updated 1 stored article" in result.output and "storydesk undo" in result.output
    after = _outlets(db)
    assert after["ferry-tidewater-herald.txt"] == "Skerra Sound"
    assert after["ferry-harbor-wire.txt"] == before["ferry-harbor-wire.txt"]
    refs = {a.source: a for a in dossier(db).articles}
    assert refs[paths[1]].outlet == "Skerra Sound" and refs[paths[1]].published == "2026-03-14"
    again = invoke(
        db, "ingest", "--update", "--outlet", "Skerra Sound", "--published", "2026-03-14", paths[1]
    )
    assert again.exit_code == 0 and "stored article" not in again.output  # nothing to change
    assert [e["action"] for e in api.corrections(Options(db=db))] == ["edit"]
    assert invoke(db, "undo").exit_code == 0
    assert _outlets(db) == before


def test_update_without_values_is_a_usage_error(ferry: tuple[Path, list[str]]) -> None:
    db, paths = ferry
    result = invoke(db, "ingest", "--update", paths[0])
    assert result.exit_code == 2 and "--update needs --outlet and/or --published" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("search", "ferry", "--since", "2025-02-30"),
        ("search", "ferry", "--until", "March 3"),
        ("compare", "a.txt", "b.txt", "--published", "2025-13-01"),
    ],
)
def test_bad_dates_of_other_commands_are_usage_errors(db: Path, args: tuple[str, ...]) -> None:
    """Every command reads its dates through one check (cli.params), with one message."""
    result = invoke(db, *args)
    assert result.exit_code == 2 and "is not a date (YYYY-MM-DD)" in result.output
