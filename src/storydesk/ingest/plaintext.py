"""Plain text files: UTF-8 (or UTF-8/16/32 with a byte-order mark) read as one article each."""

from __future__ import annotations

from collections.abc import Iterator

from storydesk.errors import InputError
from storydesk.ingest.rejected import RejectedInput, only_whitespace
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.text.decode import decode_text


def read_text(source: str, content: bytes, sha256: str) -> Iterator[RawDocument | Rejection]:
    """A text file as one raw document, or why its bytes are not usable text."""
    doc = RawDocument(source, content, MediaType.TEXT, sha256)
    try:
        text = decode_text(content)
    except InputError as exc:
        yield RejectedInput(source, Step.DECODE, str(exc), doc)
        return
    yield doc if text.strip() else only_whitespace(source)
