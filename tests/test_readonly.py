"""Commands that only read never create a database or a folder: they say there is none (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from storydesk.cli.main import cli
from storydesk.errors import NoDatabaseError
from storydesk.options import Options
from storydesk.store import Store

READERS = (
    ("stories",),
    ("stories", "--format", "json"),
    ("stories", "--explain"),
    ("show", "1"),
    ("show", "1", "--format", "json"),
    ("show", "1", "--format", "html"),
    ("rejected",),
    ("rejected", "--all"),
    ("reprocess",),
    ("merge", "1", "2"),
    ("split", "1", "2"),
    ("move", "1", "2"),
)


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"STORYDESK_DB": None})


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_typo_in_db_creates_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _invoke("--db", str(tmp_path / "typo.db"), *args)
    assert result.exit_code == 2, result.output
    assert f"no database at {tmp_path / 'typo.db'}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _tree(tmp_path) == []


@pytest.mark.parametrize("args", READERS[:7], ids=" ".join)
def test_a_missing_folder_is_not_made(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _invoke("--db", str(tmp_path / "nosuchdir" / "typo.db"), *args)
    assert result.exit_code == 2, result.output
    assert "no database at" in result.output
    assert not (tmp_path / "nosuchdir").exists()


def test_stories_in_an_empty_folder_uses_the_default_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYDESK_DB", raising=False)
    for args in (("stories",), ("show", "1"), ("rejected",)):
        result = _invoke(*args)
        assert result.exit_code == 2, result.output
        assert "no database at storydesk.db" in result.output
    assert _tree(tmp_path) == []


def test_empty_and_foreign_files_are_no_database_and_stay_as_they_are(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n")
    for path, why in ((empty, "an empty file"), (notes, "not an SQLite database")):
        result = _invoke("--db", str(path), "stories")
        assert result.exit_code == 2
        assert f"no database at {path} ({why})" in result.output
    assert empty.read_bytes() == b""
    assert notes.read_text() == "not a database\n"
    assert _tree(tmp_path) == ["empty.db", "notes.db"]


def test_a_folder_named_as_the_database_is_no_database(tmp_path: Path) -> None:
    result = _invoke("--db", str(tmp_path), "show", "1")
    assert result.exit_code == 2 and "is a directory" in result.output
    with pytest.raises(NoDatabaseError, match="no database at"):
        Store.open_existing(tmp_path)
    assert _tree(tmp_path) == []


def test_readers_work_on_a_database_that_exists(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    Store(db).close()  # an empty database, made by a writer
    assert _invoke("--db", str(db), "stories").output == "no stories\n"
    assert _invoke("--db", str(db), "rejected").output == ""
    result = _invoke("--db", str(db), "show", "1")
    assert result.exit_code == 2 and "no story 1" in result.output


def test_the_library_raises_no_database_error(tmp_path: Path) -> None:
    from storydesk import api

    options = Options(db=tmp_path / "missing" / "d.db")
    for call in (api.stories, api.rejections, lambda o: api.dossier(1, o)):
        with pytest.raises(NoDatabaseError, match="no database at"):
            call(options)
    with pytest.raises(NoDatabaseError):
        Store.open_existing(tmp_path / "d.db")
    assert _tree(tmp_path) == []
