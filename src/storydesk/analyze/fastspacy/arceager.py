"""spaCy's arc-eager transition system as arrays: parse states, valid moves, moves applied.

The moves follow ``ArcEager`` in spaCy's ``arc_eager.pyx`` and the states ``StateC`` in
``_state.pxd``; ``parsedecode`` scores them with spaCy's model. At step k every unfinished
state makes its k-th move, and the last few states finish in plain Python (``_Alone``),
cheaper than a step of arrays for a handful of states.

A state's buffer is kept as a stack (its top is B(0)): the words spaCy's ``Reduce`` puts back
("unshift") go on top, above the words not yet read, exactly as ``StateC.B`` reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storydesk.analyze.fastspacy.stepmodel import StepModel

SHIFT, REDUCE, LEFT, RIGHT, BREAK = 0, 1, 2, 3, 4  # spaCy's move codes (arc_eager.pyx)
NF = 8  # context tokens: B0, B1, S0, S1, S2, L(B0), L(S0), R(S0)
STARTS, UNSHIFTABLE, NO_START = 1, 2, 4  # word flags
CODES = 3 * 3 * 8 * 2  # state codes of the validity table: depth, size, B0's flags, Break
FEW = 16  # states left that are cheaper to finish one by one (a step costs ~0.1 ms)
PAD = 3  # empty slots before each state's stack and buffer: S(2) of an empty stack reads 0


class Unsupported(Exception):
    """A state did what this decoder does not model; spaCy's parser must run instead."""


@dataclass(frozen=True)
class Moves:
    """The parser's moves as arrays indexed by class: kind, label hash, seen."""

    kind: Any  # (C,) int, one of SHIFT .. BREAK
    label: Any  # (C,) uint64 label hash (0: no label)
    seen: Any  # (C,) bool, False for classes the model marks unseen
    root: int  # hash of the label spaCy gives words left without a head


@dataclass(frozen=True)
class ParseState:
    """Every state of a batch in flat arrays, words numbered by feature row (0: no word).

    Per state: its stack and its buffer (both stacks, top last) in ``stack``/``buffer``,
    from ``slot`` up to (not including) ``top``/``buffer_top``. Per word: its head (0: none)
    and label, its most recent left and right child (``StateC.L``/``R`` of rank 1), the child
    before it in its head's list (what becomes most recent again when it is re-attached
    elsewhere), and ``flags``: STARTS, UNSHIFTABLE (``Reduce`` put it back on the buffer),
    NO_START (the doc says it cannot start a sentence).
    """

    first: Any  # per state: the row of its doc's first word
    length: Any  # and its number of words
    slot: Any
    top: Any
    buffer_top: Any
    stack: Any
    buffer: Any
    head: Any
    label: Any
    last: Any  # (rows, 2): most recent left child, most recent right child
    previous: Any
    flags: Any

    @classmethod
    def start(cls, docs: Sequence[Any], base: Any, lengths: Any, rows: int) -> ParseState:
        """The initial states: empty stacks, every word in the buffer, B(0) the first."""
        import numpy

        before = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1])).astype(numpy.intp)
        slot = before + PAD * numpy.arange(1, len(docs) + 1)
        cells = int(lengths.sum()) + PAD * (len(docs) + 1)
        doc_of = numpy.repeat(numpy.arange(len(docs)), lengths)
        local = numpy.arange(len(doc_of)) - before[doc_of]
        word = base[doc_of] + local
        buffer = numpy.zeros(cells, dtype=numpy.intp)
        buffer[slot[doc_of] + lengths[doc_of] - 1 - local] = word
        flags = numpy.zeros(rows, dtype=numpy.int8)
        parts = [doc.to_array("SENT_START").view(numpy.int64) for doc in docs if len(doc)]
        if parts:
            preset = numpy.concatenate(parts)
            flags[word] = numpy.where(preset == 1, STARTS, 0) | numpy.where(
                preset == -1, NO_START, 0
            )

        def zeros(dtype: Any) -> Any:
            return numpy.zeros(rows, dtype=dtype)

        return cls(
            base,
            lengths,
            slot,
            slot.copy(),
            slot + lengths,
            numpy.zeros(cells, dtype=numpy.intp),
            buffer,
            zeros(numpy.intp),
            zeros(numpy.uint64),
            numpy.zeros((rows, 2), dtype=numpy.intp),
            zeros(numpy.intp),
            flags,
        )

    def add_arcs(self, heads: Any, children: Any, labels: Any) -> None:
        """``StateC.add_arc`` for one arc of each of several states.

        A child that has a head is first taken off its old head's list. spaCy only really
        removes it when it is the list's last entry (otherwise its ``map_del_arc`` edits a
        copy and the stale arc stays, to be read back by L/R and ``set_annotations``); in
        greedy parsing it is always the last, and the rare other case is left to spaCy.
        """
        import numpy

        old = self.head[children]
        moved = old > 0
        if numpy.count_nonzero(moved):
            was, child = old[moved], children[moved]
            was_side = (was < child).view(numpy.int8)
            if numpy.count_nonzero(self.last[was, was_side] != child):
                raise Unsupported("an arc removed from inside a list")
            self.last[was, was_side] = self.previous[child]
        side = (heads < children).view(numpy.int8)  # 0: a left child, 1: a right child
        self.previous[children] = self.last[heads, side]
        self.last[heads, side] = children
        self.head[children] = heads
        self.label[children] = labels


