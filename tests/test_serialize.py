"""The store's one JSON path: every field shape survives dumps/loads."""

from __future__ import annotations

from dataclasses import dataclass

from storydesk.model import FactStatus
from storydesk.serialize import dumps, loads


@dataclass(frozen=True)
class Inner:
    name: str
    status: FactStatus


@dataclass(frozen=True)
class Outer:
    items: tuple[Inner, ...]
    pair: tuple[int, str]
    tags: frozenset[str]
    maybe: Inner | None
    plain: int | None = None
    added_later: str = "default"


def test_round_trip_of_every_shape() -> None:
    value = Outer(
        items=(Inner("a", FactStatus.CORROBORATED), Inner("b", FactStatus.SINGLE_SOURCE)),
        pair=(3, "x"),
        tags=frozenset({"z", "y"}),
        maybe=None,
        plain=7,
    )
    back = loads(Outer, dumps(value))
    assert back == value
    assert isinstance(back.items[0].status, FactStatus)
    assert isinstance(back.tags, frozenset)


def test_a_field_missing_from_older_json_takes_its_default() -> None:
    text = (
        '{"items": [], "pair": [1, "y"], "tags": [],'
        ' "maybe": {"name": "n", "status": "conflicting"}}'
    )
    back = loads(Outer, text)
    assert back.added_later == "default" and back.plain is None
    assert back.maybe == Inner("n", FactStatus.CONFLICTING)
