"""Quotations across a story's articles: one quote's occurrences, and how their wording differs.

Occurrences are grouped when their words are the same, one contains the other, or most of
the shorter one's words appear in order in the longer one. Within a group, two wordings
differ *materially* when words inside the part both quote were changed, added or removed;
punctuation, quote marks, case, contractions, determiners, ellipsis trims ("…") and
bracketed editorial insertions are not differences, and neither is quoting only part.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storydesk.model import AnalyzedArticle, QuoteKind
from storydesk.text.features import content_words, entity_key, normalize_text, sentence_index

QUOTE_SAME = 0.8  # word Jaccard at which two quotations are one quote worded differently
QUOTE_ALIGNED = 0.75  # share of the shorter quote's words found in order in the longer one
MIN_ALIGNED_WORDS = 5  # ... counted only for quotes of at least this many words
MIN_CONTAINED_CHARS = 20  # a quotation inside another is the same quote from this length
MIN_SPELLING_CHARS = 5  # shorter words differing by a letter are different words
SPELLING_SAME = 0.8  # character similarity of two spellings of one word
GAP = "\u2026"  # ellipsis token in word sequences
# words whose insertion, removal or exchange for one another does not change what was said
TRIVIAL = frozenset(
    {"a", "an", "the", "one", "this", "that", "these", "those", "and", "has", "have", "had"}
    | {"uh", "um", "oh"}
)
_CONTRACTIONS = (
    (re.compile(r"\b(it|that|he|she|what|there|here|who|where)'s\b", re.I), r"\1 is"),
    (re.compile(r"\bcan't\b", re.I), "can not"),
    (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"n't\b", re.I), " not"),
    (re.compile(r"'re\b", re.I), " are"),
    (re.compile(r"'ll\b", re.I), " will"),
    (re.compile(r"'ve\b", re.I), " have"),
    (re.compile(r"\bi'm\b", re.I), "i am"),
    (re.compile(r"'d\b", re.I), " would"),
)
_SPACED_APOSTROPHE = re.compile(r"\s*'\s*(s|m|re|ll|ve|d|t)\b")
_ON_THE_HOUR = re.compile(r"\b(\d{1,2})\s*:\s*00\b")
_TOKEN = re.compile(r"\.\.\.|\u2026|\[[^\]]*\]|[\w']+")


@dataclass(frozen=True)
class Occurrence:
    """One quotation as one article carries it."""

    article: int  # index into the articles
    sentence: int  # index into that article's sentences
    text: str  # the quotation as written
    speaker: str | None  # the name it is attributed to
    unnamed: str | None = None  # with no name: the attributing words ("a senior official")


def quote_key(text: str) -> str:
    """A quotation reduced for comparison: no quote marks or punctuation, case folded."""
    plain = normalize_text(text).casefold()
    return " ".join(re.sub(r"[^\w\s']", " ", plain).replace("'", "").split())


def quote_words(text: str) -> list[str]:
    """Words of a quotation for wording comparison, contractions expanded; an ellipsis is
    ``GAP`` and a bracketed insertion ("[the country]") is one token starting with '['."""
    plain = normalize_text(text).casefold()
    plain = _SPACED_APOSTROPHE.sub(r"'\1", plain)  # "she ' s" in tokenised corpora
    plain = _ON_THE_HOUR.sub(r"\1", plain)  # "6:00 p.m." = "6 p.m."
    for pattern, full in _CONTRACTIONS:
        plain = pattern.sub(full, plain)
    out: list[str] = []
    for m in _TOKEN.finditer(plain):
        word = m.group(0)
        if word in ("...", GAP):
            out.append(GAP)
        elif word.startswith("["):
            out.append(word)
        else:
            out.append(word.replace("'", ""))
    return out


def occurrences(articles: Sequence[AnalyzedArticle]) -> list[Occurrence]:
    """Every quotation of the articles that lies inside a sentence."""
    out: list[Occurrence] = []
    for a_index, a in enumerate(articles):
        for q in a.quotes:
            s_index = sentence_index(a, q.start)
            if s_index is None or not quote_key(q.text):
                continue
            speaker = q.speaker.name if q.speaker is not None and q.speaker.name else None
            unnamed = q.speaker.text if q.speaker is not None and not speaker else None
            if unnamed is not None and len(unnamed.split()) < 2:
                unnamed = None  # a bare pronoun says nothing about the source
            out.append(Occurrence(a_index, s_index, q.text, speaker, unnamed))
    return out


def group_quotes(found: Sequence[Occurrence]) -> list[list[Occurrence]]:
    """Occurrences grouped into quotes, in first-seen order."""
    groups: list[tuple[set[str], list[Occurrence]]] = []
    for occ in found:
        key = quote_key(occ.text)
        words = set(key.split())
        for bag, members in groups:
            if same_quote(key, words, bag, members):
                members.append(occ)
                bag |= words
                break
        else:
            groups.append((set(words), [occ]))
    return [members for _, members in groups]


def same_quote(key: str, words: set[str], bag: set[str], members: Sequence[Occurrence]) -> bool:
    """Whether a quotation is one already grouped: same words, contained, or near-identical."""
    for m in members:
        other = quote_key(m.text)
        if key == other:
            return True
        if min(len(key), len(other)) >= MIN_CONTAINED_CHARS and (key in other or other in key):
            return True
        if _aligned_share(key.split(), other.split()) >= QUOTE_ALIGNED:
            return True
    union = words | bag
    return bool(union) and len(words & bag) / len(union) >= QUOTE_SAME


def _aligned_share(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of the shorter word sequence matched in order in the longer (0 when short); the
    longest common subsequence, by rapidfuzz."""
    shorter = min(len(a), len(b))
    if shorter < MIN_ALIGNED_WORDS:
        return 0.0
    from rapidfuzz.distance import LCSseq

    return float(LCSseq.similarity(list(a), list(b))) / shorter


