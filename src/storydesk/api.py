"""The library API: everything the CLI and the web layer do, as plain functions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from storydesk.errors import InputError
from storydesk.model import ENGLISH, Article, Dossier, RawDocument, Rejection, Step
from storydesk.model_compare import Comparison
from storydesk.options import Options
from storydesk.pipeline.run import Reporter, RunReport
from storydesk.store import Store, StoryRow

CACHE_WAIT_MS = 200  # how long a read waits to cache an assembled dossier before it gives up

if TYPE_CHECKING:
    from storydesk.store.changes import Alert, AlertEvent, Change
    from storydesk.store.listing import StoryListRow, StoryQuery
    from storydesk.store.search import ArticleDetail, ArticleRow, OutletRow, SearchHit, Window


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
    from storydesk.pipeline.dossiers import stored_dossier
    from storydesk.pipeline.run import build_story

    # the dossier and the explanations are read from one committed state
    with read_store(options) as store:
        with store.snapshot():
            found, fresh = stored_dossier(store, story_id, options)
            folded = len(found.articles) if found is not None else 0
            why = store.explanations(story_id)
            articles = store.analyses(store.members_of(story_id)) if found is None else []
        if fresh and found is not None:
            _keep(store, found, folded)  # a big story's dossier, assembled from its parts
    if found is None:
        if not articles:
            return None  # no such story, or merged away
        found, _ = build_story(story_id, articles, options)  # listed, dossier not written yet
    covered = {a.id for a in found.articles}  # a stale dossier: the articles it was built from
    return replace(found, membership=tuple(e for e in why if e.article in covered))


def _keep(store: Store, found: Dossier, folded: int) -> None:
    """Cache an assembled dossier until the next fold, unless a writer holds the database."""
    import contextlib
    import sqlite3

    from storydesk.store.published import cache

    store.conn.execute(f"PRAGMA busy_timeout = {CACHE_WAIT_MS}")
    with contextlib.suppress(sqlite3.OperationalError):  # locked or read-only: assembled again
        cache(store, found, folded)


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
            if article.language != ENGLISH:  # named, not analysed as English
                why = f"language {article.language}: not analysed"
                yield item.source, Rejection(item.source, Step.ANALYZE, why)
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
    from storydesk.clean.kind import detect_language
    from storydesk.clean.structure import check_length
    from storydesk.ingest import document_text

    text = document_text(doc)
    check_length([line for line in text.splitlines() if line.strip()])
    published = doc.hint("published") or options.published
    language, _ = detect_language(doc.hint("title"), text.split("\n\n"))
    return Article(
        language=language,
        source=doc.source,
        sha256=doc.sha256,
        title=doc.hint("title") or "",
        paragraphs=tuple(text.split("\n\n")),  # joins back to exactly `text`
        published=published,
        url=doc.hint("url"),
        outlet=doc.hint("outlet") or options.outlet,
    )


# ---------------------------------------------------------------- compare (issue 17)


def compare(text_a: str, text_b: str, options: Options) -> Comparison:
    """Two article texts held against each other: the sentences that state the same facts,
    what each has alone, and the conflicts (InputError names a text that cannot be read)."""
    from storydesk.pipeline.compare import compare_texts

    return compare_texts(text_a, text_b, options)


def compare_sources(a: str, b: str, options: Options) -> Comparison:
    """``compare`` of two sources: files, URLs or stored article ids (numbers, in ``--db``)."""
    from storydesk.pipeline.compare import compare_sources as compared

    return compared(a, b, options)


# ---------------------------------------------------------------- queries (issue 20)


def story_list(query: StoryQuery, options: Options) -> list[StoryListRow]:
    """One page of stories: filtered by text, dates, outlet, topic and sources; sorted."""
    from storydesk.store.listing import list_stories

    with read_store(options) as store:
        return list_stories(store, query)


def merged_into(story_id: int, options: Options) -> int | None:
    """The live story a merged-away story now lives in, or None."""
    from storydesk.store.stories import merged_into as follow

    with read_store(options) as store:
        return follow(store, story_id)


def articles(window: Window, options: Options, after: int = 0) -> list[ArticleRow]:
    """Articles in id order after ``after``, with url, source, outlet, date and story."""
    from storydesk.store.search import articles as listed

    with read_store(options) as store:
        return listed(store, window, after)


def article(article_id: int, options: Options) -> ArticleDetail | None:
    """One article with its text, sentences, lineage and story, or None."""
    from storydesk.store.search import article_detail

    with read_store(options) as store:
        return article_detail(store, article_id)


def outlets(options: Options) -> list[OutletRow]:
    """Every outlet with its article and story counts."""
    from storydesk.store.search import outlets as listed

    with read_store(options) as store:
        return listed(store)


def search(
    query: str,
    window: Window,
    options: Options,
    kinds: tuple[str, ...] = ("article", "fact", "quote"),
) -> list[SearchHit]:
    """Ranked full-text hits over articles, facts and quotes (SearchQueryError if malformed)."""
    from storydesk.store.search import search as find

    with read_store(options) as store:
        return find(store, query, window, kinds)


def changes(
    options: Options, since: str | None = None, after: int = 0, limit: int = 100
) -> list[Change]:
    """What changed after the change id ``after`` (and since a time), oldest first."""
    from storydesk.store.changes import changes as listed

    with read_store(options) as store:
        return listed(store, since=since, after=after, limit=limit)


def rejection_states(options: Options) -> list[tuple[Rejection, str]]:
    """Every rejection with its state: open, recovered or superseded."""
    from storydesk.store.fetchlog import IngestLog

    with read_store(options) as store:
        states = IngestLog(store.conn).rejection_states()
    return [(Rejection(r.source, Step(r.step), r.reason), str(state)) for r, state in states]


def corrections(options: Options) -> list[dict[str, Any]]:
    """The audit log of corrections (merge, split, move, edit, undo), oldest first."""
    from storydesk.store.edits import log

    with read_store(options) as store:
        return log(store)


def merge(keep: int, absorb: int, options: Options) -> int:
    """Merge story ``absorb`` into ``keep`` (InputError for a bad id); returns ``keep``."""
    from storydesk.pipeline import corrections as fix

    read_store(options).close()  # never a new database to correct
    return fix.merge(keep, absorb, options)


def split(story: int, article_ids: Sequence[int], options: Options) -> int:
    """Take articles out of a story into a new one; returns the new story's id."""
    from storydesk.pipeline import corrections as fix

    read_store(options).close()
    return fix.split(story, article_ids, options)