def run_steps(step: StepModel, moves: Moves, state: ParseState) -> None:
    """Greedy decoding of every state to its end, one move of each unfinished state a step.

    Only the unfinished states are kept in the step's arrays (slot, top, buffer top),
    filtered when some finish.
    """
    import numpy

    valid_by_code = validity_table(moves.kind)
    stuck = ~valid_by_code.any(axis=1)
    kind, label = moves.kind, moves.label
    unseen = not moves.seen.all()
    stack_moves = numpy.array([1, -1, -1, 1, 0])[kind]  # by class: change of depth
    buffer_moves = numpy.array([-1, 0, 0, -1, 0])[kind]  # and of buffer size
    below = numpy.arange(1, PAD + 1)[:, None]  # S0, S1, S2 (B0, B1) are 1, 2, 3 below the top
    ids = numpy.flatnonzero(state.buffer_top > state.slot)
    slot, top, buffer_top = state.slot[ids], state.top[ids], state.buffer_top[ids]
    context = numpy.empty((NF, len(slot)), dtype=numpy.intp)
    while slot.size:
        if len(slot) <= FEW:
            at = zip(ids.tolist(), top.tolist(), buffer_top.tolist(), strict=True)
            states = [_Alone.read(state, *where) for where in at]
            _finish_alone(step, moves, states, valid_by_code)
            for alone in states:
                alone.write(state)
            return
        context = context[:, : len(slot)]
        context[2:5] = state.stack.take(top - below)
        context[:2] = state.buffer.take(buffer_top - below[:2])
        b0, b1, s0 = context[0], context[1], context[2]
        depth, size = top - slot, buffer_top - slot
        code = _code(state.flags, depth, size, b0, b1)
        if numpy.count_nonzero(stuck[code]):
            raise Unsupported("a state with no valid move")  # spaCy forces it to end
        valid = valid_by_code[code]
        context[5] = state.last[b0, 0]
        context[6:] = state.last[s0].T
        scores = step.scores(context)
        if unseen:
            scores[:, ~moves.seen] = scores.min()
        guess = numpy.where(valid, scores, -numpy.inf).argmax(axis=1)
        returned = _apply(state, kind[guess], label[guess], depth, b0, b1, s0, top, buffer_top)
        top += stack_moves[guess]
        buffer_top += buffer_moves[guess]
        buffer_top += returned
        going = buffer_top > slot
        going |= top > slot
        if numpy.count_nonzero(going) < len(going):
            ids, slot, top, buffer_top = ids[going], slot[going], top[going], buffer_top[going]