def wording_changes(a: str, b: str) -> list[tuple[str, str]]:
    """Material wording differences between two quotations of one quote, as pairs of the
    differing words with a word of context (empty when they say the same thing)."""
    if a == b:
        return []
    wa, wb = quote_words(a), quote_words(b)
    xa, ga = _strip_gaps(wa)
    xb, gb = _strip_gaps(wb)
    ops = difflib.SequenceMatcher(None, xa, xb, autojunk=False).get_opcodes()
    while ops and ops[0][0] in ("insert", "delete"):  # one quotes from further back
        ops = ops[1:]
    while ops and ops[-1][0] in ("insert", "delete"):  # ... or further on
        ops = ops[:-1]
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if (tag == "delete" and j1 in gb) or (tag == "insert" and i1 in ga):
            continue  # the shorter side marks the cut with an ellipsis
        left, right = xa[i1:i2], xb[j1:j2]
        if all(_editorial(w) for w in left + right) or _bracketed(left) or _bracketed(right):
            continue  # a determiner or filler changed, or an editor's [replacement]
        if len(left) == len(right) and all(map(_spelling, left, right)):
            continue  # "realised" / "realized", "neighbourhood" / "neighborhood"
        out.append((_span(xa, i1, i2), _span(xb, j1, j2)))
    return out


def _strip_gaps(words: Sequence[str]) -> tuple[list[str], set[int]]:
    """Words without ellipses, and the positions (index of the next word) where cuts were."""
    out: list[str] = []
    gaps: set[int] = set()
    for w in words:
        if w == GAP:
            gaps.add(len(out))
        else:
            out.append(w)
    return out, gaps


def _editorial(word: str) -> bool:
    """Words whose change does not alter what was said: determiners, fillers, [insertions]."""
    return word in TRIVIAL or word.startswith("[")


def _spelling(a: str, b: str) -> bool:
    """Whether two words are one word spelt two ways: same start and end, a letter or two
    apart in the middle ("realised" / "realized", "ok" / "okay")."""
    if {a, b} == {"ok", "okay"}:
        return True
    if min(len(a), len(b)) < MIN_SPELLING_CHARS or a[:3] != b[:3] or a[-1] != b[-1]:
        return False
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b)) >= SPELLING_SAME


def _bracketed(words: Sequence[str]) -> bool:
    """Whether a run of words is an editor's bracketed insertion."""
    return bool(words) and all(w.startswith("[") for w in words)


def _span(words: Sequence[str], i1: int, i2: int) -> str:
    """The changed words with one word of context each side."""
    return " ".join(words[max(0, i1 - 1) : min(len(words), i2 + 1)])


def wording_classes(members: Sequence[Occurrence]) -> list[list[Occurrence]]:
    """Occurrences of one quote in classes that say the same thing, most carried first."""
    keys = {m.text: quote_key(m.text) for m in members}
    counts: dict[str, set[int]] = {}
    for m in members:
        counts.setdefault(keys[m.text], set()).add(m.article)
    ranked = sorted(members, key=lambda m: (-len(counts[keys[m.text]]), -len(keys[m.text])))
    classes: list[list[Occurrence]] = []
    for m in ranked:
        for cls in classes:
            if not wording_changes(cls[0].text, m.text):
                cls.append(m)
                break
        else:
            classes.append([m])
    classes.sort(key=lambda c: -len({m.article for m in c}))
    return classes


