"""A comparison of two articles (``storydesk compare``): JSON, and the terminal's side-by-side view.

The JSON follows the dossier's conventions: articles as in ``show --format json``, and every
item that states something carries ``support`` (``{"article", "sentence", "text"}``). Article
text never goes through Rich markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storydesk.model import ArticleRef, Conflict, Support
from storydesk.model_compare import ComparedPair, Comparison
from storydesk.render.common import cite
from storydesk.render.jsonout import dumps, record_json

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

SIDES = ("A", "B")


# ---------------------------------------------------------------- JSON


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """The ``compare --format json`` object: articles, pairs, what each has alone, conflicts."""
    return {
        "articles": [
            {"side": side, **record_json(r)}
            for side, r in zip(SIDES, c.articles, strict=False)  # none before refs are added
        ],
        "pairs": [_pair(p) for p in c.pairs],
        "only_a": [_alone(s) for s in c.only_a],
        "only_b": [_alone(s) for s in c.only_b],
        "conflicts": [_conflict(x) for x in c.conflicts],
        "note": c.note or None,
    }


def render_comparison_json(c: Comparison) -> str:
    """The comparison as indented JSON text."""
    return dumps(comparison_to_dict(c))


def _pair(p: ComparedPair) -> dict[str, Any]:
    return {
        "a": p.a.sentence,
        "b": p.b.sentence,
        "score": p.score,
        "same": p.same,
        "support": [record_json(p.a), record_json(p.b)],
    }


def _alone(s: Support) -> dict[str, Any]:
    return {"sentence": s.sentence, "text": s.text, "support": [record_json(s)]}


def _conflict(x: Conflict) -> dict[str, Any]:
    """A conflict as the dossier writes one; the same pairs it concerns (indices into
    ``pairs``) in place of the dossier's facts."""
    return {
        "kind": x.kind,
        "description": x.description,
        "pairs": list(x.facts),
        "variants": [record_json(v) for v in x.variants],
        "support": [record_json(s) for s in x.support],
    }


# ---------------------------------------------------------------- terminal


def render_comparison_terminal(
    c: Comparison, width: int = 120, force_terminal: bool = False
) -> str:
    """The terminal view captured into a string."""
    from storydesk.render.terminal import captured

    return captured(comparison_renderables(c), width, force_terminal)


def print_comparison(c: Comparison, console: Console) -> None:
    """Print the comparison to a Rich console: header, the pairs side by side, the rest."""
    for part in comparison_renderables(c):
        console.print(part)


def comparison_renderables(c: Comparison) -> list[RenderableType]:
    """The comparison's sections as Rich renderables, in display order."""
    from rich.text import Text

    parts: list[RenderableType] = [_header(c), _pairs(c)]
    for side, alone in zip(SIDES, (c.only_a, c.only_b), strict=True):
        parts.append(_alone_section(side, alone))
    parts.append(_conflicts(c))
    if c.note:
        parts.append(Text(f"note: {c.note}", style="dim"))
    return parts


def _ref_line(side: str, ref: ArticleRef | None) -> RenderableType:
    from rich.text import Text

    line = Text(f"{side}  ", style="bold")
    if ref is None:
        return line
    line.append(f"[{ref.id}] ", style="cyan")
    line.append(ref.title or "(untitled)", style="bold")
    details = [ref.outlet or "unknown outlet", ref.published or "date unknown", ref.source]
    if ref.derived_from:
        details.append("derived from " + ", ".join(str(i) for i in ref.derived_from))
    line.append("\n   " + " · ".join(details), style="dim")
    return line


def _header(c: Comparison) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    refs = list(c.articles) + [None] * (2 - len(c.articles))
    same = sum(p.same for p in c.pairs)
    counts = Text(
        f"{same} fact(s) stated by both · {len(c.only_a)} only in A · {len(c.only_b)} only in B"
        f" · {len(c.conflicts)} conflict(s)"
    )
    lines = [_ref_line(side, r) for side, r in zip(SIDES, refs, strict=True)]
    return Group(*lines, counts, Text(""))


def _pairs(c: Comparison) -> RenderableType:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="Same facts, side by side", box=box.SIMPLE_HEAD, expand=True, title_justify="left"
    )
    table.add_column("A", ratio=1)
    table.add_column("score", justify="center", no_wrap=True)
    table.add_column("B", ratio=1)
    for p in c.pairs:
        score = Text(f"{p.score:.2f}", style="green" if p.same else "dim")
        if not p.same:
            score.append("\nnot same", style="dim")
        style = "" if p.same else "dim"
        table.add_row(_cited(p.a, style), score, _cited(p.b, style))
    if not c.pairs:
        table.add_row(Text("no sentence of A states what one of B states", style="dim"), "", "")
    return table


def _cited(s: Support, style: str = "") -> Text:
    from rich.text import Text

    out = Text(f"[{cite(s)}] ", style="cyan")
    out.append(s.text, style=style)
    return out


def _alone_section(side: str, alone: tuple[Support, ...]) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text(f"Only in {side}", style="bold")
    if not alone:
        return Group(head, Text("  nothing", style="dim"), Text(""))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="cyan")  # the citation, so wrapped text hangs
    grid.add_column()
    for s in alone:
        grid.add_row(f"  [{cite(s)}]", Text(s.text))
    return Group(head, grid, Text(""))


def _conflicts(c: Comparison) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    head = Text("Conflicts", style="bold")
    if not c.conflicts:
        return Group(head, Text("  no conflicts found", style="dim"))
    lines: list[RenderableType] = [head]
    for x in c.conflicts:
        line = Text("  ")
        line.append(str(x.kind), style="bold red")
        line.append(": " + x.description)
        lines.append(line)
        for v in x.variants:
            item = Text("    • ")
            item.append(v.value, style="bold")
            item.append(" " + " ".join(f"[{cite(s)}]" for s in v.support), style="cyan")
            lines.append(item)
    return Group(*lines)
