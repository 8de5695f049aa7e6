"""Outlet accuracy when the input does not say its outlet: basil-dev, the seeds, the examples.

basil-dev's records go in without their ``outlet`` field (url, published, title and text kept),
so the outlet must come from the pages' own evidence. Each set is read twice: each article
alone (``clean``: its own evidence only) and through the door into a fresh store (names
learned across the inputs given to bare hosts). Per outlet: right (a name of that outlet),
host (the right site, shown as its domain), wrong, none.

Run by hand: ``.venv/bin/python bench/outlets_basil.py`` (figures in docs/benchmarks.md).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from storydesk.clean import clean
from storydesk.clean.outlets import outlet_key
from storydesk.errors import InputError
from storydesk.ingest.files import read_sources
from storydesk.model import Article, Rejection
from storydesk.options import Options
from storydesk.pipeline.door import ingest_into
from storydesk.pipeline.run import SilentReporter
from storydesk.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BASIL = SHARED / "data" / "basil-dev" / "articles.jsonl"
# basil's gold labels: short codes for three outlets, and the names each goes by
GOLD = {"NYT": "The New York Times", "FOX": "Fox News", "HPO": "HuffPost"}
NAMES = {
    "The New York Times": {"the new york times", "new york times", "nyt"},
    "Fox News": {"fox news", "fox news channel", "foxnews"},
    "HuffPost": {"huffpost", "the huffington post", "huffington post"},
}
HOSTS = {"The New York Times": "nytimes.com", "Fox News": "foxnews.com"}
HOSTS |= {"HuffPost": "huffingtonpost.com huffpost.com"}
SEEDS = {
    "000": None,
    "001": "Anadolu Agency",
    "002": "nayakashmir.com",
    "003": "Washington Examiner",
    "004": "The Epoch Times",
}


def verdict(found: str | None, gold: str | None, host: str | None) -> str:
    """right, host, wrong or none for one article."""
    if found is None:
        return "right" if gold is None else "none"
    if gold is None:
        return "wrong"
    key = outlet_key(found)
    if key == outlet_key(gold) or key in NAMES.get(gold, set()):
        return "right"
    return "host" if host and found in host.split() else "wrong"


def _example(path: Path) -> tuple[str | None, str | None]:
    """An example file's outlet and host, from its name (``<event>-<outlet>.txt``)."""
    words = path.stem.split("-")[1:]
    return " ".join(words).title(), "".join(words) + ".example"


def basil_inputs(folder: Path, keep: tuple[str, ...]) -> dict[str, tuple[str | None, str | None]]:
    """Write basil-dev with only the ``keep`` fields; source -> (gold outlet, its host)."""
    path = folder / f"basil-{len(keep)}.jsonl"
    gold: dict[str, tuple[str | None, str | None]] = {}
    with BASIL.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for n, line in enumerate(src, 1):
            row = json.loads(line)
            outlet = GOLD.get(row["outlet"], row["outlet"])
            kept = {k: row[k] for k in keep if row.get(k)}
            out.write(json.dumps(kept) + "\n")
            gold[f"{path}#line={n}"] = (outlet, HOSTS.get(outlet))
    return gold


def alone(paths: list[Path], options: Options) -> dict[str, Article]:
    """Each input cleaned on its own: source -> article."""
    out: dict[str, Article] = {}
    for item in read_sources([str(p) for p in paths], options):
        if isinstance(item, Rejection):
            continue
        try:
            out[item.source] = clean(item, options)
        except InputError:
            continue
    return out


def through_store(paths: list[Path], folder: Path, options: Options) -> dict[str, Article]:
    """Every input through the door into a fresh store: source -> stored article."""
    db = folder / f"o{len(list(folder.glob('*.db')))}.db"
    opts = Options(db=db, outlet=options.outlet, published=options.published)
    with Store(db) as store:
        added, _, _ = ingest_into([str(p) for p in paths], opts, store, SilentReporter())
        found = [store.article(i) for i in added]
    return {a.source: a for a in found if a is not None}


def score(
    name: str, gold: dict[str, tuple[str | None, str | None]], found: dict[str, Article]
) -> list[str]:
    """Lines of one table: per gold outlet, right/host/wrong/none, and the names shown."""
    table: dict[str, Counter[str]] = {}
    shown: dict[str, Counter[str]] = {}
    for source, (outlet, host) in gold.items():
        article = found.get(source)
        got = article.outlet if article else None
        label = outlet or "(unknown)"
        table.setdefault(label, Counter())[verdict(got, outlet, host)] += 1
        shown.setdefault(label, Counter())[got or "-"] += 1
    lines = [f"  {name}"]
    total: Counter[str] = Counter()
    for label in sorted(table):
        c = table[label]
        total += c
        names = ", ".join(f"{k} {v}" for k, v in shown[label].most_common(4))
        lines.append(
            f"    {label:<22} right {c['right']:>3}  host {c['host']:>3}  wrong {c['wrong']:>3}"
            f"  none {c['none']:>3}   shown: {names}"
        )
    n = sum(total.values())
    lines.append(
        f"    {'all':<22} right {total['right']:>3}  host {total['host']:>3}"
        f"  wrong {total['wrong']:>3}  none {total['none']:>3}   ({total['right'] / n:.1%} right)"
    )
    return lines


def main() -> int:
    """Print the tables."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sets: list[tuple[str, list[Path], dict[str, tuple[str | None, str | None]], Options]] = []
        if BASIL.is_file():
            for keep, name in (
                (("title", "text", "url", "published"), "basil-dev (150, outlet field removed)"),
                (("title", "text", "published"), "basil-dev (150, outlet and url removed)"),
            ):
                gold = basil_inputs(folder, keep)
                sets.append((name, [folder / f"basil-{len(keep)}.jsonl"], gold, Options()))
        seeds = sorted((SHARED / "seeds").glob("*.txt"))
        if seeds:
            g: dict[str, tuple[str | None, str | None]] = {
                str(p): (SEEDS.get(p.name[:3]), None) for p in seeds
            }
            sets.append(("seeds (5)", seeds, g, Options(published="2025-11-07")))
        examples = sorted((ROOT / "examples").glob("*.txt"))
        # file names are <event>-<outlet>.txt (examples/README.md); storydesk never reads them
        g = {str(p): _example(p) for p in examples}
        sets.append(("examples (16 text files)", examples, g, Options(published="2026-03-13")))
        for name, paths, gold_set, options in sets:
            print(name)
            for line in score("alone (own evidence only)", gold_set, alone(paths, options)):
                print(line)
            stored = through_store(paths, folder, options)
            for line in score("through the store (names learned)", gold_set, stored):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
