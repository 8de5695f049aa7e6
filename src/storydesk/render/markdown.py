"""A dossier as a Markdown document with footnote-style citations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from storydesk.model import ArticleRef, Dossier, Fact, Support
from storydesk.render.common import (
    SHOWN,
    all_supports,
    attribution_note,
    cite,
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
from storydesk.render.membership import membership_reason, membership_rows

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
_BULLET_START = re.compile(r"^([-+=#])")
_URL_SAFE = "/:?#[]@!$&'*+,;=%~-._"  # kept as they are in a link; the rest percent-encoded


def md_escape(text: str) -> str:
    """Article text made safe for inline Markdown: one line, special characters escaped."""
    flat = " ".join(text.split())
    out = _SPECIAL.sub(r"\\\1", flat)
    out = _ORDERED_START.sub(r"\1\\\2", out)
    return _BULLET_START.sub(r"\\\1", out)


def render_markdown(dossier: Dossier) -> str:
    """The whole dossier as one Markdown document."""
    refs = refs_by_id(dossier)
    parts = [
        _header(dossier),
        _sources(dossier, refs),
        *_membership(dossier),
        _brief(dossier),
        _facts(dossier),
        _conflicts(dossier),
        _quotes(dossier),
        _timeline(dossier),
        _entities(dossier),
        _coverage(dossier),
        _cited(dossier, refs),
    ]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def _cites(supports: Iterable[Support]) -> str:
    return " ".join(f"\\[{label}\\]" for label in cite_labels(supports))


def _cell(text: str | None) -> str:
    return md_escape(text) if text else "—"


def _outlet_cell(ref: ArticleRef) -> str:
    """The outlet, with how it was inferred when it was."""
    note = outlet_note(ref)
    return _cell(ref.outlet) + (f" ({md_escape(note)})" if note else "")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _link(title: str, url: str | None) -> str:
    """The title linked to its page when the URL is http(s); any other scheme is not linked."""
    text = md_escape(title) or "(untitled)"
    if url and url.lower().startswith(("http://", "https://")):
        return f"[{text}]({safe_url(url)})"
    return text


def safe_url(url: str) -> str:
    """A URL percent-encoded so that it cannot end a Markdown link or carry markup."""
    return quote(url, safe=_URL_SAFE)


def _code(text: str) -> str:
    clean = " ".join(text.replace("`", "'").split()).replace("|", "\\|")
    return f"`{clean}`" if clean else "—"


def _section(title: str, body: str, empty: str) -> str:
    return f"## {title}\n\n{body if body else '*' + empty + '*'}\n"


def _header(d: Dossier) -> str:
    return (
        f"# {md_escape(d.headline) or 'Untitled story'}\n\n{md_escape(story_line(d))}\n\n"
        "Citations read *\\[article.sentence\\]*: \\[2.3\\] is sentence 3 of article 2; "
        "the cited sentences are quoted at the end.\n"
    )


def _sources(d: Dossier, refs: Mapping[int, ArticleRef]) -> str:
    rows = [
        [
            str(a.id),
            _outlet_cell(a),
            _link(a.title, a.url),
            _cell(a.byline),
            _cell(a.published),
            md_escape(lineage_text(a, refs)),
            _code(a.source),
        ]
        for a in d.articles
    ]
    header = ["#", "Outlet", "Title", "Byline", "Published", "Lineage", "Source"]
    return _section("Sources", _table(header, rows) if rows else "", "no articles")


def _membership(d: Dossier) -> list[str]:
    """A "Why these articles" section (none when nothing was recorded)."""
    rows = [
        [
            str(aid),
            f"{m.score:.2f}",
            md_escape(membership_reason(m)),
            md_escape(", ".join(m.shared_entities)) or "—",
            md_escape(", ".join(m.shared_terms)) or "—",
        ]
        for aid, m in membership_rows(d)
    ]
    if not rows:
        return []
    header = ["#", "Score", "Why", "Shared entities", "Shared terms"]
    return [_section("Why these articles", _table(header, rows), "")]


def _brief(d: Dossier) -> str:
    lines = [
        f"{i}. {md_escape(b.text)} {_cites(b.support)}".rstrip() for i, b in enumerate(d.brief, 1)
    ]
    return _section("Brief", "\n".join(lines), "no brief")


def _attributed(fact: Fact) -> str:
    """A fact's text, and whom its sentences attribute it to."""
    said = attribution_note(fact)
    return f"{fact.text} — {said}" if said else fact.text


