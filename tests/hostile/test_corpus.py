"""Issue 19: no input crashes a command or sinks its batch; every kind of the corpus is named.

The corpus runs in two batches (what the file readers read; feeds and archives) through
`storydesk run` and `storydesk analyze` (cleaned, and raw), each beside good inputs that must
come through every time. Each kind's test checks its own outcome in its batch: a rejection
with its step and reason, or an article.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from storydesk import api
from storydesk.cli.main import cli
from storydesk.model import Article, Rejection
from storydesk.options import Options
from tests.hostile.corpus import (
    ANY,
    EMPTY_FILES,
    KINDS,
    Expect,
    Kind,
    dismantle,
    missing_controls,
    unmet,
    write_controls,
    write_kind,
)

PUBLISHED = "2026-03-13"
AREAS = ("files", "feeds")
REJECTED = re.compile(r"^storydesk: rejected (?P<source>.*?): (?P<reason>.*) \((?P<step>\w+)\)$")


@dataclass(frozen=True)
class Batch:
    """What one command made of the whole corpus."""

    root: Path
    result: Result
    rejections: tuple[Rejection, ...]
    articles: dict[str, Article | None]  # source -> the article (None where only analysed)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def write_batch(root: Path, area: str) -> Path:
    """The kinds of one area, and the good inputs, in one folder."""
    for kind in KINDS:
        if kind.area == area and not kind.skip():
            write_kind(kind, root)
    write_controls(root / "controls")
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The corpus in two batches: inputs the file readers read, and feeds and archives."""
    base = tmp_path_factory.mktemp("hostile")
    roots = {area: write_batch(base / area, area) for area in AREAS}
    yield roots
    for root in roots.values():
        dismantle(root)


@pytest.fixture(scope="module")
def db_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the batches' databases live: in memory where there is a tmpfs."""
    # Each rejection is its own commit, and the corpus makes over 20,000 of them: up to 45 s
    # with a sync to disk per commit, 5 s on a tmpfs. What is tested is the outcome, not the disk.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="storydesk-hostile-", dir=shm))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("db")


def run_batch(root: Path, db: Path) -> Batch:
    """`storydesk run` over a batch, and what its database then holds."""
    result = invoke("--db", str(db), "run", "--workers", "1", "--published", PUBLISHED, str(root))
    options = Options(db=db)
    with api.open_store(options) as store:
        ids = [i for row in store.stories() for i in row.articles]
        stored = [store.article(i) for i in ids]
        articles: dict[str, Article | None] = {a.source: a for a in stored if a is not None}
        analysed = {a.article.source for a in store.analyses(ids)}
        rejections = tuple(store.rejections())
    assert set(articles) == analysed  # every stored article was analysed and is in a story
    return Batch(root, result, rejections, articles)


def analyze_batch(root: Path, *flags: str) -> Batch:
    """`storydesk analyze` over a batch: its objects on stdout, its rejections on stderr."""
    args = ("--format", "jsonl", "--workers", "1", "--published", PUBLISHED, *flags, str(root))
    result = invoke("analyze", *args)
    articles: dict[str, Article | None] = {
        json.loads(line)["file"]: None for line in result.stdout.splitlines() if line.strip()
    }
    rejections = tuple(
        Rejection(m["source"], m["step"], m["reason"])  # type: ignore[arg-type]
        for m in map(REJECTED.match, result.stderr.splitlines())
        if m
    )
    return Batch(root, result, rejections, articles)


@pytest.fixture(scope="module")
def ran(corpus: dict[str, Path], db_folder: Path) -> Batch:
    return run_batch(corpus["files"], db_folder / "files.db")


@pytest.fixture(scope="module")
def ran_feeds(corpus: dict[str, Path], db_folder: Path) -> Batch:
    return run_batch(corpus["feeds"], db_folder / "feeds.db")


@pytest.fixture(scope="module")
def analysed(corpus: dict[str, Path]) -> Batch:
    return analyze_batch(corpus["files"])


@pytest.fixture(scope="module")
def analysed_feeds(corpus: dict[str, Path]) -> Batch:
    return analyze_batch(corpus["feeds"])


@pytest.fixture(scope="module")
def analysed_raw(corpus: dict[str, Path]) -> Batch:
    return analyze_batch(corpus["files"], "--raw")


def problems(batch: Batch, kind: Kind, notes: bool = True) -> list[str]:
    """Why a kind's outcome in a batch is not what it expects ([] when it is)."""
    return unmet(kind, batch.root, batch.rejections, batch.articles, notes)


def controls_missing(batch: Batch) -> list[str]:
    return missing_controls(batch.root, batch.articles)


def assert_no_crash(batch: Batch) -> None:
    result = batch.result
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output[-2000:]  # rejections, and nothing worse
    assert "Traceback" not in result.output


KIND_IDS = [k.name for k in KINDS]


