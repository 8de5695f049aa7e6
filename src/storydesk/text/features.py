"""Shared text features for the global stages: tokens, content words, shingles, tf-idf.

Everything here is deterministic, dependency-light (numpy only) and free of state, so
lineage, cluster and crosscheck measure similarity the same way.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from storydesk.model import AnalyzedArticle, Entity, Sentence
from storydesk.text.canon import SHORT_FORMS
from storydesk.text.numbers import NUMBER_WORDS

_STOPWORD_TEXT = """
    a about above according across after afterwards again against all almost alone along
    already also although always am among amongst an and another any anyone anything anyway
    anywhere are around as at back be became because become becomes been before beforehand
    behind being below beside besides between beyond both but by can cannot could did do does
    doing done down due during each either else elsewhere enough even ever every everyone
    everything everywhere except few for former formerly from further get gets got had has
    have having he hence her here hereafter hereby herein hers herself him himself his how
    however i if in indeed into is it its itself just last latter least less made make many
    may me meanwhile might mine more moreover most mostly much must my myself namely neither
    never nevertheless next no nobody none noone nor not nothing now nowhere of off often on
    once one only onto or other others otherwise our ours ourselves out over own per perhaps
    please put quite rather re really said say says same see seem seemed seeming seems several
    she should show since so some somehow someone something sometime sometimes somewhere still
    such than that the their theirs them themselves then thence there thereafter thereby
    therefore therein thereupon these they this those though through throughout thru thus to
    together too toward towards under until up upon us used using very via was we well were
    what whatever when whence whenever where whereafter whereas whereby wherein whereupon
    wherever whether which while whither who whoever whole whom whose why will with within
    without would yet you your yours yourself yourselves told tell added later earlier
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’][A-Za-z0-9]+)*")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

Vector = dict[str, float]


def normalize_text(text: str) -> str:
    """Text with typographic quotes and dashes made plain and whitespace collapsed."""
    # the table maps only non-ASCII characters: ASCII text needs no translation
    return " ".join((text if text.isascii() else text.translate(_QUOTES)).split())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, possessives dropped, dotted abbreviations joined (U.S. → us)."""
    # tokens are ASCII: lower-casing ASCII text first gives the same words (any other text is
    # lower-cased word by word, as some non-ASCII letters lower-case to ASCII ones)
    plain = text if text.isascii() else text.translate(_QUOTES)
    if plain.isascii():
        found = _WORD.findall(plain.lower())
    else:
        found = [w.lower() for w in _WORD.findall(plain)]
    if not found:
        return []
    # one string op for all words: drop a final 's, then the dots; a word keeps its first
    # letter or digit, so none is left empty
    joined = ("\n".join(found) + "\n").replace("'s\n", "\n").replace(".", "")
    return joined.split("\n")[:-1]


def stem(word: str) -> str:
    """A light suffix stripper so that 'countries'/'country' and 'joined'/'joins' meet."""
    # every suffix below ends in s, g or d
    if len(word) <= 3 or word[-1] not in "sgd" or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ing") and len(word) > 5:
        return _undouble(word[:-3])
    if word.endswith("ed") and len(word) > 4:
        return _undouble(word[:-1] if word.endswith("eed") else word[:-2])
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _undouble(word: str) -> str:
    """Drop a doubled final consonant left by suffix stripping ('planned' → 'plan')."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Stemmed tokens without stopwords, one-letter words or bare punctuation."""
    return content_of(tokens(text))


def content_of(toks: Iterable[str]) -> list[str]:
    """``content_words`` of text already split into ``tokens``."""
    out: list[str] = []
    for word in toks:
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        if word in NUMBER_WORDS:
            out.append(str(NUMBER_WORDS[word]))
        elif len(word) <= 3 or word[-1] not in "sgd":  # ``stem``'s first test, inline
            out.append(word)
        else:
            out.append(stem(word))
    return out


