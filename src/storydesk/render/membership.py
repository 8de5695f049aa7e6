"""Why each article is in its story: the membership explanations every renderer shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

from storydesk.model import Assignment, Dossier

if TYPE_CHECKING:
    from rich.console import RenderableType


def memberships(dossier: Dossier) -> dict[int, Assignment]:
    """The membership explanation of each article of the dossier, by article id."""
    return {m.article: m for m in dossier.membership}


def membership_rows(dossier: Dossier) -> list[tuple[int, Assignment]]:
    """(article id, explanation) in the dossier's article order, articles without one left out."""
    found = memberships(dossier)
    return [(a.id, found[a.id]) for a in dossier.articles if a.id in found]


def membership_reason(m: Assignment) -> str:
    """The one-line reason, or what the score alone says when none was recorded."""
    if m.reason:
        return m.reason
    return "opened the story" if m.story is None else f"joined with score {m.score:.2f}"


def shared_text(m: Assignment) -> str:
    """Shared entities and terms as one line ("entities: a, b; terms: c, d")."""
    entities = ", ".join(m.shared_entities) or "none"
    terms = ", ".join(m.shared_terms) or "none"
    return f"entities: {entities}; terms: {terms}"


def membership_json(m: Assignment | None) -> dict[str, Any] | None:
    """One explanation as the JSON object of ``show --format json`` (None when absent)."""
    if m is None:
        return None
    return {
        "score": m.score,
        "shared_entities": list(m.shared_entities),
        "shared_terms": list(m.shared_terms),
        "candidates": m.candidates,
        "reason": m.reason,
    }


def with_membership(article: Mapping[str, Any], m: Assignment | None) -> dict[str, Any]:
    """An article's JSON object with its ``membership`` key added."""
    return {**article, "membership": membership_json(m)}


def membership_markdown(dossier: Dossier, md_escape: Callable[[str], str]) -> list[str]:
    """A "Why these articles" Markdown section (none when nothing was recorded)."""
    rows = membership_rows(dossier)
    if not rows:
        return []
    lines = [
        "## Why these articles\n",
        "| # | Score | Why | Shared entities | Shared terms |",
        "|---|---|---|---|---|",
    ]
    for aid, m in rows:
        cells = [
            str(aid),
            f"{m.score:.2f}",
            md_escape(membership_reason(m)),
            md_escape(", ".join(m.shared_entities)) or "—",
            md_escape(", ".join(m.shared_terms)) or "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return ["\n".join(lines) + "\n"]


def membership_html(dossier: Dossier) -> list[str]:
    """A "Why these articles" HTML section, every text escaped (none when nothing recorded)."""
    rows = membership_rows(dossier)
    if not rows:
        return []
    out = [
        '<h2>Why these articles</h2><table class="membership"><tr><th>#</th><th>Score</th>'
        "<th>Why</th><th>Shared entities</th><th>Shared terms</th></tr>"
    ]
    for aid, m in rows:
        out.append(
            f"<tr><td>{aid}</td><td>{m.score:.2f}</td><td>{escape(membership_reason(m))}</td>"
            f"<td>{escape(', '.join(m.shared_entities))}</td>"
            f"<td>{escape(', '.join(m.shared_terms))}</td></tr>"
        )
    out.append("</table>")
    return out


def membership_renderables(dossier: Dossier) -> list[RenderableType]:
    """A "Why these articles" Rich section, text never read as markup (none when empty)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    rows = membership_rows(dossier)
    if not rows:
        return []
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("#", justify="right", style="bold", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why", ratio=4)
    table.add_column("Shared", ratio=4, style="dim")
    for aid, m in rows:
        table.add_row(str(aid), f"{m.score:.2f}", Text(membership_reason(m)), Text(shared_text(m)))
    title = Text(f"Why these articles ({len(rows)})", style="bold")
    return [Group(Text(""), title, table)]
