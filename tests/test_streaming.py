"""Streaming runs: bounded batches through every stage, finished batches kept, reruns idle,
and progress bars per stage on a terminal only."""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import storydesk.analyze.core
from storydesk.ingest.files import count_inputs
from storydesk.model import AnalyzedArticle, Article, Rejection, Sentence
from storydesk.options import Options
from storydesk.pipeline import run as pipeline
from storydesk.store import Store

TOPICS = [
    "The harbour board closed the northern pier after storm damage to the ferry terminal.",
    "Striking nurses marched on the city hall demanding safe staffing in hospital wards.",
    "The observatory reported a comet passing close to Jupiter on its way to the sun.",
    "Farmers protested a new tax on diesel fuel with tractors blocking the motorway.",
    "The central bank raised interest rates to slow inflation in the housing market.",
    "Library volunteers restored a collection of medieval maps damaged by a flood.",
    "A new bridge over the river opened to traffic after six years of construction work.",
]


class Recorder:
    """A reporter that keeps every call, and can interrupt the run like Ctrl-C."""

    def __init__(self, interrupt_at: tuple[str, int] | None = None) -> None:
        self.calls: list[tuple[str, int | None]] = []
        self.done: dict[str, int] = {}
        self.current = ""
        self.interrupt_at = interrupt_at

    def stage(self, name: str, total: int | None) -> None:
        self.current = name
        self.calls.append((name, total))

    def advance(self, n: int = 1) -> None:
        self.done[self.current] = self.done.get(self.current, 0) + n
        if self.interrupt_at == (self.current, self.done[self.current]):
            raise KeyboardInterrupt

    def reject(self, rejection: Rejection) -> None:
        pass


def _fake_analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """A stand-in for the spaCy analysis: one sentence per paragraph."""
    out = []
    for a in articles:
        text = a.paragraphs[0]
        out.append(AnalyzedArticle(a, (Sentence(0, len(text), text),)))
    return out


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The stand-in analyzer in place; the sizes of the batches it was given."""
    sizes: list[int] = []

    @contextmanager
    def fake(options: Options) -> Iterator[Callable[[Sequence[Article]], list[AnalyzedArticle]]]:
        def analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
            sizes.append(len(articles))
            return _fake_analyze(articles)

        yield analyze

    monkeypatch.setattr(storydesk.analyze.core, "analyzer", fake)
    return sizes


def _inputs(folder: Path, n: int = len(TOPICS)) -> Path:
    folder.mkdir(exist_ok=True)
    for i, text in enumerate(TOPICS[:n]):
        (folder / f"{i:02d}.txt").write_text(f"Headline number {i}\n{text}\n")
    return folder


def _options(db: Path, batch: int, workers: int = 1) -> Options:
    return Options(db=db, batch_articles=batch, workers=workers, embeddings=False)


def _state(db: Path) -> tuple[object, ...]:
    """Articles, memberships, dossiers and pending marks of a database."""
    with sqlite3.connect(db) as conn:
        return tuple(
            conn.execute(q).fetchall()
            for q in (
                "SELECT id, source FROM articles ORDER BY id",
                "SELECT article_id, story_id FROM memberships ORDER BY article_id",
                "SELECT story_id FROM dossiers ORDER BY story_id",
                "SELECT story_id FROM stale_stories",
                "SELECT count(*) FROM analyses",
            )
        )


def test_a_run_goes_through_every_stage_batch_by_batch(tmp_path: Path, calls: list[int]) -> None:
    folder = _inputs(tmp_path / "in")
    rep = Recorder()
    with Store(tmp_path / "s.db") as store:
        report = pipeline.run([str(folder)], _options(tmp_path / "s.db", batch=3), store, rep)
    assert calls == [3, 3, 1]  # analysed in batches of three
    stages = [name for name, _ in rep.calls]
    # each batch goes through analysis, clustering and dossiers before the next is read
    for stage in ("analyze", "cluster", "dossiers"):
        assert stages.count(stage) >= 3, stages
    first_dossiers = stages.index("dossiers")
    assert stages.index("analyze", first_dossiers) > first_dossiers  # a second batch after it
    assert len(report.added) == len(TOPICS)
    assert rep.done["analyze"] == rep.done["cluster"] == len(TOPICS)
    # totals are run-long: the inputs are counted first, and the last totals are what was done
    assert rep.calls[rep.calls.index(("analyze", 7))] == ("analyze", 7)
    last = {name: total for name, total in rep.calls}
    assert last["ingest"] == last["analyze"] == last["cluster"] == len(TOPICS)
    _, members, dossiers, stale, analyses = _state(tmp_path / "s.db")
    assert len(members) == len(TOPICS) and stale == [] and analyses == [(len(TOPICS),)]
    assert {s for _, s in members} == {s for (s,) in dossiers}


def test_an_interrupted_run_keeps_its_finished_batches(tmp_path: Path, calls: list[int]) -> None:
    folder = _inputs(tmp_path / "in")
    clean_db, cut_db = tmp_path / "clean.db", tmp_path / "cut.db"
    with Store(clean_db) as store:
        pipeline.run([str(folder)], _options(clean_db, batch=2), store, Recorder())
    with Store(cut_db) as store, pytest.raises(KeyboardInterrupt):
        # Ctrl-C while the third batch is being clustered
        pipeline.run([str(folder)], _options(cut_db, 2), store, Recorder(("cluster", 5)))
    articles, members, dossiers, stale, analyses = _state(cut_db)
    assert len(members) == 4  # two whole batches, nothing of the third
    assert {s for _, s in members} == {s for (s,) in dossiers} and stale == []
    assert len(articles) == 6 and analyses == [(6,)]  # the third batch analysed, not assigned
    with Store(cut_db) as store:
        report = pipeline.run([str(folder)], _options(cut_db, batch=2), store, Recorder())
    assert len(report.added) == 1  # the seventh input, never read before the interruption
    assert _state(cut_db) == _state(clean_db)


def test_analysis_ahead_in_a_thread_gives_the_same_stories(
    tmp_path: Path, calls: list[int]
) -> None:
    folder = _inputs(tmp_path / "in")
    for workers, name in ((1, "one.db"), (2, "two.db")):
        with Store(tmp_path / name) as store:
            pipeline.run([str(folder)], _options(tmp_path / name, 2, workers), store)
    assert _state(tmp_path / "one.db") == _state(tmp_path / "two.db")


def test_a_second_run_on_the_same_inputs_does_no_work(
    tmp_path: Path, calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _inputs(tmp_path / "in")
    options = _options(tmp_path / "s.db", batch=4)
    with Store(options.db) as store:
        pipeline.run([str(folder)], options, store)
    analysed = len(calls)
    writes: list[str] = []
    monkeypatch.setattr(Store, "put_raw", lambda self, doc: writes.append(doc.source))
    rep = Recorder()
    with Store(options.db) as store:
        report = pipeline.run([str(folder)], options, store, rep)
    assert len(calls) == analysed  # nothing analysed again
    assert writes == []  # no raw bytes written again
    assert {name for name, _ in rep.calls} == {"ingest"}  # no other stage started
    assert len(report.unchanged) == len(TOPICS) and report.added == () == report.stories


def test_inputs_are_counted_before_reading(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "in", 3)
    (folder / "README.md").write_text("about this folder\n")  # skipped in folders
    (folder / "sub").mkdir()
    (folder / "sub" / "wire.jsonl").write_text('{"text": "a"}\n{"text": "b"}\n{"text": "c"}')
    assert count_inputs([str(folder)]) == 6
    assert count_inputs([str(folder / "00.txt"), str(folder / "sub")]) == 4
    (folder / "crawl.warc.gz").write_bytes(b"")
    assert count_inputs([str(folder)]) is None  # a WARC's records are known only once read
    assert count_inputs(["https://example.org/feed.xml"]) is None


def _rich_run(tmp_path: Path) -> str:
    """A run shown through the CLI's terminal reporter; what the terminal received."""
    from rich.console import Console

    from storydesk.cli.main import _reporter

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    folder = _inputs(tmp_path / "in")
    with Store(tmp_path / "s.db") as store, _reporter(True, console) as rep:
        pipeline.run([str(folder)], _options(tmp_path / "s.db", batch=3), store, rep)
    return out.getvalue()


