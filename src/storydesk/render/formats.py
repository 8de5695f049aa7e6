"""The output formats of a dossier: one table, name to renderer, read by render() and the CLI.

A new format is one module with a function from a dossier to text, and one entry below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from storydesk.model import Dossier
from storydesk.render.html import render_html
from storydesk.render.jsonout import render_json
from storydesk.render.markdown import render_markdown


@dataclass(frozen=True)
class Layout:
    """Where text is laid out: its width, and whether colour codes are written anyway."""

    width: int = 100
    force_terminal: bool = False
    section: str = "facts"  # the one section of a tabular format (csv)


@dataclass(frozen=True)
class Format:
    """One output format: its name, the media type it is served as, and its renderer."""

    name: str
    media_type: str
    render: Callable[[Dossier, Layout], str]
    # prints to the live terminal (its own width and colours) instead of echoing the text
    show: Callable[[Dossier], None] | None = None


def _any_layout(fn: Callable[[Dossier], str]) -> Callable[[Dossier, Layout], str]:
    """A renderer whose text does not depend on the layout."""
    return lambda dossier, _layout: fn(dossier)


def _terminal(dossier: Dossier, layout: Layout) -> str:
    """The terminal text captured into a string (Rich imported on first use)."""
    from storydesk.render.terminal import render_terminal

    return render_terminal(dossier, width=layout.width, force_terminal=layout.force_terminal)


def _csv(dossier: Dossier, layout: Layout) -> str:
    """One section of the dossier (``layout.section``) as CSV."""
    from storydesk.render.csvout import render_csv

    return render_csv(dossier, layout.section)


def _show_terminal(dossier: Dossier) -> None:
    """The dossier printed to the live terminal."""
    from rich.console import Console

    from storydesk.render.terminal import print_dossier

    print_dossier(dossier, Console())


FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        f.name: f
        for f in (
            Format("terminal", "text/plain", _terminal, show=_show_terminal),
            Format("json", "application/json", _any_layout(render_json)),
            Format("md", "text/markdown", _any_layout(render_markdown)),
            Format("html", "text/html", _any_layout(render_html)),
            Format("csv", "text/csv", _csv),
        )
    }
)


def render(dossier: Dossier, fmt: str, *, width: int = 100, force_terminal: bool = False) -> str:
    """The dossier in one of the FORMATS (ValueError for a name not in the table)."""
    found = FORMATS.get(fmt)
    if found is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return found.render(dossier, Layout(width, force_terminal))
