"""A dossier as Rich renderables, for the terminal or a string.

Article text never goes through Rich markup: it is wrapped in ``Text`` objects (or escaped),
so a sentence holding "[bold]" prints literally.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from storydesk.model import Dossier, Support
from storydesk.render.common import (
    SHOWN,
    StoryListing,
    attribution_note,
    cite_labels,
    facts_by_status,
    lineage_text,
    more,
    outlet_name,
    outlet_note,
    quotes_by_speaker,
    refs_by_id,
    story_line,
    when,
)
from storydesk.render.membership import membership_reason, membership_rows, shared_text

STATUS_STYLE = {"corroborated": "green", "single-source": "yellow", "conflicting": "red"}
CITE_STYLE = "cyan"


def render_terminal(dossier: Dossier, width: int = 100, force_terminal: bool = False) -> str:
    """The dossier as the terminal would show it, captured into a string."""
    return captured(dossier_renderables(dossier), width, force_terminal)


def captured(parts: Iterable[RenderableType], width: int, force_terminal: bool = False) -> str:
    """Rich renderables printed as the terminal would show them, captured into a string."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=force_terminal,
        color_system="standard" if force_terminal else None,
        highlight=False,
        emoji=False,
    )
    for part in parts:
        console.print(part)
    return buffer.getvalue()


def print_dossier(dossier: Dossier, console: Console) -> None:
    """Print every section of the dossier to a Rich console."""
    for renderable in dossier_renderables(dossier):
        console.print(renderable)


def dossier_renderables(dossier: Dossier) -> list[RenderableType]:
    """The dossier's sections as Rich renderables, in display order."""
    return [
        _header(dossier),
        _sources(dossier),
        *_membership(dossier),
        _brief(dossier),
        _facts(dossier),
        _conflicts(dossier),
        _quotes(dossier),
        _timeline(dossier),
        _entities(dossier),
        _coverage(dossier),
    ]


def stories_table(rows: Sequence[StoryListing]) -> Table:
    """A Rich table of stories: id, title, article count, outlets."""
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    table.add_column("#", justify="right", style="bold")
    table.add_column("Story")
    table.add_column("Articles", justify="right")
    table.add_column("Outlets", style="dim")
    for r in rows:
        table.add_row(
            str(r.id), Text(r.title), str(len(r.articles)), Text(", ".join(r.outlets) or "—")
        )
    return table


def _cites(supports: Iterable[Support]) -> Text:
    labels = cite_labels(supports)
    return Text(" ".join(f"[{label}]" for label in labels), style=CITE_STYLE)


def _line(text: str, supports: Iterable[Support], style: str = "") -> Text:
    out = Text(text, style=style)
    cites = _cites(supports)
    if cites.plain:
        out.append(" ")
        out.append_text(cites)
    return out


def _title(name: str, count: int | None = None) -> Text:
    suffix = f" ({count})" if count is not None else ""
    return Text(name + suffix, style="bold")


def _empty(name: str, message: str) -> RenderableType:
    return Group(Text(""), _title(name), Text("  " + message, style="dim italic"))


def _section(name: str, body: RenderableType, count: int | None = None) -> RenderableType:
    return Group(Text(""), _title(name, count), body)


def _table(expand: bool = True) -> Table:
    """A table with a rule under its header and no outer edge."""
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=expand)


def _header(d: Dossier) -> RenderableType:
    info = Text(story_line(d), style="dim")
    headline = Text(d.headline or "Untitled story", style="bold")
    return Panel(Group(headline, info), border_style="blue", box=box.ROUNDED)


def _sources(d: Dossier) -> RenderableType:
    if not d.articles:
        return _empty("Sources", "no articles")
    refs = refs_by_id(d)
    table = _table()
    table.add_column("#", justify="right", style="bold", no_wrap=True)
    table.add_column("Outlet", ratio=2, overflow="fold")
    table.add_column("Title", ratio=4)
    table.add_column("Published", no_wrap=True)
    table.add_column("Lineage", ratio=4)
    notes: list[Text] = []  # how each inferred outlet was found, under the table
    for a in d.articles:
        title = Text(a.title or "(untitled)")
        if a.byline:
            title.append("\n" + a.byline, style="dim")
        lineage = lineage_text(a, refs)
        outlet = Text(outlet_name(a))
        if note := outlet_note(a):
            outlet.append(" (inferred)", style="dim italic")
            notes.append(Text(f"#{a.id} {outlet_name(a)}: {note}", style="dim italic"))
        table.add_row(
            str(a.id),
            outlet,
            title,
            Text(a.published or "—"),
            Text(lineage, style="dim" if lineage == "independent" else "magenta"),
        )
    return _section("Sources", Group(table, *notes), len(d.articles))


def _membership(d: Dossier) -> list[RenderableType]:
    """A "Why these articles" section (none when nothing was recorded)."""
    rows = membership_rows(d)
    if not rows:
        return []
    table = _table()
    table.add_column("#", justify="right", style="bold", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why", ratio=4)
    table.add_column("Shared", ratio=4, style="dim")
    for aid, m in rows:
        table.add_row(str(aid), f"{m.score:.2f}", Text(membership_reason(m)), Text(shared_text(m)))
    return [_section("Why these articles", table, len(rows))]


def _brief(d: Dossier) -> RenderableType:
    if not d.brief:
        return _empty("Brief", "no brief")
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="dim")
    table.add_column()
    for i, b in enumerate(d.brief, 1):
        table.add_row(f"{i}.", _line(b.text, b.support))
    return _section("Brief", table)


