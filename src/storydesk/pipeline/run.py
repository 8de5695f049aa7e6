"""Orchestration: the stages run in order over the store, incrementally."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from storydesk.model import (
    ENGLISH,
    AnalyzedArticle,
    Article,
    ArticleProfile,
    Dossier,
    LineageEdge,
    Rejection,
    Step,
)
from storydesk.options import Options
from storydesk.store import Store

if TYPE_CHECKING:
    from storydesk.cluster.index import Plan
    from storydesk.cluster.scorer import StoryScorer
    from storydesk.text.embed import LazyEmbedder

GIST_BATCH = 32  # articles whose gists are embedded together in the cluster stage
GIST_OPTIMIZE_FROM = 500  # from this many new articles the model's graph is optimised first
# Articles assigned per write transaction: the unit a kill rolls back and the longest another
# writer waits for the lock (about a second a chunk); a multiple of GIST_BATCH.
ASSIGN_CHUNK = 128
STALE_PASSES = 10  # rounds of finishing stale stories while other writers keep re-marking them
KILL_AT = "STORYDESK_TEST_KILL_AT"  # "stage:n": the process SIGKILLs itself there (tests only)


class Reporter(Protocol):
    """Receives progress and rejections while the pipeline runs."""

    def stage(self, name: str, total: int | None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def reject(self, rejection: Rejection) -> None: ...


class SilentReporter:
    """A reporter that reports nothing."""

    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def reject(self, rejection: Rejection) -> None:
        pass


class _KillSwitch:
    """A reporter that SIGKILLs its own process at the n-th unit of work of a named stage."""

    def __init__(self, inner: Reporter, stage: str, at: int) -> None:
        self.inner = inner
        self.target = stage
        self.at = at
        self.current = ""
        self.done = 0

    def stage(self, name: str, total: int | None) -> None:
        self.current = name
        self.inner.stage(name, total)

    def advance(self, n: int = 1) -> None:
        self.inner.advance(n)
        if self.current == self.target:
            self.done += n
            if self.done >= self.at:
                os.kill(os.getpid(), signal.SIGKILL)

    def reject(self, rejection: Rejection) -> None:
        self.inner.reject(rejection)


def kill_switch(rep: Reporter) -> Reporter:
    """The reporter, or one that kills the process where STORYDESK_TEST_KILL_AT says (tests)."""
    stage, _, at = os.environ.get(KILL_AT, "").partition(":")
    return _KillSwitch(rep, stage, int(at)) if stage and at.isdigit() else rep


@dataclass(frozen=True)
class RunReport:
    """What one run added, left unchanged, rejected and touched."""

    added: tuple[int, ...]
    unchanged: tuple[str, ...]
    rejections: tuple[Rejection, ...]
    stories: tuple[int, ...]
    notes: tuple[str, ...] = ()  # about articles kept but not processed (another language)


def run(
    sources: Iterable[str], options: Options, store: Store, reporter: Reporter | None = None
) -> RunReport:
    """Finish pending work, then stream the sources through every stage in bounded batches."""
    from storydesk.analyze.core import analyzer
    from storydesk.ingest.files import count_inputs
    from storydesk.pipeline.door import Door
    from storydesk.text.embed import LazyEmbedder

    names = list(sources)
    rep = _Totals(kill_switch(reporter or SilentReporter()), count_inputs(names))
    # gists link stories into topics; a few new articles do not repay optimising the model
    embedder = LazyEmbedder(options, optimize=(rep.expected or 0) >= GIST_OPTIMIZE_FROM)
    with analyzer(options) as analyze, _Flow(options, store, rep, analyze, embedder) as flow:
        flow.leftovers()  # what a killed run left, before new work
        with Door(options, store, rep) as door:
            rep.stage("ingest", None)
            for batch in door.batches(names, max(1, options.batch_articles)):
                flow.submit(batch)
                rep.stage("ingest", None)
            flow.drain()
    rep.close()
    stories = tuple(s for s in flow.touched if store.members_of(s))  # not merged away since
    rejections = (*door.rejections, *flow.rejections)
    added, unchanged, notes = tuple(door.added), tuple(door.unchanged), tuple(door.notes)
    return RunReport(added, unchanged, rejections, stories, notes)


def ingest(
    sources: Iterable[str], options: Options, store: Store, rep: Reporter
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[Rejection, ...]]:
    """Read (or fetch) and store raw inputs, clean the new ones into articles."""
    from storydesk.pipeline.door import ingest_into

    rep.stage("ingest", None)
    return ingest_into(sources, options, store, rep)


def process(
    options: Options, store: Store, rep: Reporter
) -> tuple[tuple[Rejection, ...], tuple[int, ...]]:
    """Finish stale stories, analyse the articles left unanalysed, assign them, rebuild."""
    from storydesk.analyze.core import analyzer
    from storydesk.text.embed import LazyEmbedder

    embedder = LazyEmbedder(options)
    with analyzer(options) as analyze, _Flow(options, store, rep, analyze, embedder) as flow:
        flow.leftovers()
    return tuple(flow.rejections), tuple(flow.touched)


Results = Iterator[list[AnalyzedArticle | str]]  # a batch's analyses (or why not), chunk by chunk


class _Flow:
    """Batches of stored articles through analysis, clustering and dossiers, each batch's work
    stored as it is done; with worker processes, the next batch is analysed meanwhile."""

    def __init__(
        self,
        options: Options,
        store: Store,
        rep: Reporter,
        analyze: Callable[[Sequence[Article]], list[AnalyzedArticle]],
        embedder: LazyEmbedder,
    ) -> None:
        from storydesk.analyze.core import resolve_workers

        self.options = options
        self.store = store
        self.rep = rep
        self.analyze = analyze
        self.embedder = embedder
        self.rejections: list[Rejection] = []
        self.touched: list[int] = []
        self.waiting: tuple[list[Article], Results] | None = None
        # one thread waits on the worker processes while this one clusters and builds dossiers
        ahead = resolve_workers(options.workers) > 1
        self.ahead = ThreadPoolExecutor(1, "storydesk-analyze") if ahead else None

    def __enter__(self) -> _Flow:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ahead is not None:
            self.ahead.shutdown(wait=exc[0] is None, cancel_futures=True)

    def leftovers(self) -> None:
        """Finish what an earlier run left: stale stories, articles unanalysed or unassigned."""
        self._touch(finish_stale(self.options, self.store, self.rep, self.embedder))
        pending = self.store.unanalyzed()
        size = max(1, self.options.batch_articles)
        for start in range(0, len(pending), size):
            batch = pending[start : start + size]
            self._store(batch, self._results(batch, ahead=False))
        self._touch(assign_stories(self.options, self.store, self.rep, embedder=self.embedder))
        self._touch(finish_stale(self.options, self.store, self.rep, self.embedder))

    def submit(self, articles: list[Article]) -> None:
        """Take a batch of new articles: its analysis starts, the batch before it is finished."""
        articles = [a for a in articles if a.language == ENGLISH]  # others wait for support
        if self.ahead is None:
            self._finish(articles, self._results(articles, ahead=False))
            return
        results = self._results(articles, ahead=True)
        self.drain()
        self.waiting = (articles, results)

    def drain(self) -> None:
        """Finish the batch whose analysis was started, if any."""
        if self.waiting is not None:
            (articles, results), self.waiting = self.waiting, None
            self._finish(articles, results)

    def _results(self, articles: Sequence[Article], ahead: bool) -> Results:
        """A batch's analyses chunk by chunk: computed as read, or started now in the thread."""
        from storydesk.analyze.core import analyze_each, batch_size

        size = batch_size(self.options)
        chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
        if ahead and self.ahead is not None:
            futures = [self.ahead.submit(analyze_each, self.analyze, c) for c in chunks]
            return (f.result() for f in futures)
        return (analyze_each(self.analyze, c) for c in chunks)

    def _finish(self, articles: Sequence[Article], results: Results) -> None:
        """Store a batch's analyses, assign them to stories, bring those stories up to date."""
        analyzed = self._store(articles, results)
        options, store, rep = self.options, self.store, self.rep
        self._touch(assign_stories(options, store, rep, analyzed=analyzed, embedder=self.embedder))
        self._touch(finish_stale(options, store, rep, self.embedder))

    def _store(self, articles: Sequence[Article], results: Results) -> list[AnalyzedArticle]:
        """Store each analysis as its chunk arrives (a failed one is a named rejection)."""
        self.rep.stage("analyze", len(articles))
        pending = iter(articles)
        analyzed: list[AnalyzedArticle] = []
        for chunk in results:
            for result in chunk:
                article = next(pending)
                if isinstance(result, str):
                    rejection = Rejection(article.source, Step.ANALYZE, result)
                    _reject(self.store, self.rep, self.rejections, rejection, article.sha256)
                else:
                    self.store.put_analysis(result, self.options.spacy_model)
                    analyzed.append(result)
                self.rep.advance()
        return analyzed

    def _touch(self, stories: Iterable[int]) -> None:
        """Remember the stories this run wrote or changed."""
        self.touched.extend(s for s in stories if s not in self.touched)


