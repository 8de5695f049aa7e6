"""Crosscheck: facts aligned across articles, independent support, conflicts."""

from __future__ import annotations

import numpy as np
import pytest

from storydesk.crosscheck.align import sentence_units
from storydesk.crosscheck.conflicts import fact_conflicts
from storydesk.crosscheck.conflicts.modality import modality
from storydesk.crosscheck.facts import crosscheck, split_disagreeing
from storydesk.crosscheck.mentions import dates, numbers
from storydesk.crosscheck.quotes import quote_key, wording_changes
from storydesk.lineage.derivation import find_lineage
from storydesk.model import AnalyzedArticle, Conflict, Fact, Lineage
from storydesk.options import Options
from storydesk.text.embed import LazyEmbedder
from storydesk.text.features import entity_key
from tests.conftest import SEEDS
from tests.factories import fisheries_story, make_article, seed_articles

OPTIONS = Options()
EMBEDDER = LazyEmbedder(OPTIONS)  # the model loads once for the whole module


def _check(articles: list[AnalyzedArticle]) -> tuple[tuple[Fact, ...], tuple[Conflict, ...]]:
    return crosscheck(articles, find_lineage(articles, OPTIONS), OPTIONS, EMBEDDER)


def _fact_with(facts: tuple[Fact, ...], fragment: str) -> Fact:
    (fact,) = [f for f in facts if any(fragment in s.text for s in f.support)]
    return fact


def _kinds(conflicts: tuple[Conflict, ...]) -> dict[str, list[Conflict]]:
    out: dict[str, list[Conflict]] = {}
    for c in conflicts:
        out.setdefault(c.kind, []).append(c)
    return out


def test_support_points_at_real_sentences() -> None:
    articles = fisheries_story()
    facts, _ = _check(articles)
    by_id = {a.id: a for a in articles}
    for fact in facts:
        assert fact.text in {s.text for s in fact.support}
        assert len({s.article for s in fact.support}) == len(fact.support)  # one per article
        for s in fact.support:
            assert by_id[s.article].sentences[s.sentence].text == s.text


def test_copies_do_not_count_as_independent_support() -> None:
    facts, _ = _check(fisheries_story())
    # wire, copy and paraphrase only (the quote "protects our fishermen" is in the quote book)
    quote = _fact_with(facts, "Environmental groups welcomed")
    assert {s.article for s in quote.support} == {1, 2, 3}
    assert quote.independent_sources == 1 and quote.status == "single-source"
    talks = _fact_with(facts, "Skarn Banks dates back")  # also told by the independent report
    assert talks.independent_sources == 2 and talks.status == "corroborated"
    assert talks.outlets == ("Coastwire", "Estmark Herald", "Tide Times")


def test_conflicts_in_the_invented_story() -> None:
    facts, conflicts = _check(fisheries_story())
    kinds = _kinds(conflicts)
    described = " | ".join(c.description for c in conflicts)
    assert "Four nations" in described and "Five nations" in described
    assert "12 percent" in described and "15 percent" in described
    (date,) = kinds["date"]
    assert {v.value for v in date.variants} == {
        "June 1, 2025 (2025-06-01)",
        "July 1, 2025 (2025-07-01)",
    }
    (members,) = kinds["members"]
    assert "omit Brisk" in members.description
    (status,) = kinds["modality"]
    assert {v.value for v in status.variants} == {"has agreed", "agreed in principle"}
    for c in conflicts:
        assert len(c.variants) >= 2 and all(v.support for v in c.variants)
    assert _fact_with(facts, "July 1, 2025").status == "conflicting"


def test_same_value_written_differently_is_not_a_conflict() -> None:
    ents = (
        ("UAE", "GPE", "UAE"),
        ("United Arab Emirates", "GPE", "United Arab Emirates"),
        ("Bahrain", "GPE", "Bahrain"),
        ("Morocco", "GPE", "Morocco"),
    )
    a = make_article(
        1,
        ["Four nations signed the harbour accord in 2020: the UAE, Bahrain and Morocco."],
        outlet="A",
        entities=ents,
    )
    b = make_article(
        2,
        ["4 nations signed the harbour accord in 2020: United Arab Emirates, Bahrain and Morocco."],
        outlet="B",
        entities=ents,
    )
    facts, conflicts = _check([a, b])
    assert conflicts == ()
    (fact,) = facts
    assert fact.status == "corroborated" and fact.independent_sources == 2


def test_list_that_changes_members_is_a_contradiction() -> None:
    ents = tuple((n, "GPE", n) for n in ("Lakonia", "Pelagia", "Ostrava", "Terrel"))
    a = make_article(
        1, ["The pact covers Lakonia, Pelagia and Ostrava, officials said."], entities=ents
    )
    b = make_article(
        2, ["The pact covers Lakonia, Pelagia and Terrel, officials said."], entities=ents
    )
    (members,) = _kinds(_check([a, b])[1])["members"]
    assert "instead of" in members.description
    assert "omit" not in members.description