def _facts(d: Dossier) -> str:
    blocks: list[str] = []
    for status, indices in facts_by_status(d, SHOWN):
        rows = [
            [
                f"F{i + 1}",
                md_escape(_attributed(d.facts[i])),
                str(d.facts[i].independent_sources),
                md_escape(", ".join(d.facts[i].outlets)) or "—",
                _cites(d.facts[i].support) or "—",
            ]
            for i in indices
        ]
        header = ["#", "Fact", "Independent sources", "Outlets", "Citations"]
        blocks.append(f"### {status.capitalize()} ({len(indices)})\n\n" + _table(header, rows))
    rest = more(len(d.facts), SHOWN, "facts")
    blocks += [rest] if rest else []
    return _section("Facts", "\n\n".join(blocks), "no facts")


def _conflicts(d: Dossier) -> str:
    blocks: list[str] = []
    for c in d.conflicts:
        lines = [f"### {md_escape(c.kind.capitalize())}: {md_escape(c.description)}", ""]
        for v in c.variants:
            lines.append(f"- **{md_escape(v.value)}** {_cites(v.support)}".rstrip())
        blocks.append("\n".join(lines))
    return _section("Conflicts", "\n\n".join(blocks), "no conflicts found")


def _quotes(d: Dossier) -> str:
    blocks: list[str] = []
    for speaker, quotes in quotes_by_speaker(d, SHOWN):
        lines = [f"### {md_escape(speaker) if speaker else 'No named speaker'}"]
        for q in quotes:
            carried = md_escape(", ".join(q.outlets)) or "unknown outlet"
            lines += ["", f"> {md_escape(q.text)}", ">", f"> — {carried} {_cites(q.support)}"]
            if q.unnamed:
                lines += [">", f"> *said by* {md_escape(q.unnamed)}"]
            for v in q.variants:
                lines += [">", f"> *also:* {md_escape(v)}"]
            if len(q.speakers) > 1:
                lines += [">", f"> *speakers differ:* {md_escape(', '.join(q.speakers))}"]
            if q.part_of:
                lines += [">", f"> *fragment of:* {md_escape(q.part_of)}"]
        blocks.append("\n".join(line.rstrip() for line in lines))
    rest = more(len(d.quotes), SHOWN, "quotes")
    blocks += [rest] if rest else []
    return _section("Quote book", "\n\n".join(blocks), "no quotes")


def _timeline(d: Dossier) -> str:
    rows = [
        [
            md_escape(when(t)) + (" *(background)*" if t.background else ""),
            md_escape(t.title or "—"),
            md_escape(t.label),
            md_escape(t.text),
            _cites(t.support) or "—",
        ]
        for t in d.timeline
    ]
    header = ["Date", "Event", "As written", "Sentence", "Citations"]
    return _section("Timeline", _table(header, rows) if rows else "", "no dates")


def _entities(d: Dossier) -> str:
    rows = [
        [
            md_escape(e.name),
            md_escape(e.label),
            md_escape("; ".join(e.roles)) or "—",
            md_escape(", ".join(e.aliases)) or "—",
            ", ".join(str(a) for a in e.articles) or "—",
            str(e.mentions),
        ]
        for e in d.entities
    ]
    header = ["Name", "Type", "Roles", "Also called", "Articles", "Mentions"]
    return _section("Who's who", _table(header, rows) if rows else "", "no entities")


def _coverage(d: Dossier) -> str:
    cov = d.coverage
    if not cov.outlets or not cov.matrix:
        return _section("Coverage", "", "no coverage data")
    header = ["Fact", *(md_escape(o) for o in cov.outlets)]
    rows = [
        [f"F{fact + 1}", *("✓" if o in carried else "" for o in cov.outlets)]
        for fact, carried in cov.matrix
    ]
    body = _table(header, rows)
    if cov.exclusives:
        lines = [
            f"- **{md_escape(outlet)}**: " + ", ".join(f"F{f + 1}" for f in facts)
            for outlet, facts in cov.exclusives
            if facts
        ]
        if lines:
            head = "Reported by one outlet only (an article of unknown outlet counts alone):"
            body += f"\n\n{head}\n\n" + "\n".join(lines)
    if cov.omissions:
        lines = [
            f"- **{md_escape(outlet)}**: " + ", ".join(f"F{f + 1}" for f in facts)
            for outlet, facts in cov.omissions
        ]
        body += "\n\nCarried by every other outlet, left out by one:\n\n" + "\n".join(lines)
    return _section("Coverage", body, "no coverage data")


def _cited(d: Dossier, refs: Mapping[int, ArticleRef]) -> str:
    lines = [
        f"- **\\[{cite(s)}\\]** {md_escape(outlet_name(refs.get(s.article)))}: {md_escape(s.text)}"
        for s in all_supports(d)
    ]
    return _section("Cited sentences", "\n".join(lines), "nothing cited")
