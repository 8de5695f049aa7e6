"""WARC archives: HTML response records become articles with their URL and fetch date."""

from __future__ import annotations

import gzip
import io
import random
import re
import zlib
from pathlib import Path

import pytest

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


def warc_bytes(records: list[tuple[str, list[tuple[str, str]], bytes]], gz: bool) -> bytes:
    """A WARC (warcinfo first) of response records: (uri, HTTP headers, payload)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("t.warc", {"software": "tests"}))
    for uri, headers, body in records:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
        )
    return out.getvalue()


HTML = [("Content-Type", "text/html")]


def html_records(*slugs: str) -> list[tuple[str, list[tuple[str, str]], bytes]]:
    return [
        (f"https://www.example.org/{s}", HTML, (PAGES / f"{s}.html").read_bytes()) for s in slugs
    ]


def offsets(items: list[RawDocument | Rejection]) -> list[int]:
    return [int(i.source.rsplit("#offset=", 1)[1]) for i in items]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_sources_name_the_real_offsets_of_their_records(tmp_path: Path, gz: bool) -> None:
    data = warc_bytes(html_records("wind-farm", "bus-fares", "ferry-strike"), gz)
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data)
    items = list(read_sources([str(path)], Options()))
    assert len(items) == 3 and all(isinstance(i, RawDocument) for i in items)
    for offset in offsets(items):
        start = data[offset:]
        record = zlib.decompressobj(wbits=31).decompress(start) if gz else start
        assert record.startswith(b"WARC/1.0\r\nWARC-Type: response\r\n"), offset


def test_an_archive_gzipped_as_one_stream_is_read_through(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.warc.gz"
    path.write_bytes(gzip.compress(warc_bytes(html_records("wind-farm", "bus-fares"), gz=False)))
    items = list(read_sources([str(path)], Options()))
    assert [i.source.rsplit("#", 1)[1] for i in items] == ["record=2", "record=3"]
    assert all(
        isinstance(i, RawDocument) and "one gzip stream" in (i.hint("note") or "") for i in items
    )
    assert capfd.readouterr().err == ""
    with Store(tmp_path / "db.sqlite") as store:
        added, _, rejections = ingest([str(path)], Options(), store, SilentReporter())
        assert len(added) == 2 and rejections == ()


def test_warcio_warnings_become_notes_not_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    records = html_records("wind-farm", "bus-fares")
    records[0] = ("https://www.example.org/wind farm", HTML, records[0][2])
    data = warc_bytes(records, gz=False)
    # The last record's Content-Length claims 40 bytes fewer than it holds.
    length = re.compile(rb"Content-Length: (\d+)\r\n")
    last = length.search(data, data.rindex(b"WARC-Type: response"))  # the last record's
    assert last is not None
    claimed = str(int(last.group(1)) - 40).encode()
    path = tmp_path / "odd.warc"
    path.write_bytes(data[: last.start(1)] + claimed + data[last.end(1) :])
    items = list(read_sources([str(path)], Options()))
    assert capfd.readouterr().err == ""  # warcio printed nothing and logged nothing
    spaced, short = items[0], items[1]
    assert isinstance(spaced, RawDocument) and isinstance(short, RawDocument)
    assert spaced.hint("url") == "https://www.example.org/wind%20farm"
    assert (
        spaced.hint("note") == "its WARC-Target-URI holds spaces (read with them percent-encoded)"
    )
    assert short.hint("note") == (
        "its Content-Length does not match its data (no blank line follows the record)"
    )


def test_corrupt_records_are_named_whole_and_without_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    words = random.Random(7).choices(["harbour", "board", "pier", "vote", "tide"], k=40_000)
    packed = gzip.compress(("<html><body><p>" + " ".join(words) + "</p></body></html>").encode())
    corrupted = packed[:17_000] + bytes(500) + packed[17_500:]  # past warcio's first block
    records = html_records("wind-farm")
    records.append(
        (
            "https://www.example.org/zipped",
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            corrupted,
        )
    )
    records += html_records("bus-fares")
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(warc_bytes(records, gz=True) + b"<html>" + b"x" * 5000)
    items = list(read_sources([str(path)], Options()))
    assert capfd.readouterr().err == ""
    assert [type(i).__name__ for i in items] == [
        "RawDocument",
        "Rejection",
        "RawDocument",
        "Rejection",
    ]
    payload, archive = items[1], items[3]
    assert isinstance(payload, Rejection) and isinstance(archive, Rejection)
    assert payload.reason.startswith("record payload cannot be decompressed (compressed data is")
    assert archive.reason.startswith("corrupt WARC record (Unknown archive format, first line: [")
    assert archive.reason.endswith(
        "xxx …); 2 HTML record(s) before it were read, the rest of the archive was not"
    )
    assert all(int(o) >= 0 for o in offsets(items))


def test_a_truncated_record_is_named(tmp_path: Path) -> None:
    data = warc_bytes(html_records("wind-farm", "bus-fares"), gz=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:-500])
    items = list(read_sources([str(path)], Options()))
    assert isinstance(items[0], RawDocument) and isinstance(items[1], Rejection)
    assert items[1].reason.startswith("record is truncated: the archive ends ")
    assert items[1].source == f"{path}#offset={data.rindex(b'WARC/1.0', 0, len(data) - 500)}"


def test_one_stream_note_is_named_when_the_archive_fails(tmp_path: Path) -> None:
    data = warc_bytes([("https://x.example/a.css", [("Content-Type", "text/css")], b"p{}")], False)
    path = tmp_path / "css.warc.gz"
    path.write_bytes(gzip.compress(data + data))
    (rejection,) = list(read_sources([str(path)], Options()))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("archive holds no HTML response records (warcio noted: ")
    assert "compressed as one gzip stream" in rejection.reason
