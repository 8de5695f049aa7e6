"""Reprocessing: a rejection recovered from the stored bytes once the parser is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.errors import InputError
from storydesk.model import Article, RawDocument
from storydesk.options import Options

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"


def test_fixed_parser_recovers_a_rejected_page_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storydesk.pipeline.door as door

    page = tmp_path / "cheese.html"
    page.write_bytes((PAGES / "cheese-award.html").read_bytes())
    db = str(tmp_path / "db.sqlite")
    real = door.clean

    def buggy(doc: RawDocument, options: Options) -> Article:
        raise InputError("parser bug")

    monkeypatch.setattr(door, "clean", buggy)
    first = CliRunner().invoke(cli, ["--db", db, "ingest", str(page)])
    assert first.exit_code == 1 and "parser bug" in first.output
    assert "parser bug" in CliRunner().invoke(cli, ["--db", db, "rejected"]).output

    monkeypatch.setattr(door, "clean", real)
    page.unlink()  # the bytes come from the store, not the file
    again = CliRunner().invoke(cli, ["--db", db, "reprocess"])
    assert again.exit_code == 0, again.output
    assert f"recovered {page} as article 1" in again.output
    assert CliRunner().invoke(cli, ["--db", db, "rejected"]).output == ""
    listed = CliRunner().invoke(cli, ["--db", db, "rejected", "--all"]).output
    assert "parser bug" in listed and "(recovered)" in listed
    stories = CliRunner().invoke(cli, ["--db", db, "stories"]).output
    assert "cheese" in stories.lower()


def test_inputs_without_stored_bytes_are_named(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite")
    CliRunner().invoke(cli, ["--db", db, "ingest", str(tmp_path / "missing.html")])
    result = CliRunner().invoke(cli, ["--db", db, "reprocess"])
    assert result.exit_code == 1
    assert "0 recovered, 0 still rejected, 1 without stored bytes" in result.output
