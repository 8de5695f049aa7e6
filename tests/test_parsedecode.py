"""parsedecode gives the parses spaCy's own parser gives (invented news text, project model)."""

from __future__ import annotations

from typing import Any

import pytest

from storydesk.analyze.fastspacy.fastpath import SKIPPED
from storydesk.analyze.fastspacy.parsedecode import parse_decoder
from storydesk.analyze.nlp import _pipe
from tests.spacy_models import random_pipe, tiny_model

TEXTS = [
    "Mayor Ana Ruiz of Portwell said on Tuesday that the city would borrow $4.5 million "
    "from the Northern Harbour Bank to rebuild the ferry quay before March 2026. The council "
    "will vote on the plan next week. Critics say it is too expensive.",
    "“We will not back down,” said Tomas Lindqvist, whose union represents 12,000 dockers, "
    "adding that members had voted 9-1 for a strike: “The bosses know what they did.”",
    "Shares in Meridian Foods fell 7% in London after the company, which makes soups, "
    "sauces and frozen pizzas for supermarkets in Britain, France, Germany and Spain, warned "
    "that profits for the year to June would be about £30m lower than analysts had expected "
    "because of rising energy, packaging and transport costs, a weaker pound and a recall of "
    "two of its best-selling products, which it blamed on a supplier it has since dropped.",
    "The plan has three parts: new buses; cheaper tickets for students, pensioners and the "
    "unemployed; and a ban on cars in the old town from 2027.",
    "Senator Lee\n\nWashington  DC   officials   met  at  noon .",  # newline and space tokens
    "FLOODS HIT NORTHERN TOWNS AS RIVERS BURST BANKS",
    "Reuters",
    "",
    " ",
    "Yes.",
    "- Police arrested two men.\n- A third is being sought.\n- Roads remain closed.",
    "Ms. Chen. Mr. Park. The U.N. and the E.U. met in New York on 9/11/2024 at 10:30 a.m.",
    "Asked whether he would resign, the minister, who has faced weeks of criticism over the "
    "contracts, said: “No. Absolutely not. I have done nothing wrong” — then left.",
    "Prices rose 3.1% in May (up from 2.9% in April), the statistics office said on Friday",
    "What happens next? Nobody knows... Maybe the court will decide; maybe not!",
]


def parses(docs: list[Any]) -> list[tuple[Any, ...]]:
    """Heads, labels and sentence starts of each doc."""
    return [
        (
            [(t.head.i, t.dep_) for t in doc],
            [(s.start, s.end) for s in doc.sents] if len(doc) else [],
            [t.is_sent_start for t in doc],
        )
        for doc in docs
    ]


def everything(docs: list[Any]) -> list[tuple[Any, ...]]:
    """Parses, entities and tags of each doc."""
    extra = [
        ([(e.start, e.end, e.label_) for e in doc.ents], [(t.tag_, t.pos_, t.lemma_) for t in doc])
        for doc in docs
    ]
    return list(zip(parses(docs), extra, strict=True))


def before_parser(nlp: Any, texts: list[str]) -> list[Any]:
    """The texts run through the pipeline up to (not including) the parser."""
    return list(nlp.pipe(texts, disable=[*SKIPPED, "parser", "ner"]))


def both(nlp: Any, docs: list[Any], batch_size: int) -> tuple[list[Any], list[Any]]:
    """The docs parsed by spaCy's parser and, on copies, by the decoder."""
    decoder = parse_decoder(nlp)
    assert decoder is not None
    ours = [doc.copy() for doc in docs]
    theirs = list(nlp.get_pipe("parser").pipe(docs, batch_size=batch_size))
    assert list(decoder.pipe(ours, batch_size)) == ours
    return parses(theirs), parses(ours)


@pytest.mark.parametrize("batch_size", [256, 7, 2])
def test_same_parses_as_spacy(nlp: Any, batch_size: int) -> None:
    theirs, ours = both(nlp, before_parser(nlp, TEXTS * 3), batch_size)
    assert ours == theirs
    assert sum(len(sents) for _, sents, _ in ours) > 60


