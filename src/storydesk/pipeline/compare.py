"""``compare``: read two articles (files, URLs, stored article ids or texts), analyse what is
not stored yet, and hold them against each other (``crosscheck.compare``).

Nothing is written: a URL is fetched without the store's fetch log, a file is read and cleaned
as ``run`` would, a stored article's analysis is read as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storydesk.clean import clean
from storydesk.errors import InputError
from storydesk.ingest.files import read_sources
from storydesk.ingest.urls import is_web_url
from storydesk.model import (
    AnalyzedArticle,
    Article,
    FetchFailure,
    MediaType,
    RawDocument,
    Rejection,
    Validators,
)
from storydesk.model_compare import Comparison
from storydesk.options import Options

if TYPE_CHECKING:
    from storydesk.store import Store
    from storydesk.text.embed import LazyEmbedder

SIDES = ("A", "B")


def compare_sources(a: str, b: str, options: Options) -> Comparison:
    """Compare two sources: each a file, a URL or a stored article id (a number).

    InputError names the side, the source and the reason when one cannot be read.
    """
    sources = (a, b)
    stored = [s.strip().isdigit() for s in sources]
    found: list[Article | AnalyzedArticle] = []
    if any(stored):
        from storydesk.store import Store

        with Store.open_existing(options.db) as store:
            found = [
                _stored(side, s, store) if is_id else read_source(side, s, options)
                for side, s, is_id in zip(SIDES, sources, stored, strict=True)
            ]
    else:
        found = [read_source(side, s, options) for side, s in zip(SIDES, sources, strict=True)]
    return compare_found(found, options)


def compare_texts(text_a: str, text_b: str, options: Options) -> Comparison:
    """Compare two article texts (plain text, cleaned as a ``.txt`` file would be)."""
    found: list[Article | AnalyzedArticle] = []
    for side, text in zip(SIDES, (text_a, text_b), strict=True):
        content = text.encode("utf-8")
        sha = hashlib.sha256(content).hexdigest()
        doc = RawDocument(f"text {side}", content, MediaType.TEXT, sha)
        found.append(_cleaned(side, doc, options))
    return compare_found(found, options)


def compare_found(
    found: Sequence[Article | AnalyzedArticle],
    options: Options,
    embedder: LazyEmbedder | None = None,
) -> Comparison:
    """Analyse the articles not stored (numbered after any stored one), then compare."""
    from storydesk.analyze.core import analyze_each, analyzer
    from storydesk.text.embed import LazyEmbedder

    # an article not stored is numbered after the stored one, as storing it would number it
    start = max((f.id for f in found if isinstance(f, AnalyzedArticle)), default=0) + 1
    fresh = [
        replace(f, id=start + k) for k, f in enumerate(x for x in found if isinstance(x, Article))
    ]
    with analyzer(options) as analyze:
        done = iter(analyze_each(analyze, fresh) if fresh else [])
    analysed: list[AnalyzedArticle] = []
    for side, f in zip(SIDES, found, strict=True):
        got = f if isinstance(f, AnalyzedArticle) else next(done)
        if isinstance(got, str):
            source = f.article.source if isinstance(f, AnalyzedArticle) else f.source
            raise InputError(f"{side} {source!r}: {got}")
        analysed.append(got)
    a, b = analysed
    if a.id == b.id:
        raise InputError(f"A and B are one stored article ({a.id}): nothing to compare")
    return compare_analyzed(a, b, options, embedder or LazyEmbedder(options))


def compare_analyzed(
    a: AnalyzedArticle, b: AnalyzedArticle, options: Options, embedder: LazyEmbedder | None
) -> Comparison:
    """Two analysed articles compared, with their references (lineage as the dossier's)."""
    from storydesk.crosscheck.compare import compare_articles
    from storydesk.dossier.build import article_refs
    from storydesk.lineage.derivation import find_lineage

    lineage = find_lineage(sorted((a, b), key=lambda x: x.id), options)
    found = compare_articles(a, b, embedder)
    return replace(found, articles=tuple(article_refs([a, b], lineage)))


def _stored(side: str, source: str, store: Store) -> AnalyzedArticle:
    """A stored article's analysis by id."""
    article_id = int(source)
    found = store.analyses([article_id])
    if found:
        return found[0]
    article = store.article(article_id)
    if article is None:
        raise InputError(f"{side} {source!r}: no stored article {article_id} in {store.path}")
    why = f" (language {article.language!r} is not analysed)" if article.language != "en" else ""
    raise InputError(f"{side} {source!r}: stored article {article_id} has no analysis{why}")


def read_source(side: str, source: str, options: Options) -> Article:
    """The one article a file or URL holds, cleaned."""
    docs = list(_fetch(source, options) if is_web_url(source) else read_sources([source], options))
    rejected = [d for d in docs if isinstance(d, Rejection)]
    if rejected:
        raise InputError(f"{side} {rejected[0].source!r}: {rejected[0].reason}")
    if len(docs) != 1:
        raise InputError(f"{side} {source!r}: holds {len(docs)} articles, not one")
    doc = docs[0]
    assert isinstance(doc, RawDocument)
    if doc.media_type == MediaType.FEED:
        raise InputError(f"{side} {source!r}: a feed, not an article")
    return _cleaned(side, doc, options)


def _cleaned(side: str, doc: RawDocument, options: Options) -> Article:
    """One document cleaned into an article (InputError names the side and the source)."""
    try:
        return clean(doc, options)
    except InputError as exc:
        raise InputError(f"{side} {doc.source!r}: {exc}") from None


def _fetch(url: str, options: Options) -> list[RawDocument | Rejection]:
    """One URL fetched with nothing remembered (no store is opened)."""
    from storydesk.ingest.fetch.client import Fetcher
    from storydesk.ingest.remote import read_url

    with Fetcher(options.fetch) as fetcher:
        return list(read_url(url, fetcher, _Forgetful()))


class _Forgetful:
    """A fetch memory that remembers nothing: a compare leaves no trace."""

    def validators(self, url: str) -> Validators | None:
        """Never fetched before."""
        return None

    def record_fetch(
        self,
        url: str,
        final_url: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        sha256: str | None,
    ) -> None:
        """Nothing kept."""

    def failure(self, url: str) -> FetchFailure | None:
        """Never failed before."""
        return None

    def record_failure(self, url: str, reason: str, retry_at: float | None) -> None:
        """Nothing kept."""

    def record_success(self, source: str, url: str) -> None:
        """Nothing kept."""

    def article_for_url(self, url: str) -> int | None:
        """No stored article."""
        return None

    def article_sha(self, url: str) -> str:
        """No stored article."""
        return ""

    def remember_source(self, source: str, sha256: str) -> None:
        """Nothing kept."""

    def stored_document(self, sha256: str, source: str) -> RawDocument | None:
        """No stored bytes."""
        return None
