"""One fact per claim: the same-claim scorer, quotes kept out of facts, and the seeds."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.crosscheck.align import Unit, align_articles, align_facts, sentence_units
from storydesk.crosscheck.claims import (
    claim_features,
    claim_logit,
    claim_text,
    same_claim_score,
)
from storydesk.crosscheck.quotes import own_words, quote_sentence
from storydesk.model import AnalyzedArticle, Span, Speaker
from storydesk.options import Options
from storydesk.text.embed import LazyEmbedder
from tests.conftest import REPO, SEEDS, SHARED, embeddings_installed, needs_seeds
from tests.factories import make_article

MSRP = SHARED / "data" / "msrp-train" / "msr_paraphrase_train.txt"
needs_model = pytest.mark.skipif(not embeddings_installed(), reason="embedding model missing")
# bench/align_msrp.py: held-out accuracy 0.763 on all 909 held-out pairs; on the first 240
# (the sample below) the measured figure is MSRP_SAMPLE_MEASURED
MSRP_SAMPLE = 240
MSRP_SAMPLE_MEASURED = 0.787
MSRP_MARGIN = 0.03

VISIT = "Premier Ola Varn is scheduled to visit the Harbour Palace in Kestrava on November 18."
TRAVEL = "Kestravan Premier Ola Varn is set to travel to Kestrava on Nov. 18."
OTHER = "Premier Ola Varn opened a fish market in Dunmore in 2016, the first premier to do so."


def test_claim_text_spells_out_months_and_finds_numbers_names_and_negation() -> None:
    a, b = claim_text(VISIT), claim_text(TRAVEL)
    assert "november" in a.words and "november" in b.words  # "Nov." is November
    assert a.numbers == b.numbers == {"18"}
    assert {"ola", "varn", "kestrava"} <= a.names
    assert "visit" in a.plain_words and "varn" not in a.plain_words
    assert not a.negated and claim_text("The premier did not travel.").negated


def test_scorer_rises_with_cosine_and_falls_with_a_number_clash() -> None:
    a, b = claim_text(VISIT), claim_text(TRAVEL)
    assert same_claim_score(a, b, 0.9, 0.3) > same_claim_score(a, b, 0.5, 0.3)
    clash = claim_text(TRAVEL.replace("18", "25"))
    assert claim_logit(claim_features(a, clash, 0.8, 0.3)) < claim_logit(
        claim_features(a, b, 0.8, 0.3)
    )


def test_scorer_rises_with_the_story_level_word_overlap() -> None:
    a, b = claim_text(VISIT), claim_text(TRAVEL)
    # the same words weigh more when they are rare in the story (idf-weighted Dice)
    assert same_claim_score(a, b, 0.7, 0.5) > same_claim_score(a, b, 0.7, 0.1)


def test_sentences_sharing_only_names_are_not_one_claim() -> None:
    a = claim_text(OTHER)
    b = claim_text("Premier Ola Varn of Kestrava praised the Harbour Palace chefs.")
    assert a.names & b.names and a.plain_words and b.plain_words
    assert not a.plain_words & b.plain_words
    assert same_claim_score(a, b, 0.6, 0.3) == 0.0  # only names in common, cosine low
    assert same_claim_score(a, b, 0.95, 0.3) > 0.0  # near-identical meaning is still asked


@needs_model
def test_paraphrase_sharing_few_words_aligns_and_another_claim_does_not() -> None:
    names = [("Ola Varn", "PERSON", "Ola Varn"), ("Kestrava", "GPE", "Kestrava")]
    left = make_article(1, [VISIT, "The port reopened after the storm of last winter."],
                        entities=names)  # fmt: skip
    right = make_article(2, [TRAVEL, OTHER], entities=names)
    pairs = align_articles(left, right, LazyEmbedder(Options()))
    same = [(p.a, p.b) for p in pairs if p.same]
    assert same == [(0, 0)]
    assert all(p.score < 0.5 for p in pairs if (p.a, p.b) == (0, 1))


def _attributed(article: AnalyzedArticle, speaker: str, cue: str) -> AnalyzedArticle:
    """The article with its quotes' speaker and cue spans set, as the analysis finds them."""
    text = article.text
    quotes = []
    for q in article.quotes:
        who = text.index(speaker, q.end)
        said = text.index(cue, who)
        quotes.append(
            replace(
                q,
                speaker=Speaker(speaker, who, who + len(speaker), speaker),
                cue=Span(said, said + len(cue), cue),
            )
        )
    return replace(article, quotes=tuple(quotes))


def test_facts_are_complete_link_and_do_not_chain() -> None:
    units = [Unit(a, 0, frozenset({"w"}), frozenset()) for a in range(3)]
    score = np.array([[0.0, 0.9, 0.1], [0.9, 0.0, 0.8], [0.1, 0.8, 0.0]])
    assert align_facts(units, score) == [[0, 1], [2]]  # A~B, B~C, but A and C differ
    score[0, 2] = score[2, 0] = 0.6
    assert align_facts(units, score) == [[0, 1, 2]]


