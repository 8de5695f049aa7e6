"""Reading sources from the file system: files, folders, and naming what cannot be read."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from storydesk.errors import InputError
from storydesk.ingest.formats import Archive, format_for, not_yet
from storydesk.ingest.rejected import RejectedInput
from storydesk.model import RawDocument, Rejection, Step
from storydesk.options import Options
from storydesk.text.decode import sniff_binary

# Documentation that travels with corpora; skipped in folders, read when named explicitly.
_FOLDER_DOCS = re.compile(
    r"(?:readme|licen[cs]e|changelog|changes|notice|copying|authors)(?:\.[a-z]+)?", re.IGNORECASE
)
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")


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


def read_file(path: Path, source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """One file as raw documents, read by the format its name implies, or rejections."""
    try:
        size = _regular_size(path)
    except InputError as exc:
        yield Rejection(source, Step.READ, str(exc))
        return
    refused = not_yet(path.name)
    if refused:
        yield Rejection(source, Step.READ, refused)
        return
    fmt = format_for(path.name)
    if isinstance(fmt, Archive):
        yield from fmt.read(path, source, options)
        return
    try:
        content = _read_bytes(path, size, options.max_bytes)
    except InputError as exc:
        yield Rejection(source, Step.READ, str(exc))
        return
    sha = hashlib.sha256(content).hexdigest()
    binary = sniff_binary(content)
    if binary:
        raw = RawDocument(source, content, fmt.media_type, sha)
        yield RejectedInput(source, Step.READ, binary, raw)
        return
    yield from fmt.read(source, content, sha)


def _regular_size(path: Path) -> int:
    """A regular file's size in bytes; InputError says why the path is not one."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("no such file or folder") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file")
    return info.st_size


def _read_bytes(path: Path, size: int, max_bytes: int) -> bytes:
    """A regular file's bytes, given its size, checked before reading; InputError says why not."""
    if size > max_bytes:
        raise InputError(f"file is {size} bytes, over the limit of {max_bytes} bytes")
    if size == 0:
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