class _Totals:
    """Passes progress on with run-long totals per stage: what the stage has done, what it was
    just given, and, for analysis and clustering, what the inputs not read yet promise."""

    def __init__(self, inner: Reporter, expected: int | None) -> None:
        self.inner = inner
        self.expected = expected  # documents the sources hold, about (None: not known)
        self.current = ""
        self.done: dict[str, int] = {}
        self.given: dict[str, int] = {}
        self.reading = True

    def stage(self, name: str, total: int | None) -> None:
        """A stage starts (again) with ``total`` units more."""
        self.current = name
        self.given[name] = self.done.setdefault(name, 0) + (total or 0)
        self.inner.stage(name, self._total(name))

    def advance(self, n: int = 1) -> None:
        """Units of the current stage done."""
        self.done[self.current] = self.done.get(self.current, 0) + n
        self.inner.advance(n)

    def reject(self, rejection: Rejection) -> None:
        """An input rejected."""
        self.inner.reject(rejection)

    def close(self) -> None:
        """Give every stage its final total, what it did, so finished bars end full."""
        self.reading = False
        for name, done in self.done.items():
            if self._total(name) != done:
                self.inner.stage(name, done)

    def _total(self, name: str) -> int | None:
        """The stage's total as far as it is known now."""
        read = self.done.get("ingest", 0)
        if name == "ingest":
            return None if self.expected is None or not self.reading else max(self.expected, read)
        if name in ("analyze", "cluster") and self.reading and self.expected is not None:
            return self.given[name] + max(0, self.expected - read)
        return self.given[name]


