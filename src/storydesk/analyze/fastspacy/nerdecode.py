"""spaCy's greedy NER decoding, vectorised with numpy over all the documents of a batch.

spaCy's compiled decoder (``Parser._parseC``) advances one state at a time and asks each
move (74 in the project's model) whether it is valid, and in this spaCy build every state
accessor releases and re-takes the GIL: it cost 1.97 of the 3.23 CPU seconds of NER on 60
articles. Here a step of every state of a batch is a handful of array operations. The model
is spaCy's own, run the same way (same sub-batches, same arithmetic order, the same blis
product for the output layer), and the validity rules are those of ``BiluoPushDown`` in
spaCy's ``ner.pyx``, so the entities are the same; bench/ner_parity.py checks that on whole corpora.

A NER state reads one token per step whatever the move (B, I, L, U and O all shift), so at
step t every unfinished state is at token t and a document of n tokens takes n steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from storydesk.analyze.fastspacy.greedymodel import (
    decode_groups,
    greedy_pipe,
    read_classes,
    sub_batches,
)
from storydesk.analyze.fastspacy.stepmodel import StepModel

BEGIN, IN, LAST, UNIT, OUT = 1, 2, 3, 4, 5  # spaCy's move codes (ner.pyx); 0 is "missing"
_KINDS = {"B": BEGIN, "I": IN, "L": LAST, "U": UNIT, "O": OUT}
_NF = 3  # context tokens of spaCy's NER state: buffer head, entity start, previous token


@dataclass(frozen=True)
class Moves:
    """The NER moves as arrays indexed by class: kind, label hash, label index, seen."""

    kind: Any  # (C,) int, one of BEGIN .. OUT
    label: Any  # (C,) uint64 label hash (0: no label)
    label_index: Any  # (C,) index of the label in ``labels``
    labels: Any  # (L,) uint64 distinct label hashes
    seen: Any  # (C,) bool, False for classes the model marks unseen


@dataclass(frozen=True)
class NerDecoder:
    """A loaded ``ner`` pipe and its moves, decoded here instead of by spaCy."""

    ner: Any
    moves: Moves

    def pipe(self, docs: Iterable[Any], batch_size: int) -> Iterator[Any]:
        """Yield the docs with entities set, batched as ``EntityRecognizer.pipe`` batches them."""
        stream = iter(docs)
        space: list[Any] = []  # the features' memory, kept from one batch to the next
        while batch := list(islice(stream, batch_size)):
            self.annotate(batch, batch_size, space)
            yield from batch

    def annotate(self, docs: Sequence[Any], batch_size: int, space: list[Any]) -> None:
        """Set entities on one batch of docs, the model run on sub-batches by length.

        ``space`` holds an array whose memory the features may reuse, or nothing.
        """
        grown = self.ner.moves.n_moves != len(self.moves.kind)  # a label was added since
        if grown or _has_unknown_presets(docs, self.moves):  # spaCy adds labels: let it run
            for _ in self.ner.pipe(docs, batch_size=batch_size):
                pass
            return
        groups = sub_batches(docs, batch_size)
        decode_some = partial(decode, self.ner.model, self.moves, space=space)
        found = decode_groups(decode_some, groups, self.moves.seen.all())
        ordered = [doc for group in groups for doc in group]
        by_doc = {id(doc): spans for doc, spans in zip(ordered, found, strict=True)}
        for doc in docs:
            set_entities(doc, by_doc.get(id(doc), []))


def ner_decoder(nlp: Any) -> NerDecoder | None:
    """A decoder for the pipeline's ``ner``, or None where its layout is not the one known."""
    from spacy.pipeline import EntityRecognizer
    from spacy.pipeline._parser_internals.ner import BiluoPushDown

    ner = greedy_pipe(nlp, "ner", EntityRecognizer, BiluoPushDown, _NF)
    if ner is None or ner.postprocesses:
        return None
    moves = read_moves(ner)
    return None if moves is None else NerDecoder(ner, moves)


