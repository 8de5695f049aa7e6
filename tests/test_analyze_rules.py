"""The analyze stage's rules that need no model: quote marks, time values, credits, blocks."""

from __future__ import annotations

from datetime import date

import pytest

from storydesk.analyze.finders.credits import find_credits
from storydesk.analyze.finders.marks import find_quote_spans
from storydesk.analyze.nlp import Block, split_blocks
from storydesk.analyze.times.dates import month_day, weekday
from storydesk.analyze.times.find import find_times_in_text
from storydesk.model import Article, Entity

FRIDAY = date(2025, 11, 7)


def spans(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in find_quote_spans(text)]


def test_quote_marks_curly_straight_and_unclosed() -> None:
    assert spans("“It works. It really does,” she said.") == [
        ("“It works. It really does,”", "direct")
    ]
    assert spans('He called it a "total disaster" and left.') == [('"total disaster"', "fragment")]
    assert spans("“First part of a long quote that goes on") == [
        ("“First part of a long quote that goes on", "direct")
    ]
    assert spans("Kazakhstan’s leaders’ summit went ahead.") == []


def test_single_quotes_only_where_they_are_quotation_marks() -> None:
    headline = "'We will build the bridge this year,' says mayor"
    assert spans(headline) == [("'We will build the bridge this year,'", "direct")]
    assert spans("The mayor's aides said the workers' pay was 'fine' in the end.") == []
    assert spans("MONTHS OF ‘BONEHEAD SCREWUPS’") == [("‘BONEHEAD SCREWUPS’", "fragment")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("signed on Oct. 7, 2023, in Riga", ("Oct. 7, 2023", "DATE", "2023-10-07")),
        ("since 1992", ("1992", "DATE", "1992")),
        ("for 33 years", ("33 years", "DURATION", "P33Y")),
        ("over the past three years", ("the past three years", "DURATION", "P3Y")),
        ("a decade ago", ("a decade ago", "DATE", "2015")),
        ("two years ago", ("two years ago", "DATE", "2023")),
        ("this month", ("this month", "DATE", "2025-11")),
        ("last year", ("last year", "DATE", "2024")),
        ("this week", ("this week", "DATE", "2025-W45")),
        ("today", ("today", "DATE", "2025-11-07")),
        ("tonight", ("tonight", "TIME", "2025-11-07TNI")),
        ("now", ("now", "DATE", "PRESENT_REF")),
        ("every Monday", ("every Monday", "SET", "XXXX-WXX-1")),
        ("twice a week", ("a week", "SET", "P1W")),
        ("the 1990s", ("1990s", "DATE", "199")),
        ("Thursday, Nov. 6", ("Thursday, Nov. 6", "DATE", "2025-11-06")),
        ("6 November 2025", ("6 November 2025", "DATE", "2025-11-06")),
        ("in June 2024", ("June 2024", "DATE", "2024-06")),
        ("at 5 p.m.", ("5 p.m.", "TIME", "2025-11-07T17:00")),
        ("Thursday night", ("Thursday night", "TIME", "2025-11-06TNI")),
    ],
)
def test_time_rules(text: str, expected: tuple[str, str, str | None]) -> None:
    found = [(t.text, t.type, t.value) for t in find_times_in_text(text, "2025-11-07")]
    assert found == [expected]


def test_time_rules_leave_numbers_and_modals_alone() -> None:
    for text in ("2,000 people", "May I ask?", "a 2020s-style", "$2015 fee", "now-defunct"):
        assert [t.text for t in find_times_in_text(text, "2025-11-07")] != [text], text
    assert find_times_in_text("in 2,000 cases and 45% of 1,990 homes", "2025-11-07") == ()


def test_later_that_year_refers_back() -> None:
    values = [t.value for t in find_times_in_text("in 2020, and later that year", None)]
    assert values == ["2020", "2020"]


def test_relative_values_need_a_publication_date() -> None:
    found = {t.text: t.value for t in find_times_in_text("On Monday, in May, last year", None)}
    assert found == {"Monday": None, "May": None, "last year": None}


def test_weekday_and_month_day_arithmetic() -> None:
    assert weekday(3, FRIDAY, "past", None) == date(2025, 11, 6)
    assert weekday(0, FRIDAY, "future", None) == date(2025, 11, 10)
    assert weekday(4, FRIDAY, "past", None) == FRIDAY
    assert weekday(3, FRIDAY, "future", None) == date(2025, 11, 6)  # a day late, not 6 ahead
    assert weekday(4, FRIDAY, None, "last") == date(2025, 10, 31)
    assert month_day(12, 28, date(2026, 1, 3), None) == date(2025, 12, 28)
    assert month_day(1, 12, FRIDAY, "future") == date(2026, 1, 12)
    assert month_day(11, 18, FRIDAY, None) == date(2025, 11, 18)


def test_credits_need_an_outlet_like_name() -> None:
    text = (
        "Sources said the talks failed, according to Reuters. Axios first reported the plan. "
        "An official told reporters, and he told The Daily Ledger. Trump told Ana Ruiz."
    )
    people = [Entity(text.index("Ana Ruiz"), text.index("Ana Ruiz") + 8, "Ana Ruiz", "PERSON",
                     "Ana Ruiz")]  # fmt: skip
    found = find_credits([Block(0, 0, text)], people)
    assert [(c.name, c.cue) for c in found] == [
        ("Reuters", "according to"),
        ("Axios", "first reported"),
        ("Daily Ledger", "told"),
    ]
    dateline = find_credits([Block(0, 0, "MOSCOW (Reuters) - Talks resumed.")], [])
    assert [(c.name, c.cue) for c in dateline] == [("Reuters", "dateline")]


def test_blocks_follow_paragraph_offsets() -> None:
    article = Article(source="x", sha256="", title="", paragraphs=("One.\nTwo.", "", "  Three."))
    blocks = split_blocks(article)
    assert [(b.text, b.paragraph) for b in blocks] == [("One.", 0), ("Two.", 0), ("Three.", 2)]
    for b in blocks:
        assert article.text[b.start : b.end] == b.text


def test_offsets_inside_quotes_match_a_scan_of_every_span() -> None:
    import bisect
    import random

    from storydesk.analyze.finders.quoting import _union

    rng = random.Random(3)
    for _ in range(500):
        spans = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(0, 30)
            spans.append((start, start + rng.randint(0, 8)))
        starts, ends = _union(tuple(spans))
        for at in range(-2, 42):
            i = bisect.bisect_right(starts, at) - 1
            assert (i >= 0 and at < ends[i]) == any(a <= at < b for a, b in spans)
