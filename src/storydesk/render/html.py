"""A dossier as one self-contained HTML file: no external assets, all article text escaped.

Each brief sentence, fact, conflict variant, quote and timeline entry links to its cited
sentences: hovering shows them, clicking opens them in place and marks them in the list of
cited sentences at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from storydesk.model import Dossier, QuoteEntry, Support
from storydesk.render.common import (
    SHOWN,
    all_supports,
    attribution_note,
    cite,
    facts_by_status,
    lineage_text,
    more,
    outlet_name,
    outlet_note,
    refs_by_id,
    span,
    unique_supports,
    when,
)
from storydesk.render.membership import membership_reason, membership_rows

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;margin-top:2rem}
.meta{color:#666}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;
padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f6f6f6}
.claim{position:relative}.claim details{display:inline}.claim summary{display:inline;
cursor:pointer;color:#0645ad;list-style:none}.claim summary::-webkit-details-marker{display:none}
.tip{display:none;position:absolute;left:0;top:100%;z-index:5;background:#fffbe6;
border:1px solid #e0c96b;padding:.4rem .6rem;width:40rem;max-width:90vw;font-size:.9rem}
.claim:hover>.tip{display:block}.sources{margin:.3rem 0 .6rem 1.2rem;font-size:.9rem;
background:#f7f9fc;border-left:3px solid #9ab;padding:.3rem .6rem}
.status{font-size:.75rem;padding:0 .35rem;border-radius:.3rem;color:#fff}
.corroborated{background:#2e7d32}.single-source{background:#757575}.conflicting{background:#c62828}
.bg{color:#888}li.cited{scroll-margin-top:2rem}li.cited:target,li.cited.on{background:#fff3b0}
blockquote{margin:.4rem 0 .4rem 1rem;padding-left:.8rem;border-left:3px solid #ccc}
"""

_JS = """
document.addEventListener('click',function(e){var a=e.target.closest('[data-cites]');
if(!a)return;document.querySelectorAll('li.cited.on').forEach(function(x){
x.classList.remove('on')});a.getAttribute('data-cites').split(' ').forEach(function(id){
var x=document.getElementById(id);if(x)x.classList.add('on')});});
"""


def render_html(dossier: Dossier) -> str:
    """The whole dossier as a standalone HTML document."""
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(dossier.headline or f'Story {dossier.story_id}')}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(dossier.headline or f'Story {dossier.story_id}')}</h1>",
        f'<p class="meta">Story {dossier.story_id} · {len(dossier.articles)} articles · '
        f"{dossier.independent_sources} independent sources · {escape(span(dossier))}</p>",
    ]
    parts += _sources(dossier)
    parts += _membership(dossier)
    parts.append("<h2>Brief</h2><ol>")
    for b in dossier.brief:
        parts.append(f"<li>{claim(b.text, b.support, dossier)}</li>")
    parts.append("</ol>")
    parts += _facts(dossier)
    parts += _conflicts(dossier)
    parts += _quotes(dossier)
    parts += _timeline(dossier)
    parts += _entities(dossier)
    parts += _coverage(dossier)
    parts += _cited(dossier)
    parts.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(parts) + "\n"


def anchor(s: Support) -> str:
    """Element id of one cited sentence."""
    return f"s{s.article}-{s.sentence}"


def claim(text: str, support: Sequence[Support], dossier: Dossier) -> str:
    """Escaped text with its citations: a hover preview and a click-to-open list."""
    supports = unique_supports(support)
    refs = refs_by_id(dossier)
    ids = " ".join(anchor(s) for s in supports)
    rows = "".join(
        f"<div><b>[{cite(s)}]</b> {escape(outlet_name(refs.get(s.article)))}: "
        f"{escape(s.text)}</div>"
        for s in supports
    )
    links = " ".join(f'<a href="#{anchor(s)}">[{cite(s)}]</a>' for s in supports)
    return (
        f'<span class="claim">{escape(text)} <details data-cites="{ids}"><summary>{links}'
        f'</summary><div class="sources">{rows}</div></details>'
        f'<span class="tip" role="tooltip">{rows}</span></span>'
    )


def _row(*cells: object) -> str:
    """A table row of cells already escaped."""
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _fact_link(i: int) -> str:
    """A link to fact ``i`` (counted from 0) in the facts list."""
    return f'<a href="#f{i + 1}">F{i + 1}</a>'


def _sources(dossier: Dossier) -> list[str]:
    rows = ["<h2>Sources</h2><table><tr><th>#</th><th>Outlet</th><th>Title</th>",
            "<th>Published</th><th>Lineage</th><th>Source</th></tr>"]  # fmt: skip
    by_id = refs_by_id(dossier)
    for a in dossier.articles:
        texts = (a.title, a.published or "", lineage_text(a, by_id))
        source = f"<code>{escape(a.url or a.source)}</code>"
        note = outlet_note(a)
        outlet = escape(outlet_name(a)) + (f"<br><small>{escape(note)}</small>" if note else "")
        rows.append(_row(a.id, outlet, *map(escape, texts), source))
    rows.append("</table>")
    return rows


def _membership(dossier: Dossier) -> list[str]:
    """A "Why these articles" section, every text escaped (none when nothing was recorded)."""
    rows = membership_rows(dossier)
    if not rows:
        return []
    out = [
        '<h2>Why these articles</h2><table class="membership"><tr><th>#</th><th>Score</th>'
        "<th>Why</th><th>Shared entities</th><th>Shared terms</th></tr>"
    ]
    for aid, m in rows:
        texts = (membership_reason(m), ", ".join(m.shared_entities), ", ".join(m.shared_terms))
        out.append(_row(aid, f"{m.score:.2f}", *map(escape, texts)))
    out.append("</table>")
    return out


