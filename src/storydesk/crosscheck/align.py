"""Sentence alignment: which sentences of a story's articles state the same fact.

Words choose the candidate pairs (idf-weighted Dice of content words above a low floor, so
that paraphrases sharing few words are still asked); the same-claim scorer
(``crosscheck.claims``: a logistic model over the embedding cosine, this idf-weighted Dice
and word, number, name and negation features) decides them, and only candidate sentences
are embedded. Without the model, the lexical threshold alone decides. Two sentences that
share only the story's common words (outside the articles' openings) are never aligned.
Facts are complete-link clusters: every pair of a fact's sentences must score at least
``LINK_FLOOR``, so facts do not chain. Sentences that are a direct quote with its
attribution and no claim of the writer's own belong to the quote book and are not fact units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck.claims import ClaimText, claim_text, same_claim_score
from storydesk.crosscheck.quotes import quote_sentence
from storydesk.model import AnalyzedArticle
from storydesk.text.embed import LazyEmbedder
from storydesk.text.features import (
    content_words,
    dice_matrix,
    entities_by_sentence,
    entity_key,
    idf,
)

# tuned on bench/data/align_pairs.jsonl (bench/align_pairs.py); see docs/benchmarks.md
LEXICAL_SAME = 0.3  # idf-weighted Dice at which two sentences state the same fact (no model)
PAIR_CHUNK = 8192  # pairs whose cosines are taken at once: memory stays bounded per story
LEXICAL_OPEN = 0.08  # ... below which they never do; above it the same-claim scorer decides
LEDE_BONUS = 0.05  # both sentences open their article: ledes of one story tend to agree
MEAN_SAME = 0.5  # mean score a merged fact must keep
LINK_FLOOR = 0.3  # score every pair of one fact's sentences must reach (complete link)
MIN_FACT_WORDS = 3  # sentences with fewer content words are not facts
COMMON_SHARE = 0.15  # words in this share of a story's sentences say what the story is about
MIN_COMMON = 4  # ... and in at least this many of them
OPENING = 2  # an article's first sentences, which may share only the story's words
NAME_PREFIX = 5  # letters of an entity word that two names must share ("israel"/"israeli")
ALIGN_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "EVENT", "FAC", "LOC"})

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Unit:
    """One alignable sentence."""

    article: int  # index into the articles
    sentence: int  # index into that article's sentences
    words: frozenset[str]
    entities: frozenset[str]
    speakers: frozenset[str] = frozenset()  # who is quoted in the sentence


@dataclass(frozen=True)
class Alignment:
    """Pairwise 'same fact' scores (>= 0.5 means same) and what the model was asked."""

    score: Matrix
    embedded: int = 0  # sentences embedded
    open_pairs: int = 0  # pairs the words left open
    seconds: float = 0.0  # time spent embedding
    note: str = ""  # why embeddings were not used, when they were wanted


def sentence_units(articles: Sequence[AnalyzedArticle]) -> list[Unit]:
    """The sentences with enough content words to state a fact."""
    units: list[Unit] = []
    for a_index, article in enumerate(articles):
        inside = entities_by_sentence(article)
        for s_index, sentence in enumerate(article.sentences):
            words = frozenset(content_words(sentence.text))
            if len(words) < MIN_FACT_WORDS or quote_sentence(article, s_index):
                continue
            ents = frozenset(
                entity_key(e.canonical or e.text)
                for e in inside[s_index]
                if e.label in ALIGN_LABELS
            )
            speakers = frozenset(
                entity_key(q.speaker.name)
                for q in article.quotes
                if q.speaker is not None
                and q.speaker.name
                and sentence.start <= q.start < sentence.end
            )
            units.append(Unit(a_index, s_index, words, ents, speakers))
    return units


def lexical_similarity(units: Sequence[Unit]) -> Matrix:
    """Idf-weighted Dice of content words; 0 within an article, or when the entities or the
    quoted speakers of the two sentences are disjoint."""
    # idf is over the story's sentences, so words every article repeats weigh little
    bags = [u.words for u in units]
    sim = dice_matrix(bags, bags, idf(bags))
    article = np.array([u.article for u in units])
    sim[article[:, None] == article[None, :]] = 0.0
    # sharing only the story's own words ("Kazakhstan", "Abraham Accords") is no evidence of
    # one claim; the openings of two articles are exempt, as they tell the story's main claim
    specific = shared_specific(bags)
    ledes = np.array([u.sentence < OPENING for u in units], dtype=bool)
    sim[~(specific | (ledes[:, None] & ledes[None, :]))] = 0.0
    names = [entity_words(u.entities) for u in units]
    entities, speakers = [u.entities for u in units], [u.speakers for u in units]
    # ``compatible`` for every pair at once
    clash = _both(entities) & ~_meet(entities) & ~_meet(names)
    clash |= _both(speakers) & ~_meet(speakers)
    sim[clash] = 0.0
    return sim


def _meet(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.bool_]:
    """Which pairs of sets share a member."""
    vocab = {w: k for k, w in enumerate(sorted({w for s in sets for w in s}))}
    marks = np.zeros((len(sets), len(vocab)), dtype=np.float32)
    for i, members in enumerate(sets):
        for w in members:
            marks[i, vocab[w]] = 1.0
    return np.asarray((marks @ marks.T) > 0, dtype=bool)


def _both(sets: Sequence[frozenset[str]]) -> npt.NDArray[np.bool_]:
    """Which pairs of sets are both non-empty."""
    full = np.array([bool(s) for s in sets], dtype=bool)
    return np.asarray(full[:, None] & full[None, :], dtype=bool)


def entity_words(entities: frozenset[str]) -> frozenset[str]:
    """The words of a sentence's entity keys, cut to NAME_PREFIX letters ("mohammed bin
    salman al saud" meets "bin salman", "kazakh" meets "kazakhstan")."""
    return frozenset(w[:NAME_PREFIX] for e in entities for w in e.split() if len(w) > 2)


