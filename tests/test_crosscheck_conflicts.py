"""The conflict-finder table: every kind registered, and the table is what crosscheck runs."""

from __future__ import annotations

from types import MappingProxyType

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
    return [*fisheries_story(), *quoted]


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
    facts, conflicts = _check(articles)
    for kind in ConflictKind:
        fewer = {k: f for k, f in FINDERS.items() if k != kind}
        facts_without, without = _check(articles, fewer)
        assert kind not in {c.kind for c in without}
        assert without == tuple(c for c in conflicts if c.kind != kind)
        if kind == ConflictKind.MODALITY:  # modality conflicts never dispute a fact
            assert facts_without == facts


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
