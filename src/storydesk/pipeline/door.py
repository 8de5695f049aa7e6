"""The door to the store: raw bytes kept before parsing, duplicates folded, boilerplate learned.

Every input's bytes are stored first (a rejected one's too, where they were read), so
``storydesk reprocess`` can recover it later without reading or fetching it again. An input
whose canonical URL or body text is already stored becomes one more source of that article.
Cleaned articles wait in a small window so lines that recur across an outlet's articles are
removed from the first ones too; the window bounds memory on large archives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Protocol

from storydesk.clean import clean
from storydesk.clean.learned import edge_lines, strip_learned
from storydesk.errors import InputError
from storydesk.ingest.fetch.client import Fetcher
from storydesk.ingest.files import read_sources
from storydesk.ingest.rejected import RejectedInput
from storydesk.ingest.remote import read_entries, read_url
from storydesk.ingest.urls import canonical_url, is_web_url
from storydesk.model import ENGLISH, Article, MediaType, RawDocument, Rejection, Step
from storydesk.options import Options
from storydesk.pipeline.outletnames import name_outlets
from storydesk.store import Store
from storydesk.store.fetchlog import IngestLog, RobotsLog

WINDOW = 64  # cleaned articles held back for boilerplate learning before they are stored


class Reporter(Protocol):
    """The part of the pipeline's reporter the door uses."""

    def advance(self, n: int = 1) -> None: ...

    def reject(self, rejection: Rejection) -> None: ...


def text_key(article: Article) -> str:
    """The hash of an article's body text, case and whitespace ignored."""
    return hashlib.sha256(" ".join(article.text.split()).casefold().encode()).hexdigest()


