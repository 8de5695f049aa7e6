"""nerdecode gives the entities spaCy's own NER gives (invented news text, project model)."""

from __future__ import annotations

from typing import Any

import pytest

from storydesk.analyze.fastspacy.fastpath import SKIPPED
from storydesk.analyze.fastspacy.nerdecode import ner_decoder
from storydesk.analyze.nlp import _pipe
from tests.spacy_models import random_pipe, tiny_model

TEXTS = [
    "Mayor Ana Ruiz of Portwell said on Tuesday that the city would borrow $4.5 million "
    "from the Northern Harbour Bank to rebuild the ferry quay before March 2026.",
    "The Baltic Freight Union, which represents 12,000 dockers, called a strike for "
    "Friday; its leader, Tomas Lindqvist, told reporters in Gdansk it could last a week.",
    "Shares in Meridian Foods fell 7% in London after the company warned that profits "
    "for the year to June would be about £30m lower than expected.",
    "Talks ended at Villa Orsini. Rome officials said nothing more.",  # a stop inside a name
    "Senator Lee\n\nWashington  DC   officials   met  at  noon .",  # newline and space tokens
    "The Green Party of Aldmoor won 14 of the 40 seats in Sunday's council vote, up "
    "from three in 2021, according to figures published by the Electoral Office.",
    "Reuters",
    "",
    " ",
    "Dr. Helen Okafor, a virologist at St. Mary's Hospital in Lagos, said the first "
    "doses of the vaccine would arrive on 3 February and cost less than 2 dollars each.",
    "IRENE MBEKI JOINS ACME CORP AS CHIEF EXECUTIVE",
    "Ms. Chen. Mr. Park. The U.N. and the E.U. met in New York on 9/11/2024 at 10:30 a.m.",
    "€1.2bn",
    "Fourth of July parade cancelled in Springfield, Illinois, for the second year.",
]


def annotations(docs: list[Any]) -> list[tuple[Any, ...]]:
    """Entities and per-token IOB and type of each doc."""
    return [
        (
            [(e.start, e.end, e.label_, e.kb_id) for e in doc.ents],
            [(t.ent_iob_, t.ent_type_) for t in doc],
        )
        for doc in docs
    ]


def both(nlp: Any, docs: list[Any], batch_size: int) -> tuple[list[Any], list[Any]]:
    """The docs annotated by spaCy's ner and, on copies, by the decoder."""
    decoder = ner_decoder(nlp)
    assert decoder is not None
    ours = [doc.copy() for doc in docs]
    theirs = list(nlp.get_pipe("ner").pipe(docs, batch_size=batch_size))
    assert list(decoder.pipe(ours, batch_size)) == ours
    return annotations(theirs), annotations(ours)


def parsed(nlp: Any, texts: list[str]) -> list[Any]:
    """The texts run through the pipeline up to (not including) NER."""
    return list(nlp.pipe(texts, disable=[*SKIPPED, "ner"]))


@pytest.mark.parametrize("batch_size", [256, 5, 2])
def test_same_entities_as_spacy(nlp: Any, batch_size: int) -> None:
    theirs, ours = both(nlp, parsed(nlp, TEXTS * 3), batch_size)
    assert ours == theirs
    assert sum(len(ents) for ents, _ in ours) > 30


def test_sentence_start_stops_an_entity(nlp: Any) -> None:
    doc = parsed(nlp, ["Talks ended at Villa Orsini. Rome officials said nothing more."])[0]
    theirs, ours = both(nlp, [doc], 256)
    assert ours == theirs
    starts = {t.i for t in doc if t.is_sent_start}
    for start, end, _, _ in ours[0][0]:
        assert not any(start < s < end for s in starts)


def test_preset_entities_respected_as_spacy(nlp: Any) -> None:
    from spacy.tokens import Span

    docs = parsed(nlp, TEXTS[:3])
    docs[0].set_ents([Span(docs[0], 1, 3, label="ORG")], default="unmodified")
    docs[1].set_ents([], blocked=[Span(docs[1], 1, 4)], default="unmodified")
    docs[2].set_ents([Span(docs[2], 2, 4, label="PERSON")], default="missing")
    theirs, ours = both(nlp, docs, 256)
    assert ours == theirs
    assert ours[0][0][0][:3] == (1, 3, "ORG")


def test_pipe_uses_decoder_with_same_result(nlp: Any) -> None:
    full = annotations(list(nlp.pipe(TEXTS, disable=list(SKIPPED))))
    assert annotations(_pipe(nlp, TEXTS)) == full


def test_only_empty_docs(nlp: Any) -> None:
    theirs, ours = both(nlp, parsed(nlp, ["", " ", ""]), 256)
    assert ours == theirs
    assert annotations(_pipe(nlp, [""])) == [([], [])]


def random_ner(seed: int, unseen: frozenset[int] = frozenset(), **ner: Any) -> Any:
    """A blank English pipeline with a sentencizer and a NER of random output weights."""
    labels = ("ORG", "PERSON", "GPE", "DATE")
    return random_pipe("ner", labels, seed, unseen, sentencizer=True, **ner)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_weights_same_as_spacy(seed: int) -> None:
    nlp = random_ner(seed, unseen=frozenset({0, 5}) if seed == 3 else frozenset())
    docs = list(nlp.pipe(TEXTS * 2, disable=["ner"]))
    theirs, ours = both(nlp, docs, 8)
    assert ours == theirs
    assert sum(len(ents) for ents, _ in ours) > 20


def test_unknown_preset_label_left_to_spacy() -> None:
    from spacy.tokens import Span

    nlp = random_ner(4)
    docs = list(nlp.pipe(TEXTS[:4], disable=["ner"]))
    docs[0].set_ents([Span(docs[0], 0, 2, label="WIDGET")], default="unmodified")
    decoder = ner_decoder(nlp)
    assert decoder is not None
    copies = [doc.copy() for doc in docs]
    ours = annotations(list(decoder.pipe(copies, 256)))  # first: the label is new to the model
    theirs = annotations(list(nlp.get_pipe("ner").pipe(docs, batch_size=256)))
    assert ours == theirs
    assert nlp.get_pipe("ner").moves.n_moves != len(decoder.moves.kind)  # spaCy grew it
    assert ours[0][0][0][:3] == (0, 2, "WIDGET")


@pytest.mark.parametrize(
    ("factory", "config"),
    [
        ("ner", tiny_model("ner", extra_state_tokens=True, use_upper=True)),
        ("ner", tiny_model("ner", extra_state_tokens=False, use_upper=False)),
        ("beam_ner", {}),
    ],
)
def test_layouts_not_understood_left_to_spacy(factory: str, config: dict[str, Any]) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(factory, config=config).add_label("ORG")
    nlp.initialize()
    assert ner_decoder(nlp) is None
    assert annotations(_pipe(nlp, TEXTS[:3])) == annotations(list(nlp.pipe(TEXTS[:3])))


def test_no_decoder_without_ner() -> None:
    import spacy

    assert ner_decoder(spacy.blank("en")) is None
