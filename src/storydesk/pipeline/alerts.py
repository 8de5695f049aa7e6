"""Alerts evaluated against the changes log: which changes fire which alert, and webhooks.

``check_alerts`` is what a poller (``serve --watch``) or the end of a run calls; it is cheap
when nothing changed (one indexed query per alert) and never fires an alert twice for a change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storydesk.options import Options
from storydesk.store import Store
from storydesk.store import changes as log
from storydesk.store.search import matching_articles
from storydesk.store.stories import merged_into

BATCH = 1000  # changes read at a time
Deliver = Callable[[str, dict[str, Any]], object]  # (url, payload): raises on failure


def check_alerts(
    store: Store, options: Options, deliver: Deliver | None = None
) -> list[log.AlertEvent]:
    """Evaluate every alert against the changes since it was last checked; send webhooks."""
    fired: list[log.AlertEvent] = []
    for alert in log.alerts(store):
        fired += _check(store, alert, deliver or _poster(options))
    return fired


def _check(store: Store, alert: log.Alert, deliver: Deliver) -> list[log.AlertEvent]:
    kinds = sorted({k for r in alert.reasons for k in log.REASONS.get(r, ())})
    watched = None if alert.story is None else merged_into(store, alert.story) or alert.story
    out: list[log.AlertEvent] = []
    story_matches: dict[int, bool] = {}
    while True:
        after = log.checked(store, alert.id)
        batch = log.changes(store, after=after, limit=BATCH, kinds=kinds)
        upto = log.last_change(store) if len(batch) < BATCH else batch[-1].id
        hits = [
            (c, reason)
            for c in batch
            if (reason := _reason(store, alert, watched, c, story_matches)) is not None
        ]
        events = log.record_events(store, alert.id, upto, hits)
        for event in events:
            if alert.webhook:
                log.set_delivery(store, event.id, _send(deliver, alert, event))
        out += events
        if len(batch) < BATCH:
            return out


def _reason(
    store: Store,
    alert: log.Alert,
    watched: int | None,
    change: log.Change,
    story_matches: dict[int, bool],
) -> str | None:
    """The alert reason a change meets, or None."""
    reason = next((r for r in alert.reasons if change.kind in log.REASONS.get(r, ())), None)
    if reason is None:
        return None
    if reason == "source":
        before, now = change.detail.get("from"), change.detail.get("to")
        if before is None or now is None or now <= before:
            return None
    if watched is not None and change.story not in (watched, alert.story):
        return None
    if alert.query is None:
        return reason
    if change.kind == "article":
        return reason if matching_articles(store, alert.query, [int(change.ref or 0)]) else None
    if change.story not in story_matches:
        members = store.members_of(change.story)
        story_matches[change.story] = bool(matching_articles(store, alert.query, members))
    return reason if story_matches[change.story] else None


def payload(alert: log.Alert, event: log.AlertEvent) -> dict[str, Any]:
    """What a webhook receives: the alert, why it fired, and the article or fact behind it."""
    return {
        "alert": alert.id,
        "event": event.id,
        "reason": event.reason,
        "story": event.story,
        "ref": event.ref,
        "text": event.text,
        "at": event.at,
    }


def _send(deliver: Deliver, alert: log.Alert, event: log.AlertEvent) -> str:
    from storydesk.errors import InputError

    assert alert.webhook is not None
    try:
        deliver(alert.webhook, payload(alert, event))
    except InputError as exc:  # FetchError: refused, failed, or not accepted
        return f"failed: {exc}"
    return "delivered"


def _poster(options: Options) -> Deliver:
    def post(url: str, body: dict[str, Any]) -> object:
        """POST through the fetcher's rules."""
        from storydesk.ingest.webhook import post_json

        return post_json(url, body, options.fetch)

    return post
