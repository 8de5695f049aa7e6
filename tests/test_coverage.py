"""Coverage: every article counts (one without an outlet is its own column), "only X" is right."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.crosscheck.facts import crosscheck
from storydesk.dossier.build import build_dossier
from storydesk.dossier.coverage import columns, coverage
from storydesk.lineage.derivation import find_lineage
from storydesk.model import AnalyzedArticle, ArticleRef, Dossier, Fact, FactStatus, Support
from storydesk.options import Options
from storydesk.render.jsonout import dossier_to_dict
from storydesk.render.markdown import render_markdown
from tests.conftest import SEEDS, needs_seeds
from tests.factories import fisheries_story


def _dossier(articles: list[AnalyzedArticle]) -> Dossier:
    options = Options()
    lineage = find_lineage(articles, options)
    facts, conflicts = crosscheck(articles, lineage, options)
    return build_dossier(7, articles, lineage, facts, conflicts, options)


def _ref(aid: int, outlet: str | None) -> ArticleRef:
    return ArticleRef(aid, f"test://{aid}", outlet, "", None, None, None)


def _fact(*articles: int) -> Fact:
    support = tuple(Support(a, 0, f"sentence of {a}") for a in articles)
    return Fact("a fact", support, len(articles), FactStatus.SINGLE_SOURCE)


REFS = [_ref(1, None), _ref(2, "Anvil Post"), _ref(3, "Brine Daily"), _ref(4, None), _ref(5, None)]


def test_each_article_without_an_outlet_is_its_own_column() -> None:
    assert columns(REFS) == [
        ("Anvil Post", (2,)),
        ("Brine Daily", (3,)),
        ("article 1", (1,)),
        ("article 4", (4,)),
        ("article 5", (5,)),
    ]
    two = [_ref(1, "Anvil Post"), _ref(2, None), _ref(3, "Anvil Post")]
    assert columns(two) == [("Anvil Post", (1, 3)), ("article 2", (2,))]


def test_only_lists_count_articles_without_an_outlet() -> None:
    facts = [_fact(1, 3, 5), _fact(3), _fact(4), _fact(2, 3, 4, 5), _fact(1, 2, 3, 4, 5)]
    cov = coverage(facts, REFS)
    assert cov.outlets == ("Anvil Post", "Brine Daily", "article 1", "article 4", "article 5")
    assert cov.matrix[0] == (0, ("Brine Daily", "article 1", "article 5"))
    assert all(carried for _, carried in cov.matrix)  # no row without a column
    only = dict(cov.exclusives)
    assert only["Brine Daily"] == (1,)  # fact 0 is carried by articles 1 and 5 too
    assert only["article 4"] == (2,) and only["Anvil Post"] == ()
    assert dict(cov.omissions) == {"article 1": (3,)}
    assert dict(cov.columns)["article 4"] == (4,)


def test_one_outlets_articles_share_a_column() -> None:
    refs = [_ref(1, "Anvil Post"), _ref(2, "Anvil Post"), _ref(3, None)]
    cov = coverage([_fact(1, 2), _fact(2, 3)], refs)
    assert cov.outlets == ("Anvil Post", "article 3")
    assert dict(cov.exclusives) == {"Anvil Post": (0,), "article 3": ()}


def test_dossier_coverage_and_its_json_columns() -> None:
    articles = fisheries_story()
    third = articles[2]
    articles[2] = dataclasses.replace(
        third, article=dataclasses.replace(third.article, outlet=None)
    )
    d = _dossier(articles)
    assert d.coverage.outlets == ("Coastwire", "Estmark Herald", "Harbour Daily", "article 3")
    assert all(carried for _, carried in d.coverage.matrix)
    obj = dossier_to_dict(d)["coverage"]
    assert obj["columns"][-1] == {"name": "article 3", "outlet": None, "articles": [3]}
    assert obj["columns"][0] == {"name": "Coastwire", "outlet": "Coastwire", "articles": [1]}
    assert "| article 3 |" in render_markdown(d)


@needs_seeds
def test_seeds_coverage_has_a_column_per_article_and_right_only_lists(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    ran = CliRunner().invoke(cli, ["--db", db, "run", "--published", "2025-11-07", str(SEEDS)])
    assert ran.exit_code == 0, ran.output
    shown = CliRunner().invoke(cli, ["--db", db, "show", "1", "--format", "json"])
    d: dict[str, Any] = json.loads(shown.output)
    cov = d["coverage"]
    assert len(cov["outlets"]) == 5  # five outlets, or an article of unknown outlet alone
    held = {c["name"]: set(c["articles"]) for c in cov["columns"]}
    assert sorted(a for ids in held.values() for a in ids) == [a["id"] for a in d["articles"]]
    assert all(row["outlets"] for row in cov["matrix"])  # no row is all dots
    column_of = {a: name for name, ids in held.items() for a in ids}
    carried = [{column_of[s["article"]] for s in f["support"]} for f in d["facts"]]
    only = {e["outlet"]: e["facts"] for e in cov["exclusives"]}
    for name in cov["outlets"]:
        assert only[name] == [i for i, found in enumerate(carried) if found == {name}]
    for row in cov["matrix"]:
        assert set(row["outlets"]) == carried[row["fact"]]
