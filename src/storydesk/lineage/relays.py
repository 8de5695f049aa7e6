"""Agency relays: an article that only relays a wire agency is that agency's lineage.

Evidence is the article's own metadata and fringe text, never a passing mention: a byline
or dateline naming an agency ("By Reuters", "WASHINGTON (AP)"), an opening "(AFP) —" credit,
or a wire footer ("Reporting by …; Editing by …", "© 2025 The Associated Press").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydesk.clean.outlets import AGENCIES, agency
from storydesk.model import AnalyzedArticle, EdgeKind, LineageEdge

_NAMES = "|".join(sorted((re.escape(k) for k in AGENCIES), key=len, reverse=True))
IN_BRACKETS = re.compile(rf"\((?P<name>{_NAMES})\)", re.IGNORECASE)
BYLINE = re.compile(rf"^(?:by\s+)?(?:the\s+)?(?P<name>{_NAMES})(?:\s+(?:staff|reporters?))?$", re.I)
FOOTERS = (
    (re.compile(r"^\(?Reporting by\b.*\b(?:Editing|Writing) by\b", re.I), "Reuters"),
    (re.compile(rf"(?:©|\(c\)|copyright)\s*\d{{4}}\s+(?P<name>{_NAMES})\b", re.I), None),
    (re.compile(rf"^(?:this (?:story|article) was )?(?:first |originally )?published by"
                rf" (?P<name>{_NAMES})\b", re.I), None),
)  # fmt: skip
FRINGE_PARAGRAPHS = 3  # footers are looked for in the last paragraphs (and removed lines)


def relayed_agency(article: AnalyzedArticle) -> tuple[str, str] | None:
    """(agency, evidence) when the article relays or is a wire agency's report."""
    meta = article.article
    inferred = meta.outlet_evidence is not None and meta.outlet_evidence.inferred
    own = None if inferred else agency(meta.outlet or "")  # "told Reuters" makes no wire report
    if own:
        return own, f"published by {own}"
    if meta.byline:
        m = BYLINE.match(meta.byline.strip())
        if m:
            return _named(m.group("name")), f"byline {meta.byline.strip()!r}"
    for field in (meta.dateline or "", meta.paragraphs[0][:80] if meta.paragraphs else ""):
        m = IN_BRACKETS.search(field)
        if m:
            return _named(m.group("name")), f"dateline {m.group(0)!r}"
    for credit in article.credits:
        if credit.cue == "dateline" and agency(credit.name):
            return _named(credit.name), f"dateline credit {credit.name!r}"
    fringe = [*meta.paragraphs[-FRINGE_PARAGRAPHS:], *(r.text for r in meta.removed)]
    for line in fringe:
        for pattern, fixed in FOOTERS:
            m = pattern.search(line.strip())
            if m:
                name = fixed or _named(m.group("name"))
                return name, f"footer {line.strip()[:60]!r}"
    return None


def _named(name: str) -> str:
    """The canonical agency name of a matched name."""
    return agency(name) or name


def relays(articles: Sequence[AnalyzedArticle]) -> dict[int, str]:
    """Article id to the agency it relays (or is), for articles that do."""
    out: dict[int, str] = {}
    for a in articles:
        found = relayed_agency(a)
        if found:
            out[a.id] = found[0]
    return out


def relay_edges(articles: Sequence[AnalyzedArticle]) -> list[LineageEdge]:
    """Edges from articles that relay an agency to that agency's own article in the set."""
    evidence = {a.id: relayed_agency(a) for a in articles}
    own = {
        a.id: found[0]
        for a in articles
        if (found := evidence[a.id]) and found[1].startswith("published by")
    }
    edges: list[LineageEdge] = []
    for a in articles:
        found = evidence[a.id]
        if not found or a.id in own:
            continue
        for source_id, name in sorted(own.items()):
            if name == found[0]:
                why = f"relays {name} ({found[1]}); article {source_id} is {name}'s own report"
                edges.append(LineageEdge(a.id, source_id, EdgeKind.RELAY, 1.0, True, why))
    return edges
