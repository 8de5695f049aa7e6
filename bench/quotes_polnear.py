"""Direct quotes and their speakers on PolNeAR (issue 4's measure), with textacy beside ours.

Gold direct quotes are attributions whose Content span starts with a quotation mark; a gold
quote is found when a predicted quote overlaps at least half of its Content span; precision
counts predicted quotes that overlap any gold Content span; speaker accuracy counts found gold
quotes (with a gold Source) whose predicted speaker mention overlaps the Source span or whose
resolved name shares its last word with it. Where an article has several annotators' files,
the first (by file name) is gold.

    .venv/bin/python bench/quotes_polnear.py [--split dev] [--limit N] [--pieces] [--errors]

textacy's ``direct_quotations`` is scored the same way when /tmp/textacy-venv exists
(see bench/textacy_quotes.py for how that throwaway environment is made).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from storydesk.analyze import analyze_with, load_nlp
from storydesk.analyze.evaluation import (
    GoldQuote,
    PredictedQuote,
    Tally,
    all_contents,
    gold_quotes,
    overlap,
    polnear_pairs,
    predicted_quotes,
    raw_article,
    score_quotes,
)
from storydesk.options import Options

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polnear"
TEXTACY = Path("/tmp/textacy-venv/bin/python")


def main() -> None:
    """Score storydesk (and textacy when available) on one PolNeAR split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument("--pieces", action="store_true", help="score split-quote pieces alone")
    parser.add_argument("--errors", action="store_true", help="print misses and wrong speakers")
    parser.add_argument("--no-textacy", action="store_true")
    args = parser.parse_args()
    pairs = polnear_pairs(DATA / args.split)
    if args.limit:
        pairs = pairs[: args.limit]
    texts = [p.read_text(encoding="utf-8") for p, _ in pairs]
    anns = [a.read_text(encoding="utf-8") for _, a in pairs]
    nlp = load_nlp(Options().spacy_model)
    started = time.perf_counter()
    analyzed = analyze_with(
        nlp, [raw_article(p, text=t) for (p, _), t in zip(pairs, texts, strict=True)]
    )
    seconds = time.perf_counter() - started
    ours = [predicted_quotes(a, pieces=args.pieces) for a in analyzed]
    print(f"PolNeAR {args.split}: {len(pairs)} articles")
    report("storydesk", pairs, texts, anns, ours, args.errors)
    print(f"  ({seconds:.1f} s for the analysis)")
    if args.no_textacy:
        return
    if TEXTACY.exists():
        report("textacy 0.13.0", pairs, texts, anns, textacy_quotes(pairs), False)
    else:
        print("textacy: /tmp/textacy-venv not found; see bench/textacy_quotes.py")


def report(
    name: str,
    pairs: list[tuple[Path, Path]],
    texts: list[str],
    anns: list[str],
    predicted: list[list[PredictedQuote]],
    errors: bool,
) -> None:
    """Print one system's figures (and, if asked, its errors)."""
    total = Tally()
    for (path, _), text, ann, pred in zip(pairs, texts, anns, predicted, strict=True):
        gold = gold_quotes(ann, text)
        total = total + score_quotes(gold, pred, all_contents(ann))
        if errors:
            print_errors(path, text, gold, pred)
    print(
        f"{name:>16}: P {total.precision:.3f}  R {total.recall:.3f}  F1 {total.f1:.3f}  "
        f"speaker {total.accuracy:.3f}  (gold {total.gold}, found {total.found}, "
        f"predicted {total.predicted}, correct {total.correct}, "
        f"speakers {total.right}/{total.judged})"
    )


def print_errors(path: Path, text: str, gold: list[GoldQuote], pred: list[PredictedQuote]) -> None:
    """Misses, wrong speakers and predictions outside any gold quote, for tuning."""
    for g in gold:
        size = sum(b - a for a, b in g.content)
        best = max(pred, key=lambda p: overlap(p.spans, g.content), default=None)
        snippet = text[g.content[0][0] : g.content[0][0] + 70].replace("\n", " ")
        if best is None or 2 * overlap(best.spans, g.content) < size:
            print(f"MISS {path.name[:30]} {snippet!r}")
        elif g.source and not score_quotes([g], [best], []).right:
            said = text[best.speaker[0] : best.speaker[1]] if best.speaker else None
            print(f"SPKR {path.name[:30]} gold={g.source_text!r} ours={said!r}/{best.name!r}")
            print(f"     {snippet!r}")


def textacy_quotes(pairs: list[tuple[Path, Path]]) -> list[list[PredictedQuote]]:
    """textacy's quotes per article, from the throwaway environment."""
    script = ROOT / "bench" / "textacy_quotes.py"
    out = subprocess.run(
        [str(TEXTACY), str(script), *(str(p) for p, _ in pairs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    by_file = {}
    for line in out.splitlines():
        obj = json.loads(line)
        by_file[obj["file"]] = [
            PredictedQuote(
                ((q["content"][0], q["content"][1]),),
                tuple(q["speaker"]) if q["speaker"] else None,
                q["name"],
            )
            for q in obj["quotes"]
        ]
    return [by_file[str(p)] for p, _ in pairs]


if __name__ == "__main__":
    sys.exit(main())