def test_the_corpus_has_at_least_40_kinds() -> None:
    assert len(KINDS) >= 40 and len(set(KIND_IDS)) == len(KINDS)


# ---------------------------------------------------------------- storydesk run


def test_run_completes_and_keeps_the_good_inputs(ran: Batch) -> None:
    assert_no_crash(ran)
    assert controls_missing(ran) == []


def test_run_completes_over_feeds_and_archives(ran_feeds: Batch) -> None:
    assert_no_crash(ran_feeds)
    assert controls_missing(ran_feeds) == []


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_run_names_each_kind_and_keeps_the_batch(
    request: pytest.FixtureRequest, kind: Kind
) -> None:
    if kind.skip():
        pytest.skip(kind.skip())
    batch: Batch = request.getfixturevalue("ran_feeds" if kind.area == "feeds" else "ran")
    assert_no_crash(batch)
    assert problems(batch, kind) == []
    assert controls_missing(batch) == []


def test_run_names_each_of_ten_thousand_empty_files(ran: Batch) -> None:
    folder = f"{ran.root}/ten-thousand-empty-files/"
    named = [r for r in ran.rejections if r.source.startswith(folder)]
    assert len(named) == EMPTY_FILES
    assert all(r.step == "read" and r.reason == "empty file (0 bytes)" for r in named)


def test_a_dropped_date_falls_back_to_the_next_evidence(ran: Batch) -> None:
    article = ran.articles[f"{ran.root}/published-year-9999/records.jsonl#line=1"]
    assert article is not None and article.published == PUBLISHED  # the --published default
    [note] = [r for r in article.removed if "publication date" in r.reason]
    assert note.text == "9999-12-31"
    assert note.reason == (
        "publication date dropped: the year 9999 is outside 1600-2199 (a placeholder or a typo)"
    )


def test_characters_that_are_not_text_are_dropped(ran: Batch) -> None:
    for kind in ("jsonl-nul-escape", "control-characters"):
        [article] = [a for s, a in ran.articles.items() if f"/{kind}/" in s]
        assert article is not None
        assert not re.search("[\x00-\x08\x0e-\x1b\x7f-\x9f]", article.title + article.text)
    [rtl] = [a for s, a in ran.articles.items() if "/rtl-characters/" in s]
    assert rtl is not None and "\u202eשלום مرحبا" in rtl.title  # scripts and marks are kept


# ---------------------------------------------------------------- storydesk analyze


def test_analyze_goes_on_past_every_bad_file(analysed: Batch) -> None:
    assert_no_crash(analysed)
    assert controls_missing(analysed) == []


def test_analyze_goes_on_past_feeds_and_archives(analysed_feeds: Batch) -> None:
    assert_no_crash(analysed_feeds)
    assert controls_missing(analysed_feeds) == []


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_analyze_names_each_kind(request: pytest.FixtureRequest, kind: Kind) -> None:
    if kind.skip():
        pytest.skip(kind.skip())
    name = "analysed_feeds" if kind.area == "feeds" else "analysed"
    batch: Batch = request.getfixturevalue(name)
    assert_no_crash(batch)
    assert problems(batch, kind, notes=False) == []
    assert controls_missing(batch) == []


def test_raw_analyze_goes_on_past_every_bad_file(analysed_raw: Batch) -> None:
    """Raw analysis takes metadata dates as given: years 1 and 9999 anchor time resolution."""
    assert_no_crash(analysed_raw)
    assert controls_missing(analysed_raw) == []
    unnamed = [
        k.name
        for k in KINDS
        if k.area == "files"
        and not k.skip()
        and problems(
            analysed_raw, Kind(k.name, k.make, tuple(Expect(e.source, ANY) for e in k.expects))
        )
    ]
    assert unnamed == []
    for kind in ("published-year-1", "published-year-9999", "published-31-february"):
        assert f"{analysed_raw.root}/{kind}/records.jsonl#line=1" in analysed_raw.articles


# ---------------------------------------------------------------- outside the batch


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "0000-01-01", "2026-02-31"])
def test_a_published_option_no_paper_could_carry_is_a_usage_error(
    tmp_path: Path, value: str
) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Pier closes\n\nThe harbour board voted on Tuesday to close the pier.\n")
    db = tmp_path / "x.db"
    for args in (("--db", str(db), "run"), ("analyze",)):
        result = invoke(*args, "--published", value, str(story))
        assert result.exit_code == 2 and "--published" in result.output, result.output
    assert not db.exists()


