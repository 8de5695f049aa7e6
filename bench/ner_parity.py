"""Entities from storydesk's NER decoder (analyze/fastspacy/nerdecode.py) against spaCy's own NER.

Every block of every article (cut as the analyze stage cuts them) is parsed twice: by the
pipeline as the analyze stage ran it before the decoder (spaCy's ``ner``), and by
``storydesk.analyze.nlp._pipe`` (nerdecode). Reports docs and entities compared and how many
differ (an entity differs if the other side lacks the same start, end and label; a doc differs
if any entity or any token's IOB or type differs).

With ``--cpu N``, also the CPU seconds of the NER stage alone on the blocks of the first N
PolNeAR train articles (the pipeline up to NER run once; spaCy's ``ner.pipe`` against the
decoder on copies of the same docs).

    .venv/bin/python bench/ner_parity.py [--limit N] [--show 5] [--cpu 60]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from parity_corpora import CHUNK, CORPORA, blocks_of, spacy_pipe

from storydesk.analyze.fastspacy.fastpath import SKIPPED
from storydesk.analyze.fastspacy.nerdecode import ner_decoder
from storydesk.analyze.nlp import BATCH_SIZE, _pipe, load_nlp
from storydesk.options import Options


def entities(doc: Any) -> set[tuple[int, int, str]]:
    """A doc's entities as (start, end, label)."""
    return {(e.start, e.end, e.label_) for e in doc.ents}


def tokens(doc: Any) -> list[tuple[int, int]]:
    """Each token's (IOB, type)."""
    return [(t.ent_iob, t.ent_type) for t in doc]


def compare(nlp: Any, texts: list[str], show: int) -> tuple[int, int, int, int, float, float]:
    """Docs, spaCy's entities, differing entities, differing docs; CPU s of each side."""
    n_ents = n_diff_ents = n_diff_docs = 0
    cpu_spacy = cpu_ours = 0.0
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        began = time.process_time()
        theirs = spacy_pipe(nlp, chunk)
        cpu_spacy += time.process_time() - began
        began = time.process_time()
        ours = _pipe(nlp, chunk)
        cpu_ours += time.process_time() - began
        for a, b in zip(theirs, ours, strict=True):
            ea, eb = entities(a), entities(b)
            n_ents += len(ea)
            n_diff_ents += len(ea ^ eb)
            if ea != eb or tokens(a) != tokens(b):
                n_diff_docs += 1
                if show > 0:
                    show -= 1
                    print(f"  differs: {a.text[:120]!r}")
                    print(f"    spaCy {sorted(ea)}\n    ours  {sorted(eb)}")
    return len(texts), n_ents, n_diff_ents, n_diff_docs, cpu_spacy, cpu_ours


def stage_cpu(nlp: Any, articles: int) -> None:
    """Print CPU seconds of spaCy's NER and of the decoder on the same parsed docs."""
    from threadpoolctl import threadpool_limits

    count, texts = blocks_of(CORPORA["polnear train+dev"][:1], articles)
    decoder = ner_decoder(nlp)
    assert decoder is not None, "the model's NER is not one the decoder reads"
    with threadpool_limits(limits=1, user_api="blas"):
        docs = list(nlp.pipe(texts, batch_size=BATCH_SIZE, disable=[*SKIPPED, "ner"]))
        copies = [doc.copy() for doc in docs]
        began = time.process_time()
        for _ in nlp.get_pipe("ner").pipe(docs, batch_size=BATCH_SIZE):
            pass
        theirs = time.process_time() - began
        began = time.process_time()
        for _ in decoder.pipe(copies, BATCH_SIZE):
            pass
        ours = time.process_time() - began
    same = all(entities(a) == entities(b) for a, b in zip(docs, copies, strict=True))
    print(
        f"NER stage, {count} articles ({len(docs)} docs): spaCy {theirs:.2f} CPU s, "
        f"nerdecode {ours:.2f} CPU s; same entities: {same}"
    )


def main() -> None:
    """Compare both NER paths on every corpus (or time the NER stage alone)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="articles per corpus (0: all)")
    parser.add_argument("--show", type=int, default=5, help="differing docs to print")
    parser.add_argument("--cpu", type=int, default=0, help="time NER alone on N articles")
    args = parser.parse_args()
    nlp = load_nlp(Options().spacy_model)
    if args.cpu:
        stage_cpu(nlp, args.cpu)
        return
    totals = [0, 0, 0, 0]
    for name, folders in CORPORA.items():
        count, texts = blocks_of(folders, args.limit)
        docs, ents, diff_ents, diff_docs, cpu_a, cpu_b = compare(nlp, texts, args.show)
        print(
            f"{name}: {count} articles, {docs} docs, {ents} entities; "
            f"differing: {diff_ents} entities, {diff_docs} docs "
            f"(CPU s, whole pipeline: spaCy NER {cpu_a:.1f}, nerdecode {cpu_b:.1f})"
        )
        for i, value in enumerate((docs, ents, diff_ents, diff_docs)):
            totals[i] += value
    docs, ents, diff_ents, diff_docs = totals
    print(f"total: {docs} docs, {ents} entities; differing: {diff_ents} entities, {diff_docs} docs")


if __name__ == "__main__":
    main()
