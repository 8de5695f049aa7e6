"""`show` of a story merged into another names the live story it ended in (exit 2)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from storydesk.cli.main import cli
from storydesk.store import Store
from storydesk.store.stories import merged_into

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"


def _cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_show_of_a_merged_away_story_names_the_story_it_lives_in(tmp_path: Path) -> None:
    pages = [str(PAGES / f"{slug}.html") for slug in ("cheese-award", "wind-farm", "bus-fares")]
    db = tmp_path / "d.db"
    assert _cli(db, "ingest", "--published", "2026-03-13", *pages).exit_code == 0
    with Store(db) as store:
        ids = sorted(row.id for row in store.stories())
    assert len(ids) == 3, ids
    first, second, third = ids
    assert _cli(db, "merge", str(second), str(third)).exit_code == 0  # third → second
    assert _cli(db, "merge", str(first), str(second)).exit_code == 0  # second → first
    for gone in (second, third):  # the chain is followed to the live story
        result = _cli(db, "show", str(gone))
        assert result.exit_code == 2, result.output
        assert f"story {gone} was merged into story {first}" in result.output
        assert "no story" not in result.output
    assert _cli(db, "show", str(first)).exit_code == 0
    missing = _cli(db, "show", "99")
    assert missing.exit_code == 2 and "no story 99 in" in missing.output
    with Store(db) as store:
        assert merged_into(store, first) is None and merged_into(store, 99) is None
        assert merged_into(store, third) == first
