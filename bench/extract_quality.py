"""Extraction quality and speed: storydesk's cleaner beside trafilatura on invented pages.

Quality: 4-gram word shingle precision, recall and F1 of the extracted body against the gold
body text (micro-averaged over pages). Speed: pages per second on one core, extraction alone.
Run: .venv/bin/python bench/extract_quality.py [--repeat N]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_pages import pages

from storydesk.clean import clean
from storydesk.errors import InputError
from storydesk.model import RawDocument
from storydesk.options import Options

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """The set of n-word shingles of a text (lower-cased words)."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def score(found: str, gold: str) -> tuple[int, int, int]:
    """(shared, found, gold) shingle counts."""
    f, g = shingles(found), shingles(gold)
    return len(f & g), len(f), len(g)


def prf(counts: list[tuple[int, int, int]]) -> tuple[float, float, float]:
    """Micro-averaged precision, recall and F1."""
    shared = sum(c[0] for c in counts)
    p = shared / max(1, sum(c[1] for c in counts))
    r = shared / max(1, sum(c[2] for c in counts))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def storydesk_text(data: bytes) -> str:
    """The body text storydesk keeps for a page."""
    doc = RawDocument("page.html", data, "text/html", hashlib.sha256(data).hexdigest())
    try:
        return clean(doc, Options()).text
    except InputError:
        return ""


def trafilatura_text(data: bytes) -> str:
    """trafilatura's own output for a page (default settings, plain text)."""
    import trafilatura

    return trafilatura.extract(data) or ""


def rate(extract: Callable[[bytes], str], datas: list[bytes], repeat: int) -> float:
    """Pages per second for an extractor over the pages, repeated."""
    start = time.perf_counter()
    for _ in range(repeat):
        for data in datas:
            extract(data)
    return repeat * len(datas) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    items = pages()
    rows = {"storydesk": [], "trafilatura": []}  # type: dict[str, list[tuple[int, int, int]]]
    for name, data, gold in items:
        ours, theirs = storydesk_text(data), trafilatura_text(data)
        rows["storydesk"].append(score(ours, gold))
        rows["trafilatura"].append(score(theirs, gold))
        p1, r1, f1 = prf([rows["storydesk"][-1]])
        p2, r2, f2 = prf([rows["trafilatura"][-1]])
        print(
            f"{name:28} storydesk P={p1:.3f} R={r1:.3f} F1={f1:.3f}   "
            f"trafilatura P={p2:.3f} R={r2:.3f} F1={f2:.3f}"
        )
    print(f"pages: {len(items)}")
    for who, counts in rows.items():
        p, r, f = prf(counts)
        print(f"{who:12} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    datas = [data for _, data, _ in items]
    storydesk_text(datas[0])
    trafilatura_text(datas[0])
    print(
        f"extraction alone, one core: storydesk {rate(storydesk_text, datas, args.repeat):.1f}"
        f" pages/s, trafilatura {rate(trafilatura_text, datas, args.repeat):.1f} pages/s"
    )


if __name__ == "__main__":
    main()
