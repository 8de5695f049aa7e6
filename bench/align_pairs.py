"""Alignment quality: precision and recall of "same fact" on labelled ECB+ sentence pairs.

The labels (``bench/data/align_pairs.jsonl``) hold file names and character offsets only; the
text is read from ``../shared/data/ecbplus-dev`` at run time. Labels: ``same`` (the two
sentences state the same fact, paraphrased or not), ``topic`` (same story or topic, a
different claim), ``unrelated`` (different topics). Each pair is scored the way crosscheck
scores it: word overlap among the sentences of every labelled article of its topic, and
the embedding cosine of the two sentences.

    .venv/bin/python bench/align_pairs.py                 # words + embeddings
    .venv/bin/python bench/align_pairs.py --no-embeddings # words only
    .venv/bin/python bench/align_pairs.py --candidates 12ecb  # print pairs to label
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

from storydesk.align import (
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


def evaluate(
    rows: Sequence[dict[str, object]], articles: dict[str, AnalyzedArticle], options: Options
) -> Scores:
    """Decide every labelled pair as crosscheck does: Dice among its topics' sentences, then
    (with the model) ``combine`` with the cosine of the two sentences alone."""
    groups: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted({topic(str(row["a"])), topic(str(row["b"]))}))].append(row)
    lexical: list[float] = []
    texts: list[tuple[str, str]] = []
    labels: list[str] = []
    ledes: list[bool] = []
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
    lex = np.array(lexical)
    model = LazyEmbedder(options).get()
    embedded, seconds = 0, 0.0
    if model is None:
        same = lex >= LEXICAL_SAME
    else:
        needed = [k for k in range(len(lex)) if lex[k] >= LEXICAL_OPEN]
        flat = [t for k in needed for t in texts[k]]
        vectors = model.embed(flat)
        cos = np.zeros(len(lex))
        cos[needed] = (vectors[0::2] * vectors[1::2]).sum(axis=1)
        same = combine(lex, cos, np.array(ledes, dtype=bool)) >= 0.5
        embedded, seconds = model.sentences, model.seconds
    judged = list(zip(labels, same.tolist(), strict=True))
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
    return Scores(len(judged), positives, precision, recall, f1, by_label, embedded, seconds)


def load_rows(path: Path = PAIRS) -> list[dict[str, object]]:
    """The labelled pairs."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run(options: Options, path: Path = PAIRS) -> Scores:
    """Analyse the labelled articles and evaluate the pairs."""
    rows = load_rows(path)
    files = sorted({str(r["a"]) for r in rows} | {str(r["b"]) for r in rows})
    return evaluate(rows, analyse(files, options), options)


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
    args = parser.parse_args()
    options = Options(embeddings=not args.no_embeddings)
    if args.candidates:
        candidates(args.candidates, options, args.limit)
        return
    start = time.perf_counter()
    s = run(options)
    print(
        f"{s.pairs} pairs ({s.positives} same): precision {s.precision:.3f},"
        f" recall {s.recall:.3f}, F1 {s.f1:.3f};"
        f" judged same per label {', '.join(f'{k} {v[1]}/{v[0]}' for k, v in s.by_label.items())};"
        f" {s.embedded} sentences embedded in {s.seconds:.2f} s;"
        f" total {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
