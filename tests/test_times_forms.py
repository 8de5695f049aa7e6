"""Time forms added for issue 21: halves, "from now", fiscal and quarter phrases, anaphora."""

from __future__ import annotations

from storydesk.analyze.times.find import find_times_in_text

FRIDAY = "2025-11-07"  # ISO week 2025-W45


def values(text: str, published: str | None = FRIDAY) -> dict[str, tuple[str, str | None]]:
    """Text → (type, value) of every time expression found, without a parse."""
    return {t.text: (str(t.type), t.value) for t in find_times_in_text(text, published)}


def test_half_of_one_unit_is_that_length() -> None:
    found = values("It took half an hour, then a half-hour more and half a year in all.")
    assert found["half an hour"] == ("DURATION", "PT30M")
    assert found["a half-hour"] == ("DURATION", "PT30M")
    assert found["half a year"] == ("DURATION", "P6M")


def test_units_from_now_are_dates_ahead_of_publication() -> None:
    found = values("Two years from now the plant opens; a week from today the vote is held.")
    assert found["Two years from now"] == ("DATE", "2027")
    assert found["a week from today"] == ("DATE", "2025-W46")
    assert values("Some years from now it may work.")["Some years from now"][1] == "FUTURE_REF"


def test_fiscal_years_named_by_their_neighbour() -> None:
    found = values("Sales will grow next fiscal year after falling in the prior fiscal year.")
    assert found["next fiscal year"] == ("DATE", "2026")
    assert found["the prior fiscal year"] == ("DATE", "2024")


def test_a_numbered_quarter_of_a_relative_year() -> None:
    found = values(
        "Profit rose in the third quarter of last year and will in the first quarter of next year."
    )
    assert found["the third quarter of last year"] == ("DATE", "2024-Q3")
    assert found["the first quarter of next year"] == ("DATE", "2026-Q1")


def test_this_past_week_is_the_week_gone_by() -> None:
    found = values("Talks stalled this past week and resumed this past weekend.")
    assert found["this past week"] == ("DATE", "2025-W44")
    assert found["this past weekend"] == ("DATE", "2025-W44-WE")


def test_anaphoric_units_read_off_the_last_day_or_else_publication() -> None:
    found = values("Talks began Oct. 13, 2025. The following week they broke down.")
    assert found["The following week"] == ("DATE", "2025-W43")
    found = values("Prices rose the previous month, and the prior year they fell.")
    assert found["the previous month"] == ("DATE", "2025-10")
    assert found["the prior year"] == ("DATE", "2024")
    assert values("Nobody knew that year.")["that year"] == ("DATE", None)


def test_lengths_made_adjectives() -> None:
    found = values("After a two-day-long meeting and a decades-long feud, a week-long strike.")
    assert found["two-day-long"] == ("DURATION", "P2D")
    assert found["decades-long"] == ("DURATION", "PXY")
    assert found["week-long"] == ("DURATION", "P1W")


def test_vague_decades_are_written_in_years() -> None:
    assert values("The feud lasted several decades.")["several decades"] == ("DURATION", "PXY")
    assert values("The feud lasted two decades.")["two decades"] == ("DURATION", "P20Y")


def test_a_clock_time_on_yesterday_today_or_tomorrow() -> None:
    found = values("Polls closed at 3 p.m. yesterday and reopen 9 a.m. tomorrow.")
    assert found["3 p.m. yesterday"] == ("TIME", "2025-11-06T15:00")
    assert found["9 a.m. tomorrow"] == ("TIME", "2025-11-08T09:00")


def test_a_week_inside_a_month_is_that_month() -> None:
    found = values("Shipments slowed in the last week of March 2025.")
    assert found["the last week of March 2025"] == ("DATE", "2025-03")
    assert "last week" not in values("Shipments slowed in the last week of March.")


def test_today_as_present_day_is_not_a_date() -> None:
    assert values("Jobs matter in today's world and to today's young students.") == {}
    assert values("It will shape the leaders of tomorrow.") == {}
    assert values("Today's vote was close.")["Today"] == ("DATE", "2025-11-07")
    assert values("He leaves tomorrow.")["tomorrow"] == ("DATE", "2025-11-08")
    assert values("The agenda of tomorrow's meeting")["tomorrow"] == ("DATE", "2025-11-08")


def test_a_plural_part_of_the_day_makes_both_weekdays_a_set() -> None:
    found = values("Flights leave on Monday and Tuesday nights.")
    assert found["Monday"] == ("SET", "XXXX-WXX-1TNI")
    assert found["Tuesday nights"] == ("SET", "XXXX-WXX-2TNI")
    assert values("They met Monday and Tuesday.")["Monday"][0] == "DATE"
