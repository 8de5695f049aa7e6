"""Boilerplate learned per outlet: edge lines that recur across many of its articles."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace

from storydesk.model import Article, RemovedLine

HEAD_LINES = 2  # lines at the top of a body where promos and standfirst debris sit
TAIL_LINES = 3  # lines at the bottom: footers, newsletter asks, "more from" links
MAX_LINE_WORDS = 40  # longer lines are taken as body text, never learned
MIN_ARTICLES = 3  # a line is boilerplate once this many articles of one outlet carried it


def line_key(line: str) -> str:
    """The hash a line is counted under (case and whitespace ignored)."""
    return hashlib.sha256(" ".join(line.split()).casefold().encode()).hexdigest()


def edge_lines(article: Article) -> list[tuple[str, str]]:
    """(hash, line) of the short lines at the top and bottom of an article's body."""
    paragraphs = article.paragraphs
    picked = list(paragraphs[:HEAD_LINES])
    picked += [p for p in paragraphs[max(HEAD_LINES, len(paragraphs) - TAIL_LINES) :]]
    out: list[tuple[str, str]] = []
    for line in picked:
        key = line_key(line)
        if len(line.split()) <= MAX_LINE_WORDS and all(key != k for k, _ in out):
            out.append((key, line))
    return out


def strip_learned(article: Article, counts: Mapping[str, int], outlet: str) -> Article:
    """The article without edge lines that ``MIN_ARTICLES`` or more articles of the outlet carry."""
    learned = {
        key: counts[key] for key, _ in edge_lines(article) if counts.get(key, 0) >= MIN_ARTICLES
    }
    if not learned:
        return article
    kept: list[str] = []
    removed = list(article.removed)
    for paragraph in article.paragraphs:
        n = learned.get(line_key(paragraph))
        if n is None:
            kept.append(paragraph)
        else:
            reason = f"recurs in {n} articles of {outlet} (learned boilerplate)"
            removed.append(RemovedLine(paragraph, reason))
    if not kept:
        return article  # everything recurs: not boilerplate around a body, keep it whole
    return replace(article, paragraphs=tuple(kept), removed=tuple(removed))
