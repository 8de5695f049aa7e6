"""Time expressions on TempEval-3 training data (TimeBank + AQUAINT), issue 4's measure.

TIMEX3 tags are stripped, each text is analysed as ``storydesk analyze --raw --published
<DCT>`` would, and predictions match gold by span overlap: relaxed extraction P/R/F1 and value
F1 (a match whose value equals gold's).

    .venv/bin/python bench/times_tempeval.py [--corpus TimeBank|AQUAINT|all] [--limit N] [--errors]

With ``--folds 5`` the documents of both corpora are dealt into five fixed, seeded folds; each
fold's figures are printed with their mean and spread, then the tuning folds (all but
``--held-out``) beside the held-out one, and the TimeBank / AQUAINT split of all folds.
``--errors`` then dumps, by gold type, the errors of the tuning folds only; ``--only K`` scores
one fold (quick iteration). ``--cache FILE`` keeps the spaCy parses between runs (the time
rules are re-run on them; delete it after a parser change).
"""

from __future__ import annotations

import argparse
import pickle
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from storydesk.analyze import analyze_with, load_nlp
from storydesk.analyze.evaluation import (
    Tally,
    TimeDoc,
    raw_article,
    read_timeml,
    score_times,
    value_f1,
)
from storydesk.analyze.nlp import Parsed, parse_articles
from storydesk.analyze.times.find import find_times
from storydesk.options import Options

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tempeval3-train"
SEED = 21  # the fold split is fixed: issue 21
Predicted = list[tuple[int, int, str | None]]


def main() -> None:
    """Print extraction and value scores, per corpus and overall, or per fold."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="all", choices=["all", "TimeBank", "AQUAINT"])
    parser.add_argument("--limit", type=int, default=0, help="first N documents per corpus")
    parser.add_argument("--errors", action="store_true", help="print wrong values and misses")
    parser.add_argument("--folds", type=int, default=0, help="deal documents into N folds")
    parser.add_argument("--held-out", type=int, default=0, help="the fold not tuned on")
    parser.add_argument("--only", type=int, default=-1, help="score this fold alone")
    parser.add_argument("--cache", type=Path, help="pickle of parses, reused between runs")
    args = parser.parse_args()
    if args.folds:
        run_folds(args)
        return
    nlp = load_nlp(Options().spacy_model)
    corpora = ["TimeBank", "AQUAINT"] if args.corpus == "all" else [args.corpus]
    overall = Tally()
    for corpus in corpora:
        paths = sorted((DATA / corpus).glob("*.tml"))
        if args.limit:
            paths = paths[: args.limit]
        docs = [read_timeml(p.read_text(encoding="utf-8")) for p in paths]
        started = time.perf_counter()
        analyzed = analyze_with(
            nlp, [raw_article(p, d.dct, d.text) for p, d in zip(paths, docs, strict=True)]
        )
        seconds = time.perf_counter() - started
        total = Tally()
        for path, doc, a in zip(paths, docs, analyzed, strict=True):
            predicted = [(t.start, t.end, t.value) for t in a.times]
            total = total + score_times(doc.times, predicted)
            if args.errors:
                print_errors(path, doc, predicted)
        overall = overall + total
        print(line(f"{corpus} ({len(paths)} docs, {seconds:.0f} s)", total))
    if len(corpora) > 1:
        print(line("all", overall))


def fold_of(paths: list[Path], folds: int) -> dict[Path, int]:
    """Each document's fold: a seeded shuffle of all file names, dealt round-robin."""
    order = sorted(paths, key=lambda p: (p.parent.name, p.name))
    random.Random(SEED).shuffle(order)
    return {p: i % folds for i, p in enumerate(order)}


def load_parses(paths: list[Path], docs: list[TimeDoc], cache: Path | None) -> list[Parsed]:
    """The parse of every document, from the cache when it holds them all."""
    if cache is not None and cache.exists():
        stored: dict[str, Parsed] = pickle.loads(cache.read_bytes())
        if all(str(p) in stored for p in paths):
            return [stored[str(p)] for p in paths]
    nlp = load_nlp(Options().spacy_model)
    articles = [raw_article(p, d.dct, d.text) for p, d in zip(paths, docs, strict=True)]
    parsed = parse_articles(nlp, articles)
    if cache is not None:
        cache.write_bytes(pickle.dumps({str(p): x for p, x in zip(paths, parsed, strict=True)}))
    return parsed


