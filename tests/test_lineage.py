"""Lineage: duplicates, near-duplicates, rewrites, direction and independence groups."""

from __future__ import annotations

import pytest

from storydesk.lineage.derivation import find_lineage
from storydesk.lineage.groups import independence_groups
from storydesk.model import LineageEdge
from storydesk.options import LineageSettings, Options
from tests.conftest import SEEDS
from tests.factories import (
    INDEPENDENT,
    PARAPHRASE,
    WIRE,
    fisheries_story,
    make_article,
    seed_articles,
    unrelated_article,
)

OPTIONS = Options()


def _pairs(edges: tuple[LineageEdge, ...]) -> set[frozenset[int]]:
    return {frozenset((e.derived, e.source)) for e in edges}


def test_exact_copy_is_a_duplicate_directed_by_date() -> None:
    a = make_article(1, WIRE, published="2025-03-04")
    b = make_article(2, WIRE, published="2025-03-05")
    lineage = find_lineage([b, a], OPTIONS)
    (edge,) = lineage.edges
    assert (edge.kind, edge.derived, edge.source, edge.directed) == ("duplicate", 2, 1, True)
    assert "identical" in edge.evidence and "2025-03-04" in edge.evidence
    assert lineage.groups == (frozenset({1, 2}),)


def test_light_edit_is_a_near_duplicate() -> None:
    wire, edit, *_ = fisheries_story()
    (edge,) = find_lineage([wire, edit], OPTIONS).edges
    assert edge.kind == "near-duplicate"
    assert (edge.derived, edge.source, edge.directed) == (2, 1, True)
    assert 0.5 <= edge.score < 1.0
    assert "5-gram Jaccard" in edge.evidence


def test_paraphrase_is_a_rewrite_with_readable_evidence() -> None:
    wire, _, paraphrase, _ = fisheries_story()
    (edge,) = find_lineage([wire, paraphrase], OPTIONS).edges
    assert edge.kind == "rewrite"
    assert not edge.directed  # the paraphrase has no date and credits nobody
    assert "8 sentences align in order (8 of 8 and of 8)" in edge.evidence


def test_independent_report_on_the_same_event_is_not_linked() -> None:
    wire, _, _, independent = fisheries_story()
    lineage = find_lineage([wire, independent, unrelated_article()], OPTIONS)
    assert lineage.edges == ()
    assert len(lineage.groups) == 3


def test_story_groups_cover_every_article() -> None:
    articles = [*fisheries_story(), unrelated_article()]
    lineage = find_lineage(articles, OPTIONS)
    assert _pairs(lineage.edges) == {frozenset({1, 2}), frozenset({1, 3}), frozenset({2, 3})}
    assert lineage.groups == (frozenset({1, 2, 3}), frozenset({4}), frozenset({9}))
    assert lineage.group_of(3) == lineage.group_of(1) != lineage.group_of(4)


def test_direction_from_credit_when_dates_are_unknown() -> None:
    a = make_article(1, WIRE, outlet="Coastwire")
    b = make_article(2, (*PARAPHRASE, "Reporting by Coastwire."), credits=("Coastwire",))
    (edge,) = find_lineage([a, b], OPTIONS).edges
    assert (edge.derived, edge.source, edge.directed) == (2, 1, True)
    assert "credits Coastwire" in edge.evidence


def test_direction_from_superset_when_nothing_else_tells() -> None:
    long = make_article(1, WIRE)
    short = make_article(2, WIRE[:3])
    (edge,) = find_lineage([short, long], OPTIONS).edges
    assert (edge.derived, edge.source, edge.directed) == (2, 1, True)
    assert "holds all of" in edge.evidence


def test_same_day_dates_do_not_decide_direction() -> None:
    a = make_article(1, WIRE, published="2025-03-04")
    b = make_article(2, PARAPHRASE, published="2025-03-04")
    (edge,) = find_lineage([a, b], OPTIONS).edges
    assert not edge.directed and "direction unknown" in edge.evidence


def test_rewrite_threshold_is_read_from_options() -> None:
    wire = fisheries_story()[0]
    mixed = make_article(5, PARAPHRASE[:2] + INDEPENDENT[:6])
    assert find_lineage(
        [wire, mixed], Options(lineage=LineageSettings(rewrite_threshold=0.3))
    ).edges
    assert not find_lineage(
        [wire, mixed], Options(lineage=LineageSettings(rewrite_threshold=0.9))
    ).edges


def test_near_duplicate_threshold_is_read_from_options() -> None:
    wire, edit, *_ = fisheries_story()
    strict = Options(lineage=LineageSettings(near_duplicate=0.99))
    assert all(e.kind != "near-duplicate" for e in find_lineage([wire, edit], strict).edges)


def test_empty_and_single_inputs() -> None:
    assert find_lineage([], OPTIONS).groups == ()
    assert find_lineage([unrelated_article()], OPTIONS).groups == (frozenset({9}),)


def test_independence_groups_union_find() -> None:
    edges = [LineageEdge(2, 1, "rewrite", 0.8), LineageEdge(4, 3, "duplicate", 1.0, False)]
    assert independence_groups([1, 2, 3, 4, 5], edges) == (
        frozenset({1, 2}),
        frozenset({3, 4}),
        frozenset({5}),
    )


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_seeds_one_rewrite_and_four_groups() -> None:
    for analysed in (False, True):
        lineage = find_lineage(seed_articles("2025-11-06", analysed=analysed), OPTIONS)
        assert _pairs(lineage.edges) == {frozenset({0, 2})}
        (edge,) = lineage.edges
        assert edge.kind == "rewrite"
        assert len(lineage.groups) == 4
        assert frozenset({0, 2}) in lineage.groups
        assert set().union(*lineage.groups) == {0, 1, 2, 3, 4}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_seeds_same_topic_different_writing_is_not_linked() -> None:
    seeds = seed_articles()
    for other in (1, 3, 4):
        assert find_lineage([seeds[0], seeds[other]], OPTIONS).edges == ()
