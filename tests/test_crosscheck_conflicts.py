"""The conflict-finder table: every kind registered, and the table is what crosscheck runs."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from storydesk.crosscheck.align import sentence_units
from storydesk.crosscheck.conflicts import FINDERS, ConflictInput, Finder, find_conflicts
from storydesk.crosscheck.facts import crosscheck
from storydesk.lineage.derivation import find_lineage
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Fact, FactStatus, Variant
from storydesk.options import CrosscheckSettings, Options
from storydesk.text.embed import LazyEmbedder
from tests.factories import fisheries_story, make_article

OPTIONS = Options()
EMBEDDER = LazyEmbedder(OPTIONS)  # the model loads once for the whole module
QUOTE = "“We will not give up a single fishing ground in the Grey Sea,”"
PREVIEW = "The Halden port authority is expected to sign the dredging contract on Friday."


def _check(
    articles: list[AnalyzedArticle],
    finders: dict[ConflictKind, Finder] | None = None,
    options: Options = OPTIONS,
) -> tuple[tuple[Fact, ...], tuple[Conflict, ...]]:
    lineage = find_lineage(articles, options)
    if finders is None:
        return crosscheck(articles, lineage, options, EMBEDDER)
    return crosscheck(articles, lineage, options, EMBEDDER, MappingProxyType(finders))


def _quoted(article_id: int, outlet: str, quote: str, speaker: str) -> AnalyzedArticle:
    return make_article(
        article_id,
        [f"{quote} {speaker.split()[-1]} said."],
        quotes=((quote, speaker),),
        outlet=outlet,
    )


def _every_kind_story() -> list[AnalyzedArticle]:
    """The fisheries story (numbers, dates, members, modality) plus quote and speaker cases."""
    quoted = [
        _quoted(11, "A", QUOTE, "Lena Varga"),
        _quoted(12, "B", QUOTE.replace("not", "never"), "Lena Varga"),
        _quoted(13, "C", QUOTE.replace(",”", "”").replace("“We", "“And we"), "Aron Holt"),
    ]
    moved_on = [  # a preview, then the report of the event: an earlier report
        make_article(14, [PREVIEW], outlet="D", published="2025-03-01"),
        make_article(
            15, [PREVIEW.replace("is expected to", "will")], outlet="E", published="2025-03-06"
        ),
    ]
    return [*fisheries_story(), *quoted, *moved_on]


def test_every_conflict_kind_has_one_registered_finder() -> None:
    assert set(FINDERS) == set(ConflictKind)
    assert all(callable(find) for find in FINDERS.values())


def test_each_finder_reports_its_own_kind_only() -> None:
    articles = _every_kind_story()
    _, conflicts = _check(articles)
    assert {c.kind for c in conflicts} == set(ConflictKind)  # the story exercises every finder
    for kind, find in FINDERS.items():
        _, alone = _check(articles, {kind: find})
        assert alone and alone == tuple(c for c in conflicts if c.kind == kind)


def test_the_table_drives_crosscheck() -> None:
    articles = _every_kind_story()
    _, conflicts = _check(articles)
    for kind in ConflictKind:
        fewer = {k: f for k, f in FINDERS.items() if k != kind}
        facts_without, without = _check(articles, fewer)
        assert kind not in {c.kind for c in without}
        assert without == tuple(c for c in conflicts if c.kind != kind)
        _assert_statuses_agree(facts_without, without)


def _assert_statuses_agree(facts: Sequence[Fact], conflicts: Sequence[Conflict]) -> None:
    """A fact is conflicting exactly when a conflict (earlier reports aside) names it."""
    for i, fact in enumerate(facts):
        named = [c for c in conflicts if i in c.facts]
        disputed = any(c.kind != ConflictKind.EARLIER_REPORT for c in named)
        assert (fact.status == FactStatus.CONFLICTING) == disputed, fact.text
        spots = {(s.article, s.sentence) for s in fact.support}
        for c in conflicts:  # a conflict names every fact whose sentence it cites
            assert (i in c.facts) == any((s.article, s.sentence) in spots for s in c.support)


def test_every_conflict_names_its_facts_and_modality_disputes_them() -> None:
    facts, conflicts = _check(_every_kind_story())
    _assert_statuses_agree(facts, conflicts)
    (modal,) = [c for c in conflicts if c.kind == ConflictKind.MODALITY]
    assert modal.facts and all(facts[i].status == FactStatus.CONFLICTING for i in modal.facts)
    (earlier,) = [c for c in conflicts if c.kind == ConflictKind.EARLIER_REPORT]
    (moved,) = earlier.facts
    assert {s.article for s in facts[moved].support} == {14, 15}
    assert facts[moved].status == FactStatus.CORROBORATED  # the story moved on: no dispute


def test_the_finders_compare_two_articles_alone() -> None:
    # `storydesk compare` holds two articles' aligned sentences against each other
    a = make_article(1, ["The ferry carried more than 200 passengers when it ran aground."])
    b = make_article(2, ["The ferry carried 212 passengers when it ran aground."])
    c = make_article(3, ["The ferry carried 150 passengers when it ran aground."])
    assert find_conflicts(ConflictInput([a, b], (sentence_units([a, b]),))) == []
    (number,) = find_conflicts(ConflictInput([a, c], (sentence_units([a, c]),)))
    assert number.kind == ConflictKind.NUMBER


def test_a_new_finder_is_one_table_entry() -> None:
    articles = [make_article(1, ["The ferry left port at noon with 40 people aboard."])]
    found = Conflict(ConflictKind.NUMBER, "stub", (Variant("x", ()),))

    def stub(story: ConflictInput) -> list[Conflict]:
        return [found] if story.articles == articles else []

    assert find_conflicts(ConflictInput(articles), {ConflictKind.NUMBER: stub}) == [found]
    assert _check(articles, {ConflictKind.NUMBER: stub})[1] == (found,)
    assert _check(articles, {})[1] == ()


def test_corroboration_needs_the_configured_number_of_sources() -> None:
    facts, _ = _check(fisheries_story())
    assert any(f.status == FactStatus.CORROBORATED for f in facts)
    strict = Options(crosscheck=CrosscheckSettings(corroborated_sources=99))
    facts, _ = _check(fisheries_story(), options=strict)
    assert not any(f.status == FactStatus.CORROBORATED for f in facts)
