"""Membership explanations in `show`: why each article is in the story, in every format."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.model import ArticleRef, Assignment, Dossier
from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, assign_stories, rebuild
from storydesk.render import dossier_to_dict, render
from storydesk.serialize import from_dict, to_dict
from storydesk.store import Store
from tests.factories import fisheries_story, store_articles, unrelated_article

HOSTILE = "<script>alert(1)</script> [bold]x[/bold] *y*"


def _dossier(membership: tuple[Assignment, ...]) -> Dossier:
    """A two-article dossier with the given explanations and nothing else."""
    refs = tuple(
        ArticleRef(i, f"test://{i}", "Outlet", f"Title {i}", None, None, None) for i in (1, 2)
    )
    return Dossier(
        7, "Headline", None, None, 2, refs, (), (), (), (), (), (), membership=membership
    )


OPENED = Assignment(article=1, story=None, score=0.0, reason="opened a story")
JOINED = Assignment(
    article=2,
    story=7,
    score=0.4321,
    shared_entities=("estmark", "lena varga"),
    shared_terms=("cod", "quota"),
    candidates=3,
    reason="joined story 7: score 0.43 ≥ threshold 0.25",
)


def test_json_gives_each_article_its_membership() -> None:
    data = dossier_to_dict(_dossier((OPENED, JOINED)))
    first, second = data["articles"]
    assert first["membership"]["reason"] == "opened a story"
    assert second["membership"] == {
        "score": 0.4321,
        "shared_entities": ["estmark", "lena varga"],
        "shared_terms": ["cod", "quota"],
        "candidates": 3,
        "reason": "joined story 7: score 0.43 ≥ threshold 0.25",
    }
    assert {"id", "source", "outlet", "title", "published", "derived_from", "cites"} <= set(second)


def test_json_membership_is_null_when_not_recorded() -> None:
    data = dossier_to_dict(_dossier((JOINED,)))
    assert data["articles"][0]["membership"] is None
    assert data["articles"][1]["membership"]["score"] == 0.4321


def test_text_formats_show_score_entities_and_terms() -> None:
    d = _dossier((OPENED, JOINED))
    for fmt in ("md", "html", "terminal"):
        out = render(d, fmt)
        assert "Why these articles" in out, fmt
        assert "0.43" in out and "lena varga" in out and "quota" in out, fmt
        assert "opened a story" in out, fmt


def test_no_section_without_explanations() -> None:
    d = _dossier(())
    for fmt in ("md", "html", "terminal"):
        assert "Why these articles" not in render(d, fmt), fmt


def test_hostile_text_is_escaped() -> None:
    bad = dataclasses.replace(JOINED, shared_terms=(HOSTILE,), reason=HOSTILE)
    d = _dossier((OPENED, bad))
    html = render(d, "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = render(d, "md")
    assert "\\*y\\*" in md and "\\<script\\>" in md
    assert "[bold]x[/bold]" in render(d, "terminal")  # printed literally, not as markup


def test_stored_dossiers_without_membership_stay_readable() -> None:
    data = to_dict(_dossier((JOINED,)))
    del data["membership"]  # a dossier stored before the field existed
    assert from_dict(Dossier, data).membership == ()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding the fisheries story (articles 1-4) and a factory fire (5)."""
    path = tmp_path / "x.db"
    with Store(path) as store:
        store_articles(store, [*fisheries_story(), unrelated_article()])
        touched = assign_stories(Options(db=path), store, SilentReporter())
        rebuild(touched, Options(db=path), store, SilentReporter())
    return path


def test_show_explains_every_membership(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "show", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    articles = json.loads(result.output)["articles"]
    assert [a["id"] for a in articles if a["membership"] is None] == []
    why = {a["id"]: a["membership"] for a in articles}
    opened = [aid for aid, m in why.items() if m["reason"].startswith("opened")]
    assert len(opened) == 1
    for aid, m in why.items():
        if aid not in opened:
            assert m["score"] >= Options().cluster.story_threshold
            assert m["shared_terms"] and "joined story 1" in m["reason"]
    assert any("estmark" in m["shared_entities"] for m in why.values())
    text = CliRunner().invoke(cli, ["--db", str(db), "show", "1"]).output
    assert "Why these articles (4)" in text
