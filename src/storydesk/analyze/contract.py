"""The ``storydesk analyze`` JSON object for one analysed article."""

from __future__ import annotations

from typing import Any

from storydesk.model import AnalyzedArticle, Span, Speaker


def to_json(a: AnalyzedArticle) -> dict[str, Any]:
    """The contract object: every offset is a ``str`` index into ``text``."""
    return {
        "title": a.article.title,
        "subtitle": a.article.subtitle,
        "text": a.text,
        "published": a.article.published,
        "sentences": [
            {"start": s.start, "end": s.end, "text": s.text, "paragraph": s.paragraph}
            for s in a.sentences
        ],
        "entities": [
            {"start": e.start, "end": e.end, "text": e.text, "label": e.label,
             "canonical": e.canonical, "roles": list(e.roles)}
            for e in a.entities
        ],
        "quotes": [
            {"start": q.start, "end": q.end, "text": q.text, "kind": q.kind,
             "speaker": _speaker(q.speaker), "cue": _span(q.cue), "continues": q.continues}
            for q in a.quotes
        ],
        "headline_quotes": [
            {"line": h.line, "start": h.quote.start, "end": h.quote.end, "text": h.quote.text,
             "kind": h.quote.kind, "speaker": _speaker(h.quote.speaker), "cue": _span(h.quote.cue),
             "speaker_line": h.speaker_line or h.line}
            for h in a.headline_quotes
        ],
        "times": [
            {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
            for t in a.times
        ],
        "credits": [
            {"name": c.name, "start": c.start, "end": c.end, "cue": c.cue} for c in a.credits
        ],
        "attributions": [
            {"source": _speaker(t.source), "cue": _span(t.cue), "content": _span(t.content),
             "kind": t.kind}
            for t in a.attributions
        ],
        "numbers": [
            {"start": n.start, "end": n.end, "text": n.text, "value": n.value, "unit": n.unit,
             "counts": n.counts, "approx": n.approx}
            for n in a.numbers
        ],
    }  # fmt: skip


def _speaker(s: Speaker | None) -> dict[str, Any] | None:
    """The speaker object of the contract, or None."""
    if s is None:
        return None
    return {"name": s.name, "start": s.start, "end": s.end, "text": s.text}


def _span(s: Span | None) -> dict[str, Any] | None:
    """A span object of the contract, or None."""
    return None if s is None else {"start": s.start, "end": s.end, "text": s.text}
