"""JSON Lines records: one article's text (or HTML) and hint fields, parsed from one line."""

from __future__ import annotations

import json

from storydesk.errors import InputError
from storydesk.text.chars import check_text

HINT_FIELDS = ("title", "url", "outlet", "published", "byline")


def parse_record(content: bytes) -> dict[str, str]:
    """The record's string fields (text or html, plus hint fields); InputError says why not."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = content[exc.start]
        raise InputError(f"not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start})") from None
    try:
        value = json.loads(text, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise InputError("invalid JSON: arrays or objects nested too deeply") from None
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object, got {_type_name(value)}")
    fields: dict[str, str] = {}
    for key in ("text", "html", *HINT_FIELDS):
        item = value.get(key)
        if item is None:
            continue
        if not isinstance(item, str):
            raise InputError(f"field '{key}' must be a string, got {_type_name(item)}")
        if item.strip():
            try:
                check_text(item)
            except InputError as exc:
                raise InputError(f"field '{key}': {exc}") from None
            fields[key] = item.strip() if key != "text" else item
    if "text" not in fields and "html" not in fields:
        if "text" in value or "html" in value:
            raise InputError("field 'text' (or 'html') is empty")
        raise InputError("record has no 'text' field (nor an 'html' one)")
    return fields


def _number(digits: str) -> int | float:
    """A JSON integer; one past Python's digit limit for int() (4,300) becomes a float."""
    try:
        return int(digits)
    except ValueError:
        return float(digits)


def _type_name(value: object) -> str:
    """The JSON name of a decoded value's type."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__
