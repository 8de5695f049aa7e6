"""Share of inputs kept as articles and analysed as English: dev corpora, seeds, made non-articles.

Run by hand: ``.venv/bin/python bench/not_articles.py`` (figures in docs/benchmarks.md).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from storydesk.clean import clean
from storydesk.clean.kind import LANGUAGE_SAMPLE_CHARS, MIN_LANGUAGE_PROB, guess_language
from storydesk.errors import InputError
from storydesk.ingest.files import read_sources
from storydesk.model import Rejection
from storydesk.options import Options

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def sets() -> dict[str, list[Path]]:
    """The named input sets, each a sorted list of files (absent sets are empty)."""
    data = SHARED / "data"
    return {
        "ecbplus-dev": sorted((data / "ecbplus-dev").rglob("*.txt")),
        "polnear": sorted(p for d in sorted(data.glob("polnear/*/text")) for p in d.rglob("*.txt")),
        "seeds": sorted((SHARED / "seeds").glob("*.txt")),
        "not_articles": sorted((ROOT / "bench" / "data" / "not_articles").iterdir()),
    }


def outcome(path: Path, options: Options) -> tuple[str, tuple[str, float] | None]:
    """'en', another language code, or 'rejected: reason' for one file, and the raw guess."""
    for item in read_sources([str(path)], options):
        if isinstance(item, Rejection):
            return f"rejected: {item.reason}", None
        try:
            article = clean(item, options)
        except InputError as exc:
            return f"rejected: {exc}", None
        text = "\n".join([article.title, *article.paragraphs])[:LANGUAGE_SAMPLE_CHARS]
        return article.language, guess_language(text)
    return "rejected: nothing read", None


def held_out(options: Options) -> None:
    """basil-dev's 150 article records, which the rules were never looked at against."""
    records = SHARED / "data" / "basil-dev" / "articles.jsonl"
    if not records.exists():
        print("basil-dev (held out): absent")
        return
    found: Counter[str] = Counter()
    for item in read_sources([str(records)], options):
        if isinstance(item, Rejection):
            found[f"rejected: {item.reason}"] += 1
            continue
        try:
            found[clean(item, options).language] += 1
        except InputError as exc:
            found[f"rejected: {exc}"] += 1
    total = sum(found.values())
    print(f"basil-dev (held out): {found['en']}/{total} kept as English articles; {dict(found)}")


def main() -> None:
    """Print, per set, how many files became English articles and name every other outcome."""
    options = Options()
    held_out(options)
    for name, paths in sets().items():
        if not paths:
            print(f"{name}: absent")
            continue
        guesses = {p: outcome(p, options) for p in paths}
        results = {p: r for p, (r, _) in guesses.items()}
        other_guesses = [
            (g[1], g[0], p.name) for p, (_, g) in guesses.items() if g and g[0] != "en"
        ]
        english = sum(1 for r in results.values() if r == "en")
        other = Counter(
            "other language" if not r.startswith("rejected") else "rejected"
            for r in results.values()
            if r != "en"
        )
        print(
            f"{name}: {english}/{len(paths)} kept as English articles"
            f" ({100 * english / len(paths):.1f}%); {dict(other)}"
        )
        if other_guesses:
            prob, lang, file = max(other_guesses)
            print(
                f"  guessed not English before the bar: {len(other_guesses)};"
                f" highest {lang} p={prob:.3f} ({file})"
            )
        for path, result in results.items():
            if result != "en":
                print(f"  {path.relative_to(path.parents[1])}: {result}", file=sys.stdout)


def short_texts(paths: list[Path]) -> None:
    """How often English texts cut short are guessed as another language, and how surely."""
    for cut in (40, 80, 120, 200):
        guesses = [guess_language(p.read_text(errors="replace")[:cut]) for p in paths]
        other = [prob for lang, prob in guesses if lang != "en"]
        sure = sum(1 for prob in other if prob >= MIN_LANGUAGE_PROB)
        print(
            f"  first {cut} characters: {len(other)} guessed not English,"
            f" {sure} at p >= {MIN_LANGUAGE_PROB}; highest p={max(other, default=0):.3f}"
        )


if __name__ == "__main__":
    main()
    print("dev corpora cut short:")
    short_texts(sets()["ecbplus-dev"] + sets()["polnear"])
