"""Reading sources from the file system: files, folders, and naming what cannot be read."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from storydesk.errors import InputError
from storydesk.ingest.feed import FEED_MEDIA_TYPE, looks_like_feed
from storydesk.ingest.jsonl import RECORD_MEDIA_TYPE, read_records
from storydesk.ingest.rejected import RejectedInput
from storydesk.ingest.warc import is_warc, read_warc
from storydesk.model import RawDocument, Rejection, Step
from storydesk.options import Options
from storydesk.text.decode import decode_text, sniff_binary

TEXT = "text/plain"
HTML = "text/html"

# Documentation that travels with corpora; skipped in folders, read when named explicitly.
_FOLDER_DOCS = re.compile(
    r"(?:readme|licen[cs]e|changelog|changes|notice|copying|authors)(?:\.[a-z]+)?", re.IGNORECASE
)
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_RECORD_SUFFIXES = (".jsonl", ".ndjson")
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
# Formats no reader handles; they are named instead of read as text.
_NOT_YET: tuple[tuple[tuple[str, ...], str], ...] = (
    ((".json",), "JSON files are not supported; use .jsonl with one record per line"),
)


def read_sources(sources: Iterable[str], options: Options) -> Iterator[RawDocument | Rejection]:
    """Each source (file, folder or URL) as raw documents, or rejections that say why not."""
    for source in sources:
        yield from _read_source(source, options)


def _read_source(source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """One source given by the user."""
    if not source.strip():
        yield Rejection(source, Step.READ, "empty source name")
        return
    url = _URL.match(source)
    if url:
        scheme = url.group("scheme").lower()
        if scheme in ("http", "https"):
            reason = "URLs are fetched by `storydesk ingest` and `storydesk run`, not read here"
        else:
            reason = f"unsupported URL scheme '{scheme}'"
        yield Rejection(source, Step.READ, reason)
        return
    path = Path(source)
    if path.is_dir():
        found = False
        for item in _walk(path, source, options):
            found = True
            yield item
        if not found:
            reason = "folder holds no files (hidden files and README-like docs are skipped)"
            yield Rejection(source, Step.READ, reason)
        return
    yield from read_file(path, source, options)


def _walk(folder: Path, source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """Files under a folder in name order, skipping hidden names, README-like docs, folder links."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield Rejection(source, Step.READ, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _FOLDER_DOCS.fullmatch(entry.name) and not entry.is_dir():
            continue
        child = os.path.join(source, entry.name)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), child, options)
        elif entry.is_dir():
            yield Rejection(child, Step.READ, "link to a folder (not followed)")
        else:
            yield from read_file(Path(entry.path), child, options)


def media_type(path: Path) -> str:
    """The media type a file's name implies; unknown names are read as plain text."""
    name = path.name.lower()
    if name.endswith(_HTML_SUFFIXES):
        return HTML
    if name.endswith(_RECORD_SUFFIXES):
        return RECORD_MEDIA_TYPE
    if name.endswith(_FEED_SUFFIXES):
        return FEED_MEDIA_TYPE
    return TEXT


def _not_yet(path: Path) -> str | None:
    """Why a file's format cannot be read yet, or None."""
    name = path.name.lower()
    for suffixes, reason in _NOT_YET:
        if name.endswith(suffixes):
            return reason
    return None


def read_file(path: Path, source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """One file as a raw document (or, for JSON Lines, one per record), or rejections."""
    later = _not_yet(path)
    if later and path.is_file():
        yield Rejection(source, Step.READ, later)
        return
    if is_warc(path) and path.is_file():
        yield from read_warc(path, source, options)
        return
    try:
        content = _read_bytes(path, options.max_bytes)
    except InputError as exc:
        yield Rejection(source, Step.READ, str(exc))
        return
    kind = media_type(path)
    sha = hashlib.sha256(content).hexdigest()
    binary = sniff_binary(content)
    if binary:
        yield RejectedInput(source, Step.READ, binary, RawDocument(source, content, kind, sha))
        return
    if kind == RECORD_MEDIA_TYPE:
        if not content.strip():
            yield Rejection(source, Step.READ, "file holds only whitespace")
            return
        yield from read_records(source, content)
        return
    if kind == FEED_MEDIA_TYPE and content.strip() and not looks_like_feed(content):
        reason = "XML that is not an RSS, RDF or Atom feed"
        yield RejectedInput(source, Step.PARSE, reason, RawDocument(source, content, kind, sha))
        return
    if kind == TEXT:
        try:
            text = decode_text(content)
        except InputError as exc:
            yield RejectedInput(
                source, Step.DECODE, str(exc), RawDocument(source, content, kind, sha)
            )
            return
        blank = not text.strip()
    else:
        blank = not content.strip()
    if blank:
        yield Rejection(source, Step.READ, "file holds only whitespace")
        return
    yield RawDocument(source, content, kind, sha)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, checking its size before reading; InputError says why not."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("no such file or folder") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file")
    if info.st_size > max_bytes:
        raise InputError(f"file is {info.st_size} bytes, over the limit of {max_bytes} bytes")
    if info.st_size == 0:
        raise InputError("empty file (0 bytes)")
    try:
        with path.open("rb") as handle:
            content = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if len(content) > max_bytes:
        raise InputError(f"file grew past the limit of {max_bytes} bytes while being read")
    if not content:
        raise InputError("empty file (0 bytes)")
    return content
