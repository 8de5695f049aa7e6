"""Surname links and roles on ECB+ dev (issues 4 and 6): what the entity rules find.

    .venv/bin/python bench/entities_story.py [--cache PATH] [--sample 25] [--seed 7]
    .venv/bin/python bench/entities_story.py --polnear [--sample 25]

Reads the ECB+ dev articles through bench/ecb_analyzed.py (read, clean, analyse; cached as
JSON lines outside the repository) and counts, over PERSON mentions of one word:
  * linked in the article: the article gives the full name (canonical has two words or more);
  * linked in the story: the article does not, and who's who of the gold story joins it to
    the one full name of the story that ends with it;
  * left alone.
It also counts PERSON mentions with a role and the who's who entries with roles, then prints
a seeded random sample of story links and of roles, each with its context, to check by hand.
There is no gold for these: precision comes from the hand-checked sample. With --polnear the
PolNeAR dev articles (analysed as ``storydesk analyze --raw`` would) stand for one story each.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from storydesk.dossier.whoswho import whos_who
from storydesk.model import AnalyzedArticle, Entity
from storydesk.text.features import entity_key

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"
POLNEAR = DATA.parent / "polnear" / "dev"


def _context(a: AnalyzedArticle, e: Entity, reach: int = 60) -> str:
    """The mention with some text either side, on one line."""
    left = a.text[max(0, e.start - reach) : e.start]
    right = a.text[e.end : e.end + reach]
    return " ".join(f"{left}[{a.text[e.start : e.end]}]{right}".split())


def _ecb(cache: Path, refresh: bool) -> dict[str, list[AnalyzedArticle]]:
    """ECB+ dev articles by gold story."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ecb_analyzed import analyzed

    gold = [json.loads(line) for line in (DATA / "gold.jsonl").read_text().splitlines()]
    stories: dict[str, list[AnalyzedArticle]] = {}
    for a in analyzed(DATA, cache=cache, refresh=refresh):
        stories.setdefault(gold[a.id]["story"], []).append(a)
    return stories


def _polnear() -> dict[str, list[AnalyzedArticle]]:
    """PolNeAR dev articles, each its own story."""
    from storydesk.analyze import analyze_with, load_nlp
    from storydesk.analyze.evaluation import polnear_pairs, raw_article
    from storydesk.options import Options

    paths = [text for text, _ in polnear_pairs(POLNEAR)]
    done = analyze_with(load_nlp(Options().spacy_model), [raw_article(p) for p in paths])
    return {str(p.name): [a] for p, a in zip(paths, done, strict=True)}


def main() -> None:
    """Count links and roles, then print the samples."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-entities-ecb.jsonl"))
    ap.add_argument("--refresh", action="store_true", help="analyse again, ignoring the cache")
    ap.add_argument("--sample", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--polnear", action="store_true", help="PolNeAR dev, one story per article")
    args = ap.parse_args()
    stories = _polnear() if args.polnear else _ecb(args.cache, args.refresh)
    articles = [a for members in stories.values() for a in members]
    tally: Counter[str] = Counter()
    links: list[str] = []
    roles: list[str] = []
    for members in stories.values():
        entries = whos_who(members)
        joined = {alias: e.name for e in entries if " " in e.name for alias in e.aliases}
        for a in members:
            for e in a.entities:
                if e.label != "PERSON":
                    continue
                tally["person mentions"] += 1
                if e.roles:
                    tally["person mentions with a role"] += 1
                    roles.append(f"{'; '.join(e.roles)}  <-  {_context(a, e)}")
                if len(e.text.split()) != 1:
                    continue
                tally["one-word person mentions"] += 1
                if " " in e.canonical:
                    tally["  linked in the article"] += 1
                elif e.text in joined:
                    tally["  linked in the story"] += 1
                    links.append(f"{e.text} -> {joined[e.text]}  <-  {_context(a, e)}")
                else:
                    tally["  left alone"] += 1
        tally["who's who people"] += sum(e.label == "PERSON" for e in entries)
        tally["  by equal names only"] += len(
            {entity_key(e.canonical) for a in members for e in a.entities if e.label == "PERSON"}
        )
        tally["who's who people with roles"] += sum(bool(e.roles) for e in entries)
    print(f"{len(articles)} articles, {len(stories)} stories")
    for key, n in tally.items():
        print(f"{key:32} {n}")
    rng = random.Random(args.seed)
    for title, rows in (("story links", links), ("roles", roles)):
        print(f"\nsample of {title} ({min(args.sample, len(rows))} of {len(rows)}):")
        for row in rng.sample(rows, min(args.sample, len(rows))):
            print("  " + row)


if __name__ == "__main__":
    main()
