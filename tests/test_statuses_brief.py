"""Statuses that agree with the conflicts, and a careful brief (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk import api
from storydesk.crosscheck.align import sentence_units
from storydesk.crosscheck.conflicts import ConflictInput
from storydesk.crosscheck.conflicts.earlier import find_earlier_reports
from storydesk.crosscheck.conflicts.modality import find_modality
from storydesk.crosscheck.conflicts.numbers import find_numbers
from storydesk.crosscheck.facts import crosscheck, settle
from storydesk.crosscheck.precision import counts_differ
from storydesk.dossier.brief import brief_of
from storydesk.dossier.grounding import check_grounding, note_text, overstated, states_claim
from storydesk.model import (
    BriefSentence,
    Conflict,
    ConflictKind,
    Dossier,
    Fact,
    FactStatus,
    Lineage,
    Support,
    Variant,
)
from storydesk.options import Options
from storydesk.text.embed import LazyEmbedder
from tests.conftest import EXAMPLES, SEEDS, needs_seeds
from tests.factories import make_article

OPTIONS = Options()


def _one_fact(*sentences: tuple[str, str | None]) -> ConflictInput:
    """Articles of one sentence each (text, published), taken as one fact's sentences."""
    articles = [
        make_article(k + 1, [text], outlet=f"Outlet {k + 1}", published=published)
        for k, (text, published) in enumerate(sentences)
    ]
    return ConflictInput(articles, (sentence_units(articles),))


# ---------------------------------------------------------------- numbers within precision


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The harbour trust raised almost $6 million for the ferry terminal.",
         "The harbour trust raised $5.9 million for the ferry terminal."),
        ("The ferry carried more than 200 passengers across the strait.",
         "The ferry carried 212 passengers across the strait."),
        ("About 50 people were hurt when the stand collapsed.",
         "Rescuers said 48 people were hurt when the stand collapsed."),
        ("Some 55 gang members were arrested across the West on Wednesday.",
         "About 57 gang members were arrested across the West on Wednesday."),
        ("The trust raised $6 million for the ferry terminal.",
         "The trust raised $6.2 million for the ferry terminal."),
    ],
)  # fmt: skip
def test_counts_within_their_stated_precision_are_no_conflict(a: str, b: str) -> None:
    assert not counts_differ(a, b)
    assert find_numbers(_one_fact((a, None), (b, None))) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The harbour trust raised almost $6 million for the ferry terminal.",
         "The harbour trust raised $6.4 million for the ferry terminal."),
        ("The ferry carried more than 200 passengers across the strait.",
         "The ferry carried 180 passengers across the strait."),
        ("About 50 people were hurt when the stand collapsed.",
         "Rescuers said 70 people were hurt when the stand collapsed."),
        ("Roughly 3,800 bus drivers voted to strike from Monday.",
         "About 3,200 bus drivers voted to strike from Monday."),
        ("Turnout in the port district was 12% this spring.",
         "Turnout in the port district was 13% this spring."),
        ("The ferry carried 200 passengers across the strait.",
         "The ferry carried 212 passengers across the strait."),
    ],
)  # fmt: skip
def test_counts_beyond_their_precision_still_conflict(a: str, b: str) -> None:
    assert counts_differ(a, b)
    (conflict,) = find_numbers(_one_fact((a, None), (b, None)))
    assert conflict.kind == ConflictKind.NUMBER and len(conflict.variants) == 2


# ---------------------------------------------------------------- a story that moved on

PREVIEW = "Estmark's fisheries minister is expected to sign the Grey Sea quota treaty in Halden."
REPORT = "Estmark's fisheries minister will sign the Grey Sea quota treaty in Halden."
REPORTED = "Estmark's fisheries minister will sign the Grey Sea quota treaty in Halden, he said."