def story_scorer(options: Options) -> StoryScorer:
    """The scorer the pipeline clusters and explains topic links with (the built-in one)."""
    from storydesk.cluster.scorer import WeightedScorer

    return WeightedScorer()


def assign_stories(
    options: Options,
    store: Store,
    rep: Reporter,
    analyzed: Sequence[AnalyzedArticle] | None = None,
    embedder: LazyEmbedder | None = None,
) -> list[int]:
    """Put articles into stories chunk by chunk: those given, as just analysed (none read back),
    or by default every stored article without a story; return the stories touched."""
    from storydesk.cluster.gist import article_gists
    from storydesk.cluster.score import profile
    from storydesk.store.profiles import StoredIndex
    from storydesk.text.embed import LazyEmbedder

    pending = store.unassigned() if analyzed is None else [a.id for a in analyzed]
    if not pending:
        return []
    with store.transaction():
        StoredIndex(store).backfill(profile)  # profiles of databases made before the index
    if embedder is None:  # gists link sibling stories into topics; few do not repay optimising
        embedder = LazyEmbedder(options, optimize=len(pending) >= GIST_OPTIMIZE_FROM)
    touched: list[int] = []
    rep.stage("cluster", len(pending))
    # a window of articles is grouped by average linkage before any is placed (the cluster
    # stage's second look, ``StoryIndex.plan``), then assigned chunk by chunk
    window = max(ASSIGN_CHUNK, options.batch_articles // ASSIGN_CHUNK * ASSIGN_CHUNK)
    for first in range(0, len(pending), window):
        # only the window's profiles are kept: its analyses are read a gist batch at a time,
        # so memory holds one batch of analyses, not the window's
        profiles: list[tuple[str, ArticleProfile]] = []
        last = min(first + window, len(pending))
        for i in range(first, last, GIST_BATCH):  # embedded before the lock is taken
            ids = pending[i : min(i + GIST_BATCH, last)]
            batch = store.analyses(ids) if analyzed is None else list(analyzed[i : i + len(ids)])
            for one, gist in zip(batch, article_gists(batch, embedder), strict=True):
                profiles.append((one.article.title, replace(profile(one), gist=gist)))
        plan: Plan | None = None
        for start in range(0, len(profiles), ASSIGN_CHUNK):
            # one writer assigns at a time: the chunk's memberships, merges and stale marks
            # commit together, and a kill rolls the whole chunk back
            with store.transaction():
                chunk = profiles[start : start + ASSIGN_CHUNK]
                plan = _assign_chunk(chunk, options, store, rep, touched, plan or profiles)
    return touched


def _assign_chunk(
    profiles: Sequence[tuple[str, ArticleProfile]],
    options: Options,
    store: Store,
    rep: Reporter,
    touched: list[int],
    plan: Plan | Sequence[tuple[str, ArticleProfile]],
) -> Plan:
    """Assign a chunk of articles inside the caller's write transaction; return the plan.

    ``plan``: the window's plan, or (for its first chunk) the window's articles to plan.
    """
    from storydesk.cluster.index import Plan, StoryIndex
    from storydesk.store.profiles import StoredIndex

    # read afresh under the lock: the index sees every writer's stories, and a rerun after a
    # kill starts each chunk from the same state an uninterrupted run did
    index = StoryIndex(options, StoredIndex(store), story_scorer(options))
    taken = store.assigned([p.id for _, p in profiles])  # by another writer meanwhile
    if isinstance(plan, Plan):
        index.adopt(plan)
    else:
        mine = store.assigned([p.id for _, p in plan])
        plan = index.plan([p for _, p in plan if p.id not in mine])
    for title, p in profiles:
        rep.advance()
        if p.id in taken:
            continue
        assignment = index.assign(p)
        sid = assignment.story if assignment.story is not None else store.new_story(title)
        store.assign(assignment, sid)
        index.add(sid, p)
        merge = index.converge(sid)
        if merge is not None:
            touched[:] = [s for s in touched if s != merge.absorbed]
            sid = merge.into
        if sid not in touched:
            touched.append(sid)
    return plan


def finish_stale(
    options: Options, store: Store, rep: Reporter, embedder: LazyEmbedder | None = None
) -> list[int]:
    """Bring every story marked stale in step (pending work is data); return those written.

    ``embedder``: the run's, so that gists and dossiers share one model (one ONNX session)."""
    from storydesk.pipeline.dossiers import finish_stale as finish

    return finish(options, store, rep, embedder)


def rebuild(story_ids: Sequence[int], options: Options, store: Store, rep: Reporter) -> list[int]:
    """Recompute the state and dossier of each story given from scratch; return those written."""
    return _rebuild(story_ids, options, store, rep, only_stale=False)


def _rebuild(
    story_ids: Sequence[int], options: Options, store: Store, rep: Reporter, only_stale: bool
) -> list[int]:
    """Update stories one by one (a rebuild recomputes their state from scratch)."""
    from storydesk.pipeline.dossiers import update_stories

    return update_stories(story_ids, options, store, rep, only_stale, fresh=not only_stale)


def build_story(
    story_id: int,
    articles: Sequence[AnalyzedArticle],
    options: Options,
    embedder: LazyEmbedder | None = None,
) -> tuple[Dossier, tuple[LineageEdge, ...]]:
    """A story's dossier and lineage edges from its analysed articles (nothing is stored)."""
    from storydesk.pipeline.dossiers import build_story as build

    return build(story_id, articles, options, embedder)


def _reject(
    store: Store,
    rep: Reporter,
    rejections: list[Rejection],
    rejection: Rejection,
    sha256: str | None = None,
) -> None:
    store.add_rejection(rejection, sha256)
    rejections.append(rejection)
    rep.reject(rejection)
