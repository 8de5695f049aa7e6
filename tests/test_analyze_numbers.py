"""Number words: one table (text.numbers), read the same way by every stage that spells numbers."""

from __future__ import annotations

from storydesk.analyze.finders.numbers import number_value
from storydesk.analyze.times.dates import count, duration
from storydesk.analyze.times.find import find_times_in_text
from storydesk.text.features import content_words
from storydesk.text.numbers import NUMBER_WORDS, SCALES, TEENS, TENS, UNITS


def test_one_table_of_number_words() -> None:
    assert [*NUMBER_WORDS] == ["zero", *UNITS, *TEENS, *TENS, "hundred", "dozen"]
    assert [NUMBER_WORDS[w] for w in ("zero", "nine", "ten", "nineteen", "twenty", "ninety")] == [
        0, 9, 10, 19, 20, 90
    ]  # fmt: skip
    assert NUMBER_WORDS["dozen"] == 12 and NUMBER_WORDS["hundred"] == SCALES["hundred"] == 100


def test_durations_count_in_number_words() -> None:
    assert count("twenty-five") == 25
    assert count("a couple of") == 2
    assert count("two thousand five hundred") == 2500
    assert count("zero") is None and count("dozen") is None  # not counts of a duration
    assert duration("twelve", "months") == "P12M"


def test_quantities_read_number_words_and_scales() -> None:
    assert number_value("a dozen") == 12
    assert number_value("two hundred") == 200
    assert number_value("forty-two thousand") == 42_000
    assert number_value("half") == 0.5


def test_features_and_spelled_years_read_the_same_words() -> None:
    assert content_words("twelve dozen") == ["12", "12"]
    times = find_times_in_text("Born in nineteen ninety-six, hired two thousand seventeen.", None)
    assert [t.value for t in times] == ["1996", "2017"]
