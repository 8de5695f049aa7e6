"""Run the whole pipeline on a corpus and check that every brief sentence is grounded.

Prints, per corpus: wall time of the run, stories, brief sentences, the share grounded under
the stricter check (the text is found in a sentence it cites, and every sentence it cites
states its claim: same status, counts that agree within their precision; a conflict note
rests on its conflict's sentences), the brief sentences that state a contested claim as
settled, and whether every cited (article, sentence) pair really is that sentence of that
article.

    .venv/bin/python bench/grounding.py examples --published 2026-03-13
    .venv/bin/python bench/grounding.py ../shared/seeds --published 2025-11-07
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from storydesk import api
from storydesk.dossier.grounding import check_grounding, overstated
from storydesk.model import Dossier
from storydesk.options import Options
from storydesk.serialize import to_dict
from storydesk.store import Store


def _supports(obj: object) -> list[dict[str, object]]:
    if isinstance(obj, dict):
        found = list(obj["support"]) if "support" in obj else []
        for key, value in obj.items():
            if key != "support":
                found.extend(_supports(value))
        return found
    if isinstance(obj, list):
        return [s for v in obj for s in _supports(v)]
    return []


def check(corpus: str, published: str | None) -> None:
    """Run one corpus into a fresh database and print the grounding figures."""
    with tempfile.TemporaryDirectory() as tmp:
        options = Options(db=Path(tmp) / "bench.db", published=published)
        start = time.perf_counter()
        report = api.run([corpus], options)
        seconds = time.perf_counter() - start
        with Store(options.db) as store:
            dossiers: list[Dossier] = []
            for row in store.stories():
                d = store.dossier(row.id)
                assert d is not None
                dossiers.append(d)
            sentences = {
                a.id: [s.text for s in a.sentences]
                for a in store.analyses([i for r in store.stories() for i in r.articles])
            }
    briefs = sum(len(d.brief) for d in dossiers)
    found = [check_grounding(d) for d in dossiers]
    problems = [p for ps in found for p in ps]
    ungrounded = sum(  # brief sentences with at least one problem
        len({p.split()[2] for p in ps if p.startswith("brief sentence")}) for ps in found
    )
    supports = [s for d in dossiers for s in _supports(to_dict(d))]
    wrong = [
        s
        for s in supports
        if sentences.get(int(str(s["article"])), [])[int(str(s["sentence"])) :][:1] != [s["text"]]
    ]
    share = 1.0 if not briefs else (briefs - ungrounded) / briefs
    settled = [p for d in dossiers for p in overstated(d)]
    print(
        f"{corpus}: {len(report.added)} articles, {len(dossiers)} stories, {seconds:.1f} s;"
        f" brief sentences {briefs}, grounded {share:.1%} (stricter check),"
        f" contested stated as settled {len(settled)};"
        f" cited sentences checked {len(supports)}, mismatched {len(wrong)};"
        f" other problems {sum(1 for p in problems if not p.startswith('brief'))}"
    )
    for p in [*problems, *settled][:10]:
        print("  ", p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--published")
    args = parser.parse_args()
    check(args.corpus, args.published)


if __name__ == "__main__":
    main()
