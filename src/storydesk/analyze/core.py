"""The analyze stage: articles in, analysed articles out, the model loaded once per run."""

from __future__ import annotations

import functools
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from storydesk.analyze.finders.attributions import find_attributions
from storydesk.analyze.finders.credits import find_credits
from storydesk.analyze.finders.entities import find_entities
from storydesk.analyze.finders.headlines import find_headline_quotes, headline_article
from storydesk.analyze.finders.numbers import find_numbers
from storydesk.analyze.finders.quotes import find_quotes, quote_context
from storydesk.analyze.nlp import Parsed, find_sentences, load_nlp, parse_articles
from storydesk.analyze.times.find import find_times
from storydesk.errors import MissingExtraError
from storydesk.model import AnalyzedArticle, Article
from storydesk.options import Options

MIN_ARTICLES_PER_WORKER = 16  # below this, handing work to processes costs more than it saves
CHUNKS_PER_SHARE = 4  # chunks handed to each worker per batch, for load balance
CHUNK_MIN = 4  # articles per chunk at the least (each chunk is pickled both ways)
PARENT_CHECK_S = 1.0  # how often a worker checks that the run that started it is alive
Analyze = Callable[[Sequence[Article]], list[AnalyzedArticle]]


def analyze_articles(articles: Sequence[Article], options: Options) -> list[AnalyzedArticle]:
    """Analyse a batch of articles with the model named in the options (in order)."""
    if not articles:
        return []
    with analyzer(options) as analyze:
        return analyze(articles)


@contextmanager
def analyzer(options: Options) -> Iterator[Analyze]:
    """A function that analyses batch after batch, loading the model (or worker pool) once.

    The model loads on the first batch in this process; worker processes start only for a
    batch big enough to share, then take every later batch, each with its own model, until
    the block ends.
    """
    nlp: list[Any] = []
    pool: list[ProcessPoolExecutor] = []
    broken: list[BaseException] = []  # once a pool breaks, the rest of the run stays in-process
    workers = resolve_workers(options.workers)

    def analyze(articles: Sequence[Article]) -> list[AnalyzedArticle]:
        """Analyse one batch, in order."""
        shares = min(workers, len(articles) // MIN_ARTICLES_PER_WORKER)
        # once workers hold the model, every batch goes to them: no second load in this process
        if not broken and (pool or shares > 1):
            if not pool:
                pool.append(_start_pool(options.spacy_model, workers))
            try:
                return _in_pool(pool[0], articles, options.spacy_model, max(shares, 1))
            except BrokenProcessPool as exc:  # a worker died (or could not start): go on here
                broken.append(exc)
                pool.pop().shutdown(cancel_futures=True)
        if not nlp:
            nlp.append(load_nlp(options.spacy_model))
        return analyze_with(nlp[0], articles)

    try:
        yield analyze
    finally:
        for executor in pool:
            executor.shutdown(cancel_futures=True)


def analyze_each(analyze: Analyze, articles: Sequence[Article]) -> list[AnalyzedArticle | str]:
    """A batch's analyses; when the batch fails, each article alone, and why those that fail do."""
    try:
        return list(analyze(articles))
    except MissingExtraError:
        raise
    except Exception as exc:  # one bad article must not sink the batch: retry one by one
        if len(articles) == 1:
            return [_failed(exc)]
    out: list[AnalyzedArticle | str] = []
    for article in articles:
        try:
            out.extend(analyze([article]))
        except MissingExtraError:
            raise
        except Exception as exc:
            out.append(_failed(exc))
    return out


def _failed(exc: Exception) -> str:
    """Why an article's analysis failed, in one line."""
    return f"analysis failed: {type(exc).__name__}: {' '.join(str(exc).split())}"


def batch_size(options: Options) -> int:
    """Articles per analysis batch: each batch is stored before the next begins, and with
    workers a batch of 64 or more keeps them busy (measured 20 vs 17 articles/s at 32)."""
    return max(64, 2 * MIN_ARTICLES_PER_WORKER * resolve_workers(options.workers))


def resolve_workers(requested: int) -> int:
    """Worker processes to use: as asked, or one per CPU core (at most 4) for 0."""
    if requested > 0:
        return requested
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def analyze_with(nlp: Any, articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """Analyse articles with an already loaded spaCy pipeline."""
    heads = [headline_article(a) for a in articles]  # titles that may quote, parsed alongside
    parsed = parse_articles(nlp, [*articles, *(h for h in heads if h is not None)])
    extra = iter(parsed[len(articles) :])
    return [
        _analyze_parsed(p, None if h is None else next(extra))
        for p, h in zip(parsed[: len(articles)], heads, strict=True)
    ]


def analyze_text(
    text: str, published: str | None, options: Options, nlp: Any = None
) -> AnalyzedArticle:
    """Analyse one body text (paragraphs separated by blank lines); offsets index ``text``."""
    article = Article(
        source="<text>",
        sha256="",
        title="",
        paragraphs=tuple(text.split("\n\n")),
        published=published,
    )
    if nlp is None:
        nlp = load_nlp(options.spacy_model)
    return analyze_with(nlp, [article])[0]


def _analyze_parsed(parsed: Parsed, headline: Parsed | None = None) -> AnalyzedArticle:
    """Run every finder over one parsed article (and its title and subtitle, when parsed)."""
    findings = find_entities(parsed)
    context = quote_context(parsed, findings)
    quotes = find_quotes(parsed, findings, context)
    return AnalyzedArticle(
        article=parsed.article,
        sentences=find_sentences(parsed),
        entities=findings.entities,
        quotes=quotes,
        times=find_times(parsed),
        credits=find_credits(parsed.blocks, findings.entities),
        attributions=find_attributions(context, quotes),
        numbers=find_numbers(parsed),
        headline_quotes=() if headline is None else find_headline_quotes(headline, findings),
    )


def _analyze_chunk(articles: Sequence[Article], model: str) -> list[AnalyzedArticle]:
    """Worker entry point: analyse one chunk with this process's model."""
    return analyze_with(_worker_nlp(model), articles)


@functools.lru_cache(maxsize=1)
def _worker_nlp(model: str) -> Any:
    """The model of this worker process, loaded on its first chunk and kept."""
    return load_nlp(model)


def _start_pool(model: str, workers: int) -> ProcessPoolExecutor:
    """Worker processes, spawned so that no parent state leaks in."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )


def _die_with_parent(parent: int) -> None:
    """Make this worker exit when its parent dies (killed runs left workers busy for hours)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="storydesk-parent-watch", daemon=True).start()


def _in_pool(
    pool: ProcessPoolExecutor, articles: Sequence[Article], model: str, shares: int
) -> list[AnalyzedArticle]:
    """Split the batch into contiguous chunks, a few per share so that no worker idles while
    another finishes a long chunk, and keep the order."""
    size = max(CHUNK_MIN, -(-len(articles) // (shares * CHUNKS_PER_SHARE)))
    chunks = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    results = pool.map(_analyze_chunk, chunks, [model] * len(chunks))
    return [a for chunk in results for a in chunk]
