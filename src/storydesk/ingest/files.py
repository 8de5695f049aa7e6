"""Reading sources from the file system: files, folders, and naming what cannot be read."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from storydesk.errors import InputError, MissingExtraError
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
COUNT_CHUNK = 1 << 20  # bytes read at a time while counting the lines of a JSON Lines file


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
    shown = shown_name(source)
    try:
        folder = path.is_dir()
    except (OSError, ValueError) as exc:  # a name too long, or one with a NUL character
        yield Rejection(shown, Step.READ, _unusable(exc))
        return
    if folder:
        found = False
        for item in _walk(path, shown, options):
            found = True
            yield item
        if not found:
            reason = "folder holds no files (hidden files and README-like docs are skipped)"
            yield Rejection(shown, Step.READ, reason)
        return
    yield from read_file(path, shown, options)


def count_inputs(sources: Iterable[str]) -> int | None:
    """About how many documents the sources hold (files, JSON Lines records); None if unknown."""
    total = 0
    for source in sources:
        if _URL.match(source):
            return None  # fetched pages and feeds are counted as they arrive
        path = Path(source)
        try:
            folder = path.is_dir()
        except (OSError, ValueError):
            folder = False  # named later as a rejection
        found = _count_folder(path) if folder else _count_file(path)
        if found is None:
            return None
        total += found
    return total


def _count_folder(folder: Path) -> int | None:
    """About how many documents the files under a folder hold, as _walk would read them."""
    total, todo = 0, [folder]
    while todo:  # a stack, as _walk keeps one
        listed = _listing(todo.pop(), "")
        if isinstance(listed, Rejection):
            continue
        for entry, _ in listed:
            kind = _entry_kind(entry)
            found: int | None = 1
            if kind == "folder":
                todo.append(Path(entry.path))
                found = 0
            elif kind == "file":
                found = _count_file(Path(entry.path))
            if found is None:
                return None
            total += found
    return total


def _count_file(path: Path) -> int | None:
    """Records of a JSON Lines file (its lines), one for any other file; None for archives."""
    fmt = format_for(path.name)
    if not isinstance(fmt, Archive):
        return 1
    if fmt.name != "jsonl":
        return None  # a WARC's records are known only once read
    lines, last = 0, b"\n"
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(COUNT_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, ValueError):
        return 1
    return lines + (last != b"\n")


def shown_name(name: str) -> str:
    """A path as it can be printed and stored: undecodable bytes and control characters escaped."""
    if name.isprintable():
        return name
    out: list[str] = []
    for ch in name:
        if ch.isprintable():
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte the file system name did not decode
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _walk(folder: Path, source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """Files under a folder in name order, skipping hidden names, README-like docs, folder links."""
    # A stack of listings, not recursion: no depth of nested folders can exhaust the stack.
    levels: list[Iterator[tuple[os.DirEntry[str], str]]] = []
    listed: Iterator[tuple[os.DirEntry[str], str]] | Rejection | None = _listing(folder, source)
    while True:
        if isinstance(listed, Rejection):
            yield listed
        elif listed is not None:
            levels.append(listed)
        listed = None
        if not levels:
            return
        found = next(levels[-1], None)
        if found is None:
            levels.pop()
            continue
        entry, child = found
        kind = _entry_kind(entry)
        if kind == "folder":
            listed = _listing(Path(entry.path), child)
        elif kind == "file":
            yield from read_file(Path(entry.path), child, options)
        else:
            yield Rejection(child, Step.READ, kind)


def _listing(folder: Path, source: str) -> Iterator[tuple[os.DirEntry[str], str]] | Rejection:
    """A folder's entries in name order with their shown names, hidden ones and docs left out."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        return Rejection(source, Step.READ, f"cannot list folder: {exc.strerror or exc}")
    return (
        (entry, os.path.join(source, shown_name(entry.name)))
        for entry in entries
        if not entry.name.startswith(".")
        and not (_FOLDER_DOCS.fullmatch(entry.name) and _entry_kind(entry) == "file")
    )


def _entry_kind(entry: os.DirEntry[str]) -> str:
    """ "folder" (walked), "file" (read), or why a link is not followed."""
    if not entry.is_symlink():
        return "folder" if entry.is_dir(follow_symlinks=False) else "file"
    try:
        target = os.stat(entry.path)
    except FileNotFoundError:
        return "dangling link (its target does not exist)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link loop (the link leads back to itself)"
        return f"cannot follow link: {exc.strerror or exc}"
    return "link to a folder (not followed)" if stat.S_ISDIR(target.st_mode) else "file"


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
        yield from _guarded(fmt.read(path, source, options), source)
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
    yield from _guarded(fmt.read(source, content, sha), source)


def _guarded(
    items: Iterator[RawDocument | Rejection], source: str
) -> Iterator[RawDocument | Rejection]:
    """A reader's items; a reader that fails on its input ends with a named rejection of it."""
    try:
        yield from items
    except MissingExtraError:
        raise
    except Exception as exc:  # an input no rule of the reader foresaw: named, the batch goes on
        detail = " ".join(str(exc).split())
        yield Rejection(source, Step.PARSE, f"reading failed: {type(exc).__name__}: {detail}")


def _regular_size(path: Path) -> int:
    """A regular file's size in bytes; InputError says why the path is not one."""
    try:
        info = path.stat()
    except ValueError as exc:
        raise InputError(_unusable(exc)) from None
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError("dangling link (its target does not exist)") from None
        raise InputError("no such file or folder") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("link loop (the link leads back to itself)") from None
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file")
    return info.st_size


def _unusable(exc: OSError | ValueError) -> str:
    """Why a path cannot even be looked up."""
    if isinstance(exc, ValueError):
        return "not a file name (it holds a NUL character)"
    return f"cannot read: {exc.strerror or exc}"


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
