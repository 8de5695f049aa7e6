"""What the numpy decoders (nerdecode, parsedecode) share: the pipe and model layout they read,
its moves by class, and the sub-batches spaCy runs that model on."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def greedy_pipe(
    nlp: Any, name: str, pipe_type: type[Any], moves_type: type[Any], n_features: int
) -> Any | None:
    """The pipeline's ``name`` pipe if exactly of these types, of the known layout, else None."""
    if name not in nlp.pipe_names:
        return None
    pipe = nlp.get_pipe(name)
    if type(pipe) is not pipe_type or type(pipe.moves) is not moves_type:
        return None
    if not known_layout(pipe, n_features) or not scores_classes(pipe, pipe.moves.n_moves):
        return None
    return pipe


def known_layout(pipe: Any, n_features: int) -> bool:
    """True for spaCy's greedy ``parser_model`` with ``n_features`` context tokens, on CPU.

    That is: beam width 1, a precomputable lower layer with maxout pieces, a linear upper
    layer, numpy ops; anything else is left to spaCy's own component.
    """
    from thinc.api import NumpyOps

    if pipe.cfg.get("beam_width", 1) != 1:
        return False
    model = pipe.model
    if model.name != "parser_model" or not model.attrs.get("has_upper"):
        return False
    lower, upper = model.get_ref("lower"), model.get_ref("upper")
    if not isinstance(model.ops, NumpyOps) or not isinstance(lower.ops, NumpyOps):
        return False
    if lower.name != "precomputable_affine" or upper.name != "linear":
        return False
    return bool(lower.get_dim("nF") == n_features and lower.get_dim("nP") >= 2)


def scores_classes(pipe: Any, classes: int) -> bool:
    """True when the upper layer scores exactly ``classes`` moves."""
    lower, upper = pipe.model.get_ref("lower"), pipe.model.get_ref("upper")
    return bool(upper.get_param("W").shape == (classes, lower.get_dim("nO")))


def seen_classes(pipe: Any, classes: int) -> Any:
    """(classes,) bool: False for the classes the model marks unseen in training."""
    import numpy

    seen = numpy.ones(classes, dtype=bool)
    for clas in pipe.model.attrs.get("unseen_classes", ()):
        seen[clas] = False
    return seen


def sub_batches(docs: Sequence[Any], batch_size: int) -> list[list[Any]]:
    """The sub-batches (by length) spaCy's parser and NER run their model on, those with a word.

    The decoders run the model on the same sub-batches: its results may depend on the batch's
    shape, and the decoded moves must be spaCy's to the bit.
    """
    sub_batch = max(batch_size // 4, 2)
    by_length = sorted(docs, key=len)
    groups = [by_length[i : i + sub_batch] for i in range(0, len(by_length), sub_batch)]
    return [g for g in groups if any(len(doc) for doc in g)]


def decode_groups(
    decode: Callable[[Sequence[Sequence[Any]]], list[T]],
    groups: Sequence[Sequence[Any]],
    all_seen: bool,
) -> list[T]:
    """``decode`` run on all the groups together, or on each alone where classes are unseen.

    spaCy scores unseen classes with the minimum of a sub-batch's step, so the states of a
    sub-batch must then step apart from the others'.
    """
    if not groups:
        return []
    if all_seen:
        return decode(groups)
    return [out for group in groups for out in decode([group])]


@dataclass(frozen=True)
class Classes:
    """A pipe's moves by class, each named KIND or KIND-LABEL: name, kind code, label, seen."""

    names: tuple[str, ...]
    kind: Any  # (C,) int, the code of each class's KIND
    label: Any  # (C,) uint64 label hash (0: no label)
    seen: Any  # (C,) bool, False for classes the model marks unseen


def read_classes(pipe: Any, codes: Mapping[str, int]) -> Classes | None:
    """The pipe's classes, every one included, or None if a KIND is not one of ``codes``."""
    import numpy

    names = tuple(str(pipe.moves.get_class_name(clas)) for clas in range(pipe.moves.n_moves))
    parts = [name.partition("-") for name in names]
    if any(kind not in codes for kind, _, _ in parts):
        return None
    strings = pipe.vocab.strings
    hashes = [int(strings.as_int(label)) if label else 0 for _, _, label in parts]
    kinds = numpy.array([codes[kind] for kind, _, _ in parts])
    seen = seen_classes(pipe, len(names))
    return Classes(names, kinds, numpy.array(hashes, dtype="uint64"), seen)