def compatible(a: Unit, b: Unit, a_names: frozenset[str], b_names: frozenset[str]) -> bool:
    """Whether two sentences may state one claim: their entities share a name word and their
    quoted speakers one speaker, where both have any."""
    if a.entities and b.entities and not a.entities & b.entities and not a_names & b_names:
        return False
    return not (a.speakers and b.speakers and not a.speakers & b.speakers)


def shared_specific(bags: Sequence[frozenset[str]]) -> npt.NDArray[np.bool_]:
    """Which pairs of sentences share a word that is not common across the story."""
    counts: dict[str, int] = {}
    for bag in bags:
        for w in bag:
            counts[w] = counts.get(w, 0) + 1
    floor = max(MIN_COMMON, COMMON_SHARE * len(bags))
    # only words of two sentences or more can be shared: one column each (most words are in
    # one sentence); a sentence shares with itself any specific word it has
    vocab = {w: k for k, w in enumerate(sorted(w for w, c in counts.items() if 2 <= c < floor))}
    marks = np.zeros((len(bags), len(vocab)), dtype=np.float32)
    for i, bag in enumerate(bags):
        for w in bag:
            if w in vocab:
                marks[i, vocab[w]] = 1.0
    out = np.asarray((marks @ marks.T) > 0, dtype=bool)
    np.fill_diagonal(out, [any(counts[w] < floor for w in bag) for bag in bags])
    return out