def test_a_preview_published_before_the_report_is_an_earlier_report() -> None:
    story = _one_fact((PREVIEW, "2026-03-10"), (REPORT, "2026-03-12T09:00:00Z"))
    assert find_modality(story) == []
    (earlier,) = find_earlier_reports(story)
    assert earlier.kind == ConflictKind.EARLIER_REPORT
    assert "earlier report" in earlier.description and "Outlet 1" in earlier.description
    assert [v.support[0].article for v in earlier.variants] == [1, 2]


def test_a_preview_published_after_the_report_is_a_contradiction() -> None:
    story = _one_fact((PREVIEW, "2026-03-12"), (REPORTED, "2026-03-10"))
    assert find_earlier_reports(story) == []
    (conflict,) = find_modality(story)
    assert {v.value for v in conflict.variants} == {"is expected to", "will sign"}


def test_on_the_same_day_the_past_tense_of_the_report_decides() -> None:
    told = _one_fact((PREVIEW, "2026-03-12"), (REPORTED, "2026-03-12"))
    assert find_modality(told) == [] and len(find_earlier_reports(told)) == 1
    untold = _one_fact((PREVIEW, "2026-03-12"), (REPORT, "2026-03-12"))
    assert find_earlier_reports(untold) == [] and len(find_modality(untold)) == 1


# ---------------------------------------------------------------- statuses from conflicts


def _fact(text: str, *spots: tuple[int, int], sources: int = 2) -> Fact:
    support = tuple(Support(a, s, text) for a, s in spots)
    return Fact(text, support, sources, FactStatus.CORROBORATED)


def test_a_fact_any_conflict_names_is_conflicting_but_an_earlier_report_is_not() -> None:
    facts = [
        _fact("Kazakhstan will join the accords.", (1, 0), (2, 0)),
        _fact("The summit opened on Thursday.", (1, 1), (3, 1)),
        _fact("The treaty was signed in 2020.", (2, 4), sources=1),
    ]
    status = Conflict(
        ConflictKind.MODALITY,
        "status differs",
        (Variant("will join", (facts[0].support[0],)), Variant("agreed", (facts[0].support[1],))),
    )
    earlier = Conflict(
        ConflictKind.EARLIER_REPORT,
        "earlier report",
        (Variant("is expected to", (Support(3, 1, "x"),)),),
    )
    settled, named = settle(facts, [status, earlier], OPTIONS)
    assert [f.status for f in settled] == ["conflicting", "corroborated", "single-source"]
    assert named[0].facts == (0,) and named[1].facts == (1,)


def test_two_articles_of_one_lineage_group_count_once() -> None:
    text = "The Halden ferry terminal will reopen to passengers on Monday after repairs."
    articles = [make_article(k, [text], outlet=f"Outlet {k}") for k in (1, 2, 3)]
    embedder = LazyEmbedder(OPTIONS)
    copies = Lineage((), (frozenset({1, 2}), frozenset({3})))
    (two,), _ = crosscheck(articles[:2], Lineage((), (frozenset({1, 2}),)), OPTIONS, embedder)
    assert len(two.support) == 2
    assert (two.independent_sources, two.status) == (1, "single-source")
    (three,), _ = crosscheck(articles, copies, OPTIONS, embedder)
    assert (three.independent_sources, three.status) == (2, "corroborated")


# ---------------------------------------------------------------- a careful brief

WILL = "Trump said on Thursday that Kazakhstan will join the Abraham Accords."
PRINCIPLE = "Trump announced that Kazakhstan has agreed in principle to join the Abraham Accords."
EXPECTED = "Tokayev is expected to announce that his country will join the Abraham Accords."


def test_a_citation_must_state_the_sentence_s_claim() -> None:
    assert not states_claim(WILL, EXPECTED)  # a preview under a settled claim
    assert not states_claim(WILL, PRINCIPLE)
    assert states_claim(WILL, "Kazakhstan will join the Abraham Accords, an official told AP.")
    assert not states_claim(
        "The ferry carried 212 passengers.", "The ferry carried 180 passengers on board."
    )
    cited = (Support(1, 0, WILL), Support(4, 0, EXPECTED))
    d = Dossier(1, "", None, None, 2, (), (BriefSentence(WILL, cited),), (), (), (), (), ())
    (problem,) = check_grounding(d)
    assert "[4.0]" in problem and "does not state its claim" in problem


