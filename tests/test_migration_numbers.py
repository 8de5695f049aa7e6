"""Shipped migrations: one file per number, so no two changes can claim the same step."""

from __future__ import annotations

from collections import Counter

from storydesk.store.migrate import available


def test_every_migration_number_is_used_once() -> None:
    numbers = Counter(number for number, _, _ in available())
    assert numbers, "no migrations found"
    assert [n for n, c in numbers.items() if c > 1] == []
    assert min(numbers) == 1
