"""Same-claim scorer: a logistic model over a sentence pair's embedding cosine and word features.

The weights (``claim_weights``) are trained by ``bench/align_msrp.py --train`` on the part of
the MSR paraphrase corpus (news sentences from different outlets) that is not held out plus
the labelled pairs of the ECB+ tuning topics (never the held-out ones). The features are
computed from the two texts and their idf-weighted word overlap among the sentences at hand
(the story's, in the dossier), so the exact core, the fold and ``compare`` score a pair the
same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from storydesk.crosscheck import claim_weights as weights
from storydesk.text.features import STOPWORDS, content_of, content_words, normalize_text, tokens

FEATURES = (
    "cosine",
    "cosine_sq",
    "dice",
    "plain_dice",
    "containment",
    "bigrams",
    "fuzzy",
    "numbers_agree",
    "numbers_clash",
    "names_dice",
    "names_clash",
    "length_ratio",
    "negation_clash",
    "story_dice",
)
_MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september",
    "oct": "october", "nov": "november", "dec": "december",
}  # fmt: skip
NAMES_ONLY_COSINE = 0.75  # cosine from which two sentences sharing only names may be one claim
_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "nobody", "nothing", "neither"})
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][A-Za-z]+")
_OPENING_NAME = re.compile(r"^[\"“‘']?([A-Z][A-Za-z]+)\s+[A-Z][A-Za-z]+")  # "Premier Ola Varn"
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class ClaimText:
    """What the scorer reads of one sentence."""

    words: frozenset[str]  # content words, month names spelled out
    bigrams: frozenset[tuple[str, str]]  # adjacent tokens
    plain_words: frozenset[str]  # content words that are not names
    numbers: frozenset[str]  # content words holding digits
    names: frozenset[str]  # capitalised words not opening the sentence
    negated: bool
    plain: str  # normalised, case-folded text for the fuzzy ratio


def claim_text(text: str) -> ClaimText:
    """The scorer's view of one sentence."""
    toks = tokens(text)
    words = frozenset(_MONTHS.get(w, w) for w in content_of(toks))  # = content_words(text)
    plain_text = normalize_text(text)
    found = [m.group(0) for m in _NAME.finditer(plain_text)]
    opening = _OPENING_NAME.match(plain_text)  # a capitalised run opening the sentence
    if opening:
        found.append(opening.group(1))
    names = frozenset(n.lower() for n in found) - STOPWORDS
    return ClaimText(
        words=words,
        bigrams=frozenset(pairwise(toks)),
        plain_words=words - frozenset(_MONTHS.get(n, n) for n in names) - _stems(names),
        numbers=frozenset(w for w in words if _DIGITS.search(w)),
        names=frozenset(_MONTHS.get(n, n) for n in names),
        negated=any(t in _NEGATIONS or t.endswith("n't") for t in toks),
        plain=" ".join(toks),
    )


def _stems(names: frozenset[str]) -> frozenset[str]:
    """Names as content words spell them (stemmed: "Accords" is "accord")."""
    return frozenset(w for n in names for w in content_words(n))


def _dice(a: frozenset[object], b: frozenset[object]) -> float:
    """Dice coefficient of two sets (0 when either is empty)."""
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def claim_features(a: ClaimText, b: ClaimText, cosine: float, lexical: float) -> list[float]:
    """The feature vector of a pair, in ``FEATURES`` order (``lexical``: idf-weighted Dice
    of the two sentences' content words, idf over the sentences at hand)."""
    shared = len(a.words & b.words)
    smaller = min(len(a.words), len(b.words))
    both_numbers = bool(a.numbers and b.numbers)
    both_names = bool(a.names and b.names)
    return [
        cosine,
        cosine * cosine,
        _dice(a.words, b.words),
        _dice(a.plain_words, b.plain_words),
        shared / smaller if smaller else 0.0,
        _dice(a.bigrams, b.bigrams),
        fuzz.token_set_ratio(a.plain, b.plain) / 100.0,
        _dice(a.numbers, b.numbers) if both_numbers else 0.5,
        float(both_numbers and not a.numbers & b.numbers),
        _dice(a.names, b.names) if both_names else 0.5,
        float(both_names and not a.names & b.names),
        smaller / max(len(a.words), len(b.words), 1),
        float(a.negated != b.negated),
        lexical,
    ]


def claim_logit(features: Sequence[float]) -> float:
    """The model's log-odds that the pair states the same claim."""
    z = weights.INTERCEPT
    for x, mean, scale, coef in zip(
        features, weights.MEANS, weights.SCALES, weights.COEFS, strict=True
    ):
        z += coef * (x - mean) / scale
    return z


def same_claim_probability(a: ClaimText, b: ClaimText, cosine: float, lexical: float) -> float:
    """Probability (MSRP-calibrated) that two sentences state the same claim."""
    return _sigmoid(claim_logit(claim_features(a, b, cosine, lexical)))


def same_claim_score(a: ClaimText, b: ClaimText, cosine: float, lexical: float) -> float:
    """The dossier's 'same fact' score: >= 0.5 means one claim (cut tuned on ECB+ pairs);
    0 when the two share only names (a claim also needs a word of what is said of them)."""
    names_only = a.plain_words and b.plain_words and not a.plain_words & b.plain_words
    if names_only and cosine < NAMES_ONLY_COSINE:
        return 0.0
    return _sigmoid(claim_logit(claim_features(a, b, cosine, lexical)) - weights.DOSSIER_SHIFT)


def _sigmoid(z: float) -> float:
    """Logistic function, safe for large magnitudes."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
