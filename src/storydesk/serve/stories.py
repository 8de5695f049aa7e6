"""Story routes: the list, the dossier, its sections (with CSV twins) and redirects after merges."""

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from storydesk import api
from storydesk.model import Dossier
from storydesk.render.csvout import section_rows
from storydesk.render.jsonout import dossier_to_dict, dumps, record_json
from storydesk.serve.context import API, Context
from storydesk.serve.envelope import ERRORS, Data, conditional, decode_cursor, encode_cursor
from storydesk.serve.twins import Page, twins

SECTIONS = ("facts", "quotes", "coverage", "articles", "conflicts", "timeline", "entities")
STORY_ID = Path(ge=1, le=2**62, description="A story id")


def router(ctx: Context) -> APIRouter:
    """The story routes over the context's database."""
    r = APIRouter(prefix=API, tags=["stories"])

    def stories(
        q: str | None = Query(None, min_length=1, description="Full-text query on the articles"),
        since: date | None = Query(None, description="Articles published on or after"),
        until: date | None = Query(None, description="Articles published on or before"),
        outlet: str | None = None,
        topic: int | None = Query(None, ge=1, le=2**62),
        min_sources: int | None = Query(None, ge=0, le=10**6),
        sort: Literal["updated", "size", "sources"] = "updated",
        size: int = Query(ctx.serve.page_size, ge=1, le=ctx.serve.max_page),
        cursor: str | None = None,
    ) -> Page:
        """Stories, filtered and sorted, a page at a time."""
        from storydesk.store.listing import StoryQuery

        offset = decode_cursor(cursor, "o")
        query = StoryQuery(
            q, _day(since), _day(until), outlet, topic, min_sources, sort, size + 1, offset
        )
        found = api.story_list(query, ctx.options)
        more = encode_cursor({"o": offset + size}) if len(found) > size else None
        return [record_json(s) for s in found[:size]], more

    twins(r, "/stories", stories, "List stories")

    def dossier_response(request: Request, story_id: int) -> Response:
        found = _dossier(ctx, request, story_id)
        if isinstance(found, Response):
            return found
        body = dumps({"ok": True, "data": dossier_to_dict(found), "next": None}, indent=None)
        return conditional(request, Response(body, media_type="application/json"))

    for suffix in (".json", ""):
        r.add_api_route(
            "/stories/{story_id}" + suffix,
            _story_endpoint(dossier_response),
            methods=["GET"],
            summary="A story's dossier, as `storydesk show --format json`",
            response_model=None,
            response_class=Response,
            responses={**ERRORS, 200: {"model": Data}, 304: {"description": "Not modified"}},
            name="story" + suffix.replace(".", "_"),
        )

    for section in SECTIONS:
        twins(r, "/stories/{story_id}/" + section, _section(ctx, section), f"A story's {section}")
    return r


def _story_endpoint(respond: Any) -> Any:
    def story(request: Request, story_id: int = STORY_ID) -> Response:
        """A story's dossier; a merged-away story redirects to the story it is now part of."""
        return respond(request, story_id)  # type: ignore[no-any-return]

    return story


def _section(ctx: Context, section: str) -> Any:
    def fetch(
        request: Request,
        story_id: int = STORY_ID,
        status: Literal["corroborated", "single-source", "conflicting"] | None = Query(
            None, description="Facts only: keep those with this status"
        ),
    ) -> Page | Response:
        found = _dossier(ctx, request, story_id)
        if isinstance(found, Response):
            return found
        items = section_rows(found, section)
        if status is not None and section == "facts":
            items = [f for f in items if f["status"] == status]
        return items, None

    fetch.__name__ = f"story_{section}"
    fetch.__doc__ = f"A story's {section} (the objects of `show --format json`)."
    return fetch


def _dossier(ctx: Context, request: Request, story_id: int) -> Dossier | Response:
    """The dossier, a redirect to where a merged story lives, or 404."""
    found = api.dossier(story_id, ctx.options)
    if found is not None:
        return found
    into = api.merged_into(story_id, ctx.options)
    if into is None:
        raise HTTPException(404, f"no story {story_id}")
    prefix = f"{API}/stories/{story_id}"
    path = f"{API}/stories/{into}" + request.url.path[len(prefix) :]
    return RedirectResponse(str(request.url.replace(path=path)), status_code=308)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
