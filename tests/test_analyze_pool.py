"""The analyze stage in worker processes gives what it gives in one process, in order."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

import pytest

from storydesk.analyze import core
from storydesk.analyze.core import MIN_ARTICLES_PER_WORKER, analyzer, resolve_workers
from storydesk.model import Article
from storydesk.options import Options

TOWNS = ("Brenholt", "Ardmouth", "Velden", "Kessling")


def _articles(n: int) -> list[Article]:
    """Short invented articles, each different, with a quote and a date."""
    return [
        Article(
            source=f"mem:{i}",
            sha256=f"{i:064x}",
            title=f"Council vote {i}",
            paragraphs=(
                f"The council of {TOWNS[i % 4]} voted {i + 3} to 2 on Tuesday to close the "
                f"old bridge, Mayor Ada Lindgren said.",
                f"“We had no choice,” Lindgren told reporters after the {i + 1}th meeting.",
            ),
            published="2026-03-13",
        )
        for i in range(n)
    ]


def test_pool_matches_one_process_in_order() -> None:
    articles = [replace(a, id=i + 1) for i, a in enumerate(_articles(2 * MIN_ARTICLES_PER_WORKER))]
    with analyzer(Options(workers=1)) as analyze:
        alone = analyze(articles)
    with analyzer(Options(workers=2)) as analyze:
        pooled = analyze(articles)
        again = analyze(articles[:3])  # a small batch after a pooled one goes to the workers too
    assert [a.article.source for a in pooled] == [a.source for a in articles]
    assert pooled == alone
    assert again == alone[:3]
    assert alone[0].quotes and alone[0].quotes[0].speaker is not None


def test_worker_count_zero_means_one_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_workers(3) == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert resolve_workers(0) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(16)), raising=False)
    assert resolve_workers(0) == 4


def test_a_broken_pool_leaves_the_run_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def broken(*args: object) -> list[object]:
        calls.append(1)
        raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(core, "_in_pool", broken)
    articles = [replace(a, id=i + 1) for i, a in enumerate(_articles(2 * MIN_ARTICLES_PER_WORKER))]
    with analyzer(Options(workers=2)) as analyze:
        first = analyze(articles)
        second = analyze(articles)
    assert len(first) == len(second) == len(articles) and calls == [1]
