"""Speakers of quotes said by a named person on basil-dev (not tuned on), with the errors.

Each gold quote (``quotes.jsonl``: url, text, speaker) is placed in its article's cleaned text
(quotation marks and spaces normalised) and matched to the found quote (direct or fragment,
the pieces of a split quote together) that overlaps it most; it is found when that overlap is
at least half of the gold text or of the found quote. A found quote's speaker is right when
its resolved name shares its last word with the gold speaker. Gold speakers count as named
people when they are two or three capitalised words and none of them names a group
("Obama campaign", "Tea Party", "Senate Republicans" are left out); ``--all`` keeps them all.

    .venv/bin/python bench/quotes_basil.py [--all] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from storydesk.model import AnalyzedArticle, Quote
from storydesk.options import Options

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecb_analyzed import _analyze_paths

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil-dev"
GROUP_WORDS = frozenset(
    {"party", "campaign", "lawmakers", "officials", "democrats", "republicans", "catholics",
     "companies", "plaintiffs", "protestors", "protesters", "now", "america", "department",
     "committee", "house", "senate", "administration", "naacp"}
)  # fmt: skip
_NAME = re.compile(r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,2}")
_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


@dataclass(frozen=True)
class Outcome:
    """One gold quote's result: right, wrong, unattributed or missing, and what was found."""

    verdict: str
    url: str
    gold: str
    speaker: str
    said: str | None
    found: str | None


def is_named_person(speaker: str) -> bool:
    """True for a gold speaker written as a person's name ("Rick Perry", not "Tea Party")."""
    words = speaker.split()
    return bool(_NAME.fullmatch(speaker)) and not any(w.lower() in GROUP_WORDS for w in words)


def normalised(text: str) -> str:
    """Text with curly quotation marks made straight and no-break spaces made plain."""
    return text.translate(_MARKS)


def place(gold: str, text: str) -> tuple[int, int] | None:
    """Where a gold quote's words lie in the article text (marks and spacing aside)."""
    core = normalised(gold).strip().strip("\"' ").strip()
    if not core:
        return None
    flat = normalised(text)
    at = flat.find(core)
    if at >= 0:
        return at, at + len(core)
    pattern = r"\s+".join(re.escape(w) for w in core.split())
    found = re.search(pattern, flat)
    return (found.start(), found.end()) if found else None


def groups(quotes: tuple[Quote, ...]) -> list[list[Quote]]:
    """The article's quotes, the pieces of a split quote together."""
    out: list[list[Quote]] = []
    for q in quotes:
        if out and q.continues and q.kind == "direct":
            out[-1].append(q)
        else:
            out.append([q])
    return out


def judge(url: str, gold: dict[str, str], article: AnalyzedArticle | None) -> Outcome:
    """The outcome for one gold quote in its analysed article."""
    speaker = gold["speaker"]
    span = place(gold["text"], article.text) if article is not None else None
    if article is None or span is None:
        return Outcome("text absent", url, gold["text"], speaker, None, None)
    a, b = span

    def shared(group: list[Quote]) -> int:
        return sum(max(0, min(q.end, b) - max(q.start, a)) for q in group)

    best = max(groups(article.quotes), key=shared, default=None)
    size = sum(q.end - q.start for q in best) if best else 0
    if best is None or not shared(best) or 2 * shared(best) < min(b - a, size):
        return Outcome("quote not found", url, gold["text"], speaker, None, None)
    who = next((q.speaker for q in best if q.speaker is not None), None)
    found = " … ".join(q.text for q in best)
    if who is None or not who.name:
        said = who.text if who is not None else None
        return Outcome("no speaker", url, gold["text"], speaker, said, found)
    right = last_word(who.name) == last_word(speaker)
    return Outcome("right" if right else "wrong", url, gold["text"], speaker, who.name, found)


def last_word(name: str) -> str:
    """Last word of a name, lower case, without a possessive or brackets."""
    words = re.findall(r"[\w-]+", re.sub(r"[’']s\b", "", name))
    return words[-1].lower() if words else ""


def main() -> None:
    """Analyse basil-dev and score the speakers of its annotated quotes."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="every gold speaker, groups too")
    parser.add_argument("--errors", type=int, default=40, help="errors to print (0: none)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (BASIL / "quotes.jsonl").read_text().splitlines()]
    if not args.all:
        rows = [r for r in rows if is_named_person(r["speaker"])]
    started = time.perf_counter()
    analysed = _analyze_paths([BASIL / "articles.jsonl"], Options(workers=1))
    seconds = time.perf_counter() - started
    by_url = {a.article.url: a for a in analysed}
    outcomes = [judge(r["url"], r, by_url.get(r["url"])) for r in rows]
    counts = Counter(o.verdict for o in outcomes)
    found = counts["right"] + counts["wrong"] + counts["no speaker"]
    placed = len(outcomes) - counts["text absent"]
    print(
        f"basil-dev: {len(outcomes)} gold quotes ({'all' if args.all else 'named people'}), "
        f"{placed} placed in their article text"
    )
    print(
        f"  right {counts['right']}  wrong {counts['wrong']}  no speaker {counts['no speaker']}"
        f"  quote not found {counts['quote not found']}  text absent {counts['text absent']}"
    )
    if found:
        print(
            f"  speaker accuracy on found quotes: {counts['right'] / found:.3f} "
            f"({counts['right']}/{found}); on placed quotes: {counts['right'] / placed:.3f}"
        )
    print(f"  ({seconds:.1f} s for the analysis of {len(analysed)} articles)")
    shown = 0
    for o in outcomes:
        if o.verdict == "right" or shown >= args.errors:
            continue
        shown += 1
        print(f"{o.verdict.upper():>15}: gold={o.speaker!r} ours={o.said!r}  {o.url[:70]}")
        print(f"{'':>15}  {o.gold[:90]!r}")


if __name__ == "__main__":
    main()
