"""The step model both decoders score with: precomputed features of every word, the layers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StepModel:
    """What one step needs: the precomputed features of every word (row 0: padding), layers."""

    features: Any  # (rows * nF, nO * nP) float32: row r's feature f at r * nF + f
    n_f: int
    offsets: Any  # (nF, 1): 0 .. nF - 1, where each feature sits in a word's rows
    lower_bias: Any  # (nO * nP,)
    pieces: int
    weights: Any  # (classes, nO), C-contiguous float32
    bias: Any  # (classes,)
    gemm: Any  # blis's gemm: spaCy's own product for this layer, so the scores match

    @classmethod
    def read(
        cls, model: Any, groups: Sequence[Sequence[Any]], space: list[Any]
    ) -> tuple[StepModel, Any]:
        """Run tok2vec and the precomputable layer on each group, as spaCy's step model does.

        Returns the step model and the row of each doc's first word. Each group keeps its own
        padding row (the one before its words); they are all the same, row 0 serves for all.
        """
        import importlib

        import numpy

        tok2vec, lower, upper = (model.get_ref(n) for n in ("tok2vec", "lower", "upper"))
        n_f, n_o, n_p = (lower.get_dim(d) for d in ("nF", "nO", "nP"))
        sizes = [1 + sum(len(doc) for doc in group) for group in groups]
        shape = (sum(sizes), n_f, n_o, n_p)
        if not space or space[0].size < numpy.prod(shape):
            space[:] = [numpy.empty(shape, dtype="f").reshape(-1)]
        table = space[0][: numpy.prod(shape)].reshape(shape)
        first: list[int] = []
        row = 0
        for group, size in zip(groups, sizes, strict=True):
            table[row : row + size] = lower.predict(tok2vec.predict(list(group)))
            for doc in group:
                first.append(row + 1)
                row += len(doc)
            row += 1
        step = cls(
            table.reshape(-1, n_o * n_p),
            n_f,
            numpy.arange(n_f)[:, None],
            lower.get_param("b").reshape(-1),
            n_p,
            numpy.ascontiguousarray(upper.get_param("W"), dtype="f"),
            upper.get_param("b"),
            importlib.import_module("blis.py").gemm,
        )
        return step, numpy.array(first, dtype=numpy.intp)

    @property
    def rows(self) -> int:
        """Rows of words (padding rows included)."""
        return len(self.features) // self.n_f

    def scores(self, context: Any) -> Any:
        """Class scores of states whose context words are at these rows, (nF, states) (0: none).

        The features are summed in spaCy's order (feature 0 first, then the bias), so the
        float32 sums are the same.
        """
        import numpy

        rows = self.features.take(context * self.n_f + self.offsets, axis=0)  # (nF, states, W)
        summed = numpy.add.reduce(rows, axis=0)  # row by row, in order (not pairwise)
        summed += self.lower_bias
        hidden = summed[:, 0 :: self.pieces]  # maxout; a reduction over a tiny axis is slow
        for piece in range(1, self.pieces):
            hidden = numpy.maximum(hidden, summed[:, piece :: self.pieces])
        out = numpy.empty((len(summed), len(self.bias)), dtype="f")
        self.gemm(hidden, self.weights, out=out, trans2=True, beta=0.0)
        out += self.bias
        return out