def relays(articles: Sequence[AnalyzedArticle]) -> frozenset[str]:
    """Keys of the outlets and agencies the articles are or credit: they relay quotes."""
    keys = {entity_key(c.name) for a in articles for c in a.credits}
    keys |= {entity_key(a.article.outlet) for a in articles if a.article.outlet}
    return frozenset(keys)


def speaker_groups(
    members: Sequence[Occurrence], relayed_by: Iterable[str] = ()
) -> dict[str, tuple[str, list[Occurrence]]]:
    """Occurrences by speaker (key -> (fullest name, occurrences)); a surname counts as the
    full name that contains it, and an outlet that relays the quote is not its speaker."""
    skip = frozenset(relayed_by)
    named = [m for m in members if m.speaker and entity_key(m.speaker) not in skip]
    keys = {entity_key(str(m.speaker)) for m in named}
    out: dict[str, tuple[str, list[Occurrence]]] = {}
    for m in named:
        name = str(m.speaker)
        words = set(entity_key(name).split())
        key = max((k for k in keys if words <= set(k.split())), key=lambda k: (len(k), k))
        shown, found = out.get(key, (name, []))
        found.append(m)
        out[key] = (name if len(name) > len(shown) else shown, found)
    return out


def inside_quote(article: AnalyzedArticle, s_index: int) -> bool:
    """Whether a sentence lies wholly inside a quotation (a quoted speech's middle sentence,
    which reads as the outlet's own statement once cut from its quote marks)."""
    sentence = article.sentences[s_index]
    return any(q.start <= sentence.start + 1 and q.end >= sentence.end - 1 for q in article.quotes)


MIN_OWN_WORDS = 3  # content words of the writer's own a sentence needs besides its quotes
QUOTED_SHARE = 0.5  # a sentence this much inside direct quotes ...
CLAIM_WORDS = 8  # ... needs this many words of its own to carry a claim of the writer's


def own_words(article: AnalyzedArticle, s_index: int) -> list[str]:
    """Content words of a sentence outside its direct quotations and their attribution (from
    the quote to the far end of speaker and cue); quoted fragments inside the writer's own
    sentence are kept."""
    sentence = article.sentences[s_index]
    cut: list[tuple[int, int]] = []
    for q in article.quotes:
        if q.kind != QuoteKind.DIRECT or q.end <= sentence.start or q.start >= sentence.end:
            continue
        cut.append((q.start, q.end))
        spans = [s for s in (q.speaker, q.cue) if s is not None]
        if spans:  # the attribution, with the speaker's title, up to the quote
            start, end = min(s.start for s in spans), max(s.end for s in spans)
            cut.append(
                (q.end, end)
                if start >= q.end
                else (start, q.start)
                if end <= q.start
                else (start, end)
            )
    if not cut:
        return content_words(sentence.text)
    keep = [True] * (sentence.end - sentence.start)
    for start, end in cut:
        for k in range(max(start, sentence.start), min(end, sentence.end)):
            keep[k - sentence.start] = False
    body = article.text[sentence.start : sentence.end]
    return content_words("".join(c if keep[k] else " " for k, c in enumerate(body)))


def quote_sentence(article: AnalyzedArticle, s_index: int) -> bool:
    """Whether a sentence is a direct quote (or part of one) with its attribution and no
    claim of the writer's own: it belongs to the quote book, not to the facts."""
    if inside_quote(article, s_index):
        return True
    own = len(own_words(article, s_index))
    if own < MIN_OWN_WORDS:
        return True
    # mostly quoted, the rest a when-and-where ("he told reporters at Thursday's dinner")
    return own < CLAIM_WORDS and quoted_share(article, s_index) >= QUOTED_SHARE


def quoted_share(article: AnalyzedArticle, s_index: int) -> float:
    """Share of a sentence's characters inside its direct quotations."""
    sentence = article.sentences[s_index]
    inside = sum(
        max(0, min(q.end, sentence.end) - max(q.start, sentence.start))
        for q in article.quotes
        if q.kind == QuoteKind.DIRECT
    )
    return inside / max(1, sentence.end - sentence.start)
