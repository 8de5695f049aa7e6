"""MinHash LSH candidate search and agency relays in lineage."""

from __future__ import annotations

from dataclasses import replace

from storydesk.lineage.derivation import article_features, candidate_pairs, find_lineage
from storydesk.lineage.relays import agency, relayed_agency, relays
from storydesk.model import RemovedLine
from storydesk.options import Options
from storydesk.text.minhash import estimate, lsh_pairs, permutations, signature
from tests.factories import INDEPENDENT, UNRELATED, WIRE, fisheries_story, make_article

OPTIONS = Options()


def test_minhash_estimates_jaccard() -> None:
    coeffs = permutations()
    a = {f"w{i}" for i in range(100)}
    b = {f"w{i}" for i in range(50, 150)}  # Jaccard 1/3
    est = estimate(signature(a, coeffs), signature(b, coeffs))
    assert abs(est - 1 / 3) < 0.1
    assert estimate(signature(a, coeffs), signature(a, coeffs)) == 1.0
    assert estimate(signature(set(), coeffs), signature(a, coeffs)) == 0.0


def test_lsh_pairs_similar_sets_and_not_disjoint_ones() -> None:
    coeffs = permutations()
    base = {f"w{i}" for i in range(100)}
    sets = [base, base | {"extra"}, {f"z{i}" for i in range(100)}, set()]
    pairs = lsh_pairs([signature(s, coeffs) for s in sets], 32, 4)
    assert pairs == {(0, 1)}


def test_candidates_find_rewrites_but_not_unrelated_reports() -> None:
    wire, edit, paraphrase, independent = fisheries_story()
    fire = make_article(9, UNRELATED)
    features = [article_features(a) for a in (wire, edit, paraphrase, independent, fire)]
    pairs = candidate_pairs(features)
    assert {(0, 1), (0, 2), (1, 2)} <= set(pairs)
    assert not any(4 in p for p in pairs)


def test_agency_names() -> None:
    assert agency("The Associated Press") == "Associated Press"
    assert agency("A.P.") == "Associated Press"
    assert agency("Reuters") == "Reuters"
    assert agency("Harbour Daily") is None


def test_relays_from_byline_dateline_footer_and_outlet() -> None:
    by_byline = make_article(1, WIRE, byline="By Reuters Staff")
    by_dateline = make_article(2, ("VALDORA (AP) — " + WIRE[0], *WIRE[1:]))
    by_footer = make_article(3, (*INDEPENDENT, "Reporting by Ana Lind; Editing by Tom Berg"))
    removed = make_article(4, INDEPENDENT)
    removed = replace(
        removed,
        article=replace(removed.article, removed=(RemovedLine("© 2025 AFP", "footer"),)),
    )
    own = make_article(5, WIRE, outlet="Reuters")
    mention = make_article(6, ("According to Reuters, the treaty was signed.", *UNRELATED))
    found = relays([by_byline, by_dateline, by_footer, removed, own, mention])
    assert found == {1: "Reuters", 2: "Associated Press", 3: "Reuters", 4: "AFP", 5: "Reuters"}
    assert relayed_agency(mention) is None
    evidence = relayed_agency(by_dateline)
    assert evidence is not None and "(AP)" in evidence[1]


def test_articles_relaying_one_agency_are_one_source() -> None:
    a = make_article(1, UNRELATED, byline="By Reuters")
    b = make_article(2, INDEPENDENT, byline="Reuters")
    c = make_article(3, WIRE, outlet="Reuters")
    d = make_article(4, (*UNRELATED[:1], "Reporting by Ana Lind; Editing by Tom Berg"))
    other = make_article(5, ("Wheat prices rose on Tuesday after dry weather in the plains.",),
                         byline="By AFP")  # fmt: skip
    lineage = find_lineage([a, b, c, d, other], OPTIONS)
    assert frozenset({1, 2, 3, 4}) in lineage.groups and frozenset({5}) in lineage.groups
    relay = [e for e in lineage.edges if e.kind == "relay"]
    assert {(e.derived, e.source) for e in relay} >= {(1, 3), (2, 3)}
    assert all("Reuters's own report" in e.evidence or "own report" in e.evidence for e in relay)
    assert dict(lineage.relays) == {1: "Reuters", 2: "Reuters", 3: "Reuters", 4: "Reuters",
                                    5: "AFP"}  # fmt: skip
