"""WARC and WARC.gz archives (warcio), streamed record by record in constant memory.

Each ``response`` record with an HTML payload becomes a raw document whose source is
``ARCHIVE#offset=N``, with the record's target URI and date as its ``url`` and ``fetched``
hints. Other records are skipped; a corrupt record is named and ends the archive.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storydesk.errors import MissingExtraError
from storydesk.ingest.html import HTML_CONTENT_TYPES, content_kind
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.options import Options


def read_warc(path: Path, source: str, options: Options) -> Iterator[RawDocument | Rejection]:
    """HTML response records of an archive as raw documents; bad records as rejections."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("WARC archives need warcio: pip install storydesk") from exc
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Rejection(source, Step.READ, f"cannot read: {exc.strerror or exc}")
        return
    found = 0
    offset = 0
    with stream:
        records = ArchiveIterator(stream, arc2warc=True)
        try:
            for record in records:
                item = _record(record, options.max_bytes)
                offset = records.get_record_offset()  # known once the record is read
                if item is None:
                    continue
                where = f"{source}#offset={offset}"
                if isinstance(item, str):
                    yield Rejection(where, Step.READ, item)
                    continue
                found += 1
                content, hints = item
                sha = hashlib.sha256(content).hexdigest()
                yield RawDocument(where, content, MediaType.HTML, sha, hints)
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError) as exc:
            where = f"{source}#offset={getattr(records, 'offset', offset)}"
            detail = " ".join(str(exc).split())[:200] or type(exc).__name__
            yield Rejection(
                where,
                Step.PARSE,
                f"corrupt WARC record ({detail}); {found} HTML record(s) before it were read,"
                " the rest of the archive was not",
            )
            return
    if found == 0:
        yield Rejection(source, Step.READ, "archive holds no HTML response records")


def _record(record: Any, max_bytes: int) -> tuple[bytes, tuple[tuple[str, str], ...]] | str | None:
    """An HTML record's payload and hints, why it cannot be used, or None (not an HTML page)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    kind = content_kind(record.http_headers.get_header("Content-Type") or "")
    if kind not in HTML_CONTENT_TYPES or record.http_headers.get_statuscode() != "200":
        return None
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return f"record payload over the limit of {max_bytes} bytes"
    if not content.strip():
        return "record holds an empty page"
    hints = (
        ("url", record.rec_headers.get_header("WARC-Target-URI") or ""),
        ("fetched", record.rec_headers.get_header("WARC-Date") or ""),
    )
    return content, tuple((k, v.strip()) for k, v in hints if v and v.strip())