def test_time_resolution_is_bounded_at_the_calendar_ends() -> None:
    from storydesk.analyze.times.find import find_times_in_text

    text = (
        "Last Monday, next Friday and this Sunday night; yesterday, tomorrow, tonight. Last week,"
        " next month, this quarter, next year, the coming spring. The weekend; three days ago,"
        " 999999999999 days ago, 5,000 centuries ago, a year ago. On Jan. 5 and Dec. 31, in May,"
        " last December, next Christmas, Easter, last Thanksgiving, Christmas week. The third"
        " quarter, the year-ago quarter, the following year, the following day, that month."
        " Mid-afternoon yesterday; 5 p.m. Wednesday; the week of March 6; the '80s."
    )
    ends = [date.min + timedelta(days=i) for i in range(8)]
    ends += [date.max - timedelta(days=i) for i in range(8)]
    for anchor in ends:
        for tense in (None, "past", "future"):

            def told(at: int, t: str | None = tense) -> str | None:
                return t

            found = find_times_in_text(text, anchor.isoformat(), told)
            assert found
            for t in found:
                assert t.value is None or not t.value[:1].isdigit() or t.value[:4].isdigit(), t


def test_an_article_whose_analysis_fails_is_named_and_the_others_come_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.analyze import core

    real = core.analyze_with

    def fragile(nlp: Any, articles: Sequence[Article]) -> list[Any]:
        if any("Broken" in a.text for a in articles):
            raise OverflowError("date value out of range")
        return real(nlp, articles)

    monkeypatch.setattr(core, "analyze_with", fragile)
    for name in ("a", "b", "c"):
        body = "Broken" if name == "b" else "Whole"
        (tmp_path / f"{name}.txt").write_text(f"Pier {name}\n\nThe {body} board closed the pier.\n")
    results = list(api.analyze_paths([str(tmp_path)], Options()))
    kinds = {Path(src).name: type(r).__name__ for src, r in results}
    assert kinds == {"a.txt": "dict", "b.txt": "Rejection", "c.txt": "dict"}
    [failed] = [r for _, r in results if isinstance(r, Rejection)]
    assert (failed.step, failed.reason) == (
        "analyze",
        "analysis failed: OverflowError: date value out of range",
    )


def test_a_cleaning_bug_is_a_named_rejection(monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from storydesk import clean as cleaning
    from storydesk.errors import InputError
    from storydesk.model import MediaType, RawDocument

    def broken(content: bytes, hints: dict[str, str]) -> Any:
        raise KeyError("no such thing")

    monkeypatch.setattr(cleaning, "OPENERS", {MediaType.TEXT: broken})
    doc = RawDocument("a.txt", b"x", MediaType.TEXT, hashlib.sha256(b"x").hexdigest())
    with pytest.raises(InputError, match=r"cleaning failed: KeyError: 'no such thing'"):
        cleaning.clean(doc, Options())


def test_unreadable_inputs_are_named_even_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.ingest import read_sources

    (tmp_path / "locked.txt").write_text("Pier closes\n\nThe board closed the pier.\n")
    (tmp_path / "locked").mkdir()
    real_open, real_scandir = Path.open, os.scandir

    def refuse_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    def refuse_scandir(path: Any) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", refuse_open)
    monkeypatch.setattr(os, "scandir", refuse_scandir)
    found = {Path(i.source).name: i for i in read_sources([str(tmp_path)], Options())}
    assert isinstance(found["locked.txt"], Rejection) and isinstance(found["locked"], Rejection)
    assert found["locked.txt"].reason == "cannot read: Permission denied"
    assert found["locked"].reason == "cannot list folder: Permission denied"


def test_a_jsonl_file_past_the_size_limit_is_read_line_by_line(tmp_path: Path) -> None:
    from storydesk.ingest import read_sources
    from storydesk.model import RawDocument

    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"text": "one"}\n{"text": "' + b"x" * 500 + b'"}\n{"text": "three"}')
    items = list(read_sources([str(path)], Options(max_bytes=100)))
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejection", "RawDocument"]
    assert isinstance(items[2], RawDocument) and items[2].content == b'{"text": "three"}'
    bad = items[1]
    assert isinstance(bad, Rejection) and bad.source == f"{path}#line=2"
    assert bad.reason == "line is 512 bytes, over the limit of 100 bytes"


def test_source_names_no_file_can_have_are_named(tmp_path: Path) -> None:
    from storydesk.ingest import read_sources

    good = tmp_path / "good.txt"
    good.write_text("Pier closes\n\nThe harbour board voted on Tuesday to close the pier.\n")
    names = ["n" * 5000, "x\x00y", "d/" * 3000 + "f.txt", str(good)]
    found = [(type(i).__name__, getattr(i, "reason", "")) for i in read_sources(names, Options())]
    assert found == [
        ("Rejection", "cannot read: File name too long"),
        ("Rejection", "not a file name (it holds a NUL character)"),
        ("Rejection", "cannot read: File name too long"),
        ("RawDocument", ""),
    ]
    result = invoke("--db", str(tmp_path / "x.db"), "run", "n" * 5000, str(good))
    assert result.exit_code == 1 and "File name too long" in result.stderr, result.output