def read_moves(ner: Any) -> Moves | None:
    """The pipe's moves as arrays, or None if a move name is not one of B/I/L/U/O."""
    import numpy

    classes = read_classes(ner, _KINDS)  # every class, the blocking "U-" included
    if classes is None or any(name.startswith("O-") for name in classes.names):
        return None
    labels, label_index = numpy.unique(classes.label, return_inverse=True)
    return Moves(classes.kind, classes.label, label_index, labels, classes.seen)


def _has_unknown_presets(docs: Sequence[Any], moves: Moves) -> bool:
    """True if a doc carries a preset entity label the moves lack (spaCy would add it)."""
    import numpy

    preset = [doc.to_array("ENT_TYPE") for doc in docs if len(doc)]
    types = numpy.unique(numpy.concatenate(preset)) if preset else numpy.zeros(0, "uint64")
    return bool(numpy.isin(types, moves.labels, invert=True).any())


def decode(
    model: Any, moves: Moves, groups: Sequence[Sequence[Any]], space: list[Any]
) -> list[list[tuple[int, int, int]]]:
    """Greedy decoding of the docs of ``groups``, in order: (start, end, label) per doc.

    The model runs on each group as spaCy runs it on a sub-batch, so that its features are
    the same to the bit; the steps then run over the states of all groups together.
    """
    import numpy

    docs = [doc for group in groups for doc in group]
    step, base = StepModel.read(model, groups, space)
    lengths = numpy.array([len(doc) for doc in docs], dtype=numpy.intp)
    validity = static_validity(moves, token_table(groups), base, lengths)
    found = run_steps(step, moves, validity, base, lengths)
    out: list[list[tuple[int, int, int]]] = [[] for _ in docs]
    for state, start, end, label in zip(*found, strict=True):
        out[state].append((int(start), int(end), int(moves.labels[label])))
    return out


