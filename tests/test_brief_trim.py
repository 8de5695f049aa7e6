"""Brief trimming: only words left out, and the grounding check that verifies it."""

from __future__ import annotations

from storydesk.dossier.brief import brief
from storydesk.dossier.build import check_grounding
from storydesk.dossier.trim import made_by_deletion, trim_sentence
from storydesk.model import BriefSentence, Dossier, Fact, Support


def test_trims_leave_words_out_and_keep_attribution() -> None:
    cases = {
        "Meanwhile, the board said it would open an inquiry.": (
            "The board said it would open an inquiry."
        ),
        "Robbers took gems worth 85 million euros (74 million pounds) from the shop.": (
            "Robbers took gems worth 85 million euros from the shop."
        ),
        "PORT ELLIS - The ferry struck a barge, the coast guard said.": (
            "The ferry struck a barge, the coast guard said."
        ),
        # asides that attribute or negate stay; so does a time phrase at the start
        "The pact (not yet signed) covers Lakonia.": "The pact (not yet signed) covers Lakonia.",
        "The pact (Reuters said) covers Lakonia.": "The pact (Reuters said) covers Lakonia.",
        "On Monday, the board met.": "On Monday, the board met.",
    }
    for source, trimmed in cases.items():
        assert trim_sentence(source) == trimmed
        assert made_by_deletion(trimmed, source)


def test_deletion_check_rejects_added_dropped_negation_and_attribution() -> None:
    source = "Meanwhile, the board said it would not open an inquiry on Monday."
    assert made_by_deletion("The board said it would not open an inquiry on Monday.", source)
    assert not made_by_deletion("The board said it would open an inquiry on Monday.", source)
    assert not made_by_deletion("It would not open an inquiry on Monday.", source)  # who said
    assert not made_by_deletion("The board said it would not open a new inquiry.", source)
    assert not made_by_deletion("the board would not open on Monday.", source)


def _fact(article: int, text: str) -> Fact:
    return Fact(text, (Support(article, 0, text), Support(article + 1, 0, text)), 2, "corroborated")


def test_brief_sentences_are_trimmed_and_stay_grounded() -> None:
    texts = [
        "Meanwhile, the Skarn Banks ministers said the cod quota would fall by a fifth.",
        "Estmark will cut its herring catch (a third of the fleet's income) next spring.",
        "Harbour pilots in Port Halden went on strike over night shifts.",
        "The coast guard closed the Grey Sea lanes to trawlers for two weeks.",
        "Fish prices at the Norvania auction rose to a ten-year high, traders said.",
    ]
    facts = [_fact(2 * k + 1, t) for k, t in enumerate(texts)]
    sentences = brief([], facts, [], None)
    shown = {b.text for b in sentences}
    assert "The Skarn Banks ministers said the cod quota would fall by a fifth." in shown
    assert "Estmark will cut its herring catch next spring." in shown
    assert texts[2] in shown
    d = Dossier(1, "", None, None, 2, (), tuple(sentences), (), (), (), (), ())
    assert check_grounding(d) == []
    bad = Dossier(
        1,
        "",
        None,
        None,
        2,
        (),
        (BriefSentence("The board met.", facts[0].support),),
        (),
        (),
        (),
        (),
        (),
    )
    assert len(check_grounding(bad)) == 1


def test_a_source_before_a_colon_or_dash_is_not_a_dateline() -> None:
    for sentence in ("NATO: Russia has massed troops.", "AP - Cases rose.", "WHO - Cases rose."):
        assert trim_sentence(sentence) == sentence
    assert trim_sentence("PORT ELLIS - The ferry hit a barge.") == "The ferry hit a barge."
