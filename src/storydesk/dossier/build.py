"""Dossier: brief, quote book, timeline, who's who and coverage for one story, assembled.

Everything is assembled from the articles, lineage, facts and conflicts given; every item
that states something carries the source sentences it rests on (``check_grounding``, from
``dossier.grounding``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydesk.clean.outlets import agency
from storydesk.cluster.score import central_article
from storydesk.dossier.brief import brief
from storydesk.dossier.coverage import coverage
from storydesk.dossier.grounding import check_grounding
from storydesk.dossier.quotebook import named_as_in, quote_book
from storydesk.dossier.timeline import timeline
from storydesk.dossier.whoswho import whos_who
from storydesk.lineage.groups import independent_sources
from storydesk.model import AnalyzedArticle, ArticleRef, Conflict, Dossier, Fact, Lineage
from storydesk.options import Options
from storydesk.text.features import published_date

__all__ = ["article_refs", "build_dossier", "check_grounding"]


def build_dossier(
    story_id: int,
    articles: Sequence[AnalyzedArticle],
    lineage: Lineage,
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    options: Options,
) -> Dossier:
    """The dossier of one story."""
    dates = sorted(
        (published_date(a.article.published) or "", a.article.published or "")
        for a in articles
        if published_date(a.article.published)
    )
    first = dates[0][1] if dates else None
    lead = central_article(articles)
    people = whos_who(articles)
    return Dossier(
        story_id=story_id,
        headline=lead.article.title.strip() if lead is not None else "",
        first_published=first,
        last_published=dates[-1][1] if dates else None,
        independent_sources=independent_sources((a.id for a in articles), lineage),
        articles=tuple(article_refs(articles, lineage)),
        brief=tuple(brief(articles, facts, conflicts, lead, options)),
        facts=tuple(facts),
        conflicts=tuple(conflicts),
        quotes=tuple(named_as_in(quote_book(articles), people)),
        timeline=tuple(timeline(articles, published_date(first), options, facts)),
        entities=tuple(people),
        coverage=coverage(facts, article_refs(articles, lineage)),
    )


def article_refs(articles: Sequence[AnalyzedArticle], lineage: Lineage) -> list[ArticleRef]:
    """One reference per article, with what it derives from and whom it credits."""
    # an undirected edge is listed on its ``derived`` side (the later-stored article)
    ids = {a.id for a in articles}
    refs: list[ArticleRef] = []
    for a in articles:
        sources = sorted({e.source for e in lineage.edges if e.derived == a.id and e.source in ids})
        meta = a.article
        cites: dict[str, str] = {}
        for credit in a.credits:
            if not _names_itself(credit.name, meta.outlet):
                cites.setdefault(credit.name.casefold(), credit.name)
        refs.append(
            ArticleRef(
                id=a.id,
                source=meta.source,
                outlet=meta.outlet,
                title=meta.title,
                byline=meta.byline,
                published=meta.published,
                url=meta.url,
                derived_from=tuple(sources),
                cites=tuple(cites.values()),
                outlet_evidence=meta.outlet_evidence,
            )
        )
    return refs


def _names_itself(credit: str, outlet: str | None) -> bool:
    """True for a credit naming the article's own outlet ("told the Herald" in the Herald).

    Whole words only: "AP" does not name "The Japan Times"; a host outlet
    ("coastlineradio.example") is named by its first label ("Coastline Radio").
    """
    words = [w for w in re.findall(r"\w+", credit.casefold()) if w != "the"]
    if not words or not outlet:
        return False
    if agency(credit) is not None and agency(credit) == agency(outlet):
        return True  # "AP" in an Associated Press article
    name = outlet.strip().casefold()
    if "." in name and " " not in name:
        labels = [label for label in name.split(".") if label != "www"]
        return bool(labels) and "".join(words) == labels[0]
    own = [w for w in re.findall(r"\w+", name) if w != "the"]
    return any(own[i : i + len(words)] == words for i in range(len(own) - len(words) + 1))
