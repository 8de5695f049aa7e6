"""Orchestration: a failure in one article's analysis names it and spares the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

import storydesk.analyze.core
from storydesk.model import AnalyzedArticle, Article, Sentence
from storydesk.options import Options
from storydesk.pipeline import run as pipeline
from storydesk.store import Store


def _fake_analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """A stand-in analyzer that fails on any batch holding the word EXPLODE."""
    if any("EXPLODE" in a.text for a in articles):
        raise RuntimeError("parser crashed")
    return [
        AnalyzedArticle(a, (Sentence(0, len(a.paragraphs[0]), a.paragraphs[0]),)) for a in articles
    ]


@contextmanager
def _fake_analyzer(
    options: Options,
) -> Iterator[Callable[[Sequence[Article]], list[AnalyzedArticle]]]:
    """The analyzer context with the stand-in inside."""
    yield _fake_analyze


def test_analysis_failure_is_a_named_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storydesk.analyze.core, "analyzer", _fake_analyzer)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Pier closes\nThe harbour board closed the pier.\n")
    (folder / "b.txt").write_text("Bad one\nThis text will EXPLODE the parser.\n")
    (folder / "c.txt").write_text("Bridge opens\nThe new bridge opened to traffic.\n")
    with Store(tmp_path / "p.db") as store:
        report = pipeline.run([str(folder)], Options(db=tmp_path / "p.db"), store)
        assert [(Path(r.source).name, r.step) for r in report.rejections] == [("b.txt", "analyze")]
        assert "RuntimeError: parser crashed" in report.rejections[0].reason
        assert len(report.added) == 3  # the bad article is stored, only its analysis failed
        assert len(store.analyses(list(report.added))) == 2
        assert [Path(a.source).name for a in store.unanalyzed()] == ["b.txt"]
        assert sum(len(s.articles) for s in store.stories()) == 2
        assert ("b.txt", "analyze") in [(Path(r.source).name, r.step) for r in store.rejections()]