def test_unrelated_dates_in_aligned_sentences_are_not_compared() -> None:
    a = make_article(
        1,
        ["The ministers met in Port Halden on May 2, 2025 to discuss the cod quota treaty."],
        times=(("May 2, 2025", "2025-05-02"),),
    )
    b = make_article(
        2,
        ["The cod quota treaty, first drafted on March 9, 2019, was discussed by ministers."],
        times=(("March 9, 2019", "2019-03-09"),),
    )
    facts, conflicts = _check([a, b])
    assert len(facts) == 1 and conflicts == ()


def test_speaker_conflict() -> None:
    quote = "“We will not give up a single fishing ground,”"
    a = make_article(1, [f"{quote} Varga said."], quotes=((quote, "Lena Varga"),), outlet="A")
    b = make_article(2, [f"{quote} Holt said."], quotes=((quote, "Aron Holt"),), outlet="B")
    (conflict,) = _kinds(_check([a, b])[1])["speaker"]
    assert {v.value for v in conflict.variants} == {"Lena Varga", "Aron Holt"}


def test_value_extractors() -> None:
    (four,) = numbers("Four nations had already joined the pact")
    assert (four.key, four.value, four.written) == ("nation", "4", "Four nations")
    assert four.context == {"join", "pact"}
    (cut,) = numbers("Estmark will cut its catch by 12% over the years")
    assert (cut.key, cut.value) == ("percent", "12")
    assert cut.context == {"estmark", "cut", "catch", "year"}  # words each side
    assert numbers("on Nov. 18 and in 2020, at 5 p.m.") == []
    assert numbers("a 33-year-old actor") == []
    assert numbers("three of the cables") == []
    assert [(n.key, n.value) for n in numbers("1,200 workers")] == [("worker", "1200")]
    assert modality("Kazakhstan has agreed in principle to join") == (
        "agreed in principle",
        "agreed in principle",
    )
    assert modality("the matter is in the final stage of negotiations")[0] == (  # type: ignore[index]
        "still in negotiations"
    )
    assert modality("Trump said Kazakhstan will join the accords")[0] == "will join"  # type: ignore[index]
    assert modality("He spoke on Thursday.") is None
    a = make_article(
        1,
        ["Talks opened in 2019 and ended on June 1, 2025."],
        times=(("June 1, 2025", "2025-06-01"),),
    )
    assert [(d.key, d.value, d.written) for d in dates(a, 0)] == [
        ("year", "2019", "2019"),
        ("day", "2025-06-01", "June 1, 2025"),
    ]
    assert quote_key("“It’s a  Deal,” ") == quote_key('"its a deal"')
    assert entity_key("the U.A.E.") == entity_key("United Arab Emirates")


def test_several_values_in_one_sentence_are_not_a_conflict() -> None:
    a = make_article(1, ["Holt said the cod quota talks could last two weeks or three weeks."])
    b = make_article(2, ["Varga said the cod quota talks could last four weeks at most."])
    assert _check([a, b])[1] == ()


def test_empty_story() -> None:
    assert crosscheck([], Lineage((), ()), OPTIONS) == ((), ())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_seeds_members_and_modality_conflicts() -> None:
    facts, conflicts = _check(seed_articles("2025-11-06", analysed=True))
    kinds = _kinds(conflicts)
    (members,) = kinds["members"]
    assert "omit Sudan" in members.description
    omitting = next(v for v in members.variants if "Sudan" not in v.value)
    assert {s.article for s in omitting.support} == {0, 2}
    status = {v.value for c in kinds["modality"] for v in c.variants}
    # "has agreed" (Anadolu) sits beside a stronger match of the same article's quote
    assert {"will join", "agreed in principle"} <= status
    # the preview ("is expected to announce") is an earlier report, not a contradiction (#17)
    earlier = {v.value for c in kinds.get("earlier-report", []) for v in c.variants}
    assert "is expected to" in earlier and "is expected to" not in status
    assert "date" not in kinds  # "Thursday" and "Nov. 6" are the same day
    # 000 and 002 are one source; the full pipeline's sentences reach 4 (test_dossier_seeds)
    assert max(f.independent_sources for f in facts) >= 3
    assert all(f.independent_sources <= 4 for f in facts)


def test_numbers_inside_names_and_times_are_skipped() -> None:
    assert [m.value for m in numbers("seven AK-47 rifles")] == ["7"]
    assert numbers("at 18:41 GMT") == []


