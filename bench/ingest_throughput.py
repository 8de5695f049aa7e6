"""Ingest throughput on one core: HTML pages read, stored raw, cleaned and stored as articles.

Each page of bench/extract_pages.py is written N times with a distinct closing sentence (so
no two pages fold into one article), then ingested by the door into a fresh database.
Run: .venv/bin/python bench/ingest_throughput.py [--copies N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_pages import pages

from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, ingest
from storydesk.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        n = 0
        for copy in range(args.copies):
            for name, data, gold in pages():
                lead = " ".join(gold.split()[6:10]).encode()
                page = data.replace(lead, f"In edition {copy}, ".encode() + lead, 1)
                slug = name.removesuffix(".html").encode()
                page = page.replace(b"/" + slug, b"/" + slug + f"-{copy}".encode())
                (folder / f"{copy:03d}-{name}").write_bytes(page)
                n += 1
        options = Options(db=Path(tmp) / "bench.db")
        with Store(options.db) as store:
            start = time.perf_counter()
            added, _, rejected = ingest([str(folder)], options, store, SilentReporter())
            elapsed = time.perf_counter() - start
    print(f"pages: {n}, articles stored: {len(added)}, rejected: {len(rejected)}")
    print(f"ingest incl. storage, one core: {n / elapsed:.1f} pages/s ({elapsed:.2f} s)")


if __name__ == "__main__":
    main()
