"""Parses from storydesk's parser decoder (analyze/fastspacy/parsedecode.py) against spaCy's.

Every block of every article (cut as the analyze stage cuts them) is run through the pipeline
up to the parser; the docs are then parsed twice: by spaCy's ``parser.pipe`` and, on copies,
by the decoder. Reports docs and tokens compared, tokens whose head or label differs, and
sentence boundaries that differ (a token that starts a sentence on one side only).

With ``--pipe``, the whole ``storydesk.analyze.nlp._pipe`` is compared instead with the
pipeline as the analyze stage ran it with spaCy's parser and NER (heads, labels, sentence
starts, entities and tags of every token).

With ``--cpu N``, only the CPU seconds of the parser stage on the blocks of the first N
PolNeAR train articles (the pipeline up to the parser run once; spaCy's ``parser.pipe``
against the decoder on copies of the same docs).

    .venv/bin/python bench/parse_parity.py [--limit N] [--show 5] [--pipe] [--cpu 60]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

from parity_corpora import CHUNK, CORPORA, blocks_of, spacy_pipe

from storydesk.analyze.fastspacy.fastpath import SKIPPED
from storydesk.analyze.fastspacy.parsedecode import parse_decoder
from storydesk.analyze.nlp import BATCH_SIZE, _pipe, load_nlp
from storydesk.options import Options


def before_parser(nlp: Any, texts: Sequence[str]) -> list[Any]:
    """The texts run through the pipeline up to (not including) the parser."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return list(nlp.pipe(texts, batch_size=BATCH_SIZE, disable=[*SKIPPED, "parser", "ner"]))


def parse(doc: Any) -> list[tuple[int, str]]:
    """Each token's (head, label)."""
    return [(t.head.i, t.dep_) for t in doc]


def starts(doc: Any) -> list[bool]:
    """Each token's sentence start flag as doc.sents reads it."""
    first = {sent.start for sent in doc.sents} if len(doc) else set()
    return [t.i in first for t in doc]


def rest(doc: Any) -> list[tuple[Any, ...]]:
    """Each token's entity, tag, POS and lemma (compared with ``--pipe``)."""
    return [(t.ent_iob_, t.ent_type_, t.tag_, t.pos_, t.lemma_) for t in doc]


def differences(theirs: Sequence[Any], ours: Sequence[Any], show: int, full: bool) -> list[int]:
    """Tokens, differing tokens, differing sentence starts, differing docs."""
    n_tokens = n_tokens_diff = n_starts_diff = n_docs_diff = 0
    for a, b in zip(theirs, ours, strict=True):
        pa, pb, sa, sb = parse(a), parse(b), starts(a), starts(b)
        n_tokens += len(a)
        n_tokens_diff += sum(x != y for x, y in zip(pa, pb, strict=True))
        n_starts_diff += sum(x != y for x, y in zip(sa, sb, strict=True))
        if pa != pb or sa != sb or (full and rest(a) != rest(b)):
            n_docs_diff += 1
            if show > 0:
                show -= 1
                print(f"  differs: {a.text[:120]!r}\n    spaCy {pa}\n    ours  {pb}")
    return [n_tokens, n_tokens_diff, n_starts_diff, n_docs_diff]


def compare(nlp: Any, texts: list[str], show: int, full: bool) -> tuple[list[int], float, float]:
    """Counts of ``differences`` over all texts; CPU s of spaCy's side and of ours."""
    from threadpoolctl import threadpool_limits

    decoder = parse_decoder(nlp)
    assert decoder is not None, "the model's parser is not one the decoder reads"
    totals = [0, 0, 0, 0]
    cpu_spacy = cpu_ours = 0.0
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        began = time.process_time()
        if full:
            theirs = spacy_pipe(nlp, chunk)
        else:
            theirs = before_parser(nlp, chunk)
            copies = [doc.copy() for doc in theirs]
            began = time.process_time()
            with threadpool_limits(limits=1, user_api="blas"):
                theirs = list(nlp.get_pipe("parser").pipe(theirs, batch_size=BATCH_SIZE))
        cpu_spacy += time.process_time() - began
        began = time.process_time()
        if full:
            ours = _pipe(nlp, chunk)
        else:
            with threadpool_limits(limits=1, user_api="blas"):
                ours = list(decoder.pipe(copies, BATCH_SIZE))
        cpu_ours += time.process_time() - began
        found = differences(theirs, ours, show, full)
        show -= found[3]
        totals = [t + f for t, f in zip(totals, found, strict=True)]
    return totals, cpu_spacy, cpu_ours


def stage_cpu(nlp: Any, articles: int) -> None:
    """Print CPU seconds of spaCy's parser and of the decoder on the same docs."""
    from threadpoolctl import threadpool_limits

    count, texts = blocks_of(CORPORA["polnear train+dev"][:1], articles)
    decoder = parse_decoder(nlp)
    assert decoder is not None, "the model's parser is not one the decoder reads"
    docs = before_parser(nlp, texts)
    copies = [doc.copy() for doc in docs]
    with threadpool_limits(limits=1, user_api="blas"):
        began = time.process_time()
        for _ in nlp.get_pipe("parser").pipe(docs, batch_size=BATCH_SIZE):
            pass
        theirs = time.process_time() - began
        began = time.process_time()
        for _ in decoder.pipe(copies, BATCH_SIZE):
            pass
        ours = time.process_time() - began
    same = all(
        parse(a) == parse(b) and starts(a) == starts(b) for a, b in zip(docs, copies, strict=True)
    )
    print(
        f"parser stage, {count} articles ({len(docs)} docs, "
        f"{sum(len(d) for d in docs)} tokens): spaCy {theirs:.2f} CPU s, "
        f"parsedecode {ours:.2f} CPU s; same parses: {same}"
    )


def main() -> None:
    """Compare both parser paths on every corpus (or time the parser stage alone)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="articles per corpus (0: all)")
    parser.add_argument("--show", type=int, default=5, help="differing docs to print")
    parser.add_argument("--pipe", action="store_true", help="compare the whole of _pipe")
    parser.add_argument("--cpu", type=int, default=0, help="time the parser alone on N articles")
    args = parser.parse_args()
    nlp = load_nlp(Options().spacy_model)
    if args.cpu:
        stage_cpu(nlp, args.cpu)
        return
    totals = [0, 0, 0, 0, 0]
    side = "pipeline" if args.pipe else "parser"
    for name, folders in CORPORA.items():
        count, texts = blocks_of(folders, args.limit)
        found, cpu_a, cpu_b = compare(nlp, texts, args.show, args.pipe)
        tokens, diff_tokens, diff_starts, diff_docs = found
        print(
            f"{name}: {count} articles, {len(texts)} docs, {tokens} tokens; differing: "
            f"{diff_tokens} tokens (head or label), {diff_starts} sentence starts, "
            f"{diff_docs} docs (CPU s, {side}: spaCy {cpu_a:.1f}, parsedecode {cpu_b:.1f})"
        )
        for i, value in enumerate((len(texts), *found)):
            totals[i] += value
    docs, tokens, diff_tokens, diff_starts, diff_docs = totals
    print(
        f"total: {docs} docs, {tokens} tokens; differing: {diff_tokens} tokens, "
        f"{diff_starts} sentence starts, {diff_docs} docs"
    )


if __name__ == "__main__":
    main()
