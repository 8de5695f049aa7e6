"""spaCy's greedy dependency parsing, vectorised with numpy over all the documents of a batch.

spaCy's compiled decoder (``Parser._parseC``) advances one state at a time, asks each of the
parser's moves whether it is valid, and in this spaCy build every state accessor releases and
re-takes the GIL: it cost about 0.70 of the parser's 0.9 CPU seconds on 60 articles. Here one
move of every unfinished state of a batch is a few dozen array operations, and the last few
states, which the longest docs keep going long after the others are done, finish in plain
Python (``arceager``), cheaper than a step of arrays for a handful of states. The model is spaCy's
own, run the same way (same sub-batches, same arithmetic order, the same blis product for the
output layer), and the moves follow ``ArcEager`` in spaCy's ``arc_eager.pyx`` and ``StateC`` in
``_state.pxd``, so heads, labels and sentences are the same; bench/parse_parity.py checks that
on whole corpora.

spaCy's loop makes one move of every unfinished state per iteration, and a state's scores
depend on that state alone, so states move here in the same lock-step: at step k every
unfinished state makes its k-th move, whatever token it is at (a state makes about two moves
per token, more where it puts words back on the buffer).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from storydesk.analyze.fastspacy.arceager import (
    BREAK,
    LEFT,
    NF,
    REDUCE,
    RIGHT,
    SHIFT,
    Moves,
    ParseState,
    Unsupported,
    run_steps,
)
from storydesk.analyze.fastspacy.greedymodel import (
    decode_groups,
    greedy_pipe,
    read_classes,
    sub_batches,
)
from storydesk.analyze.fastspacy.stepmodel import StepModel

_KINDS = {"S": SHIFT, "D": REDUCE, "L": LEFT, "R": RIGHT, "B": BREAK}
_TOKENS = 8_000  # words decoded together, at most a batch more (features: 4 kB a word)


@dataclass(frozen=True)
class ParseDecoder:
    """A loaded ``parser`` pipe and its moves, decoded here instead of by spaCy."""

    parser: Any
    moves: Moves

    def pipe(self, docs: Iterable[Any], batch_size: int) -> Iterator[Any]:
        """Yield the docs parsed, batched as ``DependencyParser.pipe`` batches them.

        Batches are decoded together up to ``_TOKENS`` words: a batch takes as many steps as
        its longest doc needs, and sharing steps between batches saves per-step costs, while
        the features (4 kB a word) stay small enough for the allocator to reuse their memory.
        """
        stream = iter(docs)
        space: list[Any] = []  # the features' memory, kept from one decode to the next
        batches: list[list[Any]] = []
        words = 0
        while batch := list(islice(stream, batch_size)):
            batches.append(batch)
            words += sum(len(doc) for doc in batch)
            if words >= _TOKENS:
                self.annotate(batches, batch_size, space)
                for done in batches:
                    yield from done
                batches, words = [], 0
        self.annotate(batches, batch_size, space)
        for done in batches:
            yield from done

    def annotate(self, batches: Sequence[Sequence[Any]], batch_size: int, space: list[Any]) -> None:
        """Parse batches of docs, the model run on each batch's sub-batches by length.

        ``space`` holds an array whose memory the features may reuse (first writes to fresh
        memory were measured at up to a third of the decoding), or nothing; a larger one is
        left there.
        """
        docs = [doc for batch in batches for doc in batch]
        grown = self.parser.moves.n_moves != len(self.moves.kind)
        if grown or _has_preset_parse(docs):  # spaCy's own parser handles these
            self._spacy(batches, batch_size)
            return
        groups = [g for batch in batches for g in sub_batches(batch, batch_size)]
        decode_some = partial(decode, self.parser.model, self.moves, space=space)
        try:
            parsed = decode_groups(decode_some, groups, self.moves.seen.all())
        except Unsupported:
            self._spacy(batches, batch_size)
            return
        ordered = [doc for group in groups for doc in group]
        for doc, (heads, deps) in zip(ordered, parsed, strict=True):
            if len(doc):
                doc.from_array(["HEAD", "DEP"], _columns(heads, deps))
        for doc in docs:
            for hook in self.parser.postprocesses:
                hook(doc)

    def _spacy(self, batches: Sequence[Sequence[Any]], batch_size: int) -> None:
        """Parse the batches with spaCy's own parser."""
        for batch in batches:
            for _ in self.parser.pipe(batch, batch_size=batch_size):
                pass


def parse_decoder(nlp: Any) -> ParseDecoder | None:
    """A decoder for the pipeline's ``parser``, or None where its layout is not the one known."""
    from spacy.pipeline import DependencyParser
    from spacy.pipeline._parser_internals.arc_eager import ArcEager

    parser = greedy_pipe(nlp, "parser", DependencyParser, ArcEager, NF)
    if parser is None or parser.cfg.get("learn_tokens"):
        return None
    moves = read_moves(parser)
    return None if moves is None else ParseDecoder(parser, moves)


def read_moves(parser: Any) -> Moves | None:
    """The pipe's moves as arrays, or None if a move is not one of S/D/L/R/B as expected."""
    classes = read_classes(parser, _KINDS)
    if classes is None:
        return None
    for name, kind in zip(classes.names, classes.kind.tolist(), strict=True):
        label = name.partition("-")[2]
        if label == "subtok" or (kind in (LEFT, RIGHT) and not label):  # subtok: own validity
            return None
    root = int(parser.moves.root_label)
    return Moves(classes.kind, classes.label, classes.seen, root)


def _has_preset_parse(docs: Sequence[Any]) -> bool:
    """True if a doc already has heads or labels (spaCy keeps some of them: let it run)."""
    return any(len(doc) and doc.to_array(["HEAD", "DEP"]).any() for doc in docs)


def _columns(heads: Any, deps: Any) -> Any:
    """The (HEAD, DEP) columns ``Doc.from_array`` reads: relative heads, wrapped as uint64."""
    import numpy

    out = numpy.empty((len(heads), 2), dtype="uint64")
    out[:, 0] = heads.astype("int64").view("uint64")
    out[:, 1] = deps
    return out


def decode(
    model: Any, moves: Moves, groups: Sequence[Sequence[Any]], space: list[Any]
) -> list[tuple[Any, Any]]:
    """Greedy parses of the docs of ``groups``, in order: (relative heads, labels) per doc.

    The model runs on each group as spaCy runs it on a sub-batch, so that its features are
    the same to the bit; the steps then run over the states of all groups together.
    """
    import numpy

    docs = [doc for group in groups for doc in group]
    step, base = StepModel.read(model, groups, space)
    lengths = numpy.array([len(doc) for doc in docs], dtype=numpy.intp)
    state = ParseState.start(docs, base, lengths, step.rows)
    run_steps(step, moves, state)
    rows = numpy.arange(len(state.head))
    attached = state.head > 0
    heads = numpy.where(attached, state.head - rows, 0)
    deps = numpy.where(attached, state.label, numpy.uint64(moves.root))
    return [
        (heads[b : b + n], deps[b : b + n])
        for b, n in zip(base.tolist(), lengths.tolist(), strict=True)
    ]
