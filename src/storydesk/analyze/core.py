"""The analyze stage: articles in, analysed articles out, one model load per call."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from storydesk.analyze.attributions import find_attributions
from storydesk.analyze.credits import find_credits
from storydesk.analyze.entities import find_entities
from storydesk.analyze.nlp import Parsed, find_sentences, load_nlp, parse_articles
from storydesk.analyze.numbers import find_numbers
from storydesk.analyze.quotes import find_quotes, quote_context
from storydesk.analyze.times import find_times
from storydesk.model import AnalyzedArticle, Article
from storydesk.options import Options

MIN_ARTICLES_PER_WORKER = 16  # below this, starting processes costs more than it saves


def analyze_articles(articles: Sequence[Article], options: Options) -> list[AnalyzedArticle]:
    """Analyse a batch of articles with the model named in the options (in order)."""
    if not articles:
        return []
    workers = min(options.workers, len(articles) // MIN_ARTICLES_PER_WORKER)
    if workers > 1:
        return _in_pool(articles, options.spacy_model, workers)
    return analyze_with(load_nlp(options.spacy_model), articles)


def analyze_with(nlp: Any, articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """Analyse articles with an already loaded spaCy pipeline."""
    return [_analyze_parsed(p) for p in parse_articles(nlp, articles)]


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


def _analyze_parsed(parsed: Parsed) -> AnalyzedArticle:
    """Run every finder over one parsed article."""
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
    )


def _analyze_chunk(articles: Sequence[Article], model: str) -> list[AnalyzedArticle]:
    """Worker entry point: load the model once and analyse one chunk."""
    return analyze_with(load_nlp(model), articles)


def _in_pool(articles: Sequence[Article], model: str, workers: int) -> list[AnalyzedArticle]:
    """Split the batch into one contiguous chunk per worker process, keeping the order."""
    size = -(-len(articles) // workers)
    chunks = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
        results = pool.map(_analyze_chunk, chunks, [model] * len(chunks))
        return [a for chunk in results for a in chunk]