def _quoted(article_id: int, outlet: str, quote: str, speaker: str) -> AnalyzedArticle:
    return make_article(
        article_id,
        [f"{quote} {speaker.split()[-1]} said."],
        quotes=((quote, speaker),),
        outlet=outlet,
    )


def test_quote_wording_that_changes_meaning_is_a_conflict() -> None:
    full = "“We will not give up a single fishing ground in the Grey Sea,”"
    a = _quoted(1, "A", full, "Lena Varga")
    b = _quoted(2, "B", full.replace("not", "never"), "Lena Varga")
    c = _quoted(3, "C", full.replace("will not", "won’t"), "Lena Varga")  # same words
    (conflict,) = _kinds(_check([a, b, c])[1])["quote"]
    assert "“will not give” vs “will never give”" in conflict.description
    assert "Lena Varga" in conflict.description and "(B)" in conflict.description
    carried = {v.value: {s.article for s in v.support} for v in conflict.variants}
    assert carried == {full: {1, 3}, full.replace("not", "never"): {2}}


def test_trimmed_fragment_and_punctuated_quotes_are_not_conflicts() -> None:
    full = "“We will not give up a single fishing ground in the Grey Sea,”"
    trims = [
        '"We will not give up a single fishing ground in the Grey Sea"',  # straight marks
        "“We will not give up … fishing ground in the Grey Sea,”",  # ellipsis trim
        "“a single fishing ground”",  # fragment
        "“We will not give up [any] fishing ground in the Grey Sea,”",  # editor's brackets
    ]
    articles = [_quoted(1, "A", full, "Lena Varga")]
    articles += [_quoted(k, f"O{k}", t, "Lena Varga") for k, t in enumerate(trims, start=2)]
    kinds = _kinds(_check(articles)[1])
    assert "quote" not in kinds and "speaker" not in kinds


def test_near_identical_quote_with_other_speaker_is_a_speaker_conflict() -> None:
    full = "“We will not give up a single fishing ground in the Grey Sea,”"
    a = _quoted(1, "A", full, "Lena Varga")
    b = _quoted(2, "B", full.replace(",”", "”").replace("“We", "“And we"), "Aron Holt")
    kinds = _kinds(_check([a, b])[1])
    (speaker,) = kinds["speaker"]
    assert {v.value: [s.article for s in v.support] for v in speaker.variants} == {
        "Lena Varga": [1],
        "Aron Holt": [2],
    }
    assert "quote" not in kinds  # a word before the other's start is a longer quotation


def test_weakly_aligned_sentences_that_disagree_on_a_count_are_two_facts() -> None:
    a = make_article(1, ["The last strike on the tram network, in 2017, lasted nine days."])
    b = make_article(2, ["The tram strike is set to last five days, the union said."])
    units = sentence_units([a, b])
    for score, kept in ((0.52, False), (0.9, True)):
        sim = np.array([[0.0, score], [score, 0.0]])
        out = split_disagreeing([a, b], units, sim)
        assert bool(out[0, 1] >= 0.5) is kept and out[0, 1] == out[1, 0]


def test_wording_changes_ignore_spelling_contractions_and_times() -> None:
    same = [
        ("She ' s in the harbour now.", "She is in the harbour now."),
        ("We realised it at 6:00 p.m.", "We realized it at 6 p.m."),
        ("The neighbourhood was OK", "The neighborhood was okay"),
    ]
    for a, b in same:
        assert wording_changes(a, b) == []
    assert wording_changes("The pact is likely to pass", "The pact is unlikely to pass") == [
        ("is likely to", "is unlikely to")
    ]


def test_counted_phrase_names_what_differs() -> None:
    (drivers,) = numbers("About 3,200 bus drivers will walk out on Monday")
    assert (drivers.key, drivers.value, drivers.unit) == ("bus", "3200", "bus drivers")
    (water,) = numbers("Valdora will receive 3.2 billion cubic metres of water a year")
    assert water.written == "3.2 billion cubic metres" and "cubic" in water.context
    assert numbers("at 7 : 40 p . m . local time") == []


def test_aligned_sentences_that_open_with_differing_counts_conflict() -> None:
    a = make_article(
        1, ["Twelve people were injured when the ferry struck a barge, the coast guard said."]
    )
    b = make_article(
        2, ["Fourteen people were treated in hospital after the ferry struck a barge."]
    )
    (conflict,) = fact_conflicts([a, b], sentence_units([a, b]))
    assert conflict.kind == "number" and "count of people" in conflict.description
    c = make_article(3, ["The ferry carried 212 people from the island on its last trip."])
    d = make_article(4, ["Officials said 14 people were treated in hospital."])
    assert fact_conflicts([c, d], sentence_units([c, d])) == []
