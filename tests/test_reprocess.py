"""Reprocessing: a rejection recovered from the stored bytes once the parser is fixed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

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


FAKE_PDF = (
    b"%PDF-1.4\nFerry strike ends after nine days\n\n"
    b"The ferry workers of Port Ellis ended their strike on Thursday after nine days,"
    b" the union said in a statement.\n\nSailings resume on Friday morning, the operator said.\n"
)


def _cli(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, *args])


def _listed(db: str, *extra: str) -> list[list[str]]:
    return [line.split("\t") for line in _cli(db, "rejected", *extra).stdout.splitlines()]


def test_reprocess_applies_the_checks_ingest_applies(tmp_path: Path) -> None:
    """A fake PDF refused at reading stays refused: its stored bytes are checked again."""
    fake = tmp_path / "report.txt"
    fake.write_bytes(FAKE_PDF)
    bad = tmp_path / "wire.jsonl"
    bad.write_text('{"title": "Ferry strike", "text": 5}\n')
    binary = tmp_path / "export.jsonl"
    binary.write_bytes(FAKE_PDF)
    db = str(tmp_path / "db.sqlite")
    first = _cli(db, "ingest", "--published", "2026-03-13", str(fake), str(bad), str(binary))
    assert first.exit_code == 1
    expected = [
        [str(fake), "read", "binary content (a PDF document)"],
        [f"{bad}#line=1", "parse", "field 'text' must be a string, got number"],
        [str(binary), "read", "binary content (a PDF document)"],
    ]
    assert _listed(db) == expected
    again = _cli(db, "reprocess")
    assert again.exit_code == 1
    assert "0 recovered, 3 still rejected" in again.stdout
    assert again.stderr.count(str(fake)) == 1 and again.stderr.count(f"{bad}#line=1") == 1
    assert _listed(db) == expected  # once each, at the same step: no "clean" second line
    assert _listed(db, "--all") == expected
    assert "no stories" in _cli(db, "stories").stdout


def test_a_changed_rejection_is_listed_once_at_its_latest_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storydesk.pipeline.door as door

    page = tmp_path / "cheese.html"
    page.write_bytes((PAGES / "cheese-award.html").read_bytes())
    db = str(tmp_path / "db.sqlite")
    real = door.clean

    def bug(reason: str) -> Callable[[RawDocument, Options], Article]:
        def buggy(doc: RawDocument, options: Options) -> Article:
            raise InputError(reason)

        return buggy

    monkeypatch.setattr(door, "clean", bug("bug one"))
    assert _cli(db, "ingest", str(page)).exit_code == 1
    assert _listed(db) == [[str(page), "clean", "bug one"]]
    monkeypatch.setattr(door, "clean", bug("bug two"))
    assert _cli(db, "reprocess").exit_code == 1
    assert _listed(db) == [[str(page), "clean", "bug two"]]
    assert _listed(db, "--all") == [
        [str(page), "clean", "bug one", "(superseded)"],
        [str(page), "clean", "bug two"],
    ]
    monkeypatch.setattr(door, "clean", bug("bug one"))  # back to the first reason
    assert _cli(db, "reprocess").exit_code == 1
    assert _listed(db) == [[str(page), "clean", "bug one"]]
    monkeypatch.setattr(door, "clean", real)
    recovered = _cli(db, "reprocess")
    assert recovered.exit_code == 0 and f"recovered {page} as article 1" in recovered.stdout
    assert _listed(db) == []
    assert [row[-1] for row in _listed(db, "--all")] == ["(recovered)", "(superseded)"]


def test_one_input_rejected_twice_is_named_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fake = folder / "report.txt"
    fake.write_bytes(FAKE_PDF)
    db = str(tmp_path / "db.sqlite")
    result = _cli(db, "ingest", str(fake), str(fake), str(folder))
    assert result.exit_code == 1
    assert result.stderr.count("storydesk: rejected") == 1, result.stderr
    assert "1 rejected" in result.stdout
    assert _listed(db) == [[str(fake), "read", "binary content (a PDF document)"]]
    again = _cli(db, "ingest", str(fake))  # a later run names it again, still listed once
    assert again.stderr.count("storydesk: rejected") == 1
    assert len(_listed(db)) == 1


def test_a_page_refused_for_its_content_type_is_not_cleaned_on_reprocess(tmp_path: Path) -> None:
    """The fetch step judged the HTTP response, which is not stored: the rejection stays."""
    import hashlib

    from storydesk.ingest.rejected import RejectedInput
    from storydesk.model import MediaType, Step
    from storydesk.pipeline.door import Door
    from storydesk.pipeline.run import SilentReporter
    from storydesk.store import Store

    url = "https://news.example/ferry.txt"
    body = (PAGES / "cheese-award.html").read_bytes()
    doc = RawDocument(url, body, MediaType.HTML, hashlib.sha256(body).hexdigest())
    db = str(tmp_path / "db.sqlite")
    with Store(db) as store, Door(Options(db=Path(db)), store, SilentReporter()) as door:
        door.take(RejectedInput(url, Step.FETCH, "not an HTML page or a feed (text/plain)", doc))
    again = _cli(db, "reprocess")
    assert again.exit_code == 1 and "0 recovered, 1 still rejected" in again.stdout
    assert _listed(db) == [[url, "fetch", "not an HTML page or a feed (text/plain)"]]
    assert "no stories" in _cli(db, "stories").stdout


@pytest.mark.parametrize("one_stream", [False, True], ids=["#offset=N", "#record=N"])
def test_a_web_archive_record_keeps_its_url_and_date_on_reprocess(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_stream: bool
) -> None:
    """A WARC record (by offset, or by position in a one-stream gzip) is not read as a file."""
    import gzip

    import storydesk.pipeline.door as door
    from storydesk.store import Store
    from tests.test_warc import html_records, warc_bytes

    data = warc_bytes(html_records("wind-farm"), gz=not one_stream)
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(gzip.compress(data) if one_stream else data)
    db = str(tmp_path / "db.sqlite")
    real = door.clean

    def buggy(doc: RawDocument, options: Options) -> Article:
        raise InputError("parser bug")

    monkeypatch.setattr(door, "clean", buggy)
    assert _cli(db, "ingest", "--published", "2026-03-13", str(archive)).exit_code == 1
    ((source, step, reason),) = _listed(db)
    assert source.startswith(f"{archive}#{'record' if one_stream else 'offset'}=")
    assert (step, reason) == ("clean", "parser bug")
    monkeypatch.setattr(door, "clean", real)
    archive.unlink()
    again = _cli(db, "reprocess")
    assert again.exit_code == 0 and f"recovered {source} as article 1" in again.stdout
    with Store(db) as store:
        article = store.article(1)
    assert article is not None and article.fetched  # the record's WARC-Date, a header hint
