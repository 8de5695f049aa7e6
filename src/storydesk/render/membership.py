"""Why each article is in its story: the explanation rows and wording every renderer shows."""

from __future__ import annotations

from storydesk.model import Assignment, Dossier


def memberships(dossier: Dossier) -> dict[int, Assignment]:
    """The membership explanation of each article of the dossier, by article id."""
    return {m.article: m for m in dossier.membership}


def membership_rows(dossier: Dossier) -> list[tuple[int, Assignment]]:
    """(article id, explanation) in the dossier's article order, articles without one left out."""
    found = memberships(dossier)
    return [(a.id, found[a.id]) for a in dossier.articles if a.id in found]


def membership_reason(m: Assignment) -> str:
    """The one-line reason, or what the score alone says when none was recorded."""
    if m.reason:
        return m.reason
    return "opened the story" if m.story is None else f"joined with score {m.score:.2f}"


def shared_text(m: Assignment) -> str:
    """Shared entities and terms as one line ("entities: a, b; terms: c, d")."""
    entities = ", ".join(m.shared_entities) or "none"
    terms = ", ".join(m.shared_terms) or "none"
    return f"entities: {entities}; terms: {terms}"
