"""Small spaCy pipelines for the decoder tests: random weights, or layouts the decoders skip."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def random_pipe(
    factory: str,
    labels: Iterable[str],
    seed: int,
    unseen: frozenset[int] = frozenset(),
    sentencizer: bool = False,
    **config: Any,
) -> Any:
    """A blank English pipeline with one transition component of random output weights."""
    import numpy
    import spacy

    nlp = spacy.blank("en")
    if sentencizer:
        nlp.add_pipe("sentencizer")
    pipe = nlp.add_pipe(factory, config=config)
    for label in labels:
        pipe.add_label(label)
    nlp.initialize()
    upper = pipe.model.get_ref("upper")
    rng = numpy.random.default_rng(seed)
    upper.set_param("W", rng.normal(size=upper.get_param("W").shape).astype("f"))
    upper.set_param("b", rng.normal(size=upper.get_param("b").shape).astype("f"))
    pipe.model.attrs["unseen_classes"] = set(unseen)
    return nlp


def tiny_model(state_type: str, extra_state_tokens: bool, use_upper: bool) -> dict[str, Any]:
    """The config of a small transition model (a layout the decoders may not read)."""
    tok2vec = {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "width": 16,
        "depth": 1,
        "embed_size": 500,
        "window_size": 1,
        "maxout_pieces": 2,
        "subword_features": True,
        "pretrained_vectors": None,
    }
    return {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": state_type,
            "extra_state_tokens": extra_state_tokens,
            "hidden_width": 16,
            "maxout_pieces": 2,
            "use_upper": use_upper,
            "tok2vec": tok2vec,
        }
    }
