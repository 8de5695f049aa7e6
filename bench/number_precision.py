"""How many count disagreements the precision rule keeps, on pairs of news sentences.

Counts of one thing that differ in value are a conflict under the old rule; under the new one
(``crosscheck.precision``) only when the ranges their approximators and rounding allow do not
meet. On MSRP training pairs (different outlets, same story) this prints, for paraphrase
pairs (the same claim: every flagged pair is a false conflict) and for the others, how many
each rule flags. Nothing is tuned on it (APPROX_SHARE was set beforehand).

    .venv/bin/python bench/number_precision.py ../shared/data/msrp-train/msr_paraphrase_train.txt
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from storydesk.crosscheck.mentions import numbers, unambiguous
from storydesk.crosscheck.precision import counts_differ


def old_rule(a: str, b: str) -> bool:
    """Counts of one thing with different values (the rule before issue 17)."""
    return any(
        x.key == y.key and x.value != y.value and x.context & y.context
        for x in unambiguous(numbers(a))
        for y in unambiguous(numbers(b))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--show", type=int, default=8, help="examples the new rule lets pass")
    args = parser.parse_args()
    counts = {"1": [0, 0, 0], "0": [0, 0, 0]}  # label -> pairs, old flags, new flags
    passed: list[tuple[str, str]] = []
    with args.pairs.open(encoding="utf-8-sig") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) != 5 or row[0] not in counts:
                continue
            label, a, b = row[0], row[3], row[4]
            flagged_old, flagged_new = old_rule(a, b), counts_differ(a, b)
            counts[label][0] += 1
            counts[label][1] += flagged_old
            counts[label][2] += flagged_new
            if flagged_old and not flagged_new:
                passed.append((a, b))
    for label, name in (("1", "paraphrase"), ("0", "not paraphrase")):
        n, old, new = counts[label]
        print(f"{name}: {n} pairs; count disagreements: value rule {old}, precision rule {new}")
    print(f"pairs the precision rule no longer flags: {len(passed)}")
    for a, b in passed[: args.show]:
        print("  -", a[:110], "\n    ", b[:110])


if __name__ == "__main__":
    main()
