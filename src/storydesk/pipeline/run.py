"""Orchestration: the stages run in order over the store, incrementally."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from storydesk.model import AnalyzedArticle, Article, Rejection, Step
from storydesk.options import Options
from storydesk.store import Store

if TYPE_CHECKING:
    from storydesk.cluster.scorer import StoryScorer

GIST_BATCH = 32  # articles whose gists are embedded together in the cluster stage
GIST_OPTIMIZE_FROM = 500  # from this many new articles the model's graph is optimised first


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
    """Ingest sources, then analyse, assign and rebuild whatever is new."""
    rep = reporter or SilentReporter()
    added, unchanged, rejections = ingest(sources, options, store, rep)
    more_rejections, touched = process(options, store, rep)
    return RunReport(added, unchanged, rejections + more_rejections, touched)


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
    """Analyse new articles, assign them to stories, rebuild the stories they touch."""
    rejections: list[Rejection] = []
    pending = store.unanalyzed()
    if pending:
        rep.stage("analyze", len(pending))
        for analyzed in _analyze(pending, options, store, rep, rejections):
            store.put_analysis(analyzed, options.spacy_model)
    touched = assign_stories(options, store, rep)
    rebuild(touched, options, store, rep)
    return tuple(rejections), tuple(touched)


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
            else:
                yield from done
            rep.advance(len(chunk))


def story_scorer(options: Options) -> StoryScorer:
    """The scorer the pipeline clusters and explains topic links with (the built-in one)."""
    from storydesk.cluster.scorer import WeightedScorer

    return WeightedScorer()


def assign_stories(options: Options, store: Store, rep: Reporter) -> list[int]:
    """Put every unassigned article into a story; return the stories touched."""
    from storydesk.cluster.gist import article_gists
    from storydesk.cluster.index import StoryIndex
    from storydesk.cluster.score import profile
    from storydesk.store.profiles import StoredIndex
    from storydesk.text.embed import LazyEmbedder

    pending = store.unassigned()
    if not pending:
        return []
    backend = StoredIndex(store)
    backend.backfill(profile)  # profiles of databases made before the stored index
    index = StoryIndex(options, backend, story_scorer(options))
    # gists link sibling stories into topics; a few new articles do not repay optimising
    embedder = LazyEmbedder(options, optimize=len(pending) >= GIST_OPTIMIZE_FROM)
    touched: list[int] = []
    rep.stage("cluster", len(pending))
    analyses = store.analyses(pending)
    for start in range(0, len(analyses), GIST_BATCH):
        batch = analyses[start : start + GIST_BATCH]
        for analyzed, gist in zip(batch, article_gists(batch, embedder), strict=True):
            p = replace(profile(analyzed), gist=gist)
            assignment = index.assign(p)
            sid = assignment.story if assignment.story is not None else store.new_story()
            store.assign(assignment, sid)
            index.add(sid, p)
            merge = index.converge(sid)
            if merge is not None:
                touched = [s for s in touched if s != merge.absorbed]
                sid = merge.into
            if sid not in touched:
                touched.append(sid)
            rep.advance()
    return touched


def rebuild(story_ids: Sequence[int], options: Options, store: Store, rep: Reporter) -> None:
    """Recompute lineage, facts and the dossier of each story given."""
    from storydesk.crosscheck.facts import crosscheck
    from storydesk.dossier.build import build_dossier
    from storydesk.lineage.derivation import find_lineage
    from storydesk.text.embed import LazyEmbedder

    if not story_ids:
        return
    members = store.story_members()
    rep.stage("dossiers", len(story_ids))
    embedder = LazyEmbedder(options)  # the model loads once, on first need
    for sid in story_ids:
        articles = store.analyses(members.get(sid, []))
        lineage = find_lineage(articles, options)
        facts, conflicts = crosscheck(articles, lineage, options, embedder)
        dossier = build_dossier(sid, articles, lineage, facts, conflicts, options)
        store.put_lineage(sid, lineage.edges)
        store.put_dossier(dossier)
        rep.advance()


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