def run_folds(args: argparse.Namespace) -> None:
    """Per-fold figures, their mean and spread, and tuning folds beside the held-out one."""
    paths = sorted((DATA / "TimeBank").glob("*.tml")) + sorted((DATA / "AQUAINT").glob("*.tml"))
    folds = fold_of(paths, args.folds)
    if args.only >= 0:
        paths = [p for p in paths if folds[p] == args.only]
    docs = [read_timeml(p.read_text(encoding="utf-8")) for p in paths]
    parsed = load_parses(paths, docs, args.cache)
    started = time.perf_counter()
    found = [find_times(x) for x in parsed]
    seconds = time.perf_counter() - started
    print(f"time rules: {len(paths)} docs in {seconds:.2f} s")
    per_fold = {k: Tally() for k in range(args.folds)}
    per_corpus = {"TimeBank": Tally(), "AQUAINT": Tally()}
    errors: Counter[str] = Counter()
    for path, doc, times in zip(paths, docs, found, strict=True):
        predicted = [(t.start, t.end, t.value) for t in times]
        scored_doc = score_times(doc.times, predicted)
        per_fold[folds[path]] = per_fold[folds[path]] + scored_doc
        per_corpus[path.parent.name] = per_corpus[path.parent.name] + scored_doc
        if args.errors and folds[path] != args.held_out:
            print_errors(path, doc, predicted, errors)
    scored = {k: t for k, t in per_fold.items() if t.gold}
    for k, t in scored.items():
        print(line(f"fold {k}{' (held out)' if k == args.held_out else ''}", t))
    if len(scored) > 1:
        values = [value_f1(t) for t in scored.values()]
        extraction = [t.f1 for t in scored.values()]
        print(
            f"{'per-fold mean':>28}: extraction F1 {statistics.mean(extraction):.3f} "
            f"± {statistics.stdev(extraction):.3f}  value F1 {statistics.mean(values):.3f} "
            f"± {statistics.stdev(values):.3f} (sd; range {min(values):.3f}-{max(values):.3f})"
        )
        tuning = sum((t for k, t in scored.items() if k != args.held_out), Tally())
        print(line("tuning folds (dev)", tuning))
        if args.held_out in scored:
            print(line(f"held-out fold {args.held_out}", scored[args.held_out]))
        print(line("all", sum(scored.values(), Tally())))
        for corpus, t in per_corpus.items():
            print(line(f"all {corpus}", t))
    for key, n in errors.most_common():
        print(f"errors {key}: {n}")


def line(name: str, t: Tally) -> str:
    """One result line."""
    return (
        f"{name:>28}: extraction P {t.precision:.3f} R {t.recall:.3f} F1 {t.f1:.3f}  "
        f"value F1 {value_f1(t):.3f}  (gold {t.gold}, predicted {t.predicted}, "
        f"right values {t.right})"
    )


def print_errors(
    path: Path, doc: TimeDoc, predicted: Predicted, counts: Counter[str] | None = None
) -> None:
    """Gold expressions missed or given another value, and predictions matching nothing."""
    tally = counts if counts is not None else Counter()
    for g in doc.times:
        matches = [p for p in predicted if p[0] < g.end and g.start < p[1]]
        text = doc.text[g.start : g.end]
        if not matches:
            tally[f"{g.type} MISS"] += 1
            print(f"MISS  {g.type:8} {path.stem[:22]} {text!r} {g.value}")
        elif all(p[2] != g.value for p in matches):
            tally[f"{g.type} VALUE"] += 1
            ours = [(doc.text[p[0] : p[1]], p[2]) for p in matches]
            print(f"VALUE {g.type:8} {path.stem[:22]} {text!r} gold={g.value} ours={ours} "
                  f"dct={doc.dct}")  # fmt: skip
    for p in predicted:
        if not any(p[0] < g.end and g.start < p[1] for g in doc.times):
            tally["EXTRA"] += 1
            print(f"EXTRA {'':8} {path.stem[:22]} {doc.text[p[0] : p[1]]!r} {p[2]}")


if __name__ == "__main__":
    main()
