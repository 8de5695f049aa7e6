"""Time expression rules (issue 4) on invented sentences run through the analyze stage."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storydesk.analyze import analyze_text, load_nlp
from storydesk.analyze.dates import bare_month, month_day, weekend
from storydesk.analyze.holidays import easter, holiday, nearest_holiday
from storydesk.analyze.times import find_times_in_text
from storydesk.options import Options

FRIDAY = "2025-11-07"
MONDAY = "2025-11-10"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp(Options().spacy_model)


def times(nlp: Any, text: str, published: str | None = FRIDAY) -> dict[str, tuple[str, str | None]]:
    """Text → (type, value) of every time expression found."""
    return {
        t.text: (t.type, t.value) for t in analyze_text(text, published, Options(), nlp=nlp).times
    }


def test_participles_and_possessives_place_weekdays_in_the_past(nlp: Any) -> None:
    found = times(nlp, "Under the terms, announced Thursday, holders will receive $42 a share.")
    assert found["Thursday"] == ("DATE", "2025-11-06")
    found = times(nlp, "The court will hear appeals against the ruling issued Wednesday.")
    assert found["Wednesday"] == ("DATE", "2025-11-05")
    found = times(nlp, "Analysts will study Tuesday's figures closely.", MONDAY)
    assert found["Tuesday"] == ("DATE", "2025-11-04")


def test_plans_and_deadlines_place_weekdays_ahead(nlp: Any) -> None:
    found = times(nlp, "Organisers planned a march through the old town on Sunday.")
    assert found["Sunday"] == ("DATE", "2025-11-09")
    found = times(nlp, "The ministry extended the deadline until 9 a.m. Wednesday.", MONDAY)
    assert found["9 a.m. Wednesday"] == ("TIME", "2025-11-12T09:00")
    found = times(nlp, "The offer had been due to expire Thursday evening.", MONDAY)
    assert found["Thursday evening"] == ("TIME", "2025-11-06TEV")


def test_clock_times_join_their_day(nlp: Any) -> None:
    found = times(nlp, "The shop was robbed at 10 p.m. Wednesday, police said.")
    assert found == {"10 p.m. Wednesday": ("TIME", "2025-11-05T22:00")}
    found = times(nlp, "Talks broke off at noon Thursday. Bids close at 5 p.m. EST Nov. 19.")
    assert found["noon Thursday"] == ("TIME", "2025-11-06T12:00")
    assert found["5 p.m. EST Nov. 19"] == ("TIME", "2025-11-19T17:00")


def test_ages_and_as_soon_as_are_not_times(nlp: Any) -> None:
    found = times(nlp, "The 6-year-old and his 52 years old uncle will leave as soon as possible.")
    assert found == {}
    assert times(nlp, "The pier has stood for 40 years.") == {"40 years": ("DURATION", "P40Y")}


def test_year_ago_follows_the_quarter_a_results_story_names(nlp: Any) -> None:
    text = (
        "Net income rose 8% in the third quarter to $41 million from $38 million a year ago. "
        "Sales were flat compared with the year-earlier quarter. "
        "In the quarter, margins widened."
    )
    found = times(nlp, text, "2025-10-30")
    assert found["the third quarter"] == ("DATE", "2025-Q3")
    assert found["a year ago"] == ("DATE", "2024-Q3")
    assert found["the year-earlier quarter"] == ("DATE", "2024-Q3")
    assert found["the quarter"] == ("DATE", "2025-Q3")
    found = times(nlp, "The ferry carried 9,000 cars, up from 7,000 a year earlier.")
    assert found["a year earlier"] == ("DATE", "2024")


def test_quarters_take_a_year_given_with_them(nlp: Any) -> None:
    found = times(nlp, "Profit in the 2023 second quarter beat the third quarter of 2021.")
    assert found["the 2023 second quarter"] == ("DATE", "2023-Q2")
    assert found["the third quarter of 2021"] == ("DATE", "2021-Q3")
    found = times(nlp, "Output should recover in next year's first quarter.")
    assert found["next year's first quarter"] == ("DATE", "2026-Q1")


def test_vague_periods(nlp: Any) -> None:
    text = (
        "In recent years the port has grown, and in the past it was a fishing harbour. "
        "Prices should ease in coming months."
    )
    found = times(nlp, text)
    assert found["recent years"] == ("DURATION", "PXY")
    assert found["the past"] == ("DATE", "PAST_REF")
    assert found["coming months"] == ("DURATION", "PXM")


def test_the_weekend_and_the_year(nlp: Any) -> None:
    found = times(nlp, "Officials met over the weekend. For the year, sales rose 4%.", MONDAY)
    assert found["the weekend"] == ("DATE", "2025-W45-WE")
    assert found["the year"] == ("DATE", "2025")
    found = times(nlp, "Revenue for the year ended June 30 fell.", MONDAY)
    assert found["the year"] == ("DURATION", "P1Y")


def test_holidays_seasons_and_spelled_years(nlp: Any) -> None:
    text = "Shops hope for a strong Thanksgiving. Over the summer, visits fell."
    found = times(nlp, text)
    assert found["Thanksgiving"] == ("DATE", "2025-11-27")
    assert found["the summer"] == ("DATE", "2025-SU")
    found = times(nlp, "The bridge opened in nineteen ninety-six, before the year two thousand.")
    assert found["nineteen ninety-six"] == ("DATE", "1996")
    assert found["the year two thousand"] == ("DATE", "2000")
    assert times(nlp, "Some two thousand people came.") == {}


def test_month_with_relative_year_and_following_year(nlp: Any) -> None:
    found = times(nlp, "The treaty takes effect in April next year.")
    assert found == {"April next year": ("DATE", "2026-04")}
    found = times(nlp, "He joined on May 22, 1995, and the following year he left.")
    assert found["the following year"] == ("DATE", "1996")


def test_without_publication_date_relative_values_stay_unresolved(nlp: Any) -> None:
    found = times(nlp, "Talks ended at noon Thursday, a year ago, over the weekend.", None)
    assert found == {
        "noon Thursday": ("TIME", None),
        "a year ago": ("DATE", None),
        "the weekend": ("DATE", None),
    }
    assert times(nlp, "It closed at Christmas 2019.", None) == {
        "Christmas 2019": ("DATE", "2019-12-25")
    }


def test_dates_near_publication_take_the_nearest_year() -> None:
    anchor = date(1999, 10, 30)
    assert month_day(11, 10, anchor, "past") == date(1999, 11, 10)  # days ahead despite "said"
    assert month_day(9, 14, anchor, "future") == date(1999, 9, 14)
    assert month_day(4, 2, anchor, "future") == date(2000, 4, 2)  # far: the tense decides
    assert month_day(4, 2, anchor, "past") == date(1999, 4, 2)
    november = date(1999, 11, 2)
    assert bare_month(1, november, "past") == "2000-01"  # two months on, not ten back
    assert bare_month(12, november, "past", near=False) == "1998-12"  # "last December"
    assert bare_month(4, november, "past") == "1999-04"


def test_weekend_and_holiday_arithmetic() -> None:
    assert weekend(date(2025, 11, 10), None) == "2025-W45-WE"
    assert weekend(date(2025, 11, 10), "future") == "2025-W46-WE"
    assert weekend(date(2025, 11, 9), "past") == "2025-W45-WE"
    assert easter(2024) == date(2024, 3, 31) and easter(2025) == date(2025, 4, 20)
    assert holiday("Thanksgiving Day", 1999) == date(1999, 11, 25)
    assert holiday("election  day", 1998) == date(1998, 11, 3)
    assert holiday("Memorial Day", 2025) == date(2025, 5, 26)
    assert nearest_holiday("Christmas", date(2026, 1, 3), "past") == date(2025, 12, 25)
    assert nearest_holiday("Christmas", date(2025, 11, 7), None) == date(2025, 12, 25)


def test_rules_need_no_parse() -> None:
    found = {t.text: t.value for t in find_times_in_text("last Christmas and midnight", FRIDAY)}
    assert found == {"last Christmas": "2024-12-25", "midnight": "2025-11-07T24:00"}


def test_durations_in_halves_decades_and_quarters() -> None:
    text = "It took 2 1/2 years, a minute and a half, two decades and the past two quarters."
    found = {t.text: (t.type, t.value) for t in find_times_in_text(text, FRIDAY)}
    assert found == {
        "2 1/2 years": ("DURATION", "P2Y6M"),
        "a minute and a half": ("DURATION", "PT1M30S"),
        "two decades": ("DURATION", "P20Y"),
        "the past two quarters": ("DURATION", "P2Q"),
    }


def test_plural_weekdays_with_a_part_of_day_are_sets() -> None:
    found = {t.text: (t.type, t.value) for t in find_times_in_text("on Tuesday nights", FRIDAY)}
    assert found == {"Tuesday nights": ("SET", "XXXX-WXX-2TNI")}


def test_without_publication_date_the_text_still_resolves_what_it_can() -> None:
    text = "Profit rose in the third quarter of 2024 from a year earlier; the quarter was strong."
    found = {t.text: t.value for t in find_times_in_text(text, None)}
    assert found == {
        "the third quarter of 2024": "2024-Q3",
        "a year earlier": "2023-Q3",
        "the quarter": "2024-Q3",
    }


def test_compound_number_words_count_whole() -> None:
    found = {t.text: t.value for t in find_times_in_text("for twenty-four hours", FRIDAY)}
    assert found == {"twenty-four hours": "PT24H"}
    found = {t.text: t.value for t in find_times_in_text("seventy years ago", FRIDAY)}
    assert found == {"seventy years ago": "1955"}


def test_tense_fixes_for_modal_perfect_and_unmarked_past(nlp: Any) -> None:
    found = times(nlp, "The rumour may have been behind a drop in the shares on Wednesday.")
    assert found["Wednesday"] == ("DATE", "2025-11-05")
    found = times(nlp, "Weakness in chip stocks hurt the composite index on Thursday.")
    assert found["Thursday"] == ("DATE", "2025-11-06")  # tagged VBP, but the subject is singular
    assert times(nlp, "An election is due this September.", "2026-02-05") == {
        "this September": ("DATE", "2026-09")
    }
