"""WARC and WARC.gz archives (warcio), streamed record by record in constant memory.

Each ``response`` record with an HTML payload becomes a raw document whose source is
``ARCHIVE#offset=N``, N the byte offset in the file where the record starts, with the record's
target URI and date as its ``url`` and ``fetched`` hints. An archive compressed as one gzip
stream (not record by record) has no offset for its later records: it is read through, and
those records are named ``ARCHIVE#record=N`` (their position). Other records are skipped; a
corrupt record is named and ends the archive. What warcio would print on stderr (a record's
length that does not match its data, a target URI with spaces) becomes a ``note`` hint on the
record's document and is named in the archive's rejection, if it has one.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storydesk.errors import MissingExtraError
from storydesk.ingest.html import HTML_CONTENT_TYPES, content_kind
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.options import Options

MAX_REASON = 2000  # characters of a library's message kept in a reason (cut at a word, with …)
MAX_NOTES = 5  # notes named in an archive's rejection; each record's document keeps its own
MAX_QUOTE = 120  # characters kept of the line warcio quotes from a record it cannot read
ONE_STREAM = "non-chunked gzip"  # warcio's words for an archive gzipped as one stream
ONE_STREAM_NOTE = (
    "the archive is compressed as one gzip stream, not record by record, so its records after"
    " the first have no offset of their own and are named by their position (#record=N)"
)
LENGTH_NOTE = "its Content-Length does not match its data (no blank line follows the record)"
SPACES_NOTE = "its WARC-Target-URI holds spaces (read with them percent-encoded)"


@dataclass(frozen=True)
class _Failure:
    """Where and why reading an archive stopped; ``one_stream`` when it must be read through."""

    where: str
    detail: str
    one_stream: bool = False


Items = Generator[RawDocument | Rejection, None, _Failure | None]


@dataclass
class _Reading:
    """One archive being read: HTML records found, records handled, and what warcio noted."""

    source: str
    max_bytes: int
    found: int = 0
    records: int = 0
    pending: list[str] = field(default_factory=list)  # notes on the record being read
    notes: list[str] = field(default_factory=list)  # every note, with its record's name


def read_warc(path: Path, source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """HTML response records of an archive as raw documents; bad records as rejections."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("WARC archives need warcio: pip install storydesk") from exc
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Rejection(source, Step.READ, f"cannot read: {exc.strerror or exc}")
        return
    reading = _Reading(source, options.max_bytes)
    with stream:
        failure = yield from _read(ArchiveIterator(stream, arc2warc=True), reading, by_offset=True)
    if failure is not None and failure.one_stream:
        reading.notes.append(ONE_STREAM_NOTE)
        where = failure.where
        try:
            with gzip.open(path, "rb") as inflated:
                records = ArchiveIterator(inflated, arc2warc=True)
                failure = yield from _read(records, reading, by_offset=False, skip=reading.records)
        except OSError as exc:  # the file went away between the two readings
            failure = _Failure(where, f"cannot read it again: {exc.strerror or exc}")
    if failure is not None:
        reason = (
            f"corrupt WARC record ({failure.detail}); {reading.found} HTML record(s) before it"
            " were read, the rest of the archive was not"
        )
        yield Rejection(failure.where, Step.PARSE, _noted(reason, reading.notes))
    elif reading.found == 0:
        reason = "archive holds no HTML response records"
        yield Rejection(source, Step.READ, _noted(reason, reading.notes))


def _read(records: Any, reading: _Reading, *, by_offset: bool, skip: int = 0) -> Items:
    """Documents of the records an iterator reads; how it failed, or None at its end."""
    from warcio.exceptions import ArchiveLoadFailed

    _quiet(records, reading.pending)
    iterator = iter(records)
    number = 0
    last = 0  # the offset of the last record named by its offset
    while True:
        where, offset = _name(reading.source, records, number + 1, last if by_offset else None)
        try:
            try:
                record = next(iterator)
            except StopIteration:
                return None
            number += 1
            if number <= skip:
                continue
            warned = records.err_count
            item = _record(record, reading.max_bytes)
            records.get_record_offset()  # reads the record to its end, where warcio may warn
        except ArchiveLoadFailed as exc:
            detail = _detail(exc)
            return _Failure(where, detail, one_stream=by_offset and ONE_STREAM in detail)
        except (zlib.error, EOFError, ValueError, OSError) as exc:
            return _Failure(where, _detail(exc))
        last = offset if offset is not None else last
        missing = getattr(record.raw_stream, "limit", 0)  # bytes its Content-Length still owes
        if isinstance(missing, int) and missing > 0:
            truncated = f"record is truncated: the archive ends {missing} bytes before it does"
            if item is None:
                reading.pending.append(truncated)
            else:
                item = truncated
        reading.records = number
        if records.err_count > warned:
            reading.pending.append(LENGTH_NOTE)
        notes = list(dict.fromkeys(reading.pending))
        reading.pending.clear()
        reading.notes.extend(f"record {where.rsplit('#', 1)[1]}: {note}" for note in notes)
        if item is None:
            continue
        if isinstance(item, str):
            yield Rejection(where, Step.READ, _noted(item, notes))
            continue
        reading.found += 1
        content, hints = item
        sha = hashlib.sha256(content).hexdigest()
        if not by_offset:
            notes.append(ONE_STREAM_NOTE)
        noted = (("note", "; ".join(notes)),) if notes else ()
        yield RawDocument(where, content, MediaType.HTML, sha, hints + noted)


