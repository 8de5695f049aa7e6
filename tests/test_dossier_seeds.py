"""Acceptance on the seeds: the whole pipeline, from files to the dossier (issue 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk import api
from storydesk.dossier.build import check_grounding
from storydesk.model import Dossier, Fact
from storydesk.options import Options
from tests.conftest import SEEDS, needs_seeds


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    options = Options(db=Path(tmp_path_factory.mktemp("seeds")) / "s.db", published="2025-11-07")
    api.run([str(SEEDS)], options)
    found = api.dossier(1, options)
    assert found is not None
    return found


def _fact(d: Dossier, *words: str) -> Fact:
    """The best-supported fact whose text or supporting sentences hold all the words."""
    hits = [
        f
        for f in d.facts
        if any(all(w.lower() in s.text.lower() for w in words) for s in f.support)
    ]
    assert hits, f"no fact with {words}"
    return max(hits, key=lambda f: f.independent_sources)


@needs_seeds
def test_one_story_with_four_independent_sources(dossier: Dossier) -> None:
    assert len(dossier.articles) == 5
    assert dossier.independent_sources == 4
    assert not check_grounding(dossier)
    assert 5 <= len(dossier.brief) <= 10


@needs_seeds
def test_corroborated_and_single_source_facts(dossier: Dossier) -> None:
    accession = _fact(dossier, "Kazakhstan", "join the Abraham Accords")
    # outlets differ on its status ("will join" / "agreed in principle"): conflicting (#17)
    assert accession.status == "conflicting" and accession.independent_sources >= 3
    assert "said" in accession.text or "told" in accession.text  # stays attributed
    summit = _fact(dossier, "Tokayev", "White House", "Uzbekistan")
    assert summit.status == "corroborated"
    ties = _fact(dossier, "1992")
    assert ties.status == "corroborated"
    assert _fact(dossier, "25 percent", "oil").status == "single-source"
    assert _fact(dossier, "Netanyahu", "2016").status == "single-source"


@needs_seeds
def test_members_and_status_wordings_are_conflicts(dossier: Dossier) -> None:
    kinds = {c.kind: c for c in dossier.conflicts}
    assert "omit Sudan" in kinds["members"].description
    wordings = {v.value for c in dossier.conflicts if c.kind == "modality" for v in c.variants}
    assert {"will join", "agreed in principle"} <= wordings
    # the preview ("is expected to") is shown as an earlier report (#17)
    earlier = {v.value for c in dossier.conflicts if c.kind == "earlier-report" for v in c.variants}
    assert len(wordings | earlier) >= 3
    for c in dossier.conflicts:  # each variant names who carried it
        assert all(v.support for v in c.variants)


@needs_seeds
def test_quotes_have_the_right_speakers(dossier: Dossier) -> None:
    by_speaker: dict[str, list[str]] = {}
    for q in dossier.quotes:
        by_speaker.setdefault(q.speaker or "", []).append(q.text)
    assert any("Second Term" in t for t in by_speaker["Donald Trump"])
    assert any("momentum" in t for t in by_speaker["JD Vance"])
    assert any("partnership" in t for t in by_speaker["Marco Rubio"])
    assert any("flying back to Washington" in t for t in by_speaker["Steve Witkoff"])
    assert any("peace train" in t for t in by_speaker["Marc Schneier"])
    assert any("accession" in t for t in by_speaker["Kazakh government"])
    fragment = next(q for q in dossier.quotes if "club of strength" in q.text and len(q.text) < 30)
    assert fragment.part_of and "club of strength" in fragment.part_of


@needs_seeds
def test_timeline_dates_and_background(dossier: Dossier) -> None:
    values = {t.value: t for t in dossier.timeline}
    assert not values["2025-11-06"].background and not values["2025-11-18"].background
    assert values["1992"].background and values["2016"].background
