"""Renderers: a dossier as terminal text, JSON, Markdown or HTML; every user-facing JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storydesk.render.formats import FORMATS, Format, Layout, render
from storydesk.render.html import render_html
from storydesk.render.jsonout import analysis_to_dict, dossier_to_dict, dumps, render_json
from storydesk.render.markdown import render_markdown

if TYPE_CHECKING:
    from storydesk.render.terminal import (
        dossier_renderables,
        print_dossier,
        render_terminal,
        stories_table,
    )

__all__ = [
    "FORMATS",
    "Format",
    "Layout",
    "analysis_to_dict",
    "dossier_renderables",
    "dossier_to_dict",
    "dumps",
    "print_dossier",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_terminal",
    "stories_table",
]

_TERMINAL = frozenset({"dossier_renderables", "print_dossier", "render_terminal", "stories_table"})


def __getattr__(name: str) -> Any:
    """The terminal renderers, imported with Rich on first use (the CLI starts without it)."""
    if name in _TERMINAL:
        from storydesk.render import terminal

        return getattr(terminal, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
