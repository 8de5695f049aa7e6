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


def read_store(options: Options) -> Store:
    """Open the named database for a command that only reads: NoDatabaseError, never a new one."""
    return Store.open_existing(options.db)


def run(sources: Iterable[str], options: Options, reporter: Reporter | None = None) -> RunReport:
    """Ingest sources into the database and bring every story they touch up to date."""
    from storydesk.pipeline import run as pipeline

    with open_store(options) as store:
        return pipeline.run(sources, options, store, reporter)


def stories(options: Options) -> list[StoryRow]:
    """Every story in the database."""
    with read_store(options) as store:
        return store.stories()


def dossier(story_id: int, options: Options) -> Dossier | None:
    """A story's last complete dossier (built now when it has none yet) with why, or None."""
    from storydesk.pipeline.run import build_story

    # the dossier and the explanations are read from one committed state
    with read_store(options) as store, store.snapshot():
        found = store.dossier(story_id)
        why = store.explanations(story_id)
        articles = store.analyses(store.members_of(story_id)) if found is None else []
    if found is None:
        if not articles:
            return None  # no such story, or merged away
        found, _ = build_story(story_id, articles, options)  # listed, dossier not written yet
    covered = {a.id for a in found.articles}  # a stale dossier: the articles it was built from
    return replace(found, membership=tuple(e for e in why if e.article in covered))


def rejections(options: Options) -> list[Rejection]:
    """Every input that was rejected, with the step and reason."""
    with read_store(options) as store:
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
    from storydesk.analyze.core import analyze_each, analyzer, batch_size
    from storydesk.render.jsonout import analysis_to_dict

    size = batch_size(options)
    pending: list[tuple[str, Article]] = []
    count = 0
    with analyzer(options) as analyze:

        def flush() -> Iterator[tuple[str, dict[str, Any] | Rejection]]:
            """Analyse the pending articles and hand them out in order (failures named)."""
            done = analyze_each(analyze, [a for _, a in pending]) if pending else []
            out = [
                (src, analysis_to_dict(a) if not isinstance(a, str) else _failed(src, a))
                for (src, _), a in zip(pending, done, strict=True)
            ]
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


def _failed(source: str, reason: str) -> Rejection:
    return Rejection(source, Step.ANALYZE, reason)


def _documents(paths: Iterable[str], options: Options) -> Iterable[RawDocument | Rejection]:
    from storydesk.ingest import read_sources

    return read_sources(paths, options)


def _clean(doc: RawDocument, options: Options) -> Article:
    from storydesk.clean import clean

    return clean(doc, options)


def _raw_article(doc: RawDocument, options: Options) -> Article:
    from storydesk.clean.structure import check_length
    from storydesk.ingest import document_text

    text = document_text(doc)
    check_length([line for line in text.splitlines() if line.strip()])
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