class Door:
    """Admits raw documents into one store during one run; use as a context manager."""

    def __init__(self, options: Options, store: Store, reporter: Reporter) -> None:
        self.options = options
        self.store = store
        self.log = IngestLog(store.conn)
        self.rep = reporter
        self.added: list[int] = []
        self.unchanged: list[str] = []
        self.rejections: list[Rejection] = []
        self.notes: list[str] = []  # what the run says of an article it keeps (its language)
        self.fresh: list[Article] = []  # stored by this door since the last batch was taken
        self._named: set[tuple[str, str, str]] = set()  # rejections made in this run
        self._pending: list[tuple[RawDocument, Article]] = []
        self._fetcher: Fetcher | None = None

    def __enter__(self) -> Door:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.flush()
        if self._fetcher is not None:
            self._fetcher.close()

    def fetcher(self) -> Fetcher:
        """The run's one fetcher, made on first use."""
        if self._fetcher is None:
            self._fetcher = Fetcher(self.options.fetch, robots=RobotsLog(self.store.path))
        return self._fetcher

    def read(self, sources: Iterable[str]) -> Iterator[RawDocument | Rejection]:
        """Each source's raw documents: files and folders read, URLs fetched."""
        for source in sources:
            if is_web_url(source):
                yield from read_url(source, self.fetcher(), self.log)
            else:
                yield from read_sources([source], self.options)

    def take_all(self, items: Iterable[RawDocument | Rejection]) -> None:
        """Admit every item."""
        for item in items:
            self.take(item)

    def take(self, item: RawDocument | Rejection) -> None:
        """Admit one raw document (or record one rejection)."""
        self.rep.advance()
        if isinstance(item, Rejection):
            raw = item.raw if isinstance(item, RejectedInput) else None
            if raw is not None:
                self.store.put_raw(raw)
            self.reject(Rejection(item.source, item.step, item.reason), raw.sha256 if raw else None)
            return
        if item.source not in self.store.sources_of(item.sha256):  # a rerun writes nothing
            self.store.put_raw(item)
        if item.media_type == MediaType.FEED:
            self.take_all(read_entries(item, self.fetcher(), self.log))
            return
        if self._known(item):
            return
        try:
            article = clean(item, self.options)
        except InputError as exc:
            self.reject(Rejection(item.source, Step.CLEAN, str(exc)), item.sha256)
            return
        if self._duplicate(item, article):
            return
        self._pending.append((item, article))
        if len(self._pending) >= WINDOW:
            self.flush()

    def reject(self, rejection: Rejection, sha256: str | None = None) -> None:
        """Store, report and remember one rejection (an input rejected twice is named once)."""
        key = (rejection.source, str(rejection.step), rejection.reason)
        if key in self._named:
            return
        self._named.add(key)
        with self.log.transaction():
            self.store.add_rejection(rejection, sha256)
            self.log.supersede(*key)  # listed once, at its latest step
        self.rejections.append(rejection)
        self.rep.reject(rejection)

    def flush(self) -> None:
        """Store the waiting articles, without the lines their outlets repeat."""
        pending, self._pending = self._pending, []
        with self.log.transaction():  # names learned from the window, then given to bare hosts
            named = name_outlets(self.store, [a for _, a in pending])
        pending = [(doc, a) for (doc, _), a in zip(pending, named, strict=True)]
        window: dict[str, dict[str, int]] = {}
        for _, article in pending:
            counts = window.setdefault(article.outlet or "", {})
            for key, _ in edge_lines(article):
                counts[key] = counts.get(key, 0) + 1
        stored_counts = {
            outlet: self.log.line_counts(outlet, list(counts)) for outlet, counts in window.items()
        }
        for doc, article in pending:
            outlet = article.outlet or ""
            lines = edge_lines(article)
            if outlet:
                counts = {k: n + stored_counts[outlet].get(k, 0) for k, n in window[outlet].items()}
                article = strip_learned(article, counts, outlet)
            with self.log.transaction():
                if self._stored_meanwhile(doc):
                    continue
                stored = self.store.add_article(article)
                self.log.index_article(stored.id, _urls(doc, article), text_key(article))
                if outlet:
                    self.log.count_lines(outlet, lines)
            self.added.append(stored.id)
            self.fresh.append(stored)
            if stored.language != ENGLISH:
                self.notes.append(language_note(stored))

    def batches(self, sources: Iterable[str], size: int) -> Iterator[list[Article]]:
        """The sources' new articles, stored, in batches of about ``size`` (the last one less)."""
        for item in self.read(sources):
            self.take(item)
            if len(self.fresh) + len(self._pending) >= size:
                self.flush()  # the window ends with the batch (a multiple of WINDOW keeps it)
                yield self.take_fresh()
        self.flush()
        if self.fresh:
            yield self.take_fresh()

    def take_fresh(self) -> list[Article]:
        """The articles stored since the last call."""
        fresh, self.fresh = self.fresh, []
        return fresh

    def _stored_meanwhile(self, doc: RawDocument) -> bool:
        """True (and counted unchanged) when another writer stored these bytes since take()."""
        # called inside the write transaction, so two runs given one input store it once
        stored = self.store.article_id_for(doc.sha256) or self.log.alias_of(doc.sha256)
        if stored is not None:
            self.unchanged.append(doc.source)
        return stored is not None

    def _known(self, doc: RawDocument) -> bool:
        """True (and counted unchanged) when these bytes or this URL are already stored."""
        if self.store.article_id_for(doc.sha256) is not None:
            self.unchanged.append(doc.source)
            return True
        if self.log.alias_of(doc.sha256) is not None:
            self.unchanged.append(doc.source)
            return True
        url = doc.hint("url")
        if url:
            found = self.log.article_for_url(canonical_url(url))
            if found is not None:
                self._fold(doc, found, "same canonical URL")
                return True
        return False

    def _duplicate(self, doc: RawDocument, article: Article) -> bool:
        """True when the cleaned article's URL or text is stored (or waiting) already."""
        url = canonical_url(article.url) if article.url else None
        found = self.log.article_for_url(url) if url else None
        reason = "same canonical URL"
        if found is None:
            found = self.log.article_for_text(text_key(article))
            reason = "same body text"
        if found is not None:
            self._fold(doc, found, reason)
            return True
        key = text_key(article)
        for _, waiting in self._pending:
            same_url = url and waiting.url and canonical_url(waiting.url) == url
            if same_url or text_key(waiting) == key:
                self.flush()
                return self._duplicate(doc, article)
        return False

    def _fold(self, doc: RawDocument, article_id: int, reason: str) -> None:
        """Record stored bytes as one more source of an existing article."""
        why = f"duplicate of article {article_id} ({reason})"
        self.log.add_alias(doc.sha256, article_id, doc.source, why)
        self.unchanged.append(doc.source)


def ingest_into(
    sources: Iterable[str], options: Options, store: Store, reporter: Reporter
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[Rejection, ...]]:
    """Read, store and clean every source; (added ids, unchanged sources, rejections)."""
    with Door(options, store, reporter) as door:
        for _ in door.batches(sources, WINDOW):  # the articles are stored; none kept here
            pass
    return tuple(door.added), tuple(door.unchanged), tuple(door.rejections)


def language_note(article: Article) -> str:
    """The note a stored article in another language gets: named, kept, not analysed."""
    return (
        f"{article.source}: article {article.id} is not in English ({article.language}):"
        " stored, left out of analysis, stories and dossiers until languages are supported"
    )


def _urls(doc: RawDocument, article: Article) -> list[str]:
    """Canonical forms of every URL an article is known by: its page's, its fetch's, its source."""
    # A feed entry's record is named after its feed ("FEED#entry=N"): that is not its page.
    own = is_web_url(doc.source) and doc.media_type != MediaType.RECORD
    found = [article.url, doc.hint("url"), doc.source if own else None]
    out: list[str] = []
    for url in found:
        if url and (key := canonical_url(url)) not in out:
            out.append(key)
    return out