def test_a_contested_claim_is_hedged_and_its_conflict_named() -> None:
    spots = (Support(1, 0, WILL), Support(3, 0, PRINCIPLE), Support(5, 0, WILL))
    fact = Fact(WILL, spots, 2, FactStatus.CONFLICTING)
    other = _fact(
        "The summit of five Central Asian leaders opened at the White House.", (1, 2), (3, 2)
    )
    conflict = Conflict(
        ConflictKind.MODALITY,
        "status differs: “will join” (A, C) vs “agreed in principle” (B)",
        (Variant("will join", (spots[0], spots[2])), Variant("agreed in principle", (spots[1],))),
        (0,),
    )
    sentences = brief_of([fact, other], [False, False], [conflict], 1, {1: 0, 3: 1, 5: 2})
    texts = [b.text for b in sentences]
    assert PRINCIPLE in texts and WILL not in texts  # the hedged wording, not the settled one
    hedged = sentences[texts.index(PRINCIPLE)]
    assert hedged.support == (spots[1],)  # only the sentence that states it
    note = note_text(conflict)
    assert note in texts and note.startswith("Status differs")
    d = Dossier(1, "", None, None, 2, (), tuple(sentences), (fact, other), (conflict,), (), (), ())
    assert check_grounding(d) == [] and overstated(d) == []
    settled = Dossier(
        1,
        "",
        None,
        None,
        2,
        (),
        (BriefSentence(WILL, spots[::2]),),
        (fact,),
        (conflict,),
        (),
        (),
        (),
    )
    assert len(overstated(settled)) == 1


# ---------------------------------------------------------------- seeds acceptance


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    options = Options(db=Path(tmp_path_factory.mktemp("seeds")) / "s.db", published="2025-11-07")
    api.run([str(SEEDS)], options)
    found = api.dossier(1, options)
    assert found is not None
    return found


@needs_seeds
def test_seeds_will_join_is_conflicting_with_its_modality_conflict(seeds: Dossier) -> None:
    lead = next(
        i
        for i, f in enumerate(seeds.facts)
        if any("said on Thursday that Kazakhstan will join" in s.text for s in f.support)
    )
    assert seeds.facts[lead].status == "conflicting"
    attached = [c for c in seeds.conflicts if lead in c.facts]
    assert any(c.kind == "modality" for c in attached)
    for i, f in enumerate(seeds.facts):  # every status agrees with the conflicts
        disputed = any(i in c.facts for c in seeds.conflicts if c.kind != "earlier-report")
        assert (f.status == "conflicting") == disputed


@needs_seeds
def test_seeds_brief_states_no_contested_claim_as_settled(seeds: Dossier) -> None:
    assert overstated(seeds) == []
    assert check_grounding(seeds) == []  # the stricter check: every citation states the claim
    main = next(c for c in seeds.conflicts if c.kind != "earlier-report")
    assert note_text(main) in {b.text for b in seeds.brief}


def test_examples_are_grounded_under_the_stricter_check(tmp_path: Path) -> None:
    options = Options(db=tmp_path / "e.db", published="2026-03-13")
    api.run([str(EXAMPLES)], options)
    stories = [api.dossier(sid, options) for sid in range(1, 8)]
    dossiers = [d for d in stories if d is not None]
    assert len(dossiers) >= 5 and sum(len(d.brief) for d in dossiers) >= 30
    for d in dossiers:
        assert check_grounding(d) == [] and overstated(d) == []
    kinds = {c.kind for d in dossiers for c in d.conflicts}
    assert {ConflictKind.NUMBER, ConflictKind.MODALITY, ConflictKind.EARLIER_REPORT} <= kinds
