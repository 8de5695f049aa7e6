"""Recovering rejected inputs from their stored bytes, without reading or fetching them again."""

# The stored bytes go through every check ingest applied to them (size, binary content, the
# format's reader) before the door cleans them, so reprocessing accepts nothing that ingest
# would refuse. Checks made on what is not stored (an HTTP response, an archive's record
# headers, a feed entry) cannot be repeated: a rejection at the fetch step stays as it is.

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from storydesk.errors import InputError
from storydesk.ingest.formats import FORMATS, Format
from storydesk.ingest.jsonl import read_records
from storydesk.ingest.rejected import RejectedInput
from storydesk.ingest.urls import is_web_url
from storydesk.model import MediaType, RawDocument, Rejection, Step
from storydesk.options import Options
from storydesk.pipeline.door import Door
from storydesk.pipeline.run import Reporter, SilentReporter, process
from storydesk.store import Store
from storydesk.store.fetchlog import IngestLog, OpenRejection
from storydesk.text.decode import sniff_binary
from storydesk.text.record import HINT_FIELDS, parse_record

_LINE = re.compile(r"#line=\d+$")  # one line of a JSON Lines file
# A web archive's record (by byte offset, or by position in an archive gzipped as one stream;
# older stores hold negative offsets) and a feed's entry: checked against headers not stored.
_PART = re.compile(r"#(?:offset|record|entry)=-?\d+$")


@dataclass(frozen=True)
class ReprocessReport:
    """What a reprocessing run recovered, what still fails, and what has no stored bytes."""

    recovered: tuple[tuple[str, int], ...]  # (source, article id)
    failed: tuple[Rejection, ...]
    unstored: tuple[Rejection, ...]  # nothing was kept (never read, or fetch failed)


def reprocess(options: Options, store: Store, reporter: Reporter | None = None) -> ReprocessReport:
    """Run every open rejection's stored bytes through the pipeline again."""
    rep = reporter or SilentReporter()
    log = IngestLog(store.conn)
    opened = log.open_rejections()
    unstored: list[Rejection] = []
    kept: list[Rejection] = []
    retried: list[OpenRejection] = []
    rep.stage("reprocess", len(opened))
    with Door(options, store, rep) as door:
        for rejection in opened:
            sha = rejection.sha256
            doc = log.stored_document(sha, rejection.source) if sha else None
            as_named = Rejection(rejection.source, Step(rejection.step), rejection.reason)
            if doc is None:
                unstored.append(as_named)
            elif rejection.step == Step.FETCH:  # judged on the response, which is not stored
                kept.append(as_named)
            else:
                retried.append(rejection)
                door.take_all(reread(doc, options))
    failed = [*kept, *door.rejections]
    more, _ = process(options, store, rep)
    failed.extend(more)
    latest = {r.source: r for r in failed}  # each input's last rejection in this run
    recovered: list[tuple[str, int]] = []
    for rejection in retried:
        again = latest.get(rejection.source)
        if again is not None:  # listed once, at its latest step
            log.supersede(again.source, again.step, again.reason)
            continue
        sha = rejection.sha256 or ""
        article = store.article_id_for(sha) or log.alias_of(sha)
        if article is None or (rejection.step == "analyze" and not log.analyzed(article)):
            continue
        log.resolve(rejection.id, article)
        recovered.append((rejection.source, article))
    return ReprocessReport(tuple(recovered), tuple(failed), tuple(unstored))


def reread(doc: RawDocument, options: Options) -> Iterator[RawDocument | Rejection]:
    """Stored bytes through the checks ingest applied to them, as their reader yielded them."""
    if is_web_url(doc.source) or _PART.search(doc.source):
        yield doc  # checked against a response or a record header, neither read again
        return
    if doc.media_type == MediaType.RECORD and _LINE.search(doc.source):
        yield _record(doc)
        return
    size = len(doc.content)
    if size > options.max_bytes:
        reason = f"file is {size} bytes, over the limit of {options.max_bytes} bytes"
        yield RejectedInput(doc.source, Step.READ, reason, doc)
        return
    binary = sniff_binary(doc.content)
    if binary:
        yield RejectedInput(doc.source, Step.READ, binary, doc)
        return
    if doc.media_type == MediaType.RECORD:  # a whole JSON Lines file, kept when it was refused
        yield from read_records(doc.source, doc.content)
        return
    fmt = next(
        (f for f in FORMATS if isinstance(f, Format) and f.media_type == doc.media_type), None
    )
    if fmt is None:
        yield doc
        return
    for item in fmt.read(doc.source, doc.content, doc.sha256):
        if isinstance(item, RejectedInput) or not isinstance(item, Rejection):
            yield item
        elif item.source == doc.source:  # the bytes' hash goes with the rejection
            yield RejectedInput(item.source, item.step, item.reason, doc)
        else:
            yield item


def _record(doc: RawDocument) -> RawDocument | Rejection:
    """One stored JSON Lines record, parsed again as the reader parses a line."""
    try:
        fields = parse_record(doc.content)
    except InputError as exc:
        return RejectedInput(doc.source, Step.PARSE, str(exc), doc)
    hints = tuple((key, fields[key]) for key in HINT_FIELDS if key in fields)
    return RawDocument(doc.source, doc.content, MediaType.RECORD, doc.sha256, hints)