@dataclass
class _Alone:
    """One state finished on its own, in Python lists (indexed by word, from its first row).

    When few states are left, a step's dozens of array operations cost far more than doing
    each state's move in Python, which is what this does, with the same rules as
    ``run_steps``; the scores are still computed for these states together.
    """

    first: int
    stack: list[int]  # rows, top last
    buffer: list[int]
    head: list[int]  # by word: row of the head (0: none)
    label: list[int]
    last: list[list[int]]  # by word: [most recent left child, most recent right child]
    previous: list[int]
    flags: list[int]

    @classmethod
    def read(cls, state: ParseState, index: int, top: int, buffer_top: int) -> _Alone:
        """The state's stack, buffer and the arrays of its words, copied from ``state``."""
        first, slot = int(state.first[index]), int(state.slot[index])
        words = slice(first, first + int(state.length[index]))
        return cls(
            first,
            state.stack[slot:top].tolist(),
            state.buffer[slot:buffer_top].tolist(),
            state.head[words].tolist(),
            state.label[words].tolist(),
            state.last[words].tolist(),
            state.previous[words].tolist(),
            state.flags[words].tolist(),
        )

    def write(self, state: ParseState) -> None:
        """Put the heads and labels back into ``state``."""
        words = slice(self.first, self.first + len(self.head))
        state.head[words] = self.head
        state.label[words] = self.label

    def context(self) -> list[int]:
        """Rows of B0, B1, S0, S1, S2, L(B0), L(S0), R(S0) (0: none)."""
        buffer, stack = self.buffer, self.stack
        b0 = buffer[-1] if buffer else 0
        s0 = stack[-1] if stack else 0
        last_b0 = self.last[b0 - self.first][0] if b0 else 0
        last_s0 = self.last[s0 - self.first] if s0 else [0, 0]
        return [
            b0,
            buffer[-2] if len(buffer) > 1 else 0,
            s0,
            stack[-2] if len(stack) > 1 else 0,
            stack[-3] if len(stack) > 2 else 0,
            last_b0,
            *last_s0,
        ]

    def code(self) -> int:
        """The state's row of ``validity_table``, as ``_code`` gives it."""
        buffer = self.buffer
        b0 = buffer[-1] if buffer else 0
        b1 = buffer[-2] if len(buffer) > 1 else 0
        breakable = b1 == b0 + 1 and not self.flags[b1 - self.first] & (STARTS | NO_START)
        flags = self.flags[b0 - self.first] if b0 else 0
        depth, size = min(len(self.stack), 2), min(len(self.buffer), 2)
        return ((depth * 3 + size) * 8 + flags) * 2 + int(breakable)

    def move(self, kind: int, label: int) -> bool:
        """Do one move; True once the state is final."""
        stack, buffer, first = self.stack, self.buffer, self.first
        if kind == SHIFT:
            stack.append(buffer.pop())
        elif kind == RIGHT:
            self.add_arc(stack[-1], buffer[-1], label)
            stack.append(buffer.pop())
        elif kind == LEFT:
            self.add_arc(buffer[-1], stack[-1], label)
            self.flags[buffer[-1] - first] &= ~UNSHIFTABLE
            stack.pop()
        elif kind == REDUCE:
            word = stack.pop()
            if stack and not self.head[word - first]:  # Reduce puts it back on the buffer
                self.flags[word - first] |= UNSHIFTABLE
                buffer.append(word)
        else:
            self.flags[buffer[-2] - first] |= STARTS
        return not stack and not buffer

    def add_arc(self, head: int, child: int, label: int) -> None:
        """``ParseState.add_arcs`` for this state."""
        first = self.first
        old = self.head[child - first]
        if old:
            side = int(old < child)
            if self.last[old - first][side] != child:
                raise Unsupported("an arc removed from inside a list")
            self.last[old - first][side] = self.previous[child - first]
        side = int(head < child)
        self.previous[child - first] = self.last[head - first][side]
        self.last[head - first][side] = child
        self.head[child - first] = head
        self.label[child - first] = label


