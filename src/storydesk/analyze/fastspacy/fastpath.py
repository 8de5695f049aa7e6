"""Cheaper spaCy runs that give the finders the same annotations.

Two measured costs are cut (docs/benchmarks.md, "Analysis"): thinc's blis matrix product,
several times slower on this class of CPU than numpy's OpenBLAS, and the attribute ruler and
rule lemmatizer, which together took a third of the pipeline's time while the finders only
read coarse tags of every token and lemmas of verbs and nouns. The ruler's tag table is read
from the loaded model itself, and lemmas come from the model's own lemmatizer, only for the
tokens whose lemma can matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

SKIPPED = ("attribute_ruler", "lemmatizer")
_BASE_TAGS = frozenset({"NN", "VB", "VBP"})  # singular nouns, infinitives, present non-3rd
_LEMMA_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "NN", "NNS"})


@dataclass(frozen=True)
class LightTagger:
    """What the skipped components would have set: POS from tags, lemmas on demand."""

    pos: dict[tuple[str | None, str | None, str | None], str]  # (lower, tag, dep) -> POS
    lemmas: dict[tuple[str, str | None], str]  # (lower-case word, tag) -> lemma the ruler fixes
    lemmatizer: Any  # the model's rule lemmatizer, or None

    def annotate(self, docs: Iterable[Any]) -> Iterator[Any]:
        """Set ``pos_`` and ``lemma_`` on every token in place (lemmatizer: verbs, nouns).

        Both follow from the word, its tag and its dependency label alone, so each distinct
        triple is worked out once per call.
        """
        memo: dict[tuple[int, str, str], tuple[str | None, str]] = {}
        for doc in docs:
            for token in doc:
                key = (token.orth, token.tag_, token.dep_)
                known = memo.get(key)
                if known is None:
                    known = memo[key] = self._annotation(token, key[1], key[2])
                pos, lemma = known
                if pos:
                    token.pos_ = pos
                token.lemma_ = lemma
            yield doc

    def _annotation(self, token: Any, tag: str, dep: str) -> tuple[str | None, str]:
        """The POS and lemma of one token (its POS is set first: the lemmatizer reads it)."""
        lower = token.lower_.replace("’", "'")
        pos = (
            self.pos.get((lower, tag, dep))
            or self.pos.get((lower, None, dep))
            or self.pos.get((None, tag, dep))
            or self.pos.get((lower, tag, None))
            or self.pos.get((None, tag, None))
        )
        if pos:
            token.pos_ = pos
        if tag in _LEMMA_TAGS:
            return pos, self._lemma(token, lower, tag)
        if tag in ("NNP", "NNPS"):
            return pos, token.text
        return pos, self.lemmas.get((lower, tag)) or token.lower_

    def _lemma(self, token: Any, lower: str, tag: str) -> str:
        """The lemma the full pipeline gives a verb or noun (lower-cased)."""
        fixed = self.lemmas.get((lower, tag)) or self.lemmas.get((lower, None))
        if fixed:
            return fixed
        if self.lemmatizer is None or tag in _BASE_TAGS:
            return lower
        return str(self.lemmatizer.rule_lemmatize(token)[0]).lower()


def light_tagger(nlp: Any) -> LightTagger | None:
    """A LightTagger built from the model's attribute ruler, or None if it has none."""
    if "attribute_ruler" not in nlp.component_names or "tagger" not in nlp.pipe_names:
        return None
    pos: dict[tuple[str | None, str | None, str | None], str] = {}
    lemmas: dict[tuple[str, str | None], str] = {}
    for rule in nlp.get_pipe("attribute_ruler").patterns:
        attrs = rule["attrs"]
        for pattern in rule["patterns"]:
            if len(pattern) != 1 or set(pattern[0]) - {"TAG", "LOWER", "DEP"}:
                continue
            for lower, tag, dep in _expand(pattern[0]):
                if "POS" in attrs:
                    pos[(lower, tag, dep)] = attrs["POS"]
                if "LEMMA" in attrs and lower is not None and dep is None:
                    lemmas[(lower, tag)] = attrs["LEMMA"]
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    return LightTagger(pos, lemmas, lemmatizer)


def _expand(pattern: dict[str, Any]) -> Iterator[tuple[str | None, str | None, str | None]]:
    """Every (lower, tag, dep) a one-token pattern matches exactly; nothing for regexes."""
    values: list[list[str | None]] = []
    for key in ("LOWER", "TAG", "DEP"):
        value = pattern.get(key)
        if isinstance(value, dict):
            if set(value) != {"IN"}:
                return
            value = value["IN"]
        if value is None:
            values.append([None])
        elif isinstance(value, str):
            values.append([value])
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            values.append(list(value))
        else:
            return
    for lower in values[0]:
        for tag in values[1]:
            for dep in values[2]:
                yield lower, tag, dep


def use_numpy_matmul(nlp: Any) -> None:
    """Route the model layers' matrix products through numpy (OpenBLAS) instead of blis."""
    import numpy
    from thinc.api import NumpyOps

    class MatmulOps(NumpyOps):  # type: ignore[misc]
        """NumpyOps whose gemm is numpy.matmul; every other operation is unchanged."""

        def gemm(
            self,
            x: Any,
            y: Any,
            out: Any = None,
            trans1: bool = False,
            trans2: bool = False,
        ) -> Any:
            """x @ y, optionally transposed, into ``out`` when given."""
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
            return out

    ops = MatmulOps()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
