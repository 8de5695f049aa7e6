"""Every user-facing JSON object (dossier, analysis, story list, explanation) and its text."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from storydesk.model import (
    AnalyzedArticle,
    Article,
    Assignment,
    ClaimSource,
    Dossier,
    Fact,
    LineageEdge,
    OutletEvidence,
    Span,
    Speaker,
    Support,
    TopicLink,
    Variant,
)
from storydesk.render.common import StoryListing
from storydesk.render.membership import memberships


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """JSON text as storydesk writes it: non-ASCII kept as is, one line when ``indent`` is None."""
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def render_json(dossier: Dossier) -> str:
    """The dossier as indented JSON text, non-ASCII kept as is."""
    out: list[str] = []
    _write_indented(dossier_to_dict(dossier), 0, out)
    return "".join(out)


# ---------------------------------------------------------------- indented JSON, fast

# ``dumps`` with an indent runs the json module's pure-Python encoder token by token; a big
# story's dossier is millions of tokens. This writer gives the same text (keys in order,
# ``json.dumps(..., ensure_ascii=False, indent=2)`` to the byte) but writes a container whose
# members are all scalars in one join: most of a dossier's objects (support, outlets).


def _scalar(value: Any) -> str | None:
    """The JSON text of a scalar as ``dumps`` writes it, or None for a container."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.dumps(value)
    return None


def _write_indented(value: Any, level: int, out: list[str]) -> None:
    """Append ``value`` as ``dumps`` (indent 2) writes it at nesting ``level``."""
    text = _scalar(value)
    if text is not None:
        out.append(text)
        return
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    pad = "\n" + "  " * (level + 1)
    end = "\n" + "  " * level
    if isinstance(value, dict):
        scalars = [_scalar(v) for v in value.values()]
        if None not in scalars:
            pairs = (f"{encode_basestring(k)}: {v}" for k, v in zip(value, scalars, strict=True))
            out.append("{" + pad + ("," + pad).join(pairs) + end + "}")
            return
        sep = "{" + pad
        for key, v in value.items():
            out.append(f"{sep}{encode_basestring(key)}: ")
            sep = "," + pad
            _write_indented(v, level + 1, out)
        out.append(end + "}")
        return
    items = [_scalar(v) for v in value]
    if None not in items:
        out.append("[" + pad + ("," + pad).join(items) + end + "]")  # type: ignore[arg-type]
        return
    sep = "[" + pad
    for v, item in zip(value, items, strict=True):
        out.append(sep)
        sep = "," + pad
        if item is None:
            _write_indented(v, level + 1, out)
        else:
            out.append(item)
    out.append(end + "]")


# ---------------------------------------------------------------- show --format json

# The keys of each record's object, in order: each names a field of the model record.
_ARTICLE = "id source outlet title byline published url derived_from cites outlet_evidence"
_FACT = "number text status independent_sources outlets attributed_to"
_CONFLICT = "kind description facts variants support"
_QUOTE_ENTRY = "speaker text outlets variants speakers part_of unnamed support"
_TIMELINE = "value part title label text background support"
_ENTITY = "name label aliases articles mentions roles"
_MEMBERSHIP = "score shared_entities shared_terms candidates reason"


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
        "articles": [
            {**_pick(a, _ARTICLE), "membership": membership_json(why.get(a.id))}
            for a in dossier.articles
        ],
        "brief": [_pick(b, "text support") for b in dossier.brief],
        "facts": [fact_json(f) for f in dossier.facts],
        "conflicts": [_pick(c, _CONFLICT) for c in dossier.conflicts],
        "quotes": [_pick(q, _QUOTE_ENTRY) for q in dossier.quotes],
        "timeline": [_pick(t, _TIMELINE) for t in dossier.timeline],
        "entities": [_pick(e, _ENTITY) for e in dossier.entities],
        "coverage": _coverage(dossier),
    }


def fact_json(fact: Fact) -> dict[str, Any]:
    """One fact; each support item says whom its sentence attributes the claim to (null: the
    writer's own voice)."""
    said = fact.attributions or (None,) * len(fact.support)
    return {
        **_pick(fact, _FACT),
        "support": [
            {**_value(s), "attributed_to": _value(a)}
            for s, a in zip(fact.support, said, strict=True)
        ],
    }


def membership_json(m: Assignment | None) -> dict[str, Any] | None:
    """One explanation as the JSON object of ``show --format json`` (None when absent)."""
    return None if m is None else _pick(m, _MEMBERSHIP)


