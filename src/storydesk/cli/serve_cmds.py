"""`storydesk serve`: the JSON API under uvicorn (FastAPI imported only when it runs)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import click

from storydesk.cli.ingest_cmds import fetch_options, read_url_list, say_rejected
from storydesk.options import Options
from storydesk.serve.settings import DB_ENV, MAX_BODY_ENV, TOKEN_ENV, ServeOptions, refusal


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--max-body",
    type=click.IntRange(1),
    default=ServeOptions.max_body,
    show_default=True,
    help="Largest request body accepted, in bytes.",
)
@click.option(
    "--watch",
    "feeds_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also poll the feed URLs listed in this file (one a line), processing new articles.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=900.0,
    show_default=True,
    help="Seconds between two polls of each feed (with --watch).",
)
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests to a host.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes answering requests (more than one: not with --watch).",
)
@click.option(
    "--allow-private-hosts",
    is_flag=True,
    help="Fetch from loopback and private addresses (off by default: SSRF guard).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    max_body: int,
    feeds_file: Path | None,
    interval: float,
    delay: float | None,
    workers: int,
    allow_private_hosts: bool,
) -> None:
    """Serve the JSON API (/api/v1, docs at /api/docs) over the database.

    Elsewhere than loopback it needs STORYDESK_TOKEN, and every write then needs
    `Authorization: Bearer TOKEN`. With --watch the same process polls feeds (each host at its
    own pace) and brings stories up to date as new articles arrive.
    """
    import uvicorn

    from storydesk import api
    from storydesk.serve.app import create_app

    settings = ServeOptions(host, port, os.environ.get(TOKEN_ENV) or None, max_body)
    why = refusal(settings)
    if why is not None:
        raise click.UsageError(why)
    background = None
    if feeds_file is not None and workers > 1:
        raise click.UsageError("--watch runs one poller in one process: use --workers 1 with it")
    if feeds_file is not None:
        feeds = read_url_list(feeds_file)
        if not feeds:
            raise click.UsageError(f"{feeds_file} lists no URLs")
        watching = fetch_options(ctx.obj, allow_private_hosts, delay)
        api.open_store(watching).close()  # the watcher makes the database where there is none

        def background(stop: threading.Event) -> None:
            """Poll the feeds until the service stops."""
            _watch(feeds, watching, interval, stop)

        click.echo(f"storydesk: watching {len(feeds)} feed(s) every {interval:g} s", err=True)
    api.read_store(ctx.obj).close()  # a database to serve, migrated before the first request
    click.echo(f"storydesk: serving {ctx.obj.db} on http://{host}:{port}/api/v1", err=True)
    if workers > 1:
        # each process builds its own app through the factory, from the environment
        os.environ[DB_ENV] = str(ctx.obj.db)
        os.environ[MAX_BODY_ENV] = str(max_body)
        uvicorn.run(
            "storydesk.serve.app:app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
        )
        return
    app = create_app(ctx.obj, settings, background=background)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _watch(feeds: list[str], options: Options, interval: float, stop: threading.Event) -> None:
    """The feed poller, saying on stderr what each round that did something did."""
    from storydesk.pipeline.poll import Round, poll_feeds

    def said(done: Round) -> None:
        for rejection in done.rejections:
            say_rejected(rejection)
        if done.added or done.stories or done.alerts:
            n = len(done.stories)
            click.echo(
                f"storydesk: watch: {len(done.added)} new article(s), {len(done.rejections)}"
                f" rejected; {n} stor{'y' if n == 1 else 'ies'} updated; {done.alerts} alert(s)",
                err=True,
            )

    poll_feeds(feeds, options, interval, stop, on_round=said)
