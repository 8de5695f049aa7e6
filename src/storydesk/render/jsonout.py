"""The JSON contract of ``storydesk show STORY --format json``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from storydesk.model import (
    ArticleRef,
    BriefSentence,
    Conflict,
    Coverage,
    Dossier,
    EntityEntry,
    Fact,
    QuoteEntry,
    Support,
    TimelineEntry,
)
from storydesk.render.membership import memberships, with_membership


def dossier_to_dict(dossier: Dossier) -> dict[str, Any]:
    """A dossier as the JSON-ready dict that DESIGN.md specifies."""
    why = memberships(dossier)
    return {
        "story": {
            "id": dossier.story_id,
            "headline": dossier.headline,
            "first_published": dossier.first_published,
            "last_published": dossier.last_published,
            "independent_sources": dossier.independent_sources,
            "article_count": len(dossier.articles),
        },
        "articles": [with_membership(_article(a), why.get(a.id)) for a in dossier.articles],
        "brief": [_brief(b) for b in dossier.brief],
        "facts": [_fact(f) for f in dossier.facts],
        "conflicts": [_conflict(c) for c in dossier.conflicts],
        "quotes": [_quote(q) for q in dossier.quotes],
        "timeline": [_timeline(t) for t in dossier.timeline],
        "entities": [_entity(e) for e in dossier.entities],
        "coverage": _coverage(dossier.coverage),
    }


def render_json(dossier: Dossier) -> str:
    """The dossier as indented JSON text, non-ASCII kept as is."""
    return json.dumps(dossier_to_dict(dossier), ensure_ascii=False, indent=2)


def support_list(supports: Iterable[Support]) -> list[dict[str, Any]]:
    """Supports as ``{"article", "sentence", "text"}`` objects."""
    return [{"article": s.article, "sentence": s.sentence, "text": s.text} for s in supports]


def _article(a: ArticleRef) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source,
        "outlet": a.outlet,
        "title": a.title,
        "byline": a.byline,
        "published": a.published,
        "url": a.url,
        "derived_from": list(a.derived_from),
        "cites": list(a.cites),
    }


def _brief(b: BriefSentence) -> dict[str, Any]:
    return {"text": b.text, "support": support_list(b.support)}


def _fact(f: Fact) -> dict[str, Any]:
    return {
        "text": f.text,
        "status": f.status,
        "independent_sources": f.independent_sources,
        "outlets": list(f.outlets),
        "support": support_list(f.support),
    }


def _conflict(c: Conflict) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "description": c.description,
        "variants": [{"value": v.value, "support": support_list(v.support)} for v in c.variants],
        "support": support_list(c.support),
    }


def _quote(q: QuoteEntry) -> dict[str, Any]:
    return {
        "speaker": q.speaker,
        "text": q.text,
        "outlets": list(q.outlets),
        "variants": list(q.variants),
        "speakers": list(q.speakers),
        "part_of": q.part_of,
        "unnamed": q.unnamed,
        "support": support_list(q.support),
    }


def _timeline(t: TimelineEntry) -> dict[str, Any]:
    return {
        "value": t.value,
        "label": t.label,
        "text": t.text,
        "background": t.background,
        "support": support_list(t.support),
    }


def _entity(e: EntityEntry) -> dict[str, Any]:
    return {
        "name": e.name,
        "label": e.label,
        "aliases": list(e.aliases),
        "articles": list(e.articles),
        "mentions": e.mentions,
        "roles": list(e.roles),
    }


def _coverage(c: Coverage) -> dict[str, Any]:
    return {
        "outlets": list(c.outlets),
        "matrix": [{"fact": fact, "outlets": list(outlets)} for fact, outlets in c.matrix],
        "exclusives": [{"outlet": outlet, "facts": list(facts)} for outlet, facts in c.exclusives],
        "omissions": [{"outlet": outlet, "facts": list(facts)} for outlet, facts in c.omissions],
    }
