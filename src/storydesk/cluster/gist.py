"""Article gists: a sentence embedding of the headline and lead, to link sibling stories.

Two events of one kind ("Saints place Reggie Bush on injured reserve", "... Pierre Thomas
...") share what happened but not their names, which dominate word vectors; a sentence
embedding of the headline and the first sentence captures what happened. Gists only help
link stories into topics (measured on ECB+: they do not tell two such events apart, so story
membership stays on words, entities and dates); how much they weigh is the story scorer's
(``storydesk.cluster.scorer``). A gist is stored as float16 bytes: compact, hashable, and
enough for cosines to three decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from storydesk.model import AnalyzedArticle
    from storydesk.text.embed import Embedder, LazyEmbedder

GIST_CHARS = 1000  # the model reads 128 word pieces: longer text only costs tokenizing
# texts run through the model together: a headline and lead is about 45 word pieces, and
# small batches pad less (768 gists, 32 at a time: 16.6 CPU s in batches of 32, 9.5 in
# batches of 8, the same bits); ``article_gists`` uses it
EMBED_BATCH = 8
DTYPE = np.float16


def gist_text(title: str, sentences: Sequence[str]) -> str:
    """The headline and the first sentence (the second when the first repeats the headline)."""
    title = " ".join(title.split())
    body = [" ".join(s.split()) for s in sentences if s.strip()]
    if title and body and body[0].startswith(title):
        body = body[1:]
    return " ".join(([title] if title else []) + body[:1])[:GIST_CHARS]


def article_gist_text(article: AnalyzedArticle) -> str:
    """The text a stored article's gist is made from."""
    return gist_text(article.article.title, [s.text for s in article.sentences])


def gists(embedder: Embedder, texts: Sequence[str], batch: int | None = None) -> list[bytes]:
    """The gists of several texts (one call of the model, in its batches or of ``batch``
    texts); empty text, empty gist."""
    from storydesk.text.embed import embed

    kept = [t for t in texts if t.strip()]
    rows = embedder.embed(kept) if batch is None else embed(embedder, kept, batch)
    out: list[bytes] = []
    k = 0
    for text in texts:
        if text.strip():
            out.append(rows[k].astype(DTYPE).tobytes())
            k += 1
        else:
            out.append(b"")
    return out


def article_gists(articles: Sequence[AnalyzedArticle], embedder: LazyEmbedder) -> list[bytes]:
    """The gists of stored articles; empty ones when embeddings are off or not installed."""
    model = embedder.get()
    if model is None:
        return [b""] * len(articles)
    return gists(model, [article_gist_text(a) for a in articles], EMBED_BATCH)


def as_vector(gist: bytes) -> npt.NDArray[np.float32]:
    """A gist as a float32 vector."""
    return np.frombuffer(gist, dtype=DTYPE).astype(np.float32)


def to_gist(vector: npt.NDArray[np.float32]) -> bytes:
    """A vector scaled to unit length, as a gist (empty for a zero vector)."""
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(DTYPE).tobytes() if norm > 0 else b""


def gist_cosine(a: bytes, b: bytes) -> float | None:
    """Cosine of two gists; None when either is missing or they differ in size."""
    if not a or not b or len(a) != len(b):
        return None
    return float(as_vector(a) @ as_vector(b))
