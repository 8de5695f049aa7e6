"""Recovering rejected inputs from their stored bytes, without reading or fetching them again."""

from __future__ import annotations

from dataclasses import dataclass

from storydesk.model import Rejection, Step
from storydesk.options import Options
from storydesk.pipeline.door import Door
from storydesk.pipeline.run import Reporter, SilentReporter, process
from storydesk.store import Store
from storydesk.store.fetchlog import IngestLog, OpenRejection


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
    retried: list[OpenRejection] = []
    rep.stage("reprocess", len(opened))
    with Door(options, store, rep) as door:
        for rejection in opened:
            sha = rejection.sha256
            doc = log.stored_document(sha, rejection.source) if sha else None
            if doc is None:
                unstored.append(Rejection(rejection.source, Step(rejection.step), rejection.reason))
                continue
            retried.append(rejection)
            door.take(doc)
    failed = list(door.rejections)
    more, _ = process(options, store, rep)
    failed.extend(more)
    recovered: list[tuple[str, int]] = []
    for rejection in retried:
        sha = rejection.sha256 or ""
        article = store.article_id_for(sha) or log.alias_of(sha)
        if article is None or (rejection.step == "analyze" and not log.analyzed(article)):
            continue
        log.resolve(rejection.id, article)
        recovered.append((rejection.source, article))
    return ReprocessReport(tuple(recovered), tuple(failed), tuple(unstored))
