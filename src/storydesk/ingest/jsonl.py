"""JSON Lines exports: one record (an article with its metadata) per line."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from storydesk.errors import InputError
from storydesk.ingest.rejected import RejectedInput, only_whitespace
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.text.record import HINT_FIELDS, parse_record


def read_jsonl(source: str, content: bytes, sha256: str) -> Iterator[RawDocument | Rejection]:
    """A JSON Lines file's records (each hashed on its own line), or a whitespace rejection."""
    if not content.strip():
        yield only_whitespace(source)
        return
    yield from read_records(source, content)


def read_records(path: str, content: bytes) -> Iterator[RawDocument | Rejection]:
    """One RawDocument per valid non-blank line, one Rejection per bad line."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    for number, line in enumerate(content.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        source = f"{path}#line={number}"
        try:
            fields = parse_record(line)
        except InputError as exc:
            raw = RawDocument(source, line, MediaType.RECORD, hashlib.sha256(line).hexdigest())
            yield RejectedInput(source, Step.PARSE, str(exc), raw)
            continue
        hints = tuple((key, fields[key]) for key in HINT_FIELDS if key in fields)
        yield RawDocument(
            source=source,
            content=line,
            media_type=MediaType.RECORD,
            sha256=hashlib.sha256(line).hexdigest(),
            hints=hints,
        )
