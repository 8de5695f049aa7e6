"""Atom feeds (feedgen) with stable entry ids: a story's, a search's and an alert's."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from storydesk import api
from storydesk.serve.context import API, Context
from storydesk.serve.envelope import ERRORS

ATOM = "application/atom+xml"
TAG = "tag:storydesk,2026:"  # entry ids: the same story is the same entry wherever it appears
EPOCH = "1970-01-01T00:00:00+00:00"
FEED_RESPONSE: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"content": {ATOM: {"schema": {"type": "string"}}}, "description": "Atom feed"},
}


def router(ctx: Context) -> APIRouter:
    """The feed routes over the context's database."""
    r = APIRouter(prefix=API, tags=["feeds"])
    opts = ctx.options
    feed: dict[str, Any] = {
        "response_class": Response,
        "response_model": None,
        "responses": FEED_RESPONSE,
    }

    @r.get("/stories/{story_id}/feed.atom", **feed)
    def story_feed(request: Request, story_id: int = Path(ge=1, le=2**62)) -> Response:
        """A story's articles as an Atom feed, newest first."""
        dossier = api.dossier(story_id, opts)
        if dossier is None:
            raise HTTPException(404, f"no story {story_id}")
        rows = _story_rows(opts, [story_id])
        updated = rows[0].updated if rows else EPOCH
        entries = [
            {
                "id": f"{TAG}article/{a.id}",
                "title": a.title or f"article {a.id}",
                "updated": _time(a.published) or updated,
                "link": a.url or str(request.url_for("article", article_id=a.id)),
                "summary": f"{a.outlet or 'unknown outlet'}; {a.byline or ''}".rstrip("; "),
            }
            for a in dossier.articles
        ]
        self_url = str(request.url)
        return _atom(f"{TAG}story/{story_id}", dossier.headline, self_url, entries)

    @r.get("/search/feed.atom", **feed)
    def search_feed(request: Request, q: str = Query(min_length=1, max_length=1000)) -> Response:
        """The stories a search finds, one entry per story (updated when the story is)."""
        from storydesk.store.search import Window

        hits = api.search(q, Window(limit=200), opts)
        best: dict[int, str] = {}
        for h in hits:
            if h.story is not None and h.story not in best:
                best[h.story] = h.snippet
        entries = [
            {
                "id": f"{TAG}story/{s.id}",
                "title": s.title or f"story {s.id}",
                "updated": s.updated,
                "link": str(request.url_for("story", story_id=s.id)),
                "summary": best.get(s.id, ""),
                "html": True,
            }
            for s in _story_rows(opts, list(best))
        ]
        return _atom(f"{TAG}search/{q}", f"storydesk search: {q}", str(request.url), entries)

    @r.get("/alerts/{alert_id}/feed.atom", **feed)
    def alert_feed(request: Request, alert_id: int = Path(ge=1, le=2**62)) -> Response:
        """An alert's notifications: each names the article or fact that fired it."""
        found = api.alert_events(alert_id, opts)
        if found is None:
            raise HTTPException(404, f"no alert {alert_id}")
        alert, events = found
        entries = [
            {
                "id": f"{TAG}alert/{alert_id}/event/{e.id}",
                "title": f"{e.reason}: {e.text}",
                "updated": e.at,
                "link": str(request.url_for("story", story_id=e.story)),
                "summary": f"story {e.story}, {_what(e.reason, e.ref)}",
            }
            for e in events
        ]
        what = alert.query if alert.query is not None else f"story {alert.story}"
        return _atom(
            f"{TAG}alert/{alert_id}", f"storydesk alert: {what}", str(request.url), entries
        )

    return r


def _story_rows(opts: Any, ids: list[int]) -> list[Any]:
    from storydesk.store.listing import StoryQuery

    if not ids:
        return []
    return api.story_list(StoryQuery(ids=tuple(ids), limit=len(ids)), opts)


def _what(reason: str, ref: str | None) -> str:
    kind = {"articles": "article", "source": "independent sources"}.get(reason, "fact")
    return f"{kind} {ref}" if ref is not None else kind


def _time(value: str | None) -> str | None:
    """An ISO date or time as an aware time (dates at midnight UTC); None if unreadable."""
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (found if found.tzinfo else found.replace(tzinfo=UTC)).isoformat()


def _atom(feed_id: str, title: str, self_url: str, entries: list[dict[str, Any]]) -> Response:
    """An Atom document; the feed's updated time is its newest entry's (stable output)."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title or "storydesk")
    fg.link(href=self_url, rel="self")
    fg.updated(max((e["updated"] for e in entries), default=EPOCH))
    fg.generator("storydesk")
    for e in reversed(entries):  # feedgen puts each new entry first
        fe = fg.add_entry()
        fe.id(e["id"])
        fe.title(e["title"])
        fe.updated(e["updated"])
        fe.link(href=e["link"])
        if e.get("summary"):
            fe.summary(e["summary"], type="html" if e.get("html") else None)
    return Response(fg.atom_str(pretty=True), media_type=ATOM)
