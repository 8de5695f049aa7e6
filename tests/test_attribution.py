"""Attributed claims stay attributed (issue 17): who each fact sentence attributes its claim to.

Invented sentences for the linguistic patterns; the seeds for acceptance (skipped without
../shared). The fold path's agreement with a rebuild is tests/test_dossier_fold.py's.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from storydesk import api
from storydesk.analyze import analyze_text
from storydesk.crosscheck.attribution import fact_attribution, sentence_attribution
from storydesk.model import AnalyzedArticle, ClaimSource, Dossier, Support
from storydesk.options import Options
from storydesk.render.jsonout import render_json
from tests.conftest import EXAMPLES, SEEDS, needs_seeds


def _one(nlp: Any, text: str) -> ClaimSource | None:
    """The attribution of the first sentence of an invented one-paragraph article."""
    article: AnalyzedArticle = analyze_text(text, "2026-03-13", Options(), nlp=nlp)
    return sentence_attribution(article, 0)


def test_own_voice_has_no_attribution(nlp: Any) -> None:
    assert _one(nlp, "The ferry was carrying 212 passengers when it struck the barge.") is None


def test_x_said(nlp: Any) -> None:
    found = _one(nlp, "Harbor master Ines Calloway said the fog had closed the channel for hours.")
    assert found is not None and "Ines Calloway" in (found.name or found.source)
    assert found.via is None


def test_according_to(nlp: Any) -> None:
    found = _one(nlp, "The ferry was carrying 212 passengers, according to the port authority.")
    assert found is not None and found.source.lower() == "the port authority"
    opening = _one(nlp, "According to the port authority, the ferry was carrying 212 passengers.")
    assert opening is not None and "port authority" in opening.source


def test_x_told_an_outlet(nlp: Any) -> None:
    trailing = _one(
        nlp, "The inquiry will open on Monday, a senior ministry official told the Harbor Gazette."
    )
    assert trailing == ClaimSource("a senior ministry official", "Harbor Gazette")
    leading = _one(
        nlp, "A senior ministry official told the Harbor Gazette that the inquiry will open soon."
    )
    assert leading is not None and leading.source.lower() == "a senior ministry official"
    assert leading.via == "Harbor Gazette"


def test_sources_familiar_with_the_matter(nlp: Any) -> None:
    found = _one(nlp, "Sources familiar with the matter said the board will meet again next week.")
    assert found is not None and found.source == "Sources familiar with the matter"


def test_a_clause_of_the_writers_own_is_not_attributed(nlp: Any) -> None:
    # the attribution sits in a subordinate clause, or reports a statement still to come
    subordinate = "The strike will last five days, although the union said it could go on."
    assert _one(nlp, subordinate) is None
    to_come = "The minister is expected to announce that the bridge will reopen in May."
    assert _one(nlp, to_come) is None


def test_a_fact_is_attributed_only_when_every_sentence_is() -> None:
    told = ClaimSource("a senior official", "The Epoch Times")
    said = ClaimSource("Trump")
    support = (Support(1, 0, "Trump said X."), Support(2, 0, "X, a senior official told them."))
    # the fact shows its own wording's source
    assert fact_attribution("X, a senior official told them.", support, [said, told]) == told
    assert fact_attribution("Trump said X.", support, [said, told]) == said
    # one outlet states it in its own voice: the claim is that outlet's too
    assert fact_attribution("Trump said X.", support, [said, None]) is None
    assert fact_attribution("Trump said X.", support, []) is None
    assert told.label() == "per a senior official (The Epoch Times)"
    assert ClaimSource("Reuters", "Reuters").label() == "per Reuters"


# ---------------------------------------------------------------- seeds acceptance


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    options = Options(db=Path(tmp_path_factory.mktemp("seeds")) / "s.db", published="2025-11-07")
    api.run([str(SEEDS)], options)
    found = api.dossier(1, options)
    assert found is not None
    return found


def _epoch_times_sentence(d: Dossier) -> tuple[int, int]:
    """The fact and support position of article 5's "will join ... told The Epoch Times"."""
    for i, f in enumerate(d.facts):
        for k, s in enumerate(f.support):
            if "will join" in s.text and "told The Epoch Times" in s.text:
                return i, k
    raise AssertionError("no fact holds the Epoch Times sentence")