def pair_cosines(
    found: npt.NDArray[np.float32], li: npt.NDArray[np.intp], ri: npt.NDArray[np.intp]
) -> npt.NDArray[np.float32]:
    """Dot products of rows ``found[li[k]]`` and ``found[ri[k]]``, a chunk of pairs at a time."""
    parts = [
        (found[li[k : k + PAIR_CHUNK]] * found[ri[k : k + PAIR_CHUNK]]).sum(axis=1)
        for k in range(0, len(li), PAIR_CHUNK)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def align(
    articles: Sequence[AnalyzedArticle], units: Sequence[Unit], embedder: LazyEmbedder | None
) -> Alignment:
    """Same-fact scores: words for clear pairs, embeddings for the open ones when available."""
    lexical = lexical_similarity(units)
    rows, cols = np.nonzero(np.triu(lexical >= LEXICAL_OPEN, k=1))
    texts = [articles[u.article].sentences[u.sentence].text for u in units]
    # a sentence copied word for word needs no model: its cosine with the copy is 1
    fresh = np.array([texts[i] != texts[j] for i, j in zip(rows, cols, strict=True)], dtype=bool)
    model = embedder.get() if embedder is not None and fresh.any() else None
    if model is None and fresh.any():
        note = embedder.error or "" if embedder is not None else ""
        return Alignment(np.where(lexical >= LEXICAL_SAME, 0.5 + lexical / 2, lexical), note=note)
    cos = np.ones(len(rows), dtype=np.float64)
    embedded, seconds = 0, 0.0
    if model is not None:
        r, c = rows[fresh].tolist(), cols[fresh].tolist()
        distinct = sorted({texts[i] for i in r} | {texts[j] for j in c})  # each text once
        before = model.seconds
        found = embedder.embed(distinct) if embedder is not None else None
        assert found is not None  # the model is loaded
        row_of = {t: k for k, t in enumerate(distinct)}
        li = np.array([row_of[texts[i]] for i in r], dtype=np.intp)
        ri = np.array([row_of[texts[j]] for j in c], dtype=np.intp)
        cos[fresh] = pair_cosines(found, li, ri)
        embedded, seconds = len(distinct), model.seconds - before
    claims = {i: claim_text(texts[i]) for i in sorted(set(rows.tolist()) | set(cols.tolist()))}
    score = np.zeros_like(lexical)
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        ledes = units[i].sentence == 0 and units[j].sentence == 0
        score[i, j] = pair_score(claims[i], claims[j], float(lexical[i, j]), float(cos[k]), ledes)
    score = np.maximum(score, score.T)
    return Alignment(score, embedded, int(fresh.sum()), seconds)


def pair_score(a: ClaimText, b: ClaimText, lexical: float, cosine: float, ledes: bool) -> float:
    """One 'same fact' score (>= 0.5: same) of a candidate pair, from the same-claim scorer;
    0 for pairs whose words are too far apart to be asked."""
    if lexical < LEXICAL_OPEN:
        return 0.0
    return min(1.0, same_claim_score(a, b, cosine, lexical) + LEDE_BONUS * ledes)


def align_facts(units: Sequence[Unit], score: Matrix) -> list[list[int]]:
    """Greedy complete-link clustering of units, strongest pairs first, one sentence per
    article per fact."""
    cluster_of = list(range(len(units)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(units))}
    rows, cols = np.nonzero(np.triu(score >= 0.5, k=1))
    order = sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: -score[p])
    for i, j in order:
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj:
            continue
        a, b = members[ci], members[cj]
        if {units[k].article for k in a} & {units[k].article for k in b}:
            continue
        cross = score[np.ix_(a, b)]
        if float(cross.mean()) < MEAN_SAME or float(cross.min()) < LINK_FLOOR:
            continue
        keep, drop = min(ci, cj), max(ci, cj)
        members[keep] = sorted(a + b)
        for k in members.pop(drop):
            cluster_of[k] = keep
    return [members[k] for k in sorted(members)]


@dataclass(frozen=True)
class SentencePair:
    """Two sentences, one of each article, with their 'same fact' score and decision."""

    a: int  # sentence index in the left article
    b: int  # sentence index in the right article
    score: float
    same: bool  # the dossier's exact core puts both in one fact


def align_articles(
    left: AnalyzedArticle, right: AnalyzedArticle, embedder: LazyEmbedder | None
) -> tuple[SentencePair, ...]:
    """Sentence pairs of two articles with a score above 0: those of one fact first (by
    sentence), then the near misses (strongest first)."""
    from storydesk.crosscheck.precision import split_disagreeing  # no cycle through facts

    units = sentence_units([left, right])
    score = align([left, right], units, embedder).score
    score = split_disagreeing([left, right], units, score)
    clusters = align_facts(units, score)
    together = {
        (min(i, j), max(i, j)) for members in clusters for i in members for j in members if i < j
    }
    out: list[SentencePair] = []
    for i, ui in enumerate(units):
        for j, uj in enumerate(units):
            if ui.article != 0 or uj.article != 1 or score[i, j] <= 0:
                continue
            pair = (min(i, j), max(i, j))
            out.append(SentencePair(ui.sentence, uj.sentence, float(score[i, j]), pair in together))
    return tuple(sorted(out, key=lambda p: (not p.same, p.a if p.same else -p.score, p.a, p.b)))