def _coverage(d: Dossier) -> dict[str, Any]:
    """Columns are outlets, and each article of unknown outlet alone ("article 4")."""
    c = d.coverage
    held = dict(c.columns)
    named = {a.outlet for a in d.articles if a.outlet}
    return {
        "outlets": list(c.outlets),
        "columns": [
            {"name": o, "outlet": o if o in named else None, "articles": list(held.get(o, ()))}
            for o in c.outlets
        ],
        "matrix": [{"fact": fact, "outlets": list(outlets)} for fact, outlets in c.matrix],
        "exclusives": [{"outlet": outlet, "facts": list(facts)} for outlet, facts in c.exclusives],
        "omissions": [{"outlet": outlet, "facts": list(facts)} for outlet, facts in c.omissions],
    }


# ---------------------------------------------------------------- stories --format json


def stories_json(
    rows: Sequence[StoryListing],
    topics: Mapping[int, int],
    why: Mapping[int, Sequence[Assignment]] | None = None,
    links: Mapping[int, TopicLink] | None = None,
) -> list[dict[str, Any]]:
    """The story list; with ``why``, each story's explanations and topic link added."""
    out: list[dict[str, Any]] = []
    for r in rows:
        obj = {**_pick(r, "id title articles outlets"), "topic": topics.get(r.id, r.id)}
        if why is not None:
            obj["explanations"] = [explanation_json(a) for a in why[r.id]]
            obj["topic_link"] = topic_link_json((links or {}).get(r.id))
        out.append(obj)
    return out


def explanation_json(a: Assignment) -> dict[str, Any]:
    """One membership explanation, with its article, as ``stories --explain`` lists it."""
    return _pick(a, "article " + _MEMBERSHIP)


def topic_link_json(link: TopicLink | None) -> dict[str, Any] | None:
    """A topic link with its reason in words (None for a story never linked)."""
    if link is None:
        return None
    return {**_pick(link, "nearest score words gist"), "reason": link.reason()}


# ---------------------------------------------------------------- analyze


_QUOTE = "start end text kind speaker cue"


def analysis_to_dict(a: AnalyzedArticle) -> dict[str, Any]:
    """The ``storydesk analyze`` object: every offset is a ``str`` index into ``text``."""
    return {
        "title": a.article.title,
        "subtitle": a.article.subtitle,
        "text": a.text,
        "published": a.article.published,
        "sentences": [_pick(s, "start end text paragraph") for s in a.sentences],
        "entities": [_pick(e, "start end text label canonical roles") for e in a.entities],
        "quotes": [_pick(q, _QUOTE + " continues") for q in a.quotes],
        "headline_quotes": [
            {"line": h.line, **_pick(h.quote, _QUOTE), "speaker_line": h.speaker_line or h.line}
            for h in a.headline_quotes
        ],
        "times": [_pick(t, "start end text type value") for t in a.times],
        "credits": [_pick(c, "name start end cue") for c in a.credits],
        "attributions": [_pick(t, "source cue content kind") for t in a.attributions],
        "numbers": [_pick(n, "start end text value unit counts approx") for n in a.numbers],
    }


def file_analysis(source: str, analysis: Mapping[str, Any]) -> dict[str, Any]:
    """One file's ``analyze`` object: its path, then its analysis."""
    return {"file": source, **analysis}


# ---------------------------------------------------------------- records to JSON values


def _pick(record: object, names: str) -> dict[str, Any]:
    """The fields of a model record named in ``names`` (space-separated), in order, as JSON."""
    return {name: _value(getattr(record, name)) for name in names.split()}


# The records found inside others, and the keys of their objects.
_NESTED: tuple[tuple[type, str], ...] = (
    (Support, "article sentence text"),
    (Variant, "value support"),
    (Speaker, "name start end text"),
    (Span, "start end text"),
    (OutletEvidence, "source text inferred host name_from"),
    (ClaimSource, "source name via"),
)


def _value(value: Any) -> Any:
    """A field as a JSON value: sequences as lists, nested records as their objects."""
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if value is None or isinstance(value, (str, int, float)):
        return value
    for record, names in _NESTED:
        if isinstance(value, record):
            return _pick(value, names)
    return value


# ---------------------------------------------------------------- the service's lists (issue 20)


def record_json(record: Any) -> dict[str, Any]:
    """A listing record (a frozen dataclass of plain values) as a JSON object, fields in order."""
    import dataclasses

    return {f.name: _value(getattr(record, f.name)) for f in dataclasses.fields(record)}


def article_json(
    listed: Any,
    article: Article,
    sentences: Sequence[tuple[int, int, str]],
    lineage: Sequence[LineageEdge],
) -> dict[str, Any]:
    """One stored article: its listing fields, text, sentences (offsets into text), lineage."""
    return {
        **record_json(listed),
        "byline": article.byline,
        "subtitle": article.subtitle,
        "text": article.text,
        "sentences": [{"start": s, "end": e, "text": t} for s, e, t in sentences],
        "lineage": [_pick(e, "derived source kind score directed evidence") for e in lineage],
    }