def move(article_id: int, story: int, options: Options) -> int:
    """Move an article into another story; returns the story it left."""
    from storydesk.pipeline import corrections as fix

    read_store(options).close()
    return fix.move(article_id, story, options)


def edit(article_id: int, values: dict[str, str | None], options: Options) -> int:
    """Set an article's outlet and/or published date; returns the correction id."""
    from storydesk.pipeline import edits

    read_store(options).close()
    return edits.edit(article_id, values, options)


def undo(options: Options) -> tuple[int, int]:
    """Undo the latest correction not yet undone; returns (the undo's id, the one undone)."""
    from storydesk.pipeline import edits

    read_store(options).close()
    return edits.undo(options)


def add_alert(
    options: Options,
    query: str | None,
    story: int | None,
    reasons: Sequence[str],
    webhook: str | None = None,
) -> Alert:
    """Save a search or watch a story; it fires on changes from now on."""
    from storydesk.store import changes as log
    from storydesk.store.search import check_query

    with read_store(options) as store:
        if query is not None:
            check_query(store, query)
        return log.add_alert(store, query, story, reasons, webhook)


def alerts(options: Options) -> list[Alert]:
    """Every alert."""
    from storydesk.store import changes as log

    with read_store(options) as store:
        return log.alerts(store)


def alert_events(
    alert_id: int, options: Options, limit: int = 100
) -> tuple[Alert, list[AlertEvent]] | None:
    """An alert and its latest events (newest first), or None."""
    from storydesk.store import changes as log

    with read_store(options) as store:
        found = log.alert(store, alert_id)
        return None if found is None else (found, log.events(store, alert_id, limit))


def check_alerts(options: Options) -> list[AlertEvent]:
    """Evaluate every alert against what changed since it was last checked (webhooks sent)."""
    from storydesk.pipeline.alerts import check_alerts as check

    with read_store(options) as store:
        return check(store, options)