def _name(source: str, records: Any, number: int, last: int | None) -> tuple[str, int | None]:
    """The name of the record an iterator reads next (by its offset when it has a real one)."""
    offset = getattr(records, "offset", None)
    if last is not None and isinstance(offset, int) and offset >= last:
        return f"{source}#offset={offset}", offset
    return f"{source}#record={number}", None


def _record(record: Any, max_bytes: int) -> tuple[bytes, tuple[tuple[str, str], ...]] | str | None:
    """An HTML record's payload and hints, why it cannot be used, or None (not an HTML page)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    kind = content_kind(record.http_headers.get_header("Content-Type") or "")
    if kind not in HTML_CONTENT_TYPES or record.http_headers.get_statuscode() != "200":
        return None
    payload = record.content_stream()
    if hasattr(payload, "_decompress"):
        _strict(payload)
    try:
        content = payload.read(max_bytes + 1)
    except zlib.error as exc:
        return f"record payload cannot be decompressed ({_detail(exc)})"
    if len(content) > max_bytes:
        return f"record payload over the limit of {max_bytes} bytes"
    if not content.strip():
        return "record holds an empty page"
    hints = (
        ("url", record.rec_headers.get_header("WARC-Target-URI") or ""),
        ("fetched", record.rec_headers.get_header("WARC-Date") or ""),
    )
    return content, tuple((k, v.strip()) for k, v in hints if v and v.strip())


def _quiet(records: Any, pending: list[str]) -> None:
    """Turn what warcio would print on stderr into notes (or, for corrupt data, errors)."""
    records.INC_RECORD = ""  # its "record not followed by newline" warning; err_count counts it
    _strict(records.reader)
    loader = records.loader
    percent_encode = loader._ensure_target_uri_format

    def ensure_target_uri_format(rec_headers: Any) -> Any:
        uri = rec_headers.get_header("WARC-Target-URI")
        if isinstance(uri, str) and " " in uri:  # warcio would log a warning and encode them
            rec_headers.replace_header("WARC-Target-URI", uri.replace(" ", "%20"))
            pending.append(SPACES_NOTE)
        return percent_encode(rec_headers)

    loader._ensure_target_uri_format = ensure_target_uri_format


def _strict(reader: Any) -> None:
    """Make a warcio reader raise on corrupt compressed data, where it would print and go on."""
    lenient = reader._decompress

    def decompress(data: bytes) -> bytes:
        if reader.decompressor is not None and data and reader.num_block_read:
            try:
                return bytes(reader.decompressor.decompress(data))
            except Exception as exc:  # zlib.error, or brotli's error for a "br" payload
                raise zlib.error(f"compressed data is corrupt: {exc}") from None
        return bytes(lenient(data))

    reader._decompress = decompress


def _detail(exc: BaseException) -> str:
    """A library's message, whole (whitespace collapsed), or cut at a word when very long."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    head, said, line = text.partition("first line:")
    if said and sum(c.isascii() and c.isprintable() for c in line) < 0.9 * len(line):
        text = f"{head}{said} binary data"  # warcio quotes a line of compressed or corrupt bytes
    elif said and len(line) > MAX_QUOTE:
        text = f"{head}{said}{line[:MAX_QUOTE]} …"  # a quoted line, not a sentence: cut anywhere
    if len(text) <= MAX_REASON:
        return text
    cut = text[:MAX_REASON]
    word = cut.rsplit(" ", 1)[0]
    return f"{word if len(word) > MAX_REASON // 2 else cut} …"


def _noted(reason: str, notes: list[str]) -> str:
    """A reason with the notes warcio gave on the input, if any (the first few of many)."""
    if not notes:
        return reason
    more = f"; and {len(notes) - MAX_NOTES} more" if len(notes) > MAX_NOTES else ""
    return f"{reason} (warcio noted: {'; '.join(notes[:MAX_NOTES])}{more})"
