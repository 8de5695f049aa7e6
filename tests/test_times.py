"""Time expression rules (issue 4) on invented sentences run through the analyze stage."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storydesk.analyze import analyze_text
from storydesk.analyze.times.dates import bare_month, count, month_day, weekend
from storydesk.analyze.times.find import find_times_in_text
from storydesk.analyze.times.holidays import easter, holiday, nearest_holiday
from storydesk.options import Options

FRIDAY = "2025-11-07"
MONDAY = "2025-11-10"


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
    assert month_day(11, 10, anchor, None) == date(1999, 11, 10)  # days ahead: the nearest
    assert month_day(11, 10, anchor, "past") == date(1998, 11, 10)  # unless the verb is past
    assert month_day(9, 14, anchor, "future") == date(1999, 9, 14)
    assert month_day(4, 2, anchor, "future") == date(2000, 4, 2)  # far: the tense decides
    assert month_day(4, 2, anchor, "past") == date(1999, 4, 2)
    november = date(1999, 11, 2)
    assert bare_month(1, november, None) == "2000-01"  # two months on, not ten back
    assert bare_month(1, november, "past") == "1999-01"  # "sales fell in January": this one
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


def test_past_verbs_place_month_days_behind_unless_a_deadline_governs(nlp: Any) -> None:
    found = times(nlp, "The accord was signed on Jan. 5 and the board met in January.")
    assert found["Jan. 5"] == ("DATE", "2025-01-05")
    assert found["January"] == ("DATE", "2025-01")
    found = times(nlp, "The offer was extended to Dec. 12.")
    assert found["Dec. 12"] == ("DATE", "2025-12-12")
    found = times(nlp, "The firm declared a dividend payable Dec. 15 to holders of record Nov. 28.")
    assert found["Dec. 15"] == ("DATE", "2025-12-15")
    assert found["Nov. 28"] == ("DATE", "2025-11-28")
    assert times(nlp, "Regulators set Jan. 9 as the deadline for bids.") == {
        "Jan. 9": ("DATE", "2026-01-09")
    }
    assert times(nlp, "The union said talks would run through January.") == {
        "January": ("DATE", "2026-01")
    }


def test_since_places_a_month_day_behind(nlp: Any) -> None:
    found = times(nlp, "The suspect, at large since Oct. 23, is armed.", "2025-05-06")
    assert found["Oct. 23"] == ("DATE", "2024-10-23")


def test_independence_day_follows_the_country_named() -> None:
    def value(text: str) -> str | None:
        return find_times_in_text(text, FRIDAY)[0].value

    assert value("Parades mark Independence Day.") == "2025-07-04"
    assert value("Kazakhstan will mark Independence Day with a parade.") == "2025-12-16"
    assert value("India's Independence Day was quiet.") == "2025-08-15"
    assert value("Israelis celebrated Independence Day.") is None  # no fixed date known
    assert value("Indian and Pakistani troops held fire on Independence Day.") is None


def test_spelled_numbers_with_hundreds_and_thousands() -> None:
    assert count("two hundred") == 200
    assert count("two thousand five hundred") == 2500
    assert count("one hundred and twenty") == 120
    assert count("fourteen") == 14
    assert count("a few") is None
    found = {t.text: t.value for t in find_times_in_text("It stood two hundred years.", FRIDAY)}
    assert found == {"two hundred years": "P200Y"}


def test_capitalised_counts_more_units_and_trading_days() -> None:
    text = "A year ago it rose. Three days later it fell for two more weeks and 8 trading days."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {
        "A year ago": "2024",
        "Three days": "P3D",
        "two more weeks": "P2W",
        "8 trading days": "P8D",
    }
    text = "A second group left; an additional year passed, as did three quarters of the staff."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {"an additional year": "P1Y"}
    found = {t.text: t.value for t in find_times_in_text("for several quarters", FRIDAY)}
    assert found == {"several quarters": "PXQ"}


def test_decades_and_centuries() -> None:
    text = "A decade ago, a week or so ago, in the nineties, the '80s and the 20th century."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {
        "A decade ago": "2015",
        "a week or so ago": "2025-W44",
        "the nineties": "199",
        "'80s": "198",
        "the 20th century": "19",
    }
    found = {t.text: t.value for t in find_times_in_text("the '20s", FRIDAY)}
    assert found == {"'20s": "202"}


def test_spelled_years_with_months_and_seasons_and_halves() -> None:
    text = "In January nineteen ninety-seven, after the winter of 1994, and the first half of 2024."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {
        "January nineteen ninety-seven": "1997-01",
        "the winter of 1994": "1994-WI",
        "the first half of 2024": "2024-H1",
    }
    found = {t.text: t.value for t in find_times_in_text("the last two quarters of 2023", None)}
    assert found == {"the last two quarters of 2023": "2023-H2"}


def test_weeks_of_a_date_and_parts_of_days() -> None:
    text = "A hearing the week of March 6; at mid-afternoon yesterday; at 4 in the morning."
    found = {t.text: t.value for t in find_times_in_text(text, "2026-02-24")}
    assert found == {
        "the week of March 6": "2026-W10",
        "mid-afternoon yesterday": "2026-02-23TAF",
        "4 in the morning": "2026-02-24T04:00",
    }


def test_months_as_modifiers_and_after_for(nlp: Any) -> None:
    found = times(nlp, "Jobs data for January beat forecasts.", "2026-02-06")
    assert found == {"January": ("DATE", "2026-01")}
    found = times(nlp, "Police say they solved the October killing.", "2026-04-19")
    assert found == {"October": ("DATE", "2025-10")}
    found = times(nlp, "December's figures were revised.", "2026-02-06")
    assert found == {"December": ("DATE", "2025-12")}
    assert times(nlp, "Theresa May's speech drew applause.") == {}


def test_sets_and_vague_future_dates() -> None:
    text = "Orangemen march each July; the fee is paid every quarter and the index is set hourly."
    found = {t.text: (t.type, t.value) for t in find_times_in_text(text, FRIDAY)}
    assert found == {
        "each July": ("SET", "XXXX-07"),
        "every quarter": ("SET", "P1Q"),
        "hourly": ("SET", "PT1H"),
    }
    found = {t.text: t.value for t in find_times_in_text("to be sold at a later date", FRIDAY)}
    assert found == {"a later date": "FUTURE_REF"}


def test_quarters_referred_back_to() -> None:
    text = (
        "Profit rose in the third quarter, from the same period last year. "
        "That quarter was strong; this quarter's margin grew. Next quarter may be weaker."
    )
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {
        "the third quarter": "2025-Q3",
        "the same period last year": "2024-Q3",
        "That quarter": "2025-Q3",
        "this quarter": "2025-Q3",
        "Next quarter": "2026-Q1",
    }


def test_a_year_ago_compares_with_the_quarter_the_story_reports() -> None:
    text = (
        "Third-quarter profit rose. The firm expects a fourth-quarter charge. "
        "Sales fell from a year ago."
    )
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found["a year ago"] == "2024-Q3"
    text = (
        "It cut its dividend in the third quarter of 2019. Third-quarter net fell from a year ago."
    )
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found["a year ago"] == "2024-Q3"  # the quarter of 2019 is history, not the report


def test_set_looks_back_unless_it_takes_a_complement(nlp: Any) -> None:
    found = times(nlp, "The index closed near the record high set on Aug. 6.", "2026-02-06")
    assert found == {"Aug. 6": ("DATE", "2025-08-06")}
    found = times(nlp, "The vote is set for Aug. 6.", "2026-02-06")
    assert found == {"Aug. 6": ("DATE", "2026-08-06")}
    found = times(nlp, "By setting a Jan. 14 return date, officials gave him time.", "2026-01-06")
    assert found == {"Jan. 14": ("DATE", "2026-01-14")}


def test_a_holidays_week_and_the_current_state_of_things() -> None:
    text = "Protesters prayed as Easter week began."
    found = {t.text: t.value for t in find_times_in_text(text, "2026-04-01")}
    assert found == {"Easter week": "2026-W14"}
    text = "The current system replaced the then-current rules; the current account is in deficit."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {"current": "PRESENT_REF", "then-current": "PAST_REF"}


def test_the_near_term_and_months_after_a_quarter() -> None:
    text = "Margins will stay thin in the near term; over the short-term outlook, little changes."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {"the near term": "FUTURE_REF"}
    text = "Talks began in May 2024, stalled in the third quarter of 2024 and the following month."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found["the following month"] == "2024-06"  # a quarter is not a month to count from


def test_present_perfect_progressive_is_past(nlp: Any) -> None:
    text = "Investigators have been searching for him since shortly after the Oct. 23 killing."
    assert times(nlp, text, "2025-05-06") == {"Oct. 23": ("DATE", "2024-10-23")}


def test_decade_words_and_centuries_that_are_not_dates() -> None:
    text = "Highs will be in the nineties. Shares of 21st Century Fox rose in the 21st century."
    found = {t.text: t.value for t in find_times_in_text(text, FRIDAY)}
    assert found == {"the 21st century": "20"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Talks are set for April 24 and 25 in Geneva.",
            [("April 24", "2026-04-24"), ("25", "2026-04-25")],
        ),
        ("The summit ran March 3-4, 2025.", [("March 3", "2025-03-03"), ("4, 2025", "2025-03-04")]),
        ("Two died on March 3 and 4 were hurt.", [("March 3", "2026-03-03")]),
    ],
)
def test_second_day_of_a_pair_and_the_year_after_it(
    text: str, expected: list[tuple[str, str]]
) -> None:
    found = [(t.text, t.value) for t in find_times_in_text(text, "2026-03-01")]
    assert found == expected


WEEK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@pytest.mark.parametrize("anchor_day", range(7))
@pytest.mark.parametrize("named", range(7))
def test_last_weekday_is_that_day_of_the_week_before(anchor_day: int, named: int) -> None:
    from storydesk.analyze.times.dates import weekday

    anchor = date(2025, 11, 3 + anchor_day)  # Monday 3 November 2025 onwards
    found = weekday(named, anchor, None, "last")
    assert found is not None and found.weekday() == named
    assert found.isocalendar()[1] == anchor.isocalendar()[1] - 1  # the week before
    assert 1 <= (anchor - found).days <= 13
    text = f"The deal was signed last {WEEK_DAYS[named]}."
    assert find_times_in_text(text, anchor.isoformat())[0].value == found.isoformat()
    this = weekday(named, anchor, None, "this")
    assert this is not None and this.isocalendar()[1] == anchor.isocalendar()[1]
    ahead = weekday(named, anchor, None, "next")
    assert ahead is not None and 1 <= (ahead - anchor).days <= 7 and ahead.weekday() == named
    past = weekday(named, anchor, "past", None)
    assert past is not None and 0 <= (anchor - past).days <= 6 and past.weekday() == named


def test_last_weekday_on_a_wednesday_is_eight_days_back() -> None:
    found = find_times_in_text("He had surgery last Tuesday and sat out last Sunday.", "2011-01-05")
    assert [t.value for t in found] == ["2010-12-28", "2011-01-02"]


def test_parts_of_days_keep_their_date(nlp: Any) -> None:
    from storydesk.dossier.timeline import day_and_part

    found = times(nlp, "The ferry hit a barge on Thursday night.", "2026-03-13")
    assert found["Thursday night"] == ("TIME", "2026-03-12TNI")
    assert day_and_part("2026-03-12TNI") == ("2026-03-12", "night")
    assert day_and_part("2026-03-13TEV") == ("2026-03-13", "evening")
    assert day_and_part("2026-03-16T04:00") == ("2026-03-16", "04:00")
    assert day_and_part("2026-03") == ("2026-03", "")
    assert day_and_part("P1D") == (None, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rents are high these days.", [("these days", "PRESENT_REF")]),
        ("Sales fell in past years.", [("past years", "PAST_REF")]),
        ("Losses will shrink in future quarters.", [("future quarters", "FUTURE_REF")]),
        ("She hopes to one day lead the party.", [("one day", "FUTURE_REF")]),
        ("The talks could take two to three weeks.", [("two", "P2W"), ("three weeks", "P3W")]),
        ("A ruling is expected within days.", [("within days", "PXD")]),
        ("The years to come will be hard.", [("The years to come", "PXY")]),
        ("Buses run every other week.", [("every other week", "P2W")]),
        ("The census is taken every ten years.", [("every ten years", "P10Y")]),
        ("Q4 2012 was strong; Q1 profit rose.", [("Q4 2012", "2012-Q4"), ("Q1", "2013-Q1")]),
        ("Profit rose in fiscal 2012.", [("fiscal 2012", "2012")]),
        ("He drives an Audi Q3.", []),
        ("Its Q2 sales fell.", [("Q2", "2013-Q2")]),
        ("The trial was cut to one day.", [("one day", "P1D")]),
        (
            "It lost money in the third quarter of fiscal 2012.",
            [("the third quarter of fiscal 2012", "2012-Q3")],
        ),
        ("Growth slowed in the final quarter.", [("the final quarter", "2012-Q4")]),
        (
            "Hiring rises in the second half of the year.",
            [("the second half of the year", "2013-H2")],
        ),
        (
            "Prices rose in the first half of last year.",
            [("the first half of last year", "2012-H1")],
        ),
        ("They met the day before yesterday.", [("the day before yesterday", "2013-06-10")]),
        ("The plant reopens in the fall.", [("the fall", "2013-FA")]),
        ("The fall of the regime came fast.", []),
        ("The vote is this coming Friday.", [("this coming Friday", "2013-06-14")]),
    ],
)
def test_general_temporal_patterns(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(t.text, t.value) for t in find_times_in_text(text, "2013-06-12")]  # a Wednesday
    assert found == expected


def test_last_month_name_just_gone_is_a_year_back() -> None:
    found = find_times_in_text("Two helicopters crashed last February.", "2013-03-04")
    assert [t.value for t in found] == ["2012-02"]
    found = find_times_in_text("The law passed last June.", "2013-11-04")
    assert [t.value for t in found] == ["2013-06"]


def test_days_read_off_the_day_the_story_last_named() -> None:
    text = "Trading on Friday, Oct. 27, opened at 9 a.m., after the previous Friday's gains."
    found = [(t.text, t.value) for t in find_times_in_text(text, "1989-10-30")]
    assert found == [
        ("Friday, Oct. 27", "1989-10-27"),
        ("9 a.m.", "1989-10-27T09:00"),
        ("the previous Friday", "1989-10-20"),
    ]
    assert find_times_in_text("It opened at 9 a.m.", "1989-10-30")[0].value == "1989-10-30T09:00"
    found = find_times_in_text("He was held on March 3 and freed the next morning.", "2013-03-10")
    assert [t.value for t in found] == ["2013-03-03", "2013-03-04TMO"]
    found = find_times_in_text("Talks began Monday, March 4.", "2012-12-20")  # Monday in 2013
    assert [t.value for t in found] == ["2013-03-04"]


def test_parts_and_neighbours_of_the_day_last_named() -> None:
    text = "He was arrested on March 3. That night he escaped. He had hidden the day before."
    found = [(t.text, t.value) for t in find_times_in_text(text, "2013-06-12")]
    assert found == [
        ("March 3", "2013-03-03"),
        ("That night", "2013-03-03TNI"),
        ("the day before", "2013-03-02"),
    ]
    assert [t.value for t in find_times_in_text("That night was cold.", "2013-06-12")] == [None]
    assert find_times_in_text("He left the day before the vote.", "2013-06-12") == ()


def test_halves_and_thousands_in_durations() -> None:
    found = [(t.text, t.value) for t in find_times_in_text("He served two and a half years.", None)]
    assert found == [("two and a half years", "P2Y6M")]
    found = [t.text for t in find_times_in_text("The temple was built 3,000 years ago.", None)]
    assert found == ["3,000 years ago"]
