"""Ingest: files, folders and JSON Lines become raw documents, bad inputs named rejections."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.ingest import (
    RECORD_MEDIA_TYPE,
    decode_text,
    document_text,
    read_sources,
    sniff_binary,
)
from storydesk.model import RawDocument, Rejection
from storydesk.options import Options

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
ARTICLE = "Pier to close\nThe harbour board voted to close the old pier on Tuesday.\n"


def read(*sources: str | Path, **options: object) -> list[RawDocument | Rejection]:
    return list(read_sources([str(s) for s in sources], Options(**options)))  # type: ignore[arg-type]


def only_rejection(items: list[RawDocument | Rejection]) -> Rejection:
    assert len(items) == 1 and isinstance(items[0], Rejection), items
    return items[0]


def only_document(items: list[RawDocument | Rejection]) -> RawDocument:
    assert len(items) == 1 and isinstance(items[0], RawDocument), items
    return items[0]


# ---------------------------------------------------------------- good inputs


def test_text_file_is_read_whole_with_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "pier.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = only_document(read(path))
    assert doc.source == str(path)
    assert doc.content == ARTICLE.encode()
    assert doc.media_type == "text/plain"
    assert doc.sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert doc.hints == ()


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("a.txt", "text/plain"),
        ("a.text", "text/plain"),
        ("a.md", "text/plain"),
        ("noextension", "text/plain"),
        ("a.story", "text/plain"),  # unknown, but looks like text
        ("a.html", "text/html"),
        ("a.HTM", "text/html"),
    ],
)
def test_media_type_follows_the_extension(tmp_path: Path, name: str, media_type: str) -> None:
    path = tmp_path / name
    path.write_text(ARTICLE, encoding="utf-8")
    assert only_document(read(path)).media_type == media_type


def test_folder_is_walked_sorted_skipping_hidden_and_docs(tmp_path: Path) -> None:
    for rel in ("b.txt", "a.txt", "sub/c.txt", "sub/.secret.txt", ".git/d.txt", "README.md"):
        path = tmp_path / "in" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path / "in")
    folder = str(tmp_path / "in")
    assert [i.source for i in items] == [
        os.path.join(folder, "a.txt"),
        os.path.join(folder, "b.txt"),
        os.path.join(folder, "sub", "c.txt"),
    ]
    assert all(isinstance(i, RawDocument) for i in items)


def test_readme_named_explicitly_is_read(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text(ARTICLE, encoding="utf-8")
    assert only_document(read(path)).source == str(path)


def test_empty_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    rejection = only_rejection(read(tmp_path / "empty"))
    assert rejection.source == str(tmp_path / "empty")
    assert "no files" in rejection.reason


def test_sources_are_read_in_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "z.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "y.txt").write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path / "z.txt", tmp_path / "missing.txt", tmp_path / "y.txt")
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejection", "RawDocument"]


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    doc = only_document(read(path))
    assert decode_text(doc.content) == ARTICLE


def test_utf8_bom_is_dropped_when_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + ARTICLE.encode())
    assert decode_text(only_document(read(path)).content) == ARTICLE


# ---------------------------------------------------------------- bad inputs


def test_missing_path(tmp_path: Path) -> None:
    rejection = only_rejection(read(tmp_path / "nope.txt"))
    assert rejection == Rejection(str(tmp_path / "nope.txt"), "read", "no such file or folder")


@pytest.mark.parametrize("url", ["https://example.org/story", "http://example.org/feed.xml"])
def test_urls_are_left_to_the_fetcher(url: str) -> None:
    rejection = only_rejection(read(url))
    assert rejection.source == url and rejection.step == "read"
    assert "URLs are fetched by `storydesk ingest`" in rejection.reason


def test_other_url_schemes_are_named() -> None:
    assert "unsupported URL scheme 'ftp'" in only_rejection(read("ftp://example.org/a")).reason


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    rejection = only_rejection(read(path))
    assert (rejection.source, rejection.step) == (str(path), "read")
    assert "empty file" in rejection.reason


@pytest.mark.parametrize("name", ["blank.txt", "blank.html", "blank.jsonl"])
def test_whitespace_only_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"  \n\t\r\n   \n")
    rejection = only_rejection(read(path))
    assert rejection.source == str(path)
    assert "only whitespace" in rejection.reason


def test_whitespace_only_utf16(tmp_path: Path) -> None:
    path = tmp_path / "blank16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "  \n \n".encode("utf-16-le"))
    assert "only whitespace" in only_rejection(read(path)).reason


@pytest.mark.parametrize("name", ["binary.txt", "binary.html", "binary", "binary.jsonl"])
def test_binary_content_is_rejected(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 4)
    rejection = only_rejection(read(path))
    assert (rejection.source, rejection.step) == (str(path), "read")
    assert rejection.reason == "binary content (NUL byte at offset 0)"


def test_control_bytes_without_nul_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 32)) * 10 + b"some text")
    assert "control bytes" in only_rejection(read(path)).reason


def test_known_binary_formats_are_named(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert only_rejection(read(path)).reason == "binary content (a PDF document)"


def test_bomless_utf16_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(ARTICLE.encode("utf-16-le"))
    reason = only_rejection(read(path)).reason
    assert "UTF-16" in reason and "byte-order mark" in reason


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 closes\nThe caf\xe9 closed.\n".encode("latin-1"))
    rejection = only_rejection(read(path))
    assert (rejection.source, rejection.step) == (str(path), "decode")
    assert rejection.reason.startswith("not valid UTF-8 (byte 0xe9 at offset 3)")


def test_decode_text_offsets_count_the_bom() -> None:
    with pytest.raises(InputError, match=r"byte 0xff at offset 5"):
        decode_text(codecs.BOM_UTF8 + b"ab\xff")


def test_oversize_file_is_rejected_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 10, encoding="utf-8")

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("an oversize file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    rejection = only_rejection(read(path, max_bytes=100))
    assert (rejection.source, rejection.step) == (str(path), "read")
    assert rejection.reason == f"file is {len(ARTICLE) * 10} bytes, over the limit of 100 bytes"


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "exact.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert only_document(read(path, max_bytes=len(ARTICLE.encode())))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_file_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    assert only_rejection(read(pipe)).reason == "not a regular file"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    path.chmod(0)
    try:
        rejection = only_rejection(read(path))
    finally:
        path.chmod(0o644)
    assert rejection.source == str(path)
    assert rejection.reason.startswith("cannot read")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("export.json", "JSON files are not supported; use .jsonl"),
        ("crawl.warc.gz", "corrupt WARC record (Unknown archive format"),
    ],
)
def test_unreadable_formats_are_named(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text("<rss></rss>", encoding="utf-8")
    assert reason in only_rejection(read(path)).reason


# ---------------------------------------------------------------- JSON Lines


def test_jsonl_bad_lines_are_named_and_the_rest_come_through() -> None:
    path = FIXTURES / "records.jsonl"
    items = read(path)
    by_source = {i.source.rsplit("#", 1)[1]: i for i in items}
    assert list(by_source) == ["line=1", "line=2", "line=3", "line=4", "line=6", "line=7"]
    good = [i for i in items if isinstance(i, RawDocument)]
    assert [g.source for g in good] == [f"{path}#line=1", f"{path}#line=6"]
    bad = {r.source: r for r in items if isinstance(r, Rejection)}
    assert all(r.step == "parse" for r in bad.values())
    assert bad[f"{path}#line=2"].reason.startswith("invalid JSON")
    assert bad[f"{path}#line=3"].reason == "expected a JSON object, got array"
    assert bad[f"{path}#line=4"].reason == "record has no 'text' field (nor an 'html' one)"
    assert bad[f"{path}#line=7"].reason == "field 'title' must be a string, got number"


def test_jsonl_record_keeps_its_line_and_hints() -> None:
    path = FIXTURES / "records.jsonl"
    first_line = path.read_bytes().split(b"\n")[0]
    doc = read(path)[0]
    assert isinstance(doc, RawDocument)
    assert doc.media_type == RECORD_MEDIA_TYPE
    assert doc.content == first_line
    assert doc.sha256 == hashlib.sha256(first_line).hexdigest()
    record = json.loads(first_line)
    assert dict(doc.hints) == {k: record[k] for k in ("title", "url", "published", "byline")}
    assert doc.hint("outlet") is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'"just a string"', "expected a JSON object, got string"),
        (b"null", "expected a JSON object, got null"),
        (b'{"text": "   "}', "field 'text' (or 'html') is empty"),
        (b'{"text": "A body.", "published": 20260301}', "field 'published' must be a string"),
        (b'{"text": "A body.", "url": ["x"]}', "field 'url' must be a string, got array"),
        (b'{"text": "caf\xe9"}', "not valid UTF-8 (byte 0xe9 at offset 13)"),
        (b"{not json}", "invalid JSON"),
    ],
)
def test_jsonl_line_problems(tmp_path: Path, line: bytes, reason: str) -> None:
    path = tmp_path / "one.jsonl"
    path.write_bytes(b'{"text": "Fine body."}\r\n' + line + b"\r\n")
    first, second = read(path)
    assert isinstance(first, RawDocument) and first.content == b'{"text": "Fine body."}'
    assert isinstance(second, Rejection)
    assert second.source == f"{path}#line=2"
    assert reason in second.reason


def test_jsonl_null_fields_count_as_absent(tmp_path: Path) -> None:
    path = tmp_path / "nulls.jsonl"
    path.write_text('{"text": "A body.", "title": null, "url": ""}\n', encoding="utf-8")
    assert only_document(read(path)).hints == ()


# ---------------------------------------------------------------- sniffing


def test_sniff_binary_accepts_text() -> None:
    assert sniff_binary("Plain text with “curly quotes” and tabs\t.\n".encode()) is None
    assert sniff_binary(codecs.BOM_UTF16_BE + "text".encode("utf-16-be")) is None


def test_document_text_of_a_record_is_its_text_field() -> None:
    doc = read(FIXTURES / "records.jsonl")[0]
    assert isinstance(doc, RawDocument)
    assert document_text(doc) == json.loads(doc.content)["text"]


def test_document_text_of_a_file_is_its_decoded_content(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert document_text(only_document(read(path))) == ARTICLE
