"""Two articles held against each other: the sentences that state the same facts, what each
has alone, and the conflicts between them.

The alignment is the dossier's own (``crosscheck.align``): a pair is ``same`` exactly when the
dossier of the two articles puts both sentences in one fact, and the conflicts are those the
table of finders (``crosscheck.conflicts.FINDERS``) finds among those facts, so ``compare``
says what ``show`` would say of a story of the two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from storydesk.crosscheck.align import SentencePair, Unit, align_articles, sentence_units
from storydesk.crosscheck.conflicts import FINDERS, ConflictInput, Finder, find_conflicts
from storydesk.crosscheck.evidence import support_at
from storydesk.model import AnalyzedArticle, Conflict, ConflictKind
from storydesk.model_compare import ComparedPair, Comparison
from storydesk.text.embed import LazyEmbedder

NEAR_SHOWN = 0.25  # a sentence alone in its article shows its best partner from this score on


def compare_articles(
    a: AnalyzedArticle,
    b: AnalyzedArticle,
    embedder: LazyEmbedder | None = None,
    finders: Mapping[ConflictKind, Finder] = FINDERS,
) -> Comparison:
    """What A and B state alike, what each states alone, and where they disagree."""
    if a.id == b.id:
        raise ValueError(f"two articles with one id ({a.id}) cannot be told apart")
    # the dossier takes a story's articles in id order: so does the alignment here
    flipped = b.id < a.id
    first, second = (b, a) if flipped else (a, b)
    pairs = list(align_articles(first, second, embedder))
    units = sentence_units([first, second])
    conflicts = pair_conflicts([first, second], same_units(units, pairs), finders)
    if flipped:
        pairs = [SentencePair(p.b, p.a, p.score, p.same) for p in pairs]
    own = {
        art.id: [u.sentence for u in units if u.article == k]
        for k, art in enumerate((first, second))
    }
    articles = [a, b]
    same = sorted((p for p in pairs if p.same), key=lambda p: (p.a, p.b))
    paired_a, paired_b = {p.a for p in same}, {p.b for p in same}
    only_a = [i for i in own[a.id] if i not in paired_a]
    only_b = [j for j in own[b.id] if j not in paired_b]
    near = _near_misses([p for p in pairs if not p.same], set(only_a), set(only_b))
    shown = tuple(_compared(articles, p) for p in [*same, *near])
    return Comparison(
        articles=(),
        pairs=shown,
        only_a=tuple(support_at(articles, 0, i) for i in only_a),
        only_b=tuple(support_at(articles, 1, j) for j in only_b),
        conflicts=tuple(naming_pairs(conflicts, shown)),
        note=_note(embedder),
    )


def same_units(units: Sequence[Unit], pairs: Sequence[SentencePair]) -> list[list[Unit]]:
    """The sentences of each fact the two articles share (pairs in first/second order), as
    the conflict finders read them."""
    found = {(u.article, u.sentence): u for u in units}
    return [
        [
            found.get((0, p.a)) or Unit(0, p.a, frozenset(), frozenset()),
            found.get((1, p.b)) or Unit(1, p.b, frozenset(), frozenset()),
        ]
        for p in pairs
        if p.same
    ]


def pair_conflicts(
    articles: Sequence[AnalyzedArticle],
    facts: Sequence[Sequence[Unit]],
    finders: Mapping[ConflictKind, Finder] = FINDERS,
) -> list[Conflict]:
    """The conflicts the table's finders find between two articles, widest first."""
    conflicts = find_conflicts(ConflictInput(articles, facts), finders)
    conflicts.sort(key=lambda c: (-len({s.article for s in c.support}), -len(c.support), c.kind))
    return conflicts


def naming_pairs(conflicts: Sequence[Conflict], pairs: Sequence[ComparedPair]) -> list[Conflict]:
    """Each conflict naming the same pairs whose sentences it cites (indices into ``pairs``),
    as a dossier's conflict names its facts."""
    out: list[Conflict] = []
    for c in conflicts:
        cited = {(s.article, s.sentence) for s in c.support}
        named = tuple(
            k
            for k, p in enumerate(pairs)
            if p.same and {(p.a.article, p.a.sentence), (p.b.article, p.b.sentence)} & cited
        )
        out.append(replace(c, facts=named))
    return out


def _near_misses(
    pairs: Sequence[SentencePair], alone_a: set[int], alone_b: set[int]
) -> list[SentencePair]:
    """The best partner of each sentence alone in its article, when close enough to show."""
    best: dict[tuple[str, int], SentencePair] = {}
    for p in pairs:
        if p.score < NEAR_SHOWN or p.a not in alone_a or p.b not in alone_b:
            continue
        for key in (("a", p.a), ("b", p.b)):
            if key not in best or p.score > best[key].score:
                best[key] = p
    shown = {(p.a, p.b): p for p in best.values()}
    return sorted(shown.values(), key=lambda p: (-p.score, p.a, p.b))


def _note(embedder: LazyEmbedder | None) -> str:
    """Why the alignment went by words only, when it did."""
    if embedder is None:
        return "sentence embeddings not asked for: aligned by words only"
    return f"{embedder.error}: aligned by words only" if embedder.error else ""


def _compared(articles: Sequence[AnalyzedArticle], p: SentencePair) -> ComparedPair:
    """A pair as the model records it: each side's support, the score rounded for display."""
    score = round(min(max(float(p.score), 0.0), 1.0), 3)
    return ComparedPair(support_at(articles, 0, p.a), support_at(articles, 1, p.b), score, p.same)
