"""Time expressions on TempEval-3 training data (TimeBank + AQUAINT), issue 4's measure.

TIMEX3 tags are stripped, each text is analysed as ``storydesk analyze --raw --published
<DCT>`` would, and predictions match gold by span overlap: relaxed extraction P/R/F1 and value
F1 (a match whose value equals gold's).

    .venv/bin/python bench/times_tempeval.py [--corpus TimeBank|AQUAINT|all] [--limit N] [--errors]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from storydesk.analyze import analyze_with, load_nlp
from storydesk.analyze.evaluation import Tally, raw_article, read_timeml, score_times, value_f1
from storydesk.options import Options

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tempeval3-train"


def main() -> None:
    """Print extraction and value scores, per corpus and overall."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="all", choices=["all", "TimeBank", "AQUAINT"])
    parser.add_argument("--limit", type=int, default=0, help="first N documents per corpus")
    parser.add_argument("--errors", action="store_true", help="print wrong values and misses")
    args = parser.parse_args()
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


def line(name: str, t: Tally) -> str:
    """One result line."""
    return (
        f"{name:>28}: extraction P {t.precision:.3f} R {t.recall:.3f} F1 {t.f1:.3f}  "
        f"value F1 {value_f1(t):.3f}  (gold {t.gold}, predicted {t.predicted}, "
        f"right values {t.right})"
    )


def print_errors(path: Path, doc: object, predicted: list[tuple[int, int, str | None]]) -> None:
    """Gold expressions missed or given another value, and predictions matching nothing."""
    from storydesk.analyze.evaluation import TimeDoc

    assert isinstance(doc, TimeDoc)
    for g in doc.times:
        matches = [p for p in predicted if p[0] < g.end and g.start < p[1]]
        text = doc.text[g.start : g.end]
        if not matches:
            print(f"MISS  {path.stem[:22]} {text!r} {g.type} {g.value}")
        elif all(p[2] != g.value for p in matches):
            ours = [(doc.text[p[0] : p[1]], p[2]) for p in matches]
            print(f"VALUE {path.stem[:22]} {text!r} gold={g.value} ours={ours} dct={doc.dct}")
    for p in predicted:
        if not any(p[0] < g.end and g.start < p[1] for g in doc.times):
            print(f"EXTRA {path.stem[:22]} {doc.text[p[0] : p[1]]!r} {p[2]}")


if __name__ == "__main__":
    main()
