"""WARC archives: HTML response records become articles with their URL and fetch date."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from storydesk.ingest import read_sources
from storydesk.model import RawDocument, Rejection
from storydesk.options import Options
from storydesk.pipeline.run import SilentReporter, ingest
from storydesk.store import Store

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"


def write_warc(path: Path, records: list[tuple[str, str, bytes]], gz: bool = True) -> None:
    """A WARC of a warcinfo record and response records (uri, content type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for uri, kind, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def pages(*slugs: str) -> list[tuple[str, str, bytes]]:
    return [
        (
            f"https://www.example.org/{s}?utm_source=cc",
            "text/html; charset=utf-8",
            (PAGES / f"{s}.html").read_bytes(),
        )
        for s in slugs
    ]


def test_html_responses_become_documents_with_url_and_date(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [*pages("wind-farm", "bus-fares"), ("https://x.example/a.png", "image/png", b"\x89PNG")],
    )
    items = list(read_sources([str(path)], Options()))
    assert all(isinstance(i, RawDocument) for i in items) and len(items) == 2
    doc = items[0]
    assert isinstance(doc, RawDocument)
    assert doc.source.startswith(f"{path}#offset=") and doc.media_type == "text/html"
    assert doc.hint("url") == "https://www.example.org/wind-farm?utm_source=cc"
    assert doc.hint("fetched")


def test_warc_ingest_keeps_fetch_date_and_skips_known_urls(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, pages("wind-farm", "bus-fares"), gz=False)
    with Store(tmp_path / "db.sqlite") as store:
        added, _, rejections = ingest([str(path)], Options(), store, SilentReporter())
        assert len(added) == 2 and rejections == ()
        article = store.article(added[0])
        assert article is not None and article.fetched and article.url
        again, unchanged, _ = ingest([str(path)], Options(), store, SilentReporter())
        assert again == () and len(unchanged) == 2


def test_corrupt_record_is_named_and_earlier_records_kept(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc.gz"
    write_warc(path, pages("wind-farm", "bus-fares"))
    data = path.read_bytes()
    path.write_bytes(
        data
        + gzip.compress(
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated"
        )[:-8]
        + b"garbage"
    )
    with Store(tmp_path / "db.sqlite") as store:
        added, _, rejections = ingest([str(path)], Options(), store, SilentReporter())
    assert len(added) == 2
    assert len(rejections) == 1 and rejections[0].step == "parse"
    assert "corrupt WARC record" in rejections[0].reason
    assert rejections[0].source.startswith(f"{path}#offset=")


def test_archive_without_html_is_named(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc.gz"
    write_warc(path, [("https://x.example/a.css", "text/css", b"p{}")])
    (rejection,) = list(read_sources([str(path)], Options()))
    assert isinstance(rejection, Rejection) and "no HTML response records" in rejection.reason
