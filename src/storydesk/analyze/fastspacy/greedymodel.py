"""What the numpy decoders (nerdecode, parsedecode) share: the model layout they read, and
the sub-batches spaCy runs that model on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


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
