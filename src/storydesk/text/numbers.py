"""Number words and their values: the one table that every stage reads spelled numbers from."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

UNITS: Mapping[str, int] = MappingProxyType({
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
})  # fmt: skip
TEENS: Mapping[str, int] = MappingProxyType({
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
})  # fmt: skip
TENS: Mapping[str, int] = MappingProxyType({
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
})  # fmt: skip
SCALES: Mapping[str, int] = MappingProxyType({
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
})  # fmt: skip
# Every number word a text may mean a count by, in this order (regexes alternate over it).
NUMBER_WORDS: Mapping[str, int] = MappingProxyType(
    {"zero": 0, **UNITS, **TEENS, **TENS, "hundred": SCALES["hundred"], "dozen": 12}
)
