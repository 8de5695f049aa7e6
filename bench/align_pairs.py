"""Alignment quality: precision and recall of "same fact" on labelled ECB+ sentence pairs.

The labels (``bench/data/align_pairs.jsonl``) hold file names and character offsets only; the
text is read from ``../shared/data/ecbplus-dev`` at run time. Labels: ``same`` (the two
sentences state the same fact, paraphrased or not), ``topic`` (same story or topic, a
different claim), ``unrelated`` (different topics). Each pair is scored the way crosscheck
scores it: word overlap among the sentences of every labelled article of its topic, and
the embedding cosine of the two sentences.

    .venv/bin/python bench/align_pairs.py                 # words + embeddings
    .venv/bin/python bench/align_pairs.py --no-embeddings # words only
    .venv/bin/python bench/align_pairs.py --grid          # tune combine on the tuning half
    .venv/bin/python bench/align_pairs.py --candidates 12ecb  # print pairs to label

Pairs are split by topic (which keeps a topic's two gold stories together): topics 1, 13, 24
and 34 tune the constants, topics 12, 18 and 27 are held out.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storydesk.crosscheck.align import (
    LEDE_BONUS,
    LEXICAL_OPEN,
    LEXICAL_SAME,
    LazyEmbedder,
    align,
    combine,
    lexical_similarity,
    sentence_units,
)
from storydesk.model import AnalyzedArticle, Article
from storydesk.options import Options

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ecbplus-dev"
PAIRS = ROOT / "bench" / "data" / "align_pairs.jsonl"
TOPICS = (1, 12, 13, 18, 24, 27, 34)  # the labelled topics; 12, 18 and 27 are held out


@dataclass(frozen=True)
class Scores:
    """Counts and figures of one evaluation."""

    pairs: int
    positives: int
    precision: float
    recall: float
    f1: float
    by_label: dict[str, tuple[int, int]]  # label -> (pairs, judged same)
    embedded: int
    seconds: float


def analyse(files: Sequence[str], options: Options) -> dict[str, AnalyzedArticle]:
    """Analyse ECB+ files as raw text, so offsets index the file's content."""
    from storydesk.analyze import analyze_articles

    articles = []
    for k, name in enumerate(files, start=1):
        text = (DATA / name).read_text(encoding="utf-8")
        title = text.split("\n", 1)[0]
        articles.append(
            Article(source=name, sha256=f"{k:064x}", title=title, paragraphs=(text,), id=k)
        )
    return {a.article.source: a for a in analyze_articles(articles, options)}


def sentence_at(article: AnalyzedArticle, span: Sequence[int]) -> int:
    """Index of the sentence starting at the span's start (ValueError when there is none)."""
    for i, s in enumerate(article.sentences):
        if s.start == span[0] and s.end == span[1]:
            return i
    raise ValueError(f"no sentence at {span} in {article.article.source}")


def topic(name: str) -> str:
    """ECB+ topic of a file name ("12_3ecbplus.txt" -> "12")."""
    return name.split("_", 1)[0]


@dataclass(frozen=True)
class Features:
    """What decides each labelled pair: word overlap, cosine, both-ledes, label, split."""

    lexical: npt.NDArray[np.float64]
    cosine: npt.NDArray[np.float64]  # 0 without the model
    ledes: npt.NDArray[np.bool_]
    labels: list[str]
    held_out: npt.NDArray[np.bool_]
    embedded: int
    seconds: float


def held_out(name: str) -> bool:
    """Whether a file's topic is in the held-out half: every second topic in numeric order."""
    return TOPICS.index(int(topic(name))) % 2 == 1


def features(
    rows: Sequence[dict[str, object]],
    articles: dict[str, AnalyzedArticle],
    options: Options,
    every_pair: bool = False,
) -> Features:
    """Word overlap among the sentences of each pair's topics (as crosscheck computes it
    within a story) and, with the model, the cosine of the two sentences."""
    groups: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted({topic(str(row["a"])), topic(str(row["b"]))}))].append(row)
    lexical: list[float] = []
    texts: list[tuple[str, str]] = []
    labels: list[str] = []
    ledes: list[bool] = []
    split: list[bool] = []
    for topics, items in groups.items():
        names = sorted(n for n in articles if topic(n) in topics)
        pool = [articles[n] for n in names]
        units = sentence_units(pool)
        sim = lexical_similarity(units)
        where = {(u.article, u.sentence): k for k, u in enumerate(units)}
        for row in items:
            a, b = str(row["a"]), str(row["b"])
            ia = sentence_at(articles[a], row["a_span"])  # type: ignore[arg-type]
            ib = sentence_at(articles[b], row["b_span"])  # type: ignore[arg-type]
            ka, kb = where.get((names.index(a), ia)), where.get((names.index(b), ib))
            lexical.append(float(sim[ka, kb]) if ka is not None and kb is not None else 0.0)
            ledes.append(ia == 0 and ib == 0)
            texts.append((articles[a].sentences[ia].text, articles[b].sentences[ib].text))
            labels.append(str(row["label"]))
            split.append(held_out(a))
    lex = np.array(lexical)
    cos = np.zeros(len(lex))
    model = LazyEmbedder(options).get()
    if model is not None:
        # as in crosscheck, only pairs the words leave open are embedded (every pair for
        # --grid, so that it can try lower thresholds)
        needed = [k for k in range(len(lex)) if every_pair or lex[k] >= LEXICAL_OPEN]
        vectors = model.embed([t for k in needed for t in texts[k]])
        cos[needed] = (vectors[0::2] * vectors[1::2]).sum(axis=1)
    return Features(
        lex,
        cos,
        np.array(ledes, dtype=bool),
        labels,
        np.array(split, dtype=bool),
        model.sentences if model else 0,
        model.seconds if model else 0.0,
    )


