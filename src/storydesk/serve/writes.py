"""Write routes: corrections (merge, split, move, edit, undo) with their audit log, and alerts."""

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from storydesk import api
from storydesk.render.jsonout import record_json
from storydesk.serve.context import API, Context
from storydesk.serve.envelope import WRITE_ERRORS, Data, data
from storydesk.serve.twins import Page, twins

Id = Field(ge=1, le=2**62)
Reason = Literal["articles", "conflict", "corroborated", "source"]


class Body(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Merge(Body):
    keep: int = Id
    absorb: int = Id


class Split(Body):
    story: int = Id
    articles: list[int] = Field(min_length=1, max_length=10_000)


class Move(Body):
    article: int = Id
    story: int = Id


class Edit(Body):
    article: int = Id
    outlet: str | None = Field(None, min_length=1, max_length=200)
    published: date | None = None

    @model_validator(mode="after")
    def something(self) -> "Edit":
        """An edit changes the outlet, the date, or both."""
        if self.outlet is None and self.published is None:
            raise ValueError("give outlet and/or published")
        return self


class NewAlert(Body):
    query: str | None = Field(None, min_length=1, max_length=1000)
    story: int | None = Field(None, ge=1, le=2**62)
    reasons: list[Reason] = Field(min_length=1, max_length=4)
    webhook: str | None = Field(None, min_length=1, max_length=2000)

    @model_validator(mode="after")
    def one_target(self) -> "NewAlert":
        """An alert watches a saved search or a story, not both."""
        if (self.query is None) == (self.story is None):
            raise ValueError("give either query or story")
        return self


def router(ctx: Context) -> APIRouter:
    """The write routes (and the audit log) over the context's database."""
    r = APIRouter(prefix=API)
    opts = ctx.options
    write: dict[str, Any] = {
        "methods": ["POST"],
        "response_model": None,
        "response_class": Response,
        "responses": {**WRITE_ERRORS, 201: {"model": Data}},
        "status_code": 201,
        "tags": ["corrections"],
    }

    def merge(body: Merge) -> Response:
        """Merge story `absorb` into story `keep`."""
        api.merge(body.keep, body.absorb, opts)
        return _logged(opts, story=body.keep)

    def split(body: Split) -> Response:
        """Take articles out of a story into a new story."""
        new = api.split(body.story, body.articles, opts)
        return _logged(opts, story=new)

    def move(body: Move) -> Response:
        """Move an article into another story."""
        old = api.move(body.article, body.story, opts)
        return _logged(opts, story=body.story, left=old)

    def edit(body: Edit) -> Response:
        """Correct an article's outlet and/or publication date."""
        values: dict[str, str | None] = {}
        if body.outlet is not None:
            values["outlet"] = body.outlet
        if body.published is not None:
            values["published"] = body.published.isoformat()
        api.edit(body.article, values, opts)
        return _logged(opts)

    def undo() -> Response:
        """Undo the latest correction not yet undone."""
        api.undo(opts)
        return _logged(opts)

    for name, fn in (("merge", merge), ("split", split), ("move", move), ("edit", edit)):
        r.add_api_route(f"/corrections/{name}", fn, name=f"correct_{name}", **write)
    r.add_api_route("/corrections/undo", undo, name="correct_undo", **write)

    def corrections() -> Page:
        """The audit log: every correction, oldest first, with the undo that reverted it."""
        return api.corrections(opts), None

    twins(r, "/corrections", corrections, "The corrections audit log")

    def new_alert(body: NewAlert) -> Response:
        """Save a search or watch a story; it fires on changes from now on."""
        found = api.add_alert(opts, body.query, body.story, body.reasons, body.webhook)
        return data(record_json(found), status=201)

    r.add_api_route("/alerts", new_alert, name="new_alert", **{**write, "tags": ["alerts"]})

    def check() -> Response:
        """Evaluate every alert now (a poller does this after each pass); the new events."""
        events = api.check_alerts(opts)
        return data({"events": [record_json(e) for e in events]})

    r.add_api_route(
        "/alerts/check",
        check,
        name="check_alerts",
        **{**write, "status_code": 200, "tags": ["alerts"]},
    )

    def alerts() -> Page:
        """Every alert."""
        return [record_json(a) for a in api.alerts(opts)], None

    twins(r, "/alerts", alerts, "List alerts")
    return r


def _logged(opts: Any, **extra: Any) -> Response:
    """201 with the correction just recorded (the latest row of the audit log)."""
    entry = api.corrections(opts)[-1]
    return data({**entry, **extra}, status=201)
