"""WARC streaming: a 1,000-record archive read record by record, with peak memory reported.

Builds a WARC.gz of N HTML response records (bench/extract_pages.py pages, each made distinct)
plus image and request-less noise records, then ingests it into a fresh database and reports
the peak resident set size of the process (ru_maxrss) before and after.
Run: .venv/bin/python bench/warc_stream.py [--records N]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_pages import pages

from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, ingest
from storydesk.store import Store


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(path: Path, records: int) -> None:
    """Write a WARC.gz with ``records`` HTML responses and one image every tenth record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    source = pages()
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i in range(records):
            name, data, gold = source[i % len(source)]
            lead = " ".join(gold.split()[6:10]).encode()
            body = data.replace(lead, f"In archive copy {i}, ".encode() + lead, 1)
            slug = name.removesuffix(".html").encode()
            body = body.replace(b"/" + slug, b"/" + slug + f"-{i}".encode())
            uri = f"https://www.example.org/{i}/{name}"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            rec = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(rec)
            if i % 10 == 0:
                img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], "HTTP/1.1")
                rec = writer.create_warc_record(
                    uri + ".png",
                    "response",
                    payload=io.BytesIO(b"\x89PNG" + b"\0" * 20000),
                    http_headers=img,
                )
                writer.write_record(rec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        build(path, args.records)
        before = peak_mb()
        options = Options(db=Path(tmp) / "bench.db")
        with Store(options.db) as store:
            start = time.perf_counter()
            added, _, rejected = ingest([str(path)], options, store, SilentReporter())
            elapsed = time.perf_counter() - start
        size = path.stat().st_size / 1e6
    print(f"archive: {args.records} HTML records (+ images), {size:.1f} MB gzipped")
    print(
        f"articles stored: {len(added)}, rejected: {len(rejected)}, {elapsed:.1f} s,"
        f" {args.records / elapsed:.1f} records/s"
    )
    print(f"peak RSS: {before:.0f} MB before ingest, {peak_mb():.0f} MB after")


if __name__ == "__main__":
    main()