def _facts(dossier: Dossier) -> list[str]:
    out = ["<h2>Facts</h2>"]
    for status, indices in facts_by_status(dossier, SHOWN):
        out.append(f"<h3>{escape(status.capitalize())} ({len(indices)})</h3><ul>")
        for i in indices:
            f = dossier.facts[i]
            badge = f'<span class="status {escape(f.status)}">{escape(f.status)}</span>'
            said = attribution_note(f)
            said = f" <i>— {escape(said)}</i>" if said else ""
            out.append(
                f'<li id="f{i + 1}"><b>F{i + 1}</b> {badge} {f.independent_sources} independent'
                f" · {escape(', '.join(f.outlets) or '—')}<br>{claim(f.text, f.support, dossier)}"
                f"{said}</li>"
            )
        out.append("</ul>")
    rest = more(len(dossier.facts), SHOWN, "facts")
    out += [f"<p>{escape(rest)}</p>"] if rest else []
    return out


def _conflicts(dossier: Dossier) -> list[str]:
    out = ["<h2>Conflicts</h2>"]
    if not dossier.conflicts:
        out.append("<p>None found.</p>")
    for c in dossier.conflicts:
        out.append(f"<h3>{escape(c.kind.capitalize())}: {escape(c.description)}</h3><ul>")
        for v in c.variants:
            out.append(f"<li>{claim(v.value, v.support, dossier)}</li>")
        out.append("</ul>")
    return out


def _quotes(dossier: Dossier) -> list[str]:
    out = ["<h2>Quote book</h2>"]
    for q in dossier.quotes[:SHOWN]:
        who = escape(q.speaker or (f"Unnamed: {q.unnamed}" if q.unnamed else "Unattributed"))
        extra = "".join(f"<div>also worded: “{escape(v)}”</div>" for v in q.variants)
        extra += "".join(f"<div>{escape(note)}</div>" for note in _quote_notes(q))
        out.append(
            f"<blockquote><b>{who}</b>: {claim(q.text, q.support, dossier)}"
            f"<div class='meta'>{escape(', '.join(q.outlets) or 'unknown outlet')}</div>"
            f"{extra}</blockquote>"
        )
    rest = more(len(dossier.quotes), SHOWN, "quotes")
    out += [f"<p>{escape(rest)}</p>"] if rest else []
    return out


def _quote_notes(q: QuoteEntry) -> Iterable[str]:
    """Remarks on a quote: differing speakers, and the full quote a fragment comes from."""
    if len(q.speakers) > 1:
        yield "speakers differ: " + ", ".join(q.speakers)
    if q.part_of:
        yield f"fragment of: “{q.part_of}”"


def _timeline(dossier: Dossier) -> list[str]:
    out = ["<h2>Timeline</h2><table><tr><th>Date</th><th>Event</th><th>As written</th>",
           "<th>Sentence</th></tr>"]  # fmt: skip
    for t in dossier.timeline:
        date = escape(when(t)) + (' <span class="bg">(background)</span>' if t.background else "")
        event = escape(t.title or "—")
        out.append(_row(date, event, escape(t.label), claim(t.text, t.support, dossier)))
    out.append("</table>")
    return out


def _entities(dossier: Dossier) -> list[str]:
    out = ["<h2>Who's who</h2><table><tr><th>Name</th><th>Type</th><th>Roles</th>",
           "<th>Also called</th><th>Articles</th><th>Mentions</th></tr>"]  # fmt: skip
    for e in dossier.entities:
        articles = ", ".join(str(a) for a in e.articles)
        texts = (e.name, e.label, "; ".join(e.roles), ", ".join(e.aliases), articles)
        out.append(_row(*map(escape, texts), e.mentions))
    out.append("</table>")
    return out


def _coverage(dossier: Dossier) -> list[str]:
    c = dossier.coverage
    if not c.outlets:
        return []
    head = "".join(f"<th>{escape(o)}</th>" for o in c.outlets)
    out = [f"<h2>Coverage</h2><table><tr><th>Fact</th>{head}</tr>"]
    for fact, outlets in c.matrix:
        if len(dossier.facts[fact].support) < 2 and len(outlets) < 2:
            continue
        out.append(_row(_fact_link(fact), *("●" if o in outlets else "" for o in c.outlets)))
    out.append("</table><ul>")
    for outlet, facts in c.exclusives:
        if facts:
            out.append(f"<li>only {escape(outlet)}: {', '.join(map(_fact_link, facts))}</li>")
    for outlet, facts in c.omissions:
        listed = ", ".join(map(_fact_link, facts))
        out.append(f"<li>every other outlet carried, {escape(outlet)} left out: {listed}</li>")
    out.append("</ul>")
    return out


def _cited(dossier: Dossier) -> list[str]:
    out = ["<h2>Cited sentences</h2><ul>"]
    by_id = refs_by_id(dossier)
    for s in all_supports(dossier):
        out.append(
            f'<li class="cited" id="{anchor(s)}"><b>[{cite(s)}]</b> '
            f"{escape(outlet_name(by_id.get(s.article)))}: {escape(s.text)}</li>"
        )
    out.append("</ul>")
    return out
