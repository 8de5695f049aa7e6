"""One embedding model per run: gists and dossiers share it, each with its own caching."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

import storydesk.analyze.core
import storydesk.text.embed
from storydesk.model import AnalyzedArticle, Article, Sentence
from storydesk.options import Options
from storydesk.pipeline import run as pipeline
from storydesk.store import Store
from storydesk.text.embed import DIMENSIONS, Embedder, LazyEmbedder, Matrix

# two outlets per event, in different words, so that the dossiers align sentences by meaning
PAIRS = [
    (
        "The harbour board closed the northern pier after storm damage to the ferry terminal.",
        "After storms damaged the ferry terminal, the northern pier was shut by the harbour board.",
    ),
    (
        "The central bank raised interest rates to slow inflation in the housing market.",
        "Interest rates went up at the central bank, which wants house price inflation slower.",
    ),
    (
        "A new bridge over the river opened to traffic after six years of construction work.",
        "Traffic crossed the river's new bridge, opened after construction lasting six years.",
    ),
]


class FakeModel(Embedder):
    """A stand-in model: a fixed unit vector per text, and the texts it was asked for."""

    def embed(self, texts: Sequence[str]) -> Matrix:
        self.sentences += len(texts)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            row = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
            out[i] = row / np.linalg.norm(row)
        return out


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[FakeModel]:
    """Every model loaded, the stand-in in place of the ONNX one (and of the spaCy analysis)."""
    loaded: list[FakeModel] = []

    def load(threads: int = 2, optimize: bool = True) -> Embedder:
        loaded.append(FakeModel(session=None, tokenizer=None))
        return loaded[-1]

    @contextmanager
    def analyzer(options: Options) -> Iterator[Callable[[Sequence[Article]], list]]:
        def analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
            return [
                AnalyzedArticle(a, tuple(Sentence(0, len(p), p) for p in a.paragraphs[:1]))
                for a in articles
            ]

        yield analyze

    monkeypatch.setattr(storydesk.text.embed, "load_embedder", load)
    # whoever calls the module's ``embed`` on a model (the gists do) gets the stand-in's
    monkeypatch.setattr(
        storydesk.text.embed, "embed", lambda model, texts, batch=0: model.embed(texts)
    )
    monkeypatch.setattr(storydesk.analyze.core, "analyzer", analyzer)
    return loaded


def test_a_run_loads_the_model_once_for_gists_and_dossiers(
    tmp_path: Path, loads: list[FakeModel]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, pair in enumerate(PAIRS):
        for j, text in enumerate(pair):
            (folder / f"{i}{j}.txt").write_text(f"Report {i}{j}\n{text}\n")
    db = tmp_path / "s.db"
    options = Options(db=db, batch_articles=2, workers=1)  # three batches, three dossier passes
    with Store(db) as store:
        pipeline.run([str(folder)], options, store)
    with sqlite3.connect(db) as conn:
        cached = conn.execute("SELECT count(*) FROM sentence_embeddings").fetchone()[0]
    assert cached > 0  # the dossiers embedded sentences (kept in the store's cache)
    assert len(loads) == 1  # ... with the model the gists were embedded with


class DictCache:
    """An embedding cache in a dict."""

    def __init__(self) -> None:
        self.kept: dict[str, np.ndarray] = {}

    def embeddings(self, model: str, texts: object) -> dict[str, np.ndarray]:
        return {t: self.kept[t] for t in texts if t in self.kept}  # type: ignore[attr-defined]

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self.kept.update(vectors)


def test_a_cached_view_runs_the_shared_model_only_on_what_its_cache_lacks(
    loads: list[FakeModel],
) -> None:
    shared = LazyEmbedder(Options())
    first, second = shared.cached(DictCache()), shared.cached(DictCache())
    a = first.embed(["one", "two", "one"])
    assert a is not None and loads[0].sentences == 2
    assert first.embed(["two"]) is not None and loads[0].sentences == 2  # read from its cache
    b = second.embed(["one"])  # another cache: run again, on the same model
    assert b is not None and np.array_equal(a[0], b[0]) and loads[0].sentences == 3
    assert shared.embed(["one"]) is not None and loads[0].sentences == 4  # no cache: run
    assert len(loads) == 1 and first.cached(DictCache()).get() is loads[0]


def test_a_view_of_a_switched_off_embedder_says_why(loads: list[FakeModel]) -> None:
    view = LazyEmbedder(Options(embeddings=False)).cached(DictCache())
    assert view.embed(["one"]) is None and view.error == "embeddings switched off"
    assert loads == []