def token_table(groups: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """Per-token arrays in the step model's rows: each group's docs after a "no token" row."""
    import numpy

    names = ("ENT_IOB", "ENT_TYPE", "SENT_START", "IS_SPACE")
    parts: list[Any] = []
    for group in groups:
        parts.append(numpy.zeros((1, len(names)), dtype="uint64"))
        parts.extend(doc.to_array(list(names)).reshape(-1, len(names)) for doc in group if len(doc))
    table = numpy.concatenate(parts)
    return {
        "iob": table[:, 0].astype(numpy.int64),
        "type": table[:, 1],
        "sent_start": table[:, 2].view(numpy.int64) == 1,
        "space": table[:, 3] != 0,
    }


def static_validity(moves: Moves, tokens: dict[str, Any], base: Any, lengths: Any) -> Any:
    """Per token row: valid classes with no entity open; valid with one open; label checks.

    Returns (closed, opened, need), (rows, classes) bool each: a state at row r with no entity
    open may take ``closed[r]``; with an entity of label l open, ``opened[r]`` where
    ``need[r]`` is False or the class's label is l (the rules of ner.pyx, preset IOB included).
    """
    import numpy

    rows = len(tokens["iob"])
    ends = (base + lengths - 1)[lengths > 0]
    last = numpy.zeros(rows, dtype=bool)
    last[ends] = True
    following = numpy.where(last, 0, numpy.arange(1, rows + 1))
    following[0] = 0
    following[following >= rows] = 0
    iob, ptype, space = tokens["iob"], tokens["type"], tokens["space"]
    n_iob, n_start = iob[following], tokens["sent_start"][following]

    def col(a: Any) -> Any:
        return a[:, None]

    kind, label = moves.kind[None, :], moves.label[None, :]
    labelled = label != 0
    p1, p3, n1, n3 = col(iob == 1), col(iob == 3), col(n_iob == 1), col(n_iob == 3)
    n02 = col((n_iob == 0) | (n_iob == 2))
    same_preset = label == col(ptype)
    space_, last_, n_start_ = col(space), col(last), col(n_start)
    begin = (kind == BEGIN) & labelled & ~last_ & ~p1
    begin &= numpy.where(p3, same_preset & n1, ~n3 & ~n_start_ & ~space_)
    unit = (kind == UNIT) & labelled & ~n1 & numpy.where(p3, same_preset, ~space_)
    blocking = (kind == UNIT) & ~labelled & col(ptype == 0) & p3  # "U-": allowed even if open
    out = (kind == OUT) & ~p3 & ~p1
    closed = begin | unit | blocking | out
    inside = (kind == IN) & labelled & ~last_ & ~p3 & ~n3
    inside &= numpy.where(p1, ~n02 & same_preset, ~n_start_)
    preset_last = p1 & ~n1
    final = (kind == LAST) & labelled & numpy.where(preset_last, same_preset, ~n1)
    opened = inside | final | blocking
    need = (kind == IN) | ((kind == LAST) & ~preset_last)
    return closed, opened, need


def run_steps(
    step: StepModel, moves: Moves, validity: Any, base: Any, lengths: Any
) -> tuple[Any, Any, Any, Any]:
    """Greedy decoding of every state: (state, start, end, label index) of each entity."""
    import numpy

    same = moves.label_index[None, :] == numpy.arange(len(moves.labels))[:, None]
    start = numpy.full(len(lengths), -1, dtype=numpy.intp)  # open entity's first token
    open_label = numpy.zeros(len(lengths), dtype=numpy.intp)
    found: list[tuple[Any, Any, Any, Any]] = []
    active = numpy.flatnonzero(lengths > 0)
    t = 0
    while active.size:
        rows = base[active] + t
        is_open = start[active] >= 0
        first = numpy.where(is_open, base[active] + start[active], 0)
        scores = step.scores(numpy.stack((rows, first, numpy.where(is_open, rows - 1, 0))))
        if not moves.seen.all():
            scores[:, ~moves.seen] = scores.min()
        valid = _valid(validity, rows, is_open, same[open_label[active]])
        guess = numpy.where(valid, scores, -numpy.inf).argmax(axis=1)
        ok = valid[numpy.arange(len(active)), guess]
        kind = moves.kind[guess]
        closing = ((kind == LAST) | (kind == UNIT)) & ok
        if closing.any():
            found.append(_closed(moves, t, active[closing], guess[closing], start, open_label))
        opening = kind == BEGIN
        start[active] = numpy.where(opening, t, numpy.where(closing, -1, start[active]))
        open_label[active] = numpy.where(opening, moves.label_index[guess], open_label[active])
        active = active[ok]  # a state with no valid move is finished, as spaCy forces it
        t += 1
        active = active[lengths[active] > t]
    return _gathered(found)


def _valid(validity: Any, rows: Any, is_open: Any, same_label: Any) -> Any:
    """Valid classes of states at token ``rows`` (``same_label``: classes of the open label)."""
    import numpy

    closed, opened, need = validity
    return numpy.where(is_open[:, None], opened[rows] & (~need[rows] | same_label), closed[rows])


def _closed(
    moves: Moves, t: int, states: Any, guess: Any, start: Any, open_label: Any
) -> tuple[Any, Any, Any, Any]:
    """The entities that ``states`` close at step t with L or U: (state, start, end, label)."""
    import numpy

    unit = moves.kind[guess] == UNIT
    return (
        states,
        numpy.where(unit, t, start[states]),
        numpy.full(len(states), t + 1),
        numpy.where(unit, moves.label_index[guess], open_label[states]),
    )


def _gathered(found: list[tuple[Any, Any, Any, Any]]) -> tuple[Any, Any, Any, Any]:
    """The entities of all steps, ordered by state, then as found."""
    import numpy

    if not found:
        empty = numpy.zeros(0, dtype=numpy.intp)
        return empty, empty, empty, empty
    state, start, end, label = (numpy.concatenate(parts) for parts in zip(*found, strict=True))
    order = numpy.argsort(state, kind="stable")
    return state[order], start[order], end[order], label[order]


def set_entities(doc: Any, found: Sequence[tuple[int, int, int]]) -> None:
    """Entities set as ``BiluoPushDown.set_annotations`` sets them; other tokens made O."""
    from spacy.tokens import Span

    ents = [Span(doc, a, b, label=label, kb_id=doc[a].ent_kb_id) for a, b, label in found]
    if not len(doc) or not doc.to_array("ENT_IOB").any():
        doc.set_ents(ents, default="outside")
        return
    doc.set_ents(ents, default="unmodified")
    iob = doc.to_array(["ENT_IOB"])
    if (iob == 0).any():
        iob[iob == 0] = 2
        doc.from_array(["ENT_IOB"], iob)
