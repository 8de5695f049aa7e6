"""The library API: everything the CLI and the web layer do, as plain functions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from storydesk.errors import InputError
from storydesk.model import Article, Dossier, RawDocument, Rejection, Step
from storydesk.options import Options
from storydesk.pipeline.run import Reporter, RunReport
from storydesk.store import Store, StoryRow


def open_store(options: Options) -> Store:
    """Open (and migrate) the database the options name."""
    return Store(options.db)


def run(sources: Iterable[str], options: Options, reporter: Reporter | None = None) -> RunReport:
    """Ingest sources into the database and bring every story they touch up to date."""
    from storydesk.pipeline import run as pipeline

    with open_store(options) as store:
        return pipeline.run(sources, options, store, reporter)


def stories(options: Options) -> list[StoryRow]:
    """Every story in the database."""
    with open_store(options) as store:
        return store.stories()


def dossier(story_id: int, options: Options) -> Dossier | None:
    """The dossier of one story with why each article is in it, or None when there is none."""
    with open_store(options) as store:
        found = store.dossier(story_id)
        if found is None:
            return None
        return replace(found, membership=tuple(store.explanations(story_id)))


def rejections(options: Options) -> list[Rejection]:
    """Every input that was rejected, with the step and reason."""
    with open_store(options) as store:
        return store.rejections()


def analyze_paths(
    paths: Iterable[str], options: Options, raw: bool = False
) -> Iterator[tuple[str, dict[str, Any] | Rejection]]:
    """Analyse files without storing them: (source, contract object or rejection) each.

    Without ``raw`` each file is cleaned first; with ``raw`` its decoded content is the body,
    unchanged, so offsets index the file's text. Results come batch by batch (rejections as
    soon as they are found, analyses in input order), so memory stays bounded whatever the
    number of files; the model, or the worker pool, is loaded once for all batches.
    """
    from storydesk.analyze.core import analyzer, batch_size
    from storydesk.render.jsonout import analysis_to_dict

    size = batch_size(options)
    pending: list[tuple[str, Article]] = []
    count = 0
    with analyzer(options) as analyze:

        def flush() -> Iterator[tuple[str, dict[str, Any] | Rejection]]:
            """Analyse the pending articles and hand them out in order."""
            done = analyze([a for _, a in pending]) if pending else []
            out = [(src, analysis_to_dict(a)) for (src, _), a in zip(pending, done, strict=True)]
            pending.clear()
            yield from out

        for item in _documents(paths, options):
            if isinstance(item, Rejection):
                yield item.source, item
                continue
            try:
                article = _raw_article(item, options) if raw else _clean(item, options)
            except InputError as exc:
                yield item.source, Rejection(item.source, Step.CLEAN, str(exc))
                continue
            count += 1
            pending.append((item.source, replace(article, id=count)))
            if len(pending) >= size:
                yield from flush()
        yield from flush()


def _documents(paths: Iterable[str], options: Options) -> Iterable[RawDocument | Rejection]:
    from storydesk.ingest import read_sources

    return read_sources(paths, options)


def _clean(doc: RawDocument, options: Options) -> Article:
    from storydesk.clean import clean

    return clean(doc, options)


def _raw_article(doc: RawDocument, options: Options) -> Article:
    from storydesk.ingest import document_text

    text = document_text(doc)
    published = doc.hint("published") or options.published
    return Article(
        source=doc.source,
        sha256=doc.sha256,
        title=doc.hint("title") or "",
        paragraphs=tuple(text.split("\n\n")),  # joins back to exactly `text`
        published=published,
        url=doc.hint("url"),
        outlet=doc.hint("outlet") or options.outlet,
    )
