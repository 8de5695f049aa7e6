"""Selective parsing: entities and sentences everywhere, tags and dependencies where needed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from storydesk.analyze.cues import trigger_pattern
from storydesk.analyze.marks import find_quote_spans

LIGHT = ("senter", "ner")  # run on every text; the rest of the pipeline on selected sentences
SHORT_SENTENCE = 8  # tokens: a sentence this short after a quote may hold its cue ("he said.")


def parse_selected(nlp: Any, texts: Sequence[str], batch_size: int) -> list[Any]:
    """Docs for ``texts`` whose selected sentences carry tags and a parse, the rest a flat tree."""
    heavy = [name for name in nlp.pipe_names if name not in LIGHT]
    senter = nlp.get_pipe("senter")  # off in the packaged pipeline: the parser splits sentences
    docs = list(
        senter.pipe(nlp.pipe(texts, batch_size=batch_size, disable=heavy), batch_size=batch_size)
    )
    trigger = trigger_pattern()
    runs = [(i, a, b) for i, doc in enumerate(docs) for a, b in selected_runs(doc, trigger)]
    subs = nlp.pipe(
        (docs[i][a:b].as_doc() for i, a, b in runs),
        batch_size=batch_size,
        disable=[name for name in LIGHT if name in nlp.pipe_names],
    )
    parts: dict[int, list[tuple[int, Any]]] = {}
    for (i, a, _), sub in zip(runs, subs, strict=True):
        parts.setdefault(i, []).append((a, sub))
    for i, doc in enumerate(docs):
        merge_parse(doc, parts.get(i, []))
    return docs


def selected_runs(doc: Any, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    """Token ranges of the runs of sentences that need a parse."""
    sents = list(doc.sents)
    quotes = [(q.start, q.end) for q in find_quote_spans(doc.text)]
    chosen = [False] * len(sents)
    for k, sent in enumerate(sents):
        a, b = sent.start_char, sent.end_char
        if any(qa < b and a < qb for qa, qb in quotes):
            chosen[k] = True
            if k > 0 and sents[k - 1].text.rstrip().endswith(":"):
                chosen[k - 1] = True
            if k + 1 < len(sents):
                nxt = sents[k + 1]
                chosen[k + 1] = chosen[k + 1] or len(nxt) <= SHORT_SENTENCE or nxt[0].is_lower
        elif trigger.search(sent.text):
            chosen[k] = True
    runs: list[tuple[int, int]] = []
    for k, sent in enumerate(sents):
        if not chosen[k]:
            continue
        if runs and runs[-1][1] == sent.start:
            runs[-1] = (runs[-1][0], sent.end)
        else:
            runs.append((sent.start, sent.end))
    return runs


def merge_parse(doc: Any, parts: list[tuple[int, Any]]) -> None:
    """Copy the parsed runs into ``doc``; every other sentence becomes a flat tree."""
    import numpy
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    attrs = [TAG, POS, MORPH, LEMMA, HEAD, DEP]
    array = numpy.zeros((len(doc), len(attrs)), dtype="uint64")
    strings = doc.vocab.strings
    dep, root = strings.add("dep"), strings.add("ROOT")
    for sent in doc.sents:
        for token in sent:
            array[token.i, 3] = token.lower
            array[token.i, 4] = (sent.start - token.i) % 2**64  # relative, as spaCy keeps it
            array[token.i, 5] = dep
        array[sent.start, 5] = root
    for start, sub in parts:
        array[start : start + len(sub)] = sub.to_array(attrs)
    doc.from_array(attrs, array)
