"""Lineage: exact and near duplicates, rewrites, and the independent-source groups they imply.

Pairs are first found without comparing all of them (``candidate_pairs``: MinHash LSH over
word 5-grams for near-duplicates and over vocabularies for rewrites, then a vocabulary
overlap check), then compared: identical text, word 5-gram shingle Jaccard, and an
order-preserving sentence alignment for rewrites and paraphrases. Articles that relay the
same agency (``storydesk.lineage.relays``) count as one source too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storydesk.lineage.groups import independence_groups
from storydesk.lineage.relays import relay_edges, relays
from storydesk.model import AnalyzedArticle, EdgeKind, Lineage, LineageEdge
from storydesk.options import Options
from storydesk.text.features import (
    content_of,
    content_words,
    dice_matrix,
    entities_by_sentence,
    entity_key,
    jaccard,
    normalize_text,
    shingles,
    tokens,
)
from storydesk.text.minhash import lsh_pairs, permutations, signature

TRIMMED_COPY_SHARE = 0.8  # aligned share of the shorter text that marks a trimmed copy
ALIGN_DICE = 0.35  # content-word Dice at which two sentences count as the same sentence
MIN_SENTENCE_WORDS = 3  # sentences with fewer content words are not counted or aligned
MIN_ALIGNED = 3  # fewest aligned sentences for a rewrite (2 when the shorter text is that short)
CANDIDATE_OVERLAP = 0.25  # share of the smaller vocabulary two articles must share to compare
SUPERSET_COVERAGE = 0.9  # share of the smaller text found in the larger one for "superset"
SUPERSET_EXTRA = 1.2  # the larger text must be at least this much longer
SHINGLE_BANDS = (32, 4)  # LSH bands × rows over 5-grams: pairs above Jaccard ≈ 0.42 meet
VOCABULARY_BANDS = (64, 2)  # ... over vocabularies: above Jaccard ≈ 0.13 (rewrites)
ALIGN_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "EVENT", "FAC", "LOC"})


@dataclass(frozen=True)
class ArticleFeatures:
    """What lineage compares for one article."""

    text: str  # normalised text, for exact duplicates
    shingles: frozenset[tuple[str, ...]]
    vocabulary: frozenset[str]
    sentences: tuple[frozenset[str], ...]  # content words per alignable sentence
    sentence_entities: tuple[frozenset[str], ...]
    sentence_index: tuple[int, ...]  # position of each alignable sentence in the article


def article_features(article: AnalyzedArticle) -> ArticleFeatures:
    """Features of one article for duplicate and rewrite detection."""
    bags: list[frozenset[str]] = []
    ents: list[frozenset[str]] = []
    index: list[int] = []
    inside = entities_by_sentence(article)
    for i, sentence in enumerate(article.sentences):
        words = frozenset(content_words(sentence.text))
        if len(words) < MIN_SENTENCE_WORDS:
            continue
        bags.append(words)
        ents.append(
            frozenset(
                entity_key(e.canonical or e.text) for e in inside[i] if e.label in ALIGN_LABELS
            )
        )
        index.append(i)
    toks = tokens(article.text)  # once for both
    return ArticleFeatures(
        text=normalize_text(article.text).casefold(),
        shingles=frozenset(shingles(toks)),
        vocabulary=frozenset(content_of(toks)),
        sentences=tuple(bags),
        sentence_entities=tuple(ents),
        sentence_index=tuple(index),
    )


def find_lineage(articles: Sequence[AnalyzedArticle], options: Options) -> Lineage:
    """Derivation edges between articles and the independent-source groups they imply."""
    features = [article_features(a) for a in articles]
    edges: list[LineageEdge] = []
    for i, j in candidate_pairs(features):
        edge = compare(articles[i], features[i], articles[j], features[j], options)
        if edge is not None:
            edges.append(edge)
    linked = {frozenset((e.derived, e.source)) for e in edges}
    edges.extend(e for e in relay_edges(articles) if frozenset((e.derived, e.source)) not in linked)
    found = relays(articles)
    ids = [a.id for a in articles]
    return Lineage(
        edges=tuple(edges),
        groups=independence_groups(ids, edges, found),
        relays=tuple(sorted(found.items())),
    )


def candidate_pairs(features: Sequence[ArticleFeatures]) -> list[tuple[int, int]]:
    """Index pairs (i < j) that MinHash LSH brings together and that share enough words."""
    coefficients = permutations()
    pairs = lsh_pairs([signature(f.shingles, coefficients) for f in features], *SHINGLE_BANDS)
    pairs |= lsh_pairs([signature(f.vocabulary, coefficients) for f in features], *VOCABULARY_BANDS)
    same_text: dict[str, list[int]] = {}
    for i, f in enumerate(features):
        same_text.setdefault(f.text, []).append(i)
    for members in same_text.values():
        pairs.update((i, j) for k, i in enumerate(members) for j in members[k + 1 :])
    return sorted(p for p in pairs if _worth_comparing(features[p[0]], features[p[1]]))


def _worth_comparing(fa: ArticleFeatures, fb: ArticleFeatures) -> bool:
    """Whether two articles share enough vocabulary (or, when wordless, their text)."""
    small = min(len(fa.vocabulary), len(fb.vocabulary))
    if not small:
        return fa.text == fb.text
    return len(fa.vocabulary & fb.vocabulary) / small >= CANDIDATE_OVERLAP


def compare(
    a: AnalyzedArticle,
    fa: ArticleFeatures,
    b: AnalyzedArticle,
    fb: ArticleFeatures,
    options: Options,
) -> LineageEdge | None:
    """The lineage edge between two articles, or None when they are independent."""
    if not fa.text or not fb.text:
        return None
    if fa.text == fb.text:
        return orient(a, b, EdgeKind.DUPLICATE, 1.0, "identical text", fa, fb, coverage=(1.0, 1.0))
    shingle_score = jaccard(fa.shingles, fb.shingles)
    if shingle_score >= options.lineage.near_duplicate:
        shared = len(fa.shingles & fb.shingles)
        cover = (
            shared / len(fa.shingles) if fa.shingles else 0.0,
            shared / len(fb.shingles) if fb.shingles else 0.0,
        )
        reason = f"word 5-gram Jaccard {shingle_score:.2f}"
        return orient(a, b, EdgeKind.NEAR_DUPLICATE, shingle_score, reason, fa, fb, coverage=cover)
    pairs = align_sentences(fa, fb)
    shorter = min(len(fa.sentences), len(fb.sentences))
    longer = max(len(fa.sentences), len(fb.sentences))
    if not shorter or len(pairs) < max(2, min(MIN_ALIGNED, shorter)):
        return None
    # Independent reports of one event share many facts, often in the same order, so a
    # rewrite needs most of *both* texts aligned, or nearly all of a shorter one (a trimmed
    # copy); aligning most of the shorter text alone is not enough.
    score = len(pairs) / longer
    if score < options.lineage.rewrite_threshold and len(pairs) / shorter < TRIMMED_COPY_SHARE:
        return None
    reason = (
        f"{len(pairs)} sentences align in order "
        f"({len(pairs)} of {len(fa.sentences)} and of {len(fb.sentences)})"
    )
    cover = (len(pairs) / len(fa.sentences), len(pairs) / len(fb.sentences))
    return orient(a, b, EdgeKind.REWRITE, score, reason, fa, fb, coverage=cover)


def sentence_similarity(fa: ArticleFeatures, fb: ArticleFeatures) -> npt.NDArray[np.float64]:
    """Dice of content words for every sentence pair; 0 where both name entities, none shared."""
    sim = dice_matrix(fa.sentences, fb.sentences)
    for i, ea in enumerate(fa.sentence_entities):
        if not ea:
            continue
        for j, eb in enumerate(fb.sentence_entities):
            if eb and not ea & eb:
                sim[i, j] = 0.0
    return sim


def align_sentences(fa: ArticleFeatures, fb: ArticleFeatures) -> list[tuple[int, int]]:
    """One-to-one, order-preserving sentence matches (positions in the articles' sentences)."""
    if not fa.sentences or not fb.sentences:
        return []
    sim = sentence_similarity(fa, fb)
    match = sim >= ALIGN_DICE
    n, m = match.shape
    # weighted LCS: maximise the number of matches, then their total similarity
    score = np.zeros((n + 1, m + 1), dtype=np.float64)
    gain = np.where(match, 1.0 + sim / 2.0, 0.0)  # a match always beats any similarity tiebreak
    for i in range(n):
        for j in range(m):
            diag = score[i, j] + gain[i, j] if match[i, j] else -1.0
            score[i + 1, j + 1] = max(score[i, j + 1], score[i + 1, j], diag)
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if match[i - 1, j - 1] and score[i, j] == score[i - 1, j - 1] + gain[i - 1, j - 1]:
            pairs.append((fa.sentence_index[i - 1], fb.sentence_index[j - 1]))
            i, j = i - 1, j - 1
        elif score[i - 1, j] >= score[i, j - 1]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def orient(
    a: AnalyzedArticle,
    b: AnalyzedArticle,
    kind: EdgeKind,
    score: float,
    reason: str,
    fa: ArticleFeatures,
    fb: ArticleFeatures,
    *,
    coverage: tuple[float, float],
) -> LineageEdge:
    """Direct an edge by publication time, then credits, then which text is the superset."""
    order = _publication_order(a.article.published, b.article.published)
    if order is not None:
        derived, source = (b, a) if order < 0 else (a, b)
        why = f"published {source.article.published} before {derived.article.published}"
        return _edge(derived, source, kind, score, f"{reason}; {why}")
    a_credits_b = _credits(a, b)
    b_credits_a = _credits(b, a)
    if a_credits_b != b_credits_a:
        derived, source = (a, b) if a_credits_b else (b, a)
        why = f"{derived.article.outlet or derived.id} credits {source.article.outlet}"
        return _edge(derived, source, kind, score, f"{reason}; {why}")
    size_a = len(fa.sentences) or len(fa.shingles)
    size_b = len(fb.sentences) or len(fb.shingles)
    if coverage[0] >= SUPERSET_COVERAGE and size_b >= SUPERSET_EXTRA * size_a:
        return _edge(a, b, kind, score, f"{reason}; article {b.id} holds all of {a.id} and more")
    if coverage[1] >= SUPERSET_COVERAGE and size_a >= SUPERSET_EXTRA * size_b:
        return _edge(b, a, kind, score, f"{reason}; article {a.id} holds all of {b.id} and more")
    derived, source = (a, b) if a.id > b.id else (b, a)
    return LineageEdge(
        derived=derived.id,
        source=source.id,
        kind=kind,
        score=round(score, 3),
        directed=False,
        evidence=f"{reason}; direction unknown",
    )


def _edge(
    derived: AnalyzedArticle, source: AnalyzedArticle, kind: EdgeKind, score: float, evidence: str
) -> LineageEdge:
    """A directed edge."""
    return LineageEdge(derived.id, source.id, kind, round(score, 3), True, evidence)


def _publication_order(a: str | None, b: str | None) -> int | None:
    """-1 when a was published first, 1 when b was, None when unknown or the same."""
    ta, tb = _parse_when(a), _parse_when(b)
    if ta is None or tb is None:
        return None
    (da, ha), (db, hb) = ta, tb
    if da != db:
        return -1 if da < db else 1
    if ha is not None and hb is not None and ha != hb:
        return -1 if ha < hb else 1
    return None


def _parse_when(value: str | None) -> tuple[dt.date, dt.datetime | None] | None:
    """The date of an ISO date/datetime, with the datetime when a time is given."""
    if not value:
        return None
    try:
        if len(value) > 10:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            return moment.date(), moment
        return dt.date.fromisoformat(value), None
    except ValueError:
        return None


def _credits(a: AnalyzedArticle, b: AnalyzedArticle) -> bool:
    """Whether article a credits the outlet of article b."""
    outlet = (b.article.outlet or "").casefold().strip()
    if not outlet:
        return False
    for credit in a.credits:
        name = credit.name.casefold().strip()
        if name and (name == outlet or name in outlet or outlet in name):
            return True
    return False