def test_a_terminal_shows_one_bar_per_stage_with_counts(tmp_path: Path, calls: list[int]) -> None:
    shown = _rich_run(tmp_path)
    final = shown.rsplit("\x1b[?25h", 1)[0].rsplit("\r", 1)[-1]  # the last frame drawn
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", final)
    bars = {line.split()[0]: line for line in plain.splitlines() if line.strip()}
    assert list(bars) == ["ingest", "analyze", "cluster", "dossiers"]  # kept, in stage order
    full = f"{len(TOPICS)}/{len(TOPICS)}"
    for stage in ("ingest", "analyze", "cluster"):
        assert f" {full} " in bars[stage], bars[stage]
    stories = re.search(r" (\d+)/(\d+) ", bars["dossiers"])
    assert stories and stories[1] == stories[2] and int(stories[1]) >= 1
    assert all("━" in line and "eta" in line for line in bars.values())


def test_piped_output_has_no_bars(tmp_path: Path, calls: list[int]) -> None:
    from storydesk.cli.main import cli

    folder = _inputs(tmp_path / "in")
    (folder / "empty.txt").write_text("")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "run", str(folder)])
    assert result.exit_code == 1  # the empty input is rejected
    err = result.stderr
    assert "rejected" in err and "new article(s)" in err  # rejections and the summary only
    assert "\x1b[" not in result.output and "━" not in result.output
    assert len([x for x in err.splitlines() if x.strip()]) == 2


def test_batch_setting_bounds_what_one_batch_holds(tmp_path: Path, calls: list[int]) -> None:
    folder = _inputs(tmp_path / "in")
    options = replace(_options(tmp_path / "s.db", batch=1), workers=2)
    with Store(options.db) as store:
        pipeline.run([str(folder)], options, store)
    assert calls == [1] * len(TOPICS)
