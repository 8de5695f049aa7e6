"""The input formats: one table naming each format's suffixes, media type, sniffing and reader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storydesk.ingest.feed import looks_like_feed, read_feed
from storydesk.ingest.html import looks_like_page, read_html
from storydesk.ingest.jsonl import read_jsonl
from storydesk.ingest.plaintext import read_text
from storydesk.ingest.warc import read_warc
from storydesk.model import MediaType, RawDocument, Rejection
from storydesk.options import Options

# A new format is one reader module plus one entry in FORMATS below. Its documents are of one
# of the MediaType values; a new kind of document also needs an entry in ``clean.OPENERS``.

Parse = Callable[[str, bytes, str], Iterator[RawDocument | Rejection]]  # source, bytes, sha256
Stream = Callable[[Path, str, Options], Iterator[RawDocument | Rejection]]  # path, source, opts
Sniff = Callable[[bytes, str], bool]  # fetched bytes, their HTTP Content-Type ("" when none)


@dataclass(frozen=True)
class Format:
    """A format read whole: the file's bytes (size-limited, binary refused) go to its reader."""

    name: str
    suffixes: tuple[str, ...]  # lower-case endings of the file names that are in this format
    media_type: MediaType  # what its raw documents are (and binary files named for it)
    read: Parse
    sniff: Sniff | None = None  # recognises fetched bytes; None: never fetched from the web


@dataclass(frozen=True)
class Archive:
    """A format streamed from its file record by record: each record, not the file, is limited."""

    name: str
    suffixes: tuple[str, ...]
    media_type: MediaType
    read: Stream


TEXT = Format("text", (".txt", ".text", ".md"), MediaType.TEXT, read_text)

# Fetched bytes are sniffed in this order: a feed before a page.
FORMATS: tuple[Format | Archive, ...] = (
    TEXT,
    Archive("jsonl", (".jsonl", ".ndjson"), MediaType.RECORD, read_jsonl),
    Format("feed", (".xml", ".rss", ".atom", ".rdf"), MediaType.FEED, read_feed, looks_like_feed),
    Format("html", (".html", ".htm", ".xhtml"), MediaType.HTML, read_html, looks_like_page),
    Archive("warc", (".warc", ".warc.gz", ".arc", ".arc.gz"), MediaType.HTML, read_warc),
)

# Formats no reader handles; they are named instead of read as text.
NOT_YET: tuple[tuple[tuple[str, ...], str], ...] = (
    ((".json",), "JSON files are not supported; use .jsonl with one record per line"),
)


def format_for(name: str) -> Format | Archive:
    """The format a file's name implies; names no entry claims are read as plain text."""
    lower = name.lower()
    return next((fmt for fmt in FORMATS if lower.endswith(fmt.suffixes)), TEXT)


def not_yet(name: str) -> str | None:
    """Why a file's format cannot be read yet, or None."""
    lower = name.lower()
    return next((reason for suffixes, reason in NOT_YET if lower.endswith(suffixes)), None)


def fetched_format(content: bytes, content_type: str) -> Format | None:
    """The format of fetched bytes, by their Content-Type and first bytes; None if none reads it."""
    for fmt in FORMATS:
        if isinstance(fmt, Format) and fmt.sniff is not None and fmt.sniff(content, content_type):
            return fmt
    return None