def test_a_quote_with_its_attribution_is_not_a_fact_unit() -> None:
    quote = "“We will sign the pact in the spring and open the border,”"
    quoted = f"{quote} Ola Varn, premier of Kestrava, said on Monday."
    own = "Ola Varn said the border with Dunmore would open in the spring, after “long talks.”"
    article = make_article(
        1,
        [quoted, own, "Kestrava and Dunmore closed the border in 2019 after a fishing dispute."],
        quotes=[(quote, "Ola Varn")],
    )
    article = _attributed(article, "Ola Varn", "said")
    assert quote_sentence(article, 0) and not quote_sentence(article, 1)
    assert "border" not in own_words(article, 0) and "border" in own_words(article, 1)
    assert "premier" not in own_words(article, 0)  # the speaker's title is attribution
    assert [u.sentence for u in sentence_units([article])] == [1, 2]


def test_the_middle_of_a_long_quote_is_not_a_fact_unit() -> None:
    speech = (
        "“The pact is signed. Every boat of Kestrava may fish in Dunmore waters from May. "
        "We thank our neighbours,”"
    )
    article = make_article(1, [f"{speech} Ola Varn said.", "The pact covers 40 boats."],
                           quotes=[(speech, "Ola Varn")])  # fmt: skip
    assert [article.sentences[u.sentence].text for u in sentence_units([article])] == [
        "The pact covers 40 boats."
    ]


def _msrp_bench() -> Any:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import align_msrp
    finally:
        sys.path.remove(str(REPO / "bench"))
    return align_msrp


@pytest.mark.skipif(not MSRP.is_file(), reason="../shared/data/msrp-train not present")
@needs_model
def test_msrp_held_out_accuracy_gate() -> None:
    bench = _msrp_bench()
    pairs = [p for p in bench.load_pairs() if p.held_out][:MSRP_SAMPLE]
    model = LazyEmbedder(Options()).get()
    assert model is not None
    vectors = model.embed([t for p in pairs for t in (p.left, p.right)])
    cos = (vectors[0::2] * vectors[1::2]).sum(axis=1)
    x = bench.feature_matrix(pairs, cos)
    guess = np.array([claim_logit(row) >= 0 for row in x])
    truth = np.array([p.label == 1 for p in pairs])
    accuracy = float((guess == truth).mean())
    assert accuracy >= MSRP_SAMPLE_MEASURED - MSRP_MARGIN
    assert accuracy > max(truth.mean(), 1 - truth.mean())  # beats the majority baseline


# ---------------------------------------------------------------- the seeds, end to end

_OPEN = '“"'


def _is_quote(text: str) -> bool:
    """Whether a fact's text is a quotation: it opens with one, or is a quotation's piece (a
    closing mark before any opening one, or an odd count of straight marks)."""
    plain = text.strip()
    if plain[:1] in _OPEN or plain.count('"') % 2 == 1:
        return True
    first_close = plain.find("”")
    first_open = plain.find("“")
    return first_close >= 0 and (first_open < 0 or first_close < first_open)


@pytest.fixture(scope="module")
def seeds_dossier(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = str(tmp_path_factory.mktemp("facts") / "s.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "run", "--published", "2025-11-07", str(SEEDS)])
    assert result.exit_code == 0, result.stderr
    shown = runner.invoke(cli, ["--db", db, "show", "1", "--format", "json"])
    return dict(json.loads(shown.output))


@needs_seeds
@needs_model
def test_seeds_one_fact_for_the_crown_prince_visit(seeds_dossier: dict[str, Any]) -> None:
    visit = re.compile(r"(Nov\.|November) 18")
    facts = [
        f
        for f in seeds_dossier["facts"]
        if any("Salman" in s["text"] and visit.search(s["text"]) for s in f["support"])
    ]
    assert len(facts) == 1
    (fact,) = facts
    assert len({s["article"] for s in fact["support"]}) >= 4
    assert fact["independent_sources"] >= 3


@needs_seeds
def test_seeds_no_fact_is_a_quote(seeds_dossier: dict[str, Any]) -> None:
    quoted = [f["text"] for f in seeds_dossier["facts"] if _is_quote(f["text"])]
    assert quoted == []
    assert seeds_dossier["quotes"]  # the quotes are in the quote book


def test_is_quote_helper() -> None:
    assert _is_quote("“We are proud,” she said.")
    assert _is_quote("I am proud of it,” the rabbi said.")
    assert _is_quote('So much more to come," he added.')
    assert not _is_quote("The rabbi said he was “proud” of it.")
    assert not _is_quote('The rabbi said he was "proud" of it.')
