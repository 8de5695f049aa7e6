"""The timeline of events (issue 18): one entry per event and date, parts of days, quotes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storydesk import api
from storydesk.analyze import analyze_text
from storydesk.dossier.timeline import time_hits, timeline, timeline_of
from storydesk.model import Dossier, Fact, FactStatus, Support, TimelineEntry
from storydesk.model_state import TimeHit
from storydesk.options import Options
from tests.conftest import SEEDS, needs_seeds

FRIDAY = "2025-11-07"


def _hit(
    article: int, sentence: int, predicate: str, actors: tuple[str, ...], value: str = "2025-11-06"
) -> TimeHit:
    """A time hit with an invented sentence and title."""
    text = f"{predicate} {' '.join(actors)} {article}.{sentence}"
    return TimeHit(value, "Thursday", Support(article, sentence, text), predicate, text, actors)


def test_two_events_on_one_date_are_two_entries() -> None:
    hits = [
        _hit(1, 0, "say", ("kestria", "serikov")),
        _hit(1, 4, "meet", ("brandt", "serikov")),
        _hit(2, 0, "say", ("kestria", "serikov")),  # the same statement in another article
        _hit(2, 3, "preview", ("varga",)),
    ]
    entries = timeline_of(hits, FRIDAY)
    assert [e.value for e in entries] == ["2025-11-06"] * 3
    groups = [{(s.article, s.sentence) for s in e.support} for e in entries]
    assert groups == [{(1, 0), (2, 0)}, {(1, 4)}, {(2, 3)}]
    assert entries[1].title.startswith("meet")


def test_sentences_of_one_fact_are_one_event() -> None:
    hits = [_hit(1, 0, "agree", ("kestria",)), _hit(2, 5, "sign", ("ostrava",))]
    apart = timeline_of(hits, FRIDAY)
    support = (Support(1, 0, "a"), Support(2, 5, "b"))
    fact = Fact("a", support, 2, FactStatus.CORROBORATED)
    together = timeline_of(hits, FRIDAY, facts=[fact])
    assert len(apart) == 2 and len(together) == 1 and len(together[0].support) == 2


def test_two_shared_actors_make_one_event_but_one_does_not() -> None:
    hits = [
        _hit(1, 0, "host", ("serikov", "trask")),
        _hit(2, 0, "dine", ("serikov", "trask")),
        _hit(3, 0, "meet", ("brandt", "serikov")),
    ]
    entries = timeline_of(hits, FRIDAY)
    assert [len(e.support) for e in entries] == [2, 1]


def test_a_hit_naming_no_actor_joins_the_one_event_of_its_predicate() -> None:
    one = [_hit(1, 0, "sign", ("korvath",)), _hit(2, 0, "sign", ()), _hit(3, 0, "sign", ())]
    assert [len(e.support) for e in timeline_of(one, FRIDAY)] == [3]
    two = [*one, _hit(4, 0, "sign", ("dravan",))]  # two signings named: the bare ones stay apart
    assert sorted(len(e.support) for e in timeline_of(two, FRIDAY)) == [1, 1, 2]


def test_part_of_the_day_is_kept_on_its_date() -> None:
    hits = [_hit(1, 0, "collide", ("marisol",), "2026-03-12TNI"), _hit(2, 0, "collide", ())]
    entries = timeline_of(hits, "2026-03-13")
    by_day = {e.value: e for e in entries}
    assert by_day["2026-03-12"].part == "night"
    assert by_day["2025-11-06"].part == ""


def test_events_titled_and_separated_in_analysed_text(nlp: Any) -> None:
    text = (
        "President Aldan Serikov said on Thursday that Kestria will join the river pact.\n\n"
        "Foreign Minister Ilse Brandt met with Serikov on Nov. 6.\n\n"
        "The ferry Marisol Queen struck a barge on Thursday night."
    )
    article = analyze_text(text, FRIDAY, Options(), nlp=nlp)
    entries = timeline([article], FRIDAY)
    assert [e.value for e in entries] == ["2025-11-06"] * 3
    titles = [e.title for e in entries]
    assert any("said on Thursday that Kestria will join" in t for t in titles)
    assert any(t.startswith("Foreign Minister Ilse Brandt met with Serikov") for t in titles)
    night = next(e for e in entries if "struck" in e.title)
    assert night.part == "night"
    for e in entries:
        assert e.title in " ".join(e.text.split())  # a title is words of its sentence


def _values(nlp: Any, text: str) -> list[str]:
    article = analyze_text(text, FRIDAY, Options(), nlp=nlp)
    return [h.value for h in time_hits(article)]


def test_relative_date_in_a_quote_is_left_out_without_a_said_date(nlp: Any) -> None:
    text = '"Today, more nations are lining up to join," Serikov wrote on his platform.'
    assert _values(nlp, text) == []


def test_relative_date_in_a_quote_counts_from_when_it_was_said(nlp: Any) -> None:
    text = 'On Wednesday, Serikov wrote: "Today we signed the pact."'
    assert sorted(_values(nlp, text)) == ["2025-11-05", "2025-11-05"]
    unquoted = "Serikov said the pact was signed on Wednesday and ratified today."
    assert sorted(_values(nlp, unquoted)) == ["2025-11-05", FRIDAY]


def test_clock_time_without_a_day_is_left_out(nlp: Any) -> None:
    assert _values(nlp, "The ferry hit the barge at about 9:40 p.m. in thick fog.") == []
    assert _values(nlp, "The strike starts at 4 a.m. on Monday.") == ["2025-11-10T04:00"]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    options = Options(db=Path(tmp_path_factory.mktemp("seeds")) / "s.db", published=FRIDAY)
    api.run([str(SEEDS)], options)
    found = api.dossier(1, options)
    assert found is not None
    return found


def _entry(entries: list[TimelineEntry], *words: str) -> TimelineEntry:
    """The one entry some supporting sentence of which holds all the words."""
    found = [e for e in entries if any(all(w in s.text for w in words) for s in e.support)]
    assert len(found) == 1, f"{words}: {len(found)} entries"
    return found[0]


@needs_seeds
def test_seeds_announcement_and_rubio_meeting_are_separate_entries(seeds: Dossier) -> None:
    day = [e for e in seeds.timeline if e.value == "2025-11-06"]
    announcement = _entry(day, "Trump said", "Kazakhstan will join")
    meeting = _entry(day, "Rubio met with Tokayev")
    assert announcement is not meeting
    assert not any("Rubio" in s.text for s in announcement.support)
    assert "Rubio" in meeting.title and "Tokayev" in meeting.title
    witkoff = _entry(day, "Witkoff previewed")
    assert witkoff is not announcement and witkoff is not meeting


@needs_seeds
def test_seeds_quoted_today_is_not_the_publication_date(seeds: Dossier) -> None:
    today = [e for e in seeds.timeline if e.value == FRIDAY]
    assert not any("Today, more Nations" in s.text for e in today for s in e.support)