@needs_seeds
def test_seeds_official_told_the_epoch_times(seeds: Dossier) -> None:
    i, k = _epoch_times_sentence(seeds)
    found = seeds.facts[i].attributions[k]
    assert found is not None
    assert found.source == "a senior U.S. administration official"
    assert found.via is not None and "Epoch Times" in found.via
    data = json.loads(render_json(seeds))
    item = data["facts"][i]["support"][k]
    assert item["attributed_to"]["source"] == "a senior U.S. administration official"
    assert "Epoch Times" in item["attributed_to"]["via"]
    assert "attributed_to" in data["facts"][i]


@needs_seeds
def test_seeds_every_fact_sentence_has_its_attribution(seeds: Dossier) -> None:
    assert all(len(f.attributions) == len(f.support) for f in seeds.facts)
    # a claim the writers state in their own voice stays unattributed
    ties = [f for f in seeds.facts if "since 1992" in f.text]
    assert ties and all(f.attributed_to is None for f in ties)
    # facts whose every sentence attributes the claim carry it, with a source named
    attributed = [f for f in seeds.facts if f.attributed_to is not None]
    assert len(attributed) >= 3
    assert any(f.attributed_to.source.startswith("Sources familiar") for f in attributed)


@needs_seeds
def test_seeds_brief_keeps_the_attribution(seeds: Dossier) -> None:
    # a brief sentence taken from an attributed sentence still names its source
    checked = 0
    for b in seeds.brief:
        for f in seeds.facts:
            for s, said in zip(f.support, f.attributions, strict=True):
                if said is not None and b.text == s.text:
                    checked += 1
                    assert said.source.lower() in b.text.lower() or (
                        said.name is not None and said.name in b.text
                    )
    assert checked >= 1


# ---------------------------------------------------------------- rendering and both paths


def test_fact_lines_show_the_attribution() -> None:
    from storydesk.render import render
    from tests.test_render import make_dossier

    d = make_dossier()
    told = ClaimSource("a senior official", "Tidewater Herald")
    fact = dataclasses.replace(
        d.facts[0],
        attributions=(told, ClaimSource("Harbor Wire", "Harbor Wire"), told),
        attributed_to=told,
    )
    d = dataclasses.replace(d, facts=(fact, *d.facts[1:]))
    note = "per a senior official (Tidewater Herald); also Harbor Wire"
    assert note in render(d, "md")
    assert note in render(d, "html")
    assert note in " ".join(render(d, "terminal", width=200).split())
    data = json.loads(render(d, "json"))
    assert data["facts"][0]["attributed_to"] == {
        "source": "a senior official",
        "name": None,
        "via": "Tidewater Herald",
    }
    assert [s["attributed_to"]["source"] for s in data["facts"][0]["support"]] == [
        "a senior official",
        "Harbor Wire",
        "a senior official",
    ]
    own = dataclasses.replace(fact, attributions=(None, told, None), attributed_to=None)
    shown = render(dataclasses.replace(d, facts=(own, *d.facts[1:])), "md")
    assert "attributed in 1 of 3 sentences: per a senior official (Tidewater Herald)" in shown


def test_exact_core_and_fold_attribute_each_sentence_alike(tmp_path: Path) -> None:
    from storydesk.options import DossierSettings
    from storydesk.pipeline import run as pipeline
    from storydesk.pipeline.dossiers import build_story
    from storydesk.store import Store

    options = Options(db=tmp_path / "f.db", published="2026-03-13")
    files = sorted(EXAMPLES.glob("ferry-*.txt"))
    with Store(options.db) as store:
        pipeline.run([str(f) for f in files], options, store)
        members = max(store.story_members().values(), key=len)
        articles = store.analyses(members)
    assert len(articles) >= 4

    def per_sentence(exact: int) -> dict[tuple[int, int], ClaimSource | None]:
        settings = Options(published="2026-03-13", dossier=DossierSettings(exact_articles=exact))
        d, _ = build_story(1, articles, settings)
        return {
            (s.article, s.sentence): a
            for f in d.facts
            for s, a in zip(f.support, f.attributions, strict=True)
        }

    exact, folded = per_sentence(len(articles)), per_sentence(2)
    assert exact == folded
    assert sum(a is not None for a in exact.values()) >= 5
