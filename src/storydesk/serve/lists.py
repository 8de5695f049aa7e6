"""Article, outlet, search, changes and rejection routes (each list with JSON and CSV twins)."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from storydesk import api
from storydesk.render.jsonout import article_json, dumps, record_json
from storydesk.serve.context import API, Context
from storydesk.serve.envelope import ERRORS, Data, conditional, decode_cursor, encode_cursor
from storydesk.serve.twins import Page, twins

ID = Path(ge=1, le=2**62)
MAX_ID = 2**62


def router(ctx: Context) -> APIRouter:
    """The list routes over the context's database."""
    from storydesk.store.search import Window

    r = APIRouter(prefix=API)
    page = Query(ctx.serve.page_size, ge=1, le=ctx.serve.max_page)

    def articles(
        story: int | None = Query(None, ge=1, le=MAX_ID),
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        size: int = page,
        cursor: str | None = None,
    ) -> Page:
        """Articles in id order: id, url, source, outlet, published, story, title."""
        after = decode_cursor(cursor, "a")
        window = Window(story, outlet, _day(since), _day(until), size + 1)
        found = api.articles(window, ctx.options, after)
        more = encode_cursor({"a": found[size - 1].id}) if len(found) > size else None
        return [record_json(a) for a in found[:size]], more

    twins(r, "/articles", articles, "List articles")

    for suffix in (".json", ""):
        r.add_api_route(
            "/articles/{article_id}" + suffix,
            _article(ctx),
            methods=["GET"],
            summary="One article: text, sentences, lineage and story",
            response_model=None,
            response_class=Response,
            responses={**ERRORS, 200: {"model": Data}, 304: {"description": "Not modified"}},
            name="article" + suffix.replace(".", "_"),
            tags=["articles"],
        )

    def outlets() -> Page:
        """Outlets with their article and story counts and date span."""
        return [record_json(o) for o in api.outlets(ctx.options)], None

    twins(r, "/outlets", outlets, "List outlets")

    def search(
        q: str = Query(min_length=1, max_length=1000, description="An FTS5 query"),
        kind: Literal["article", "fact", "quote"] | None = Query(None, description="Only these"),
        story: int | None = Query(None, ge=1, le=MAX_ID),
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        size: int = page,
        cursor: str | None = None,
    ) -> Page:
        """Ranked hits (bm25) over articles, facts and quotes; snippets mark matched terms."""
        offset = decode_cursor(cursor, "o")
        window = Window(story, outlet, _day(since), _day(until), size + 1, offset)
        kinds = (kind,) if kind else ("article", "fact", "quote")
        found = api.search(q, window, ctx.options, kinds)
        more = encode_cursor({"o": offset + size}) if len(found) > size else None
        return [record_json(h) for h in found[:size]], more

    twins(r, "/search", search, "Full-text search")

    def changes(
        since: datetime | None = Query(None, description="Changes at or after this time (UTC)"),
        size: int = page,
        cursor: str | None = None,
    ) -> Page:
        """What changed, oldest first: new stories, articles, facts, conflicts, sources."""
        after = decode_cursor(cursor, "c")
        found = api.changes(ctx.options, _instant(since), after, size + 1)
        more = encode_cursor({"c": found[size - 1].id}) if len(found) > size else None
        return [record_json(c) for c in found[:size]], more

    twins(r, "/changes", changes, "What changed")

    def rejections(
        state: Literal["open", "recovered", "superseded"] | None = Query(
            None, description="Only rejections in this state"
        ),
    ) -> Page:
        """Rejected inputs with the step, the reason and whether they have recovered."""
        found = api.rejection_states(ctx.options)
        return [{**record_json(rej), "state": st} for rej, st in found if state in (None, st)], None

    twins(r, "/rejections", rejections, "Rejected inputs")
    return r


def _article(ctx: Context) -> Callable[..., Response]:
    def article(request: Request, article_id: int = ID) -> Response:
        """One article with its text, sentences, lineage edges and story."""
        found = api.article(article_id, ctx.options)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        obj = article_json(found.row, found.article, found.sentences, found.lineage)
        body = dumps({"ok": True, "data": obj, "next": None}, indent=None)
        return conditional(request, Response(body, media_type="application/json"))

    return article


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _instant(value: datetime | None) -> str | None:
    """A time as the changes log writes it (UTC, seconds); a naive time is taken as UTC."""
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")