def shingles(words: Sequence[str], n: int = 5) -> set[tuple[str, ...]]:
    """Word n-grams of a token sequence (the whole sequence when shorter than n)."""
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    """Jaccard similarity of two sets (0 when both are empty)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two sets (0 when both are empty)."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def idf(documents: Iterable[Iterable[str]]) -> Vector:
    """Smoothed inverse document frequency of each term over the documents at hand."""
    df: Counter[str] = Counter()
    n = 0
    for doc in documents:
        n += 1
        df.update(set(doc))
    return {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}


def tfidf(terms: Iterable[str], weights: Mapping[str, float]) -> Vector:
    """L2-normalised tf-idf vector (sublinear tf) of a bag of terms."""
    counts = Counter(terms)
    vec = {t: (1.0 + math.log(c)) * weights.get(t, 1.0) for t, c in counts.items()}
    return normalized(vec)


def normalized(vec: Mapping[str, float]) -> Vector:
    """The vector scaled to unit length (empty stays empty)."""
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors (their cosine when both are unit length)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def centroid(vectors: Sequence[Mapping[str, float]]) -> Vector:
    """Unit-length mean of sparse vectors."""
    total: dict[str, float] = {}
    for vec in vectors:
        for t, v in vec.items():
            total[t] = total.get(t, 0.0) + v
    return normalized(total)


def dice_matrix(
    left: Sequence[frozenset[str]],
    right: Sequence[frozenset[str]],
    weights: Mapping[str, float] | None = None,
) -> npt.NDArray[np.float64]:
    """Pairwise (optionally term-weighted) Dice coefficients between two lists of term sets."""
    # columns in term order, not set order: the float32 sums below (and the near-ties they
    # decide downstream) must not depend on the hash seed
    terms = sorted({term for bag in (*left, *right) for term in bag})
    vocab = {term: k for k, term in enumerate(terms)}
    w = np.ones(max(len(vocab), 1), dtype=np.float32)
    if weights is not None:
        for term, k in vocab.items():
            w[k] = weights.get(term, 1.0)
    a = _incidence(left, vocab)
    b = _incidence(right, vocab)
    inter = ((a * w) @ b.T).astype(np.float64)
    sizes = ((a @ w)[:, None] + (b @ w)[None, :]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(sizes > 0, 2.0 * inter / sizes, 0.0)
    return np.asarray(out, dtype=np.float64)


def _incidence(bags: Sequence[frozenset[str]], vocab: Mapping[str, int]) -> npt.NDArray[np.float32]:
    """0/1 matrix with one row per bag and one column per vocabulary term."""
    m = np.zeros((len(bags), max(len(vocab), 1)), dtype=np.float32)
    for i, bag in enumerate(bags):
        for term in bag:
            m[i, vocab[term]] = 1.0
    return m


def sentence_entities(article: AnalyzedArticle, sentence: Sentence) -> tuple[Entity, ...]:
    """Entity mentions that lie inside one sentence of the article."""
    return tuple(e for e in article.entities if e.start >= sentence.start and e.end <= sentence.end)


def entities_by_sentence(article: AnalyzedArticle) -> list[tuple[Entity, ...]]:
    """``sentence_entities`` of every sentence of the article, in one pass over its entities."""
    sentences = article.sentences
    # in order, without overlap, an entity of at least one character lies in at most one
    # sentence: the last one starting at or before it
    ordered = all(a.end <= b.start for a, b in pairwise(sentences))
    if not ordered or any(e.end <= e.start for e in article.entities):
        return [sentence_entities(article, s) for s in sentences]
    starts = [s.start for s in sentences]
    found: list[list[Entity]] = [[] for _ in sentences]
    for e in article.entities:
        k = bisect.bisect_right(starts, e.start) - 1  # the one sentence that may hold it
        if k >= 0 and e.end <= sentences[k].end:
            found[k].append(e)
    return [tuple(f) for f in found]


def sentence_index(article: AnalyzedArticle, offset: int) -> int | None:
    """Index of the sentence holding a character offset, or None."""
    for i, s in enumerate(article.sentences):
        if s.start <= offset < s.end:
            return i
    return None


def published_date(value: str | None) -> str | None:
    """The YYYY-MM-DD date part of an ISO date or datetime, or None."""
    if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def day_number(value: str | None) -> int | None:
    """Days since 0001-01-01 of an ISO date (for distances), or None."""
    date = published_date(value)
    if date is None:
        return None
    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return None


def entity_key(name: str) -> str:
    """A comparison key for an entity name: case, dots, a leading 'the' and common aliases."""
    key = " ".join(normalize_text(name).casefold().replace(".", "").split())
    key = key.removeprefix("the ")
    if key.endswith("'s"):
        key = key[:-2]
    full = SHORT_FORMS.get(key)  # "us", "uk": the one table of short forms (canon.py)
    return full.casefold() if full else key