def _facts(d: Dossier) -> RenderableType:
    if not d.facts:
        return _empty("Facts", "no facts")
    parts: list[RenderableType] = []
    for status, indices in facts_by_status(d, SHOWN):
        style = STATUS_STYLE.get(status, "white")
        parts.append(Text(f"  {status} ({len(indices)})", style=f"bold {style}"))
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(style=style, no_wrap=True)
        table.add_column()
        for i in indices:
            f = d.facts[i]
            body = _line(f.text, f.support)
            said = attribution_note(f)
            if said:
                body.append("\n— " + said, style="italic")
            if f.outlets:
                body.append("\n" + ", ".join(f.outlets), style="dim")
            table.add_row(f"F{i + 1}", f"●{f.independent_sources}", body)
        parts.append(table)
    rest = more(len(d.facts), SHOWN, "facts")
    parts += [Text("  " + rest, style="dim")] if rest else []
    return _section("Facts", Group(*parts), len(d.facts))


def _conflicts(d: Dossier) -> RenderableType:
    if not d.conflicts:
        return _empty("Conflicts", "no conflicts found")
    parts: list[RenderableType] = []
    for c in d.conflicts:
        head = Text("  ")
        head.append(c.kind, style="bold red")
        head.append(": " + c.description)
        parts.append(head)
        for v in c.variants:
            line = Text("    • ")
            line.append_text(_line(v.value, v.support, style="bold"))
            parts.append(line)
    return _section("Conflicts", Group(*parts), len(d.conflicts))


def _quotes(d: Dossier) -> RenderableType:
    if not d.quotes:
        return _empty("Quotes", "no quotes")
    parts: list[RenderableType] = []
    for speaker, quotes in quotes_by_speaker(d, SHOWN):
        parts.append(Text("  " + (speaker or "No named speaker"), style="bold"))
        for q in quotes:
            parts.append(Text("    " + q.text, style="italic"))
            if q.unnamed:
                parts.append(Text("      said by " + q.unnamed, style="dim"))
            carried = Text("      — " + (", ".join(q.outlets) or "unknown outlet"), style="dim")
            carried.append(" ")
            carried.append_text(_cites(q.support))
            parts.append(carried)
            for v in q.variants:
                parts.append(Text("      also: " + v, style="yellow"))
            if len(q.speakers) > 1:
                parts.append(Text("      speakers differ: " + ", ".join(q.speakers), style="red"))
            if q.part_of:
                parts.append(Text("      fragment of: " + q.part_of, style="dim"))
    rest = more(len(d.quotes), SHOWN, "quotes")
    parts += [Text("  " + rest, style="dim")] if rest else []
    return _section("Quotes", Group(*parts), len(d.quotes))


def _timeline(d: Dossier) -> RenderableType:
    if not d.timeline:
        return _empty("Timeline", "no dates")
    table = _table()
    table.add_column("Date", no_wrap=True)
    table.add_column("Event", ratio=2)
    table.add_column("Sentence", ratio=4)
    for t in d.timeline:
        style = "dim" if t.background else ""
        value = Text(when(t), style="bold" if not t.background else "dim")
        if t.background:
            value.append("\nbackground", style="dim italic")
        event = Text(t.title or t.label, style=style)
        event.append(f"\n{t.label}", style="dim italic")
        table.add_row(value, event, _line(t.text, t.support, style=style))
    return _section("Timeline", table, len(d.timeline))


def _entities(d: Dossier) -> RenderableType:
    if not d.entities:
        return _empty("Who's who", "no entities")
    table = _table()
    table.add_column("Name", ratio=2)
    table.add_column("Type", no_wrap=True)
    table.add_column("Roles", ratio=2)
    table.add_column("Also called", ratio=3)
    table.add_column("Articles", ratio=1)
    table.add_column("Mentions", justify="right", no_wrap=True)
    for e in d.entities:
        table.add_row(
            Text(e.name, style="bold"),
            Text(e.label),
            Text("; ".join(e.roles) or "—"),
            Text(", ".join(e.aliases) or "—", style="dim"),
            Text(", ".join(str(a) for a in e.articles) or "—"),
            str(e.mentions),
        )
    return _section("Who's who", table, len(d.entities))


def _coverage(d: Dossier) -> RenderableType:
    cov = d.coverage
    if not cov.outlets or not cov.matrix:
        return _empty("Coverage", "no coverage data")
    table = _table(expand=False)
    table.add_column("Fact", no_wrap=True)
    for outlet in cov.outlets:
        table.add_column(Text(outlet), justify="center", overflow="fold")
    for fact, carried in cov.matrix:
        table.add_row(f"F{fact + 1}", *("✓" if o in carried else "·" for o in cov.outlets))
    parts: list[RenderableType] = [table]
    for outlet, facts in cov.exclusives:
        if facts:
            line = Text("  only ")
            line.append(outlet, style="bold")
            line.append(": " + ", ".join(f"F{f + 1}" for f in facts))
            parts.append(line)
    for outlet, facts in cov.omissions:
        line = Text("  left out only by ")
        line.append(outlet, style="bold")
        line.append(": " + ", ".join(f"F{f + 1}" for f in facts))
        parts.append(line)
    return _section("Coverage", Group(*parts))
