"""Frozen dataclasses to JSON and back, driven by their type hints: the store's one JSON path."""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """A dataclass (or container of them) as plain JSON-ready values."""
    tp: Any = type(obj)
    if tp is str or tp is int or obj is None:
        return obj
    names = _field_names(tp)
    if names is not None:
        return {name: to_dict(getattr(obj, name)) for name in names}
    if isinstance(obj, (tuple, list)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, frozenset):
        return sorted(to_dict(v) for v in obj)
    return obj


@functools.cache
def _field_names(tp: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, None for any other type (a pure memo)."""
    if dataclasses.is_dataclass(tp):
        return tuple(f.name for f in dataclasses.fields(tp))
    return None


def dumps(obj: Any) -> str:
    """A dataclass (or container of them) as compact JSON text, non-ASCII kept as is."""
    return json.dumps(to_dict(obj), ensure_ascii=False)


def loads(cls: type[T], text: str) -> T:
    """The dataclass of type ``cls`` that :func:`dumps` wrote."""
    return from_dict(cls, json.loads(text))


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass of type ``cls`` from what :func:`to_dict` made."""
    return typing.cast(T, _reader(typing.cast(Any, cls))(data))


Reader = Callable[[Any], Any]


@functools.cache
def _reader(tp: Any) -> Reader:
    """A function that rebuilds values of type ``tp`` (made once per type: a pure memo)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _reader(next(a for a in typing.get_args(tp) if a is not type(None)))
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _reader(args[0])
            return lambda data: tuple(item(v) for v in data)
        items = tuple(_reader(a) for a in args)
        return lambda data: tuple(f(v) for f, v in zip(items, data, strict=True))
    if origin is frozenset:
        member = _reader(typing.get_args(tp)[0])
        return lambda data: frozenset(member(v) for v in data)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        fields = tuple((f.name, _reader(hints[f.name])) for f in dataclasses.fields(tp) if f.init)
        made = tp

        def build(data: Any) -> Any:
            return made(**{name: f(data[name]) for name, f in fields if name in data})

        return build
    return _same


def _same(data: Any) -> Any:
    return data