def test_several_sentences_and_roots(nlp: Any) -> None:
    theirs, ours = both(nlp, before_parser(nlp, TEXTS[:1]), 256)
    assert ours == theirs
    heads, sents, _ = ours[0]
    assert len(sents) == 3
    assert sum(head == i for i, (head, _) in enumerate(heads)) == 3  # one root a sentence
    assert all(label for _, label in heads)


def test_only_empty_docs(nlp: Any) -> None:
    theirs, ours = both(nlp, before_parser(nlp, ["", " ", ""]), 256)
    assert ours == theirs
    assert parses(_pipe(nlp, [""])) == [([], [], [])]


def test_preset_sentence_start_respected_as_spacy(nlp: Any) -> None:
    docs = before_parser(nlp, TEXTS[:4])
    docs[0][5].is_sent_start = True
    docs[2][3].is_sent_start = False
    docs[3][10].is_sent_start = False
    theirs, ours = both(nlp, docs, 256)
    assert ours == theirs
    assert 5 in [start for start, _ in ours[0][1]]


def test_preset_parse_left_to_spacy(nlp: Any) -> None:
    docs = before_parser(nlp, TEXTS[:3])
    docs[1][2].dep_ = "nsubj"
    theirs, ours = both(nlp, docs, 256)
    assert ours == theirs


def test_pipe_uses_decoders_with_same_result(nlp: Any) -> None:
    from storydesk.analyze.fastspacy.fastpath import light_tagger

    texts = TEXTS * 2
    tagger = light_tagger(nlp)
    assert tagger is not None
    full = everything(list(tagger.annotate(nlp.pipe(texts, disable=list(SKIPPED)))))
    assert everything(_pipe(nlp, texts)) == full


def test_pipe_with_spacy_ner_after_decoded_parser(
    nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.analyze import nlp as module
    from storydesk.analyze.fastspacy.fastpath import light_tagger

    monkeypatch.setattr(module, "ner_decoder", lambda _: None)
    tagger = light_tagger(nlp)
    assert tagger is not None
    full = everything(list(tagger.annotate(nlp.pipe(TEXTS, disable=list(SKIPPED)))))
    assert everything(_pipe(nlp, TEXTS)) == full


def test_many_batches_decoded_together(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk.analyze.fastspacy import parsedecode

    monkeypatch.setattr(parsedecode, "_TOKENS", 50)  # a decode every batch or two
    theirs, ours = both(nlp, before_parser(nlp, TEXTS * 2), 4)
    assert ours == theirs


def random_parser(seed: int, unseen: frozenset[int] = frozenset()) -> Any:
    """A blank English pipeline with a parser of random output weights."""
    labels = ("nsubj", "dobj", "det", "amod", "prep", "pobj", "punct", "pobj||prep")
    return random_pipe("parser", labels, seed, unseen)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_weights_same_as_spacy(seed: int) -> None:
    nlp = random_parser(seed, unseen=frozenset({0, 4}) if seed == 3 else frozenset())
    docs = list(nlp.pipe(TEXTS * 2, disable=["parser"]))
    theirs, ours = both(nlp, docs, 8)
    assert ours == theirs
    assert sum(len(sents) for _, sents, _ in ours) > 20


@pytest.mark.parametrize(
    ("factory", "config"),
    [
        ("parser", tiny_model("parser", extra_state_tokens=False, use_upper=False)),
        ("parser", {"learn_tokens": True}),
        ("beam_parser", {}),
    ],
)
def test_layouts_not_understood_left_to_spacy(factory: str, config: dict[str, Any]) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe(factory, config=config).add_label("nsubj")
    nlp.initialize()
    assert parse_decoder(nlp) is None
    assert parses(_pipe(nlp, TEXTS[:3])) == parses(list(nlp.pipe(TEXTS[:3])))


def test_no_decoder_without_parser() -> None:
    import spacy

    assert parse_decoder(spacy.blank("en")) is None


@pytest.mark.parametrize("few", [0, 10_000])
def test_array_steps_and_python_steps_alone(
    nlp: Any, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    from storydesk.analyze.fastspacy import arceager

    monkeypatch.setattr(arceager, "FEW", few)  # 0: arrays to the end; else: Python only
    theirs, ours = both(nlp, before_parser(nlp, TEXTS * 3), 16)
    assert ours == theirs
