"""Input formats: the one table in ``ingest.formats`` and the dispatch of files through it."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from storydesk.clean import OPENERS, clean
from storydesk.ingest import formats, read_sources
from storydesk.ingest.formats import FORMATS, NOT_YET, Archive, Format, fetched_format, format_for
from storydesk.ingest.rejected import RejectedInput
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.options import Options

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = b"Pier to close\nThe harbour board voted to close the old pier on Tuesday.\n"
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>A</title><link>https://example.org/a</link></item></channel></rss>"
)
SUFFIXES = [(fmt, suffix) for fmt in FORMATS for suffix in fmt.suffixes]


def read(path: Path) -> list[RawDocument | Rejection]:
    return list(read_sources([str(path)], Options()))


def write_warc(path: Path, page: bytes) -> None:
    """A WARC holding one HTML response record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/a", "response", payload=io.BytesIO(page), http_headers=headers
            )
        )


def write_sample(path: Path, fmt: Format | Archive) -> None:
    """A small valid file of a built-in format (a new format needs a sample here)."""
    page = (FIXTURES / "ingest" / "tarn-observer.html").read_bytes()
    samples = {
        "text": ARTICLE,
        "jsonl": b'{"title": "Pier to close", "text": "The board voted to close the pier."}\n',
        "feed": RSS,
        "html": page,
    }
    if fmt.name == "warc":
        write_warc(path, page)
    else:
        path.write_bytes(samples[fmt.name])


def spy(fmt: Format | Archive, calls: list[str]) -> Format | Archive:
    """The entry with a reader that records its name and yields one document of its type."""
    if isinstance(fmt, Archive):

        def stream(path: Path, source: str, options: Options) -> Iterator[RawDocument]:
            calls.append(fmt.name)
            yield RawDocument(source, path.read_bytes(), fmt.media_type, "0" * 64)

        return replace(fmt, read=stream)

    def parse(source: str, content: bytes, sha256: str) -> Iterator[RawDocument]:
        calls.append(fmt.name)
        yield RawDocument(source, content, fmt.media_type, sha256)

    return replace(fmt, read=parse)


def test_suffixes_are_lower_case_and_claimed_by_one_entry() -> None:
    suffixes = [suffix for _, suffix in SUFFIXES]
    assert len(set(suffixes)) == len(suffixes)
    assert all(s.startswith(".") and s == s.lower() for s in suffixes)
    assert len({fmt.name for fmt in FORMATS}) == len(FORMATS)
    claimed = {s for fmt in FORMATS for s in fmt.suffixes}
    assert not claimed & {s for suffixes, _ in NOT_YET for s in suffixes}


@pytest.mark.parametrize(("fmt", "suffix"), SUFFIXES, ids=[s for _, s in SUFFIXES])
def test_every_registered_suffix_reads_through_its_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: Format | Archive, suffix: str
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(formats, "FORMATS", tuple(spy(f, calls) for f in FORMATS))
    for name in (f"story{suffix}", f"STORY{suffix.upper()}"):
        assert format_for(name).name == fmt.name
        path = tmp_path / name
        path.write_bytes(ARTICLE)
        items = read(path)
        assert calls == [fmt.name], name
        assert [type(i) for i in items] == [RawDocument]
        assert isinstance(items[0], RawDocument) and items[0].media_type == fmt.media_type
        calls.clear()


@pytest.mark.parametrize(("fmt", "suffix"), SUFFIXES, ids=[s for _, s in SUFFIXES])
def test_built_in_readers_yield_their_media_type(
    tmp_path: Path, fmt: Format | Archive, suffix: str
) -> None:
    path = tmp_path / f"sample{suffix}"
    write_sample(path, fmt)
    items = read(path)
    assert items and all(isinstance(i, RawDocument) for i in items), items
    assert {i.media_type for i in items if isinstance(i, RawDocument)} == {fmt.media_type}


def test_every_kind_of_document_but_a_feed_opens_for_cleaning(tmp_path: Path) -> None:
    assert [fmt.media_type for fmt in FORMATS if fmt.media_type not in OPENERS] == [MediaType.FEED]
    for fmt in FORMATS:
        if fmt.media_type == MediaType.FEED:
            continue
        path = tmp_path / f"sample{fmt.suffixes[0]}"
        write_sample(path, fmt)
        for doc in read(path):
            assert isinstance(doc, RawDocument)
            assert clean(doc, Options()).paragraphs


def test_an_unknown_suffix_is_read_as_text_and_binary_is_rejected(tmp_path: Path) -> None:
    assert format_for("a.story") is formats.TEXT and format_for("noextension") is formats.TEXT
    text = tmp_path / "a.story"
    text.write_bytes(ARTICLE)
    [doc] = read(text)
    assert isinstance(doc, RawDocument) and doc.media_type == MediaType.TEXT
    binary = tmp_path / "b.story"
    binary.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    [rejection] = read(binary)
    assert isinstance(rejection, RejectedInput) and rejection.step == Step.READ
    assert rejection.reason == "binary content (a PDF document)"
    assert rejection.raw is not None and rejection.raw.media_type == MediaType.TEXT


def test_a_format_not_yet_read_is_named(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"text": "x"}')
    [rejection] = read(path)
    assert not isinstance(rejection, RawDocument)
    assert rejection.reason == NOT_YET[0][1]


def test_fetched_bytes_are_sniffed_through_the_table() -> None:
    found = {
        "rss": fetched_format(RSS, ""),
        "xml": fetched_format(RSS, "application/xml"),
        "html": fetched_format(b"<html></html>", "text/html; charset=utf-8"),
        "bare": fetched_format(b"<p>x</p>", ""),
        "pdf": fetched_format(b"%PDF", "application/pdf"),
    }
    names = {key: fmt.name if fmt else None for key, fmt in found.items()}
    assert names == {"rss": "feed", "xml": "feed", "html": "html", "bare": "html", "pdf": None}
    feed = found["rss"]
    sha = hashlib.sha256(RSS).hexdigest()
    assert feed is not None
    assert list(feed.read("f.xml", RSS, sha)) == [RawDocument("f.xml", RSS, MediaType.FEED, sha)]
