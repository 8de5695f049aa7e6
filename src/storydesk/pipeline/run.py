"""Orchestration: the stages run in order over the store, incrementally."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from storydesk.model import (
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


def run(
    sources: Iterable[str], options: Options, store: Store, reporter: Reporter | None = None
) -> RunReport:
    """Finish pending work, ingest sources, then analyse, assign and rebuild whatever is new."""
    rep = kill_switch(reporter or SilentReporter())
    finished = finish_stale(options, store, rep)  # what a killed run left, before new work
    added, unchanged, rejections = ingest(sources, options, store, rep)
    more_rejections, touched = process(options, store, rep)
    stories = (*touched, *(s for s in finished if s not in touched))
    return RunReport(added, unchanged, rejections + more_rejections, stories)


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
    """Finish stale stories, analyse new articles, assign them, rebuild the stories touched."""
    rejections: list[Rejection] = []
    finished = finish_stale(options, store, rep)  # pending work first
    pending = store.unanalyzed()
    if pending:
        rep.stage("analyze", len(pending))
        for analyzed in _analyze(pending, options, store, rep, rejections):
            store.put_analysis(analyzed, options.spacy_model)
            rep.advance()
    touched = assign_stories(options, store, rep)
    finished += [s for s in finish_stale(options, store, rep) if s not in finished]
    return tuple(rejections), (*touched, *(s for s in finished if s not in touched))


def _analyze(
    pending: Sequence[Article],
    options: Options,
    store: Store,
    rep: Reporter,
    rejections: list[Rejection],
) -> Iterator[AnalyzedArticle]:
    """Analyses batch by batch, so each batch is stored before the next one starts."""
    from storydesk.analyze.core import analyzer, batch_size

    batch = batch_size(options)
    with analyzer(options) as analyze:
        for i in range(0, len(pending), batch):
            chunk = pending[i : i + batch]
            try:
                done = analyze(chunk)
            except Exception:
                # One bad article must not sink the batch: retry one by one to name it.
                for article in chunk:
                    try:
                        yield from analyze([article])
                    except Exception as exc:
                        reason = f"analysis failed: {type(exc).__name__}: {exc}"
                        _reject(
                            store,
                            rep,
                            rejections,
                            Rejection(article.source, Step.ANALYZE, reason),
                            article.sha256,
                        )
                        rep.advance()
            else:
                yield from done


def story_scorer(options: Options) -> StoryScorer:
    """The scorer the pipeline clusters and explains topic links with (the built-in one)."""
    from storydesk.cluster.scorer import WeightedScorer

    return WeightedScorer()


def assign_stories(options: Options, store: Store, rep: Reporter) -> list[int]:
    """Put every unassigned article into a story, chunk by chunk; return the stories touched."""
    from storydesk.cluster.gist import article_gists
    from storydesk.cluster.score import profile
    from storydesk.store.profiles import StoredIndex
    from storydesk.text.embed import LazyEmbedder

    pending = store.unassigned()
    if not pending:
        return []
    with store.transaction():
        StoredIndex(store).backfill(profile)  # profiles of databases made before the index
    # gists link sibling stories into topics; a few new articles do not repay optimising
    embedder = LazyEmbedder(options, optimize=len(pending) >= GIST_OPTIMIZE_FROM)
    touched: list[int] = []
    rep.stage("cluster", len(pending))
    for start in range(0, len(pending), ASSIGN_CHUNK):
        analyses = store.analyses(pending[start : start + ASSIGN_CHUNK])
        profiles: list[tuple[str, ArticleProfile]] = []
        for i in range(0, len(analyses), GIST_BATCH):  # embedded before the lock is taken
            batch = analyses[i : i + GIST_BATCH]
            for analyzed, gist in zip(batch, article_gists(batch, embedder), strict=True):
                profiles.append((analyzed.article.title, replace(profile(analyzed), gist=gist)))
        # one writer assigns at a time: the chunk's memberships, merges and stale marks commit
        # together, and a kill rolls the whole chunk back
        with store.transaction():
            _assign_chunk(profiles, options, store, rep, touched)
    return touched


def _assign_chunk(
    profiles: Sequence[tuple[str, ArticleProfile]],
    options: Options,
    store: Store,
    rep: Reporter,
    touched: list[int],
) -> None:
    """Assign a chunk of articles inside the caller's write transaction."""
    from storydesk.cluster.index import StoryIndex
    from storydesk.store.profiles import StoredIndex

    # read afresh under the lock: the index sees every writer's stories, and a rerun after a
    # kill starts each chunk from the same state an uninterrupted run did
    index = StoryIndex(options, StoredIndex(store), story_scorer(options))
    taken = store.assigned([p.id for _, p in profiles])  # by another writer meanwhile
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


def finish_stale(options: Options, store: Store, rep: Reporter) -> list[int]:
    """Rebuild every story marked stale (pending work is data); return the stories written."""
    done: list[int] = []
    tried: dict[int, int] = {}  # story -> the mark last tried: a re-marked story is tried again
    for _ in range(STALE_PASSES):
        stale = store.stale()
        todo = [sid for sid, mark in stale.items() if tried.get(sid) != mark]
        if not todo:
            break
        tried.update((sid, stale[sid]) for sid in todo)
        done += [s for s in _rebuild(todo, options, store, rep, only_stale=True) if s not in done]
    return done


def rebuild(story_ids: Sequence[int], options: Options, store: Store, rep: Reporter) -> list[int]:
    """Recompute lineage, facts and the dossier of each story given; return those written."""
    return _rebuild(story_ids, options, store, rep, only_stale=False)


def _rebuild(
    story_ids: Sequence[int], options: Options, store: Store, rep: Reporter, only_stale: bool
) -> list[int]:
    """Rebuild stories one by one, each written with its mark cleared in one transaction."""
    from storydesk.text.embed import LazyEmbedder

    if not story_ids:
        return []
    rep.stage("dossiers", len(story_ids))
    embedder = LazyEmbedder(options)  # the model loads once, on first need
    written: list[int] = []
    for sid in story_ids:
        mark, articles = store.story_state(sid)
        if articles and (mark is not None or not only_stale):
            dossier, edges = build_story(sid, articles, options, embedder)
            if store.put_story_outputs(dossier, edges, mark):  # False: changed meanwhile
                written.append(sid)
        rep.advance()
    return written


def build_story(
    story_id: int,
    articles: Sequence[AnalyzedArticle],
    options: Options,
    embedder: LazyEmbedder | None = None,
) -> tuple[Dossier, tuple[LineageEdge, ...]]:
    """A story's dossier and lineage edges from its analysed articles (nothing is stored)."""
    from storydesk.crosscheck.facts import crosscheck
    from storydesk.dossier.build import build_dossier
    from storydesk.lineage.derivation import find_lineage

    lineage = find_lineage(articles, options)
    facts, conflicts = crosscheck(articles, lineage, options, embedder)
    dossier = build_dossier(story_id, articles, lineage, facts, conflicts, options)
    return dossier, tuple(lineage.edges)


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
