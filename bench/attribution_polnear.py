"""Sentence attribution (issue 17, "attributed claims stay attributed") on PolNeAR.

A sentence's gold label: attributed when a gold attribution with a Source has its Cue in the
sentence and its Content covers at least half of the sentence outside Source and Cue (the
rule ``crosscheck.attribution`` states for the analysis' attributions); the gold source is
that Source's text. Scored: precision, recall and F1 of "attributed", and the source (among
sentences both call attributed, where the gold Source is not a pronoun): the predicted source
or its resolved name shares its last word with the gold Source, or one contains the other.
Beside it, the baseline "a sentence with said / told / according to is attributed". The
rules were written on the seeds and examples and checked against the errors of the first 40
train articles; dev was never looked at (held out).

    .venv/bin/python bench/attribution_polnear.py [--split dev] [--limit N] [--errors]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from storydesk.analyze import analyze_with, load_nlp
from storydesk.analyze.evaluation import polnear_pairs, raw_article
from storydesk.crosscheck.attribution import MAIN_SHARE, sentence_attribution
from storydesk.model import AnalyzedArticle, ClaimSource, Sentence
from storydesk.options import Options

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polnear"
Spans = tuple[tuple[int, int], ...]
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
BASELINE = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)


def gold_links(annotation: str) -> list[tuple[Spans, Spans, Spans]]:
    """(source, cue, content) spans of every gold attribution that has a Source and a Cue."""
    bound: dict[str, Spans] = {}
    out: list[tuple[Spans, Spans, Spans]] = []
    for line in annotation.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            spans = parts[1].split(" ", 1)[1]
            bound[parts[0]] = tuple(
                (int(a), int(b)) for a, b in (p.split() for p in spans.split(";"))
            )
        elif line.startswith("E") and len(parts) >= 2:
            link = dict(p.split(":", 1) for p in parts[1].split() if ":" in p)
            if {"Source", "Cue", "Content"} <= link.keys():
                roles = (
                    bound.get(link["Source"]),
                    bound.get(link["Cue"]),
                    bound.get(link["Content"]),
                )
                if all(r is not None for r in roles):
                    out.append(roles)  # type: ignore[arg-type]
    return out


def _within(spans: Spans, s: Sentence) -> int:
    """Characters of spans inside a sentence."""
    return sum(max(0, min(b, s.end) - max(a, s.start)) for a, b in spans)


def gold_source(links: list[tuple[Spans, Spans, Spans]], s: Sentence, text: str) -> str | None:
    """The gold source of a sentence's main clause, or None (own voice)."""
    for source, cue, content in links:
        if not any(s.start <= a < s.end for a, _ in cue):
            continue
        rest = (s.end - s.start) - _within(source, s) - _within(cue, s)
        if rest > 0 and _within(content, s) >= MAIN_SHARE * rest:
            return " ".join(text[a:b] for a, b in source)
    return None


def _last(text: str) -> str:
    words = re.findall(r"[\w-]+", re.sub(r"[’']s\b", "", text))
    return words[-1].lower() if words else ""


def same_source(found: ClaimSource, gold: str) -> bool:
    """Whether a predicted source names the gold one."""
    g = gold.casefold()
    for name in (found.source, found.name):
        if name and (_last(name) == _last(gold) or name.casefold() in g or g in name.casefold()):
            return True
    return False


def main() -> None:
    """Score sentence attribution on one PolNeAR split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    pairs = polnear_pairs(DATA / args.split)[: args.limit or None]
    texts = [p.read_text(encoding="utf-8") for p, _ in pairs]
    nlp = load_nlp(Options().spacy_model)
    analyzed: list[AnalyzedArticle] = analyze_with(
        nlp, [raw_article(p, text=t) for (p, _), t in zip(pairs, texts, strict=True)]
    )
    tp = fp = fn = tn = right = judged = base_tp = base_fp = base_fn = 0
    started = time.perf_counter()
    for (_, ann), article in zip(pairs, analyzed, strict=True):
        links = gold_links(ann.read_text(encoding="utf-8"))
        for i, s in enumerate(article.sentences):
            gold = gold_source(links, s, article.text)
            found = sentence_attribution(article, i)
            base = bool(BASELINE.search(s.text))
            base_tp += base and gold is not None
            base_fp += base and gold is None
            base_fn += not base and gold is not None
            if found is not None and gold is not None:
                tp += 1
                named = gold.lower() not in PRONOUNS  # a pronoun's referent is not annotated
                judged += named
                right += named and same_source(found, gold)
                if args.errors and named and not same_source(found, gold):
                    print(f"SOURCE {found.source!r} gold {gold!r}: {s.text[:120]}")
            elif found is not None:
                fp += 1
                if args.errors:
                    print(f"FP {found.source!r}: {s.text[:140]}")
            elif gold is not None:
                fn += 1
                if args.errors:
                    print(f"FN gold {gold!r}: {s.text[:140]}")
            else:
                tn += 1
    seconds = time.perf_counter() - started
    print(f"PolNeAR {args.split}: {len(pairs)} articles, {tp + fp + fn + tn} sentences")
    print(f"  gold attributed sentences: {tp + fn}")
    _line("storydesk", tp, fp, fn)
    print(f"    source right (gold not a pronoun): {right}/{judged} = {right / max(judged, 1):.3f}")
    _line("baseline (said/told/according to)", base_tp, base_fp, base_fn)
    print(f"  ({seconds:.2f} s for the attribution of every sentence)")


def _line(name: str, tp: int, fp: int, fn: int) -> None:
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    f = 2 * p * r / max(p + r, 1e-9)
    print(f"  {name}: P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp}, fp {fp}, fn {fn})")


if __name__ == "__main__":
    main()
