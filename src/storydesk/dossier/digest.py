"""What a story's dossier needs of one article beyond its facts and quotes: its digest."""

from __future__ import annotations

import dataclasses

from storydesk.crosscheck.attribution import article_attributions
from storydesk.crosscheck.quotes import relays
from storydesk.dossier.build import article_refs
from storydesk.dossier.timeline import time_hits
from storydesk.dossier.whoswho import sightings
from storydesk.lineage.fold import band_keys
from storydesk.lineage.relays import relayed_agency
from storydesk.model import AnalyzedArticle, Lineage
from storydesk.model_state import ArticleDigest, FoldedArticle


def folded_article(article: AnalyzedArticle) -> FoldedArticle:
    """An article as a story's stored state keeps it: digest and LSH band keys."""
    ref = article_refs([article], Lineage((), ()))[0]
    found = relayed_agency(article)
    digest = ArticleDigest(
        ref=dataclasses.replace(ref, derived_from=()),
        relay=found[0] if found else None,
        relay_own=bool(found and found[1].startswith("published by")),
        relay_keys=tuple(sorted(relays([article]))),
        times=tuple(time_hits(article)),
        sightings=tuple(sightings(article)),
        attributions=article_attributions(article),
    )
    return FoldedArticle(article.id, digest, band_keys(article))
