"""Story dossiers kept in step with their articles: an exact core, then indexed folds.

A story's state is a function of its articles in join order (article id order): its exact
core, the first ``options.dossier.exact_articles`` with at most ``exact_sentences`` sentences
between them (``core_length``), gets the exact all-pairs computation (lineage,
crosscheck, dossier), and each later article is folded into the stored state through the
indexes of ``crosscheck.fold`` and ``lineage.fold``. An update folds only the articles the
state does not hold yet; a rebuild (or a state that no longer matches: a merge, split, move,
changed settings) recomputes the core and folds the rest through the same function, so the
two give the same dossier. A story above the core is assembled from the stored rows
(``dossier.assemble``) when it is read; each fold publishes what it touched (search rows,
listing, changes: ``pipeline.publish``), and the stale mark is cleared in the transaction that
writes the last fold.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from storydesk.model import AnalyzedArticle, Dossier, LineageEdge
from storydesk.model_state import StoryDelta
from storydesk.options import Options
from storydesk.pipeline.publish import publish, quote_conflicts
from storydesk.store import Store
from storydesk.store.folds import FoldCounts, FoldStore, SentenceEmbeddings
from storydesk.store.published import due
from storydesk.text.embed import CACHE_KEY

if TYPE_CHECKING:
    from storydesk.text.embed import LazyEmbedder

STALE_PASSES = 10  # rounds of finishing stale stories while other writers keep re-marking them
FOLD_CHUNK_S = 1.0  # one write transaction folds articles until this long has passed
LOADED = 256  # analyses kept in memory while a story is updated

Load = Callable[[Sequence[int]], Sequence[AnalyzedArticle]]


class Progress(Protocol):
    """The part of the pipeline's reporter a dossier update uses."""

    def stage(self, name: str, total: int | None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


def fingerprint(options: Options) -> str:
    """What a stored state was computed with: a changed setting or model means a rebuild."""
    settings = {
        "exact": options.dossier.exact_articles,
        "sentences": options.dossier.exact_sentences,
        "model": options.spacy_model,
        "embeddings": options.embeddings,
        "lineage": [options.lineage.rewrite_threshold, options.lineage.near_duplicate],
        "corroborated": options.crosscheck.corroborated_sources,
        "digests": 2,  # 2: digests hold their sentences' attributions (issue 17)
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def finish_stale(
    options: Options, store: Store, rep: Progress, embedder: LazyEmbedder | None = None
) -> list[int]:
    """Update every story marked stale (pending work is data); return the stories written.

    ``embedder``: the run's, whose model the dossiers share (else one is made, loaded once)."""
    done: list[int] = []
    tried: dict[int, int] = {}  # story -> the mark last tried: a re-marked story is tried again
    for _ in range(STALE_PASSES):
        stale = store.stale()
        todo = [sid for sid, mark in stale.items() if tried.get(sid) != mark]
        if not todo:
            break
        tried.update((sid, stale[sid]) for sid in todo)
        written = update_stories(
            todo, options, store, rep, only_stale=True, fresh=False, embedder=embedder
        )
        done += [s for s in written if s not in done]
    return done


def update_stories(
    story_ids: Sequence[int],
    options: Options,
    store: Store,
    rep: Progress,
    only_stale: bool,
    fresh: bool,
    embedder: LazyEmbedder | None = None,
) -> list[int]:
    """Bring stories' dossiers in step one by one (``fresh``: recompute their state)."""
    from storydesk.text.embed import LazyEmbedder

    if not story_ids:
        return []
    rep.stage("dossiers", len(story_ids))
    # one model per run (``embedder``'s), loaded on first need; a sentence is embedded once
    # for the database
    cached = (embedder or LazyEmbedder(options)).cached(SentenceEmbeddings(store.conn))
    written: list[int] = []
    for sid in story_ids:
        if (store.stale_mark(sid) is not None or not only_stale) and update_story(
            sid, options, store, cached, fresh
        ):
            written.append(sid)
        rep.advance()
    return written


def update_story(
    story_id: int,
    options: Options,
    store: Store,
    embedder: LazyEmbedder,
    fresh: bool,
) -> bool:
    """Bring one story's state and dossier in step with its articles; True when written."""
    exact = options.dossier.exact_articles
    state = FoldStore(store, story_id)
    with store.snapshot():
        members = store.members_of(story_id)
        counts, folded = state.counts(), state.folded()
        usable = (
            not fresh
            and counts is not None
            and counts.core is not None
            and counts.fingerprint == fingerprint(options)
            and folded == members[: len(folded)]
            and len(folded) >= min(counts.core, len(members))
            # nothing new to fold yet stale: something else changed (an article re-analysed)
            and (folded != members or store.stale_mark(story_id) is None)
            and not state.reanalysed()
        )
    if not members:
        return False
    first: Sequence[AnalyzedArticle] = ()
    if len(members) <= exact:
        mark, articles = store.story_state(story_id)
        if core_length(articles, options) >= len(articles):
            return _write_exact(story_id, articles, mark, options, store, embedder)
        first = articles
    if usable and counts is not None and len(folded) <= (counts.core or 0):
        # nothing folded past the core yet: the core may have grown with the new articles
        first = first or store.analyses(members[:exact])
        usable = core_length(first, options) == counts.core
    if not usable:
        first = first or store.analyses(members[:exact])
        size = core_length(first, options)
        delta, _, _ = core_step(story_id, first[:size], options, embedder)
        with store.transaction():
            if store.members_of(story_id)[:size] != members[:size]:
                return False  # changed meanwhile: still stale, the next pass starts over
            state.reset(fingerprint(options), size)
            state.apply(delta)
            publish(store, state, [], options, full=True, final=False)
    return _fold_rest(story_id, options, store, embedder)


def core_length(articles: Sequence[AnalyzedArticle], options: Options) -> int:
    """How many of a story's first articles (join order) make its exact core: at most
    ``exact_articles``, with no more than ``exact_sentences`` sentences (the first always)."""
    limit = options.dossier.exact_sentences
    total = 0
    for k, a in enumerate(articles[: options.dossier.exact_articles]):
        total += len(a.sentences)
        if k and total > limit:
            return k
    return min(len(articles), options.dossier.exact_articles)


def _write_exact(
    story_id: int,
    articles: Sequence[AnalyzedArticle],
    mark: int | None,
    options: Options,
    store: Store,
    embedder: LazyEmbedder,
) -> bool:
    """Write a small story's exact dossier and its state in one transaction."""
    if not articles:
        return False
    delta, dossier, edges = core_step(story_id, articles, options, embedder)
    state = FoldStore(store, story_id)
    with store.transaction():
        if not store.put_story_outputs(dossier, edges, mark):  # False: changed meanwhile
            return False
        state.reset(fingerprint(options), len(articles))
        state.apply(delta)
    return True


def _fold_rest(story_id: int, options: Options, store: Store, embedder: LazyEmbedder) -> bool:
    """Fold the articles the state lacks, chunk by chunk, each chunk publishing what it
    touched; the dossier is assembled when it is read (``store.published``)."""
    state = FoldStore(store, story_id)
    load = _loader(store)
    embed = _embedding(state, embedder)
    while True:
        with store.transaction():
            mark = store.stale_mark(story_id)
            members = store.members_of(story_id)
            folded = state.folded()
            if not members or folded != members[: len(folded)]:
                return False  # changed meanwhile: still stale, the next pass starts over
            started = time.monotonic()
            deltas: list[StoryDelta] = []
            for aid in members[len(folded) :]:
                counts = state.counts()
                assert counts is not None
                article = load([aid])
                if article:
                    deltas.append(fold_step(article[0], state, counts, options, embed, load))
                    state.apply(deltas[-1])
                if time.monotonic() - started > FOLD_CHUNK_S:
                    break
            # a story that wrote whole dossiers until now publishes every part once
            final = state.folded() == members
            publish(store, state, deltas, options, full=due(store, story_id) is None, final=final)
            if final:
                return store.clear_stale(story_id, mark)


def core_step(
    story_id: int,
    articles: Sequence[AnalyzedArticle],
    options: Options,
    embedder: LazyEmbedder | None,
) -> tuple[StoryDelta, Dossier, tuple[LineageEdge, ...]]:
    """The exact core: today's all-pairs dossier of the articles, and its state rows."""
    from storydesk.cluster.score import central_article
    from storydesk.crosscheck.facts import crosscheck
    from storydesk.crosscheck.fold import FACT_KINDS, core_members, core_quotes
    from storydesk.crosscheck.quotes import group_quotes, occurrences
    from storydesk.dossier.build import build_dossier
    from storydesk.dossier.digest import folded_article
    from storydesk.lineage.derivation import find_lineage

    lineage = find_lineage(articles, options)
    facts, conflicts = crosscheck(articles, lineage, options, embedder)
    dossier = build_dossier(story_id, articles, lineage, facts, conflicts, options)
    numbered, members = core_members(articles, facts)
    numbers = tuple(replace(f, number=n) for n, f in enumerate(dossier.facts))
    dossier = replace(dossier, facts=numbers)
    lead = central_article(articles)
    delta = StoryDelta(
        articles=tuple(folded_article(a) for a in articles),
        edges=lineage.edges,
        facts=tuple(numbered),
        members=tuple(members),
        conflicts=tuple(c for c in conflicts if c.kind in FACT_KINDS),
        quotes=tuple(core_quotes(articles, group_quotes(occurrences(articles)))),
        lead=lead.id if lead is not None else None,
    )
    return delta, dossier, lineage.edges


def fold_step(
    article: AnalyzedArticle,
    state: FoldStore,
    counts: FoldCounts,
    options: Options,
    embed: Callable[[Sequence[str]], Mapping[str, npt.NDArray[np.float32]] | None],
    load: Load,
) -> StoryDelta:
    """One article folded into a story's state: its lineage, facts, quotes and digest."""
    from storydesk.crosscheck.fold import fold_facts, fold_quotes
    from storydesk.dossier.digest import folded_article
    from storydesk.lineage.fold import fold_lineage

    found = folded_article(article)
    edges = fold_lineage(article, found.bands, state, load, options)
    facts = fold_facts(article, state, counts.units, counts.facts, embed, load)
    quotes = fold_quotes(article, state, counts.groups)
    return StoryDelta((found,), edges, facts.facts, facts.members, facts.conflicts, quotes)


def assembled(
    story_id: int, state: FoldStore, options: Options
) -> tuple[Dossier, tuple[LineageEdge, ...]]:
    """A story's dossier assembled from its stored state, and its lineage edges (read once)."""
    from storydesk.dossier.assemble import assemble

    snap = state.snapshot()
    assert snap is not None
    dossier = assemble(
        story_id,
        snap.articles,
        snap.facts,
        snap.members,
        snap.quotes,
        snap.edges,
        snap.conflicts,
        snap.counts.lead,
        options,
        snap.quote_conflicts,
    )
    return dossier, snap.edges


def stored_dossier(store: Store, story_id: int, options: Options) -> tuple[Dossier | None, bool]:
    """A story's dossier from what is stored (None: none yet) and whether it was assembled now:
    a story publishing parts is assembled from its state unless its cached dossier is current.
    Call inside a snapshot."""
    marked = due(store, story_id)
    if marked is not None and not marked.current and marked.folded > 0:
        return assembled(story_id, FoldStore(store, story_id), options)[0], True
    return store.dossier(story_id), False


def warm_next(store: Store, options: Options, failed: set[int] | None = None) -> int | None:
    """Assemble and cache one big story whose dossier is not cached since its last fold (the
    one folded longest ago); its id, or None when every cache is current. A long-running
    service calls this between rounds, so readers find big stories assembled. ``failed``:
    stories whose assembly raised, not tried again (the caller keeps the set)."""
    from storydesk.store.published import cache, stale_caches

    skip = failed if failed is not None else set()
    sid = next((s for s in stale_caches(store, len(skip) + 1) if s not in skip), None)
    if sid is None:
        return None
    skip.add(sid)  # until it is cached: an error is reported once, not on every round
    with store.snapshot():
        marked = due(store, sid)
        if marked is None or marked.current or marked.folded == 0:
            return None
        dossier, _ = assembled(sid, FoldStore(store, sid), options)
    cache(store, dossier, marked.folded)
    skip.discard(sid)
    return sid


def build_story(
    story_id: int,
    articles: Sequence[AnalyzedArticle],
    options: Options,
    embedder: LazyEmbedder | None = None,
) -> tuple[Dossier, tuple[LineageEdge, ...]]:
    """A story's dossier and lineage edges from its analysed articles (nothing is stored):
    exact for a small story, else the core and folds in a scratch database."""
    from storydesk.text.embed import LazyEmbedder

    ordered = sorted(articles, key=lambda a: a.id)
    lazy = embedder or LazyEmbedder(options)
    exact = core_length(ordered, options)
    if len(ordered) <= exact:
        _, dossier, edges = core_step(story_id, ordered, options, lazy)
        return dossier, edges
    by_id = {a.id: a for a in ordered}
    with Store(":memory:") as scratch:
        state = FoldStore(scratch, story_id)
        delta, _, _ = core_step(story_id, ordered[:exact], options, lazy)
        with scratch.transaction():
            state.reset(fingerprint(options), exact)
            state.apply(delta)
            embed = _embedding(state, lazy)

            def load(ids: Sequence[int]) -> list[AnalyzedArticle]:
                return [by_id[i] for i in ids if i in by_id]

            for a in ordered[exact:]:
                counts = state.counts()
                assert counts is not None
                state.apply(fold_step(a, state, counts, options, embed, load))
            quote_conflicts(scratch, state)
            return assembled(story_id, state, options)


def _loader(store: Store) -> Load:
    """Analyses by id, each read once per story update."""
    seen: dict[int, AnalyzedArticle] = {}

    def load(ids: Sequence[int]) -> list[AnalyzedArticle]:
        if len(seen) + len(ids) > LOADED:
            seen.clear()  # memory stays bounded however long the story
        missing = [i for i in ids if i not in seen]
        if missing:
            seen.update((a.id, a) for a in store.analyses(missing))
        return [seen[i] for i in ids if i in seen]

    return load


def _embedding(
    state: FoldStore, embedder: LazyEmbedder
) -> Callable[[Sequence[str]], Mapping[str, npt.NDArray[np.float32]] | None]:
    """Embeddings of sentences for the fold, None without the model. Cached by text, so a
    rebuild reuses what the incremental path embedded; what is missing is embedded in one
    batch, which a rebuild replaying the same folds forms alike."""

    def embed(texts: Sequence[str]) -> Mapping[str, npt.NDArray[np.float32]] | None:
        model = embedder.get()
        if model is None:
            return None
        found = state.embeddings(CACHE_KEY, texts)
        missing = [t for t in texts if t not in found]
        fresh = dict(zip(missing, model.embed(missing), strict=True)) if missing else {}
        if fresh:
            state.put_embeddings(CACHE_KEY, fresh)
        return {**found, **fresh}

    return embed
