"""The web application: ``create_app(options)`` builds it, nothing exists at import.

A thin layer over :mod:`storydesk.api`: routes parse parameters, call the library and wrap
what it returns in envelopes; no SQL here. For uvicorn's ``--factory``: ``storydesk.serve.app:
app_from_env`` (the database from STORYDESK_DB, the token from STORYDESK_TOKEN).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from storydesk.errors import InputError, NoDatabaseError
from storydesk.options import DEFAULT_DB, Options
from storydesk.serve.context import Context
from storydesk.serve.envelope import failure
from storydesk.serve.guard import Guard
from storydesk.serve.settings import DB_ENV, MAX_BODY_ENV, TOKEN_ENV, ServeOptions

Background = Callable[[threading.Event], None]  # runs until the event is set (a feed poller)
STOP_WAIT_S = 30.0  # how long shutdown waits for the background task to finish its pass
log = logging.getLogger("storydesk.serve")


def create_app(
    options: Options, serve: ServeOptions | None = None, background: Background | None = None
) -> FastAPI:
    """The service over the database the options name; ``background`` runs beside it."""
    from storydesk import __version__
    from storydesk.serve import docs, feeds, lists, stories, writes

    ctx = Context(options, serve or ServeOptions())
    app = FastAPI(
        title="storydesk",
        version=__version__,
        description="Sourced story dossiers from news coverage: stories, articles, search,"
        " changes, corrections and alerts.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(background),
    )
    for module in (stories, lists, writes, feeds, docs):
        app.include_router(module.router(ctx))
    _handlers(app)
    app.add_middleware(Guard, max_body=ctx.serve.max_body, token=ctx.serve.token)
    return app


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory``: database, token and body limit from the environment."""
    db = os.environ.get(DB_ENV, DEFAULT_DB)
    token = os.environ.get(TOKEN_ENV) or None
    max_body = int(os.environ.get(MAX_BODY_ENV) or ServeOptions.max_body)
    return create_app(Options(db=Path(db)), ServeOptions(token=token, max_body=max_body))


def _lifespan(background: Background | None) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Start the background task (if any) with the app; stop it and wait on shutdown."""
        if background is None:
            yield
            return
        stop = threading.Event()
        worker = threading.Thread(target=background, args=(stop,), name="storydesk-background")
        worker.start()
        try:
            yield
        finally:
            stop.set()
            worker.join(STOP_WAIT_S)

    return lifespan


def _handlers(app: FastAPI) -> None:
    """Every error as the envelope: HTTP errors, validation, library errors, the unforeseen."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """An HTTP error as the error envelope."""
        return failure(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        """Invalid parameters or body: each problem named with where it is."""
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return failure(422, "; ".join(problems) or "invalid request")

    @app.exception_handler(InputError)
    async def refused(request: Request, exc: InputError) -> Response:
        """A library refusal (malformed search query, bad correction) is the client's error."""
        return failure(400, str(exc))

    @app.exception_handler(NoDatabaseError)
    async def no_database(request: Request, exc: NoDatabaseError) -> Response:
        """No database yet: nothing to serve until a run makes one."""
        return failure(503, f"{exc}; `storydesk run SOURCES` makes one")

    @app.exception_handler(sqlite3.OperationalError)
    async def busy(request: Request, exc: sqlite3.OperationalError) -> Response:
        """A database busy past its timeout: try again, never the raw SQLite message."""
        if "locked" in str(exc) or "busy" in str(exc):
            return failure(503, "the database is busy; try again", {"Retry-After": "1"})
        log.exception("database error on %s", request.url.path)
        return failure(500, "internal error")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        """Anything unforeseen: logged here, the envelope there."""
        log.exception("error on %s", request.url.path)
        return failure(500, "internal error")
