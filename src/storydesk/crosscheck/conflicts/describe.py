"""How conflicts are described: who carried each variant, and what differs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storydesk.crosscheck.align import Unit
from storydesk.crosscheck.evidence import dedupe_supports, support_at
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind, Variant
from storydesk.text.features import normalize_text

SHORT_CHARS = 60  # quotations longer than this are cut in descriptions

Values = dict[str, list[tuple[Unit, str]]]  # value -> (sentence, as written) that state it


def carried_by(articles: Sequence[AnalyzedArticle], ids: Iterable[int]) -> str:
    """Outlets (or article ids) of the given articles, for descriptions."""
    by_id = {a.id: a for a in articles}
    names: list[str] = []
    for aid in ids:
        outlet = by_id[aid].article.outlet if aid in by_id else None
        name = outlet or f"article {aid}"
        if name not in names:
            names.append(name)
    return ", ".join(names)


def verb_for(verb: str, who: str) -> str:
    """Third-person verb agreeing with a comma-separated list of names."""
    return verb if ", " in who else verb + "s"


def shorten(text: str, limit: int = SHORT_CHARS) -> str:
    """A text cut to a length for descriptions."""
    plain = normalize_text(text).strip(" \"',")
    return plain if len(plain) <= limit else plain[: limit - 3].rstrip() + "..."


def value_conflict(
    articles: Sequence[AnalyzedArticle], kind: ConflictKind, what: str, values: Values
) -> Conflict:
    """A conflict whose variants are the distinct values, each with its sentences."""
    variants: list[Variant] = []
    parts: list[str] = []
    for value, found in values.items():
        shown = found[0][1]
        support = dedupe_supports(support_at(articles, u.article, u.sentence) for u, _ in found)
        label = shown if kind != ConflictKind.DATE else f"{shown} ({value})"
        variants.append(Variant(label, support))
        parts.append(f"“{label}” ({carried_by(articles, (s.article for s in support))})")
    return Conflict(kind, f"{what} differs: " + " vs ".join(parts), tuple(variants))
