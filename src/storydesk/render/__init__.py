"""Renderers: a dossier as terminal text, JSON, Markdown or HTML."""

from __future__ import annotations

from storydesk.model import Dossier
from storydesk.render.html import render_html
from storydesk.render.jsonout import dossier_to_dict, render_json
from storydesk.render.markdown import render_markdown
from storydesk.render.terminal import (
    dossier_renderables,
    print_dossier,
    render_terminal,
    stories_table,
)

FORMATS = ("terminal", "json", "md", "html")

__all__ = [
    "FORMATS",
    "dossier_renderables",
    "dossier_to_dict",
    "print_dossier",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_terminal",
    "stories_table",
]


def render(dossier: Dossier, fmt: str, *, width: int = 100, force_terminal: bool = False) -> str:
    """The dossier in one format: "terminal", "json", "md" or "html" (ValueError for others)."""
    if fmt == "json":
        return render_json(dossier)
    if fmt == "md":
        return render_markdown(dossier)
    if fmt == "html":
        return render_html(dossier)
    if fmt == "terminal":
        return render_terminal(dossier, width=width, force_terminal=force_terminal)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