def _finish_alone(step: StepModel, moves: Moves, states: list[_Alone], valid_by_code: Any) -> None:
    """Run these states to their end, each state's move done in Python.

    A state with a single valid move takes it unscored, as spaCy's ``arg_max_if_valid``
    would (with unseen classes every state is scored: their score is the step's minimum).
    """
    import numpy

    kinds, labels = moves.kind.tolist(), moves.label.tolist()
    unseen = not moves.seen.all()
    count = valid_by_code.sum(axis=1)
    only = numpy.where(count == 1, valid_by_code.argmax(axis=1), -1)  # -1: scored
    only = numpy.where(count == 0, -2, -1 if unseen else only).tolist()  # -2: none valid
    while states:
        codes = [alone.code() for alone in states]
        picks = [only[code] for code in codes]
        if -2 in picks:
            raise Unsupported("a state with no valid move")
        scored = [i for i, pick in enumerate(picks) if pick == -1]
        if scored:
            context = [states[i].context() for i in scored]
            scores = step.scores(numpy.array(context, dtype=numpy.intp).T)
            if unseen:
                scores[:, ~moves.seen] = scores.min()
            valid = valid_by_code[[codes[i] for i in scored]]
            guesses = numpy.where(valid, scores, -numpy.inf).argmax(axis=1).tolist()
            for i, guess in zip(scored, guesses, strict=True):
                picks[i] = guess
        states = [
            alone
            for alone, pick in zip(states, picks, strict=True)
            if not alone.move(kinds[pick], labels[pick])
        ]


def validity_table(kind: Any) -> Any:
    """(codes, classes) bool: the classes valid in each state code of ``_code``.

    The rules of the moves' ``is_valid`` in arc_eager.pyx, read from the code's parts: depth
    (0, 1, 2 or more), buffer size (the same), B0's flags, and whether Break may mark B1.
    """
    import numpy

    table = numpy.zeros((CODES, 5), dtype=bool)
    for depth in range(3):
        for size in range(3):
            for flags in range(8):
                for breakable in (0, 1):
                    starts, unshiftable = flags & STARTS, flags & UNSHIFTABLE
                    arc = depth > 0 and size > 0 and not starts
                    table[((depth * 3 + size) * 8 + flags) * 2 + breakable] = (
                        depth == 0 or (size > 1 and not starts and not unshiftable),
                        depth > 0 and (size == 0 or depth > 1 or not flags & NO_START),
                        arc,
                        arc,
                        bool(breakable),
                    )
    return table[:, kind]


def _code(flags: Any, depth: Any, size: Any, b0: Any, b1: Any) -> Any:
    """Each state's row of ``validity_table``."""
    import numpy

    breakable = b1 == b0 + 1  # B1 follows B0 (so the buffer has two words)
    breakable &= (flags[b1] & (STARTS | NO_START)) == 0
    code = numpy.minimum(depth, 2)
    code *= 3
    code += numpy.minimum(size, 2)
    code *= 16
    code += flags[b0] * 2
    code += breakable
    return code


def _apply(
    state: ParseState,
    move: Any,
    label: Any,
    depth: Any,
    b0: Any,
    b1: Any,
    s0: Any,
    top: Any,
    buffer_top: Any,
) -> Any:
    """Do each state's move on the word arrays and stacks; return 1 where S0 went back.

    Depth and buffer size are left to the caller, except that the buffer grows by one where
    ``Reduce`` put back a word that has no head while others stay on the stack.
    """
    import numpy

    left, right = move == LEFT, move == RIGHT
    arc = left | right
    if numpy.count_nonzero(arc):
        on_left = left[arc]
        heads = numpy.where(on_left, b0[arc], s0[arc])
        children = numpy.where(on_left, s0[arc], b0[arc])
        state.add_arcs(heads, children, label[arc])
        shiftable = b0[left]  # LeftArc: B0 may be shifted again
        state.flags[shiftable] &= ~UNSHIFTABLE
    pushed = (move == SHIFT) | right
    state.stack[top[pushed]] = b0[pushed]
    returned = (move == REDUCE) & (depth > 1)
    returned &= state.head[s0] == 0
    if numpy.count_nonzero(returned):
        word = s0[returned]
        state.flags[word] |= UNSHIFTABLE
        state.buffer[buffer_top[returned]] = word
    broken = b1[move == BREAK]
    state.flags[broken] |= STARTS
    return returned
