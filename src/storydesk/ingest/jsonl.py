"""JSON Lines exports: one record (an article with its metadata) per line, streamed from the file.

The file has no size limit: it is read line by line, and each line is limited to
``options.max_bytes`` instead, so one oversized or bad line is named and the others still read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storydesk.errors import InputError
from storydesk.ingest.rejected import RejectedInput, only_whitespace
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.options import Options
from storydesk.text.decode import SNIFF_BYTES, sniff_binary
from storydesk.text.record import HINT_FIELDS, parse_record

SKIP_CHUNK = 1 << 20  # bytes read at a time while skipping the rest of an oversized line


def read_jsonl(path: Path, source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """A JSON Lines file's records (each hashed on its own line), read line by line."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
            if not head:
                yield Rejection(source, Step.READ, "empty file (0 bytes)")
                return
            binary = sniff_binary(head)
            if binary:
                yield _binary(path, source, binary, options.max_bytes)
                return
            handle.seek(0)
            yield from _stream(handle, source, options.max_bytes)
    except OSError as exc:
        yield Rejection(source, Step.READ, f"cannot read: {exc.strerror or exc}")


def _binary(path: Path, source: str, reason: str, max_bytes: int) -> Rejection:
    """A binary file's rejection, with its bytes (to store) when they are within the limit."""
    if path.stat().st_size > max_bytes:
        return Rejection(source, Step.READ, reason)
    content = path.read_bytes()
    raw = RawDocument(source, content, MediaType.RECORD, hashlib.sha256(content).hexdigest())
    return RejectedInput(source, Step.READ, reason, raw)


def _stream(handle: BinaryIO, path: str, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """One RawDocument per valid non-blank line, one Rejection per bad or oversized line."""
    seen = False
    number = 0
    while line := handle.readline(max_bytes + 1):
        number += 1
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_line(handle)
            reason = f"line is {size} bytes, over the limit of {max_bytes} bytes"
            yield Rejection(f"{path}#line={number}", Step.READ, reason)
            seen = True
            continue
        line = line.removesuffix(b"\n").rstrip(b"\r")
        if line.strip():
            seen = True
            yield _record(f"{path}#line={number}", line)
    if not seen:
        yield only_whitespace(path)


def _skip_line(handle: BinaryIO) -> int:
    """Read past the rest of the current line; the number of bytes skipped (newline left out)."""
    skipped = 0
    while chunk := handle.readline(SKIP_CHUNK):
        if chunk.endswith(b"\n"):
            return skipped + len(chunk) - 1
        skipped += len(chunk)
    return skipped


def read_records(path: str, content: bytes) -> Iterator[RawDocument | Rejection]:
    """One RawDocument per valid non-blank line of bytes, one Rejection per bad line."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    for number, line in enumerate(content.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if line.strip():
            yield _record(f"{path}#line={number}", line)


def _record(source: str, line: bytes) -> RawDocument | Rejection:
    """One line as a record, or the rejection that says why it is not one."""
    sha = hashlib.sha256(line).hexdigest()
    try:
        fields = parse_record(line)
    except InputError as exc:
        raw = RawDocument(source, line, MediaType.RECORD, sha)
        return RejectedInput(source, Step.PARSE, str(exc), raw)
    hints = tuple((key, fields[key]) for key in HINT_FIELDS if key in fields)
    return RawDocument(source, line, MediaType.RECORD, sha, hints)
