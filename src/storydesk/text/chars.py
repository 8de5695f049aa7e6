"""Characters that are not text: lone surrogates (no character at all) and control characters."""

from __future__ import annotations

import re

from storydesk.errors import InputError

# A UTF-16 surrogate left alone (not one of a pair) is no character: UTF-8 cannot encode it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters that carry no text (tab, line breaks and form feeds are whitespace).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def check_text(text: str) -> str:
    """The text, unless it holds a lone surrogate (no character); InputError names where."""
    bad = _LONE_SURROGATE.search(text)
    if bad is not None:
        code = ord(bad.group())
        raise InputError(f"text holds a lone surrogate (U+{code:04X} at offset {bad.start()})")
    return text


def drop_controls(text: str) -> str:
    """The text without control characters (NUL, escape, C1 controls); whitespace is kept."""
    return _CONTROL_CHARS.sub("", text)
