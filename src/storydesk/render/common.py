"""Helpers shared by the renderers: citation labels, spans, lineage, cited sentences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from storydesk.model import (
    ArticleRef,
    ClaimSource,
    Dossier,
    Fact,
    FactStatus,
    QuoteEntry,
    Support,
    TimelineEntry,
)

SHOWN = 100  # facts and quotes the Markdown, HTML and terminal views list (JSON keeps all)

STATUS_ORDER = (FactStatus.CORROBORATED, FactStatus.CONFLICTING, FactStatus.SINGLE_SOURCE)


class StoryListing(Protocol):
    """What a story listing row offers (``storydesk.store.StoryRow`` fits)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def articles(self) -> tuple[int, ...]: ...
    @property
    def outlets(self) -> tuple[str, ...]: ...


def cite(support: Support) -> str:
    """Citation label "A.S": article id and sentence number counted from 1."""
    return f"{support.article}.{support.sentence + 1}"


def unique_supports(supports: Iterable[Support]) -> list[Support]:
    """Supports with repeated (article, sentence) pairs dropped, first seen kept."""
    seen: set[tuple[int, int]] = set()
    out: list[Support] = []
    for s in supports:
        key = (s.article, s.sentence)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def cite_labels(supports: Iterable[Support]) -> list[str]:
    """Distinct citation labels, in order of first appearance."""
    return [cite(s) for s in unique_supports(supports)]


def span(dossier: Dossier) -> str:
    """The story's time span as text ("2026-03-12 – 2026-03-13", one date, or "date unknown")."""
    first, last = dossier.first_published, dossier.last_published
    if first and last and first != last:
        return f"{first} – {last}"
    return first or last or "date unknown"


def story_line(dossier: Dossier) -> str:
    """The story's counts in one line: articles, outlets, independent sources and time span."""
    n = len(dossier.articles)
    outlets = len({a.outlet for a in dossier.articles if a.outlet})
    sources = dossier.independent_sources
    return (
        f"Story {dossier.story_id} · {n} article{'s' if n != 1 else ''} from {outlets} "
        f"outlet{'s' if outlets != 1 else ''} · {sources} independent "
        f"source{'s' if sources != 1 else ''} · {span(dossier)}"
    )


def outlet_name(ref: ArticleRef | None) -> str:
    """An article's outlet, or a placeholder when unknown."""
    if ref is None or not ref.outlet:
        return "unknown outlet"
    return ref.outlet


OUTLET_NOTE_CHARS = 90  # the longest evidence phrase an inferred outlet's note quotes


def outlet_note(ref: ArticleRef) -> str | None:
    """How an inferred outlet was found ('inferred from a self-reference: "...told X."')."""
    ev = ref.outlet_evidence
    if ev is None or not ev.inferred:
        return None
    text = " ".join(ev.text.split())
    at = text.casefold().find((ref.outlet or "").casefold())
    comma = text.rfind(", ", 0, max(at, 0))
    phrase = ("…" + text[comma + 2 :]) if at > 0 and comma >= 0 else text
    if len(phrase) > OUTLET_NOTE_CHARS:
        phrase = phrase[: OUTLET_NOTE_CHARS - 1].rstrip() + "…"
    return f"inferred from a {ev.source}: “{phrase}”"


def refs_by_id(dossier: Dossier) -> dict[int, ArticleRef]:
    """The dossier's articles keyed by id."""
    return {a.id: a for a in dossier.articles}


def lineage_text(ref: ArticleRef, refs: Mapping[int, ArticleRef]) -> str:
    """One line saying what an article derives from and whom it credits."""
    parts: list[str] = []
    if ref.derived_from:
        sources = ", ".join(f"#{i} {outlet_name(refs.get(i))}" for i in ref.derived_from)
        parts.append(f"derived from {sources}")
    if ref.cites:
        parts.append("cites " + ", ".join(ref.cites))
    return "; ".join(parts) if parts else "independent"


def outlets_of(supports: Iterable[Support], refs: Mapping[int, ArticleRef]) -> list[str]:
    """Distinct outlets behind a list of supports, in order of first appearance."""
    out: list[str] = []
    for s in supports:
        name = outlet_name(refs.get(s.article))
        if name not in out:
            out.append(name)
    return out


def when(entry: TimelineEntry) -> str:
    """A timeline entry's date with its part of the day ("2026-03-12, night")."""
    return f"{entry.value}, {entry.part}" if entry.part else entry.value


def all_supports(dossier: Dossier) -> list[Support]:
    """Every support anywhere in the dossier, de-duplicated and sorted by article, sentence."""
    found: list[Support] = []
    for b in dossier.brief:
        found.extend(b.support)
    for f in dossier.facts:
        found.extend(f.support)
    for c in dossier.conflicts:
        found.extend(c.support)
    for q in dossier.quotes:
        found.extend(q.support)
    for t in dossier.timeline:
        found.extend(t.support)
    return sorted(unique_supports(found), key=lambda s: (s.article, s.sentence))


def facts_by_status(dossier: Dossier, limit: int | None = None) -> list[tuple[str, list[int]]]:
    """Fact indices (of the first ``limit`` facts, the strongest) grouped by status:
    corroborated, conflicting, single-source, then others."""
    facts = dossier.facts[:limit]
    statuses = list(STATUS_ORDER)
    statuses += sorted({f.status for f in facts} - set(STATUS_ORDER))
    groups = [(st, [i for i, f in enumerate(facts) if f.status == st]) for st in statuses]
    return [(st, idx) for st, idx in groups if idx]


def quotes_by_speaker(
    dossier: Dossier, limit: int | None = None
) -> list[tuple[str | None, list[QuoteEntry]]]:
    """The quote book (its first ``limit`` entries, the most carried) grouped by speaker, in
    order of each speaker's first quote (None: unnamed)."""
    groups: dict[str | None, list[QuoteEntry]] = {}
    for q in dossier.quotes[:limit]:
        groups.setdefault(q.speaker, []).append(q)
    return list(groups.items())


def more(count: int, shown: int, what: str) -> str | None:
    """The line that closes a list cut at ``shown`` items ("… and 1,234 more facts")."""
    return f"\u2026 and {count - shown:,} more {what}" if count > shown else None


def attribution_note(fact: Fact, most: int = 2) -> str:
    """A fact's attributions in a few words for its line ("" when none of its sentences has
    one): "per X (outlet); also Y", or "attributed in 2 of 3 sentences: per X"."""
    found = [a for a in (fact.attributed_to, *fact.attributions) if a is not None]
    shown: list[ClaimSource] = []
    for a in found:
        if not any(_same_source(a.who(), b.who()) for b in shown):
            shown.append(a)
    if not shown:
        return ""
    labels = [a.label().removeprefix("per ") for a in shown]
    if fact.attributed_to is not None:
        lead, others = "per " + labels[0] + ("; also " if len(labels) > 1 else ""), labels[1:]
    else:
        said = sum(1 for a in fact.attributions if a is not None)
        lead, others = f"attributed in {said} of {len(fact.attributions)} sentences: per ", labels
    more = len(others) - most
    return lead + ", ".join(others[:most]) + (f" and {more} more" if more > 0 else "")


def _same_source(a: str, b: str) -> bool:
    """Whether two sources are one ("Marco Rubio" in "Secretary of State Marco Rubio")."""
    a, b = a.casefold(), b.casefold()
    return a in b or b in a