def judge(f: Features, with_model: bool) -> npt.NDArray[np.bool_]:
    """Crosscheck's decision for every pair."""
    if not with_model:
        return np.asarray(f.lexical >= LEXICAL_SAME)
    return np.asarray(combine(f.lexical, f.cosine, f.ledes) >= 0.5)


def scores(f: Features, same: npt.NDArray[np.bool_], part: str = "all") -> Scores:
    """Precision, recall and per-label counts over one part: all, tune or held-out."""
    keep = {"all": np.ones(len(same), dtype=bool), "tune": ~f.held_out, "held-out": f.held_out}
    mask = keep[part]
    judged = [(lab, bool(s)) for lab, s, k in zip(f.labels, same, mask, strict=True) if k]
    tp = sum(1 for label, same in judged if same and label == "same")
    predicted = sum(1 for _, same in judged if same)
    positives = sum(1 for label, _ in judged if label == "same")
    precision = tp / predicted if predicted else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_label: dict[str, tuple[int, int]] = {}
    for label in sorted({label for label, _ in judged}):
        hits = [same for lab, same in judged if lab == label]
        by_label[label] = (len(hits), sum(hits))
    return Scores(len(judged), positives, precision, recall, f1, by_label, f.embedded, f.seconds)


def evaluate(
    rows: Sequence[dict[str, object]],
    articles: dict[str, AnalyzedArticle],
    options: Options,
    part: str = "all",
) -> Scores:
    """Decide every labelled pair as crosscheck does and score one part of the set."""
    f = features(rows, articles, options)
    return scores(f, judge(f, options.embeddings), part)


def load_rows(path: Path = PAIRS) -> list[dict[str, object]]:
    """The labelled pairs."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run(options: Options, path: Path = PAIRS, every_pair: bool = False) -> Features:
    """Analyse the labelled articles and compute the features of every pair."""
    rows = load_rows(path)
    files = sorted({str(r["a"]) for r in rows} | {str(r["b"]) for r in rows})
    return features(rows, analyse(files, options), options, every_pair)


def grid(f: Features) -> None:
    """Print the best constants for ``combine`` on the tuning half, and their held-out score."""
    # best tune F1 (precision at least 0.85); ties go to the higher precision, then the
    # stricter cut
    best: list[tuple[float, float, float, float, float, float]] = []
    for open_ in (0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2):
        for weight in (0.0, 0.25, 0.5, 0.75, 1.0):
            for cut in np.arange(0.55, 0.9, 0.025):
                value = f.cosine + weight * f.lexical + LEDE_BONUS * f.ledes
                same = (f.lexical >= open_) & (value >= cut)
                t = scores(f, same, "tune")
                if t.precision >= 0.85:
                    best.append((t.f1, t.precision, float(cut), open_, weight, t.recall))
    best.sort(reverse=True)
    for f1, _, cut, open_, weight, recall in best[:8]:
        value = f.cosine + weight * f.lexical + LEDE_BONUS * f.ledes
        h = scores(f, (f.lexical >= open_) & (value >= cut), "held-out")
        print(
            f"open {open_} weight {weight} cut {cut:.3f}: tune F1 {f1:.3f} recall {recall:.3f};"
            f" held-out precision {h.precision:.3f} recall {h.recall:.3f}"
        )


def candidates(story: str, options: Options, limit: int) -> None:
    """Print cross-article sentence pairs of one gold story, spread over lexical scores."""
    gold = [json.loads(line) for line in (DATA / "gold.jsonl").read_text().splitlines()]
    files = sorted(r["file"] for r in gold if r["story"] == story)[:6]
    articles = analyse(files, options)
    pool = [articles[n] for n in files]
    units = sentence_units(pool)
    result = align(pool, units, None)
    pairs = [
        (float(result.score[i, j]), i, j)
        for i in range(len(units))
        for j in range(i + 1, len(units))
        if result.score[i, j] > 0.05
    ]
    pairs.sort(reverse=True)
    step = max(1, len(pairs) // limit)
    for score, i, j in pairs[::step][:limit]:
        ua, ub = units[i], units[j]
        sa, sb = pool[ua.article].sentences[ua.sentence], pool[ub.article].sentences[ub.sentence]
        row = {
            "a": files[ua.article],
            "a_span": [sa.start, sa.end],
            "b": files[ub.article],
            "b_span": [sb.start, sb.end],
            "label": "?",
        }
        print(f"# {score:.2f}\n#  A: {sa.text}\n#  B: {sb.text}\n{json.dumps(row)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--candidates", metavar="STORY")
    parser.add_argument("--limit", type=int, default=25)
    parser.add_argument("--grid", action="store_true", help="search combine's constants")
    args = parser.parse_args()
    options = Options(embeddings=not args.no_embeddings)
    if args.candidates:
        candidates(args.candidates, options, args.limit)
        return
    start = time.perf_counter()
    f = run(options, every_pair=args.grid)
    if args.grid:
        grid(f)
        return
    same = judge(f, options.embeddings)
    for part in ("tune", "held-out", "all"):
        s = scores(f, same, part)
        print(
            f"{part}: {s.pairs} pairs ({s.positives} same): precision {s.precision:.3f},"
            f" recall {s.recall:.3f}, F1 {s.f1:.3f}; judged same per label"
            f" {', '.join(f'{k} {v[1]}/{v[0]}' for k, v in s.by_label.items())}"
        )
    print(
        f"{f.embedded} sentences embedded in {f.seconds:.2f} s;"
        f" total {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
