"""What the decoder parity benchmarks share: the corpora cut into storydesk's blocks, and the
spaCy pass of the analyze stage run with spaCy's own decoders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storydesk.analyze.evaluation import raw_article
from storydesk.analyze.fastspacy.fastpath import SKIPPED, light_tagger
from storydesk.analyze.nlp import BATCH_SIZE, split_blocks

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = {
    "polnear train+dev": [DATA / "polnear" / "train" / "text", DATA / "polnear" / "dev" / "text"],
    "ecbplus dev": [DATA / "ecbplus-dev"],
}
CHUNK = 16 * BATCH_SIZE  # texts parsed per call (a multiple of the batch: same batches)


def blocks_of(folders: Sequence[Path], limit: int = 0) -> tuple[int, list[str]]:
    """(articles read, their distinct blocks) from the .txt files of some folders."""
    paths = sorted(p for folder in folders for p in folder.glob("*.txt"))
    if limit:
        paths = paths[:limit]
    blocks = (b.text for p in paths for b in split_blocks(raw_article(p)))
    return len(paths), list(dict.fromkeys(blocks))


def spacy_pipe(nlp: Any, texts: Sequence[str]) -> list[Any]:
    """The pipeline as the analyze stage ran it with spaCy's own parser and NER."""
    from threadpoolctl import threadpool_limits

    tagger = light_tagger(nlp)
    skipped = [name for name in SKIPPED if name in nlp.pipe_names] if tagger else []
    with threadpool_limits(limits=1, user_api="blas"):
        docs = nlp.pipe(texts, batch_size=BATCH_SIZE, disable=skipped)
        return list(tagger.annotate(docs) if tagger else docs)
