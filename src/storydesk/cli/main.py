"""The command line: a thin layer over :mod:`storydesk.api`."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from storydesk import __version__
from storydesk.cli.ingest_cmds import (
    EXIT_OK,
    EXIT_REJECTED,
    PlainReporter,
    say_rejected,
    summary,
    updated,
)
from storydesk.cli.params import valid_date
from storydesk.errors import NoDatabaseError
from storydesk.model import Rejection
from storydesk.options import DEFAULT_DB, Options
from storydesk.render import FORMATS, Layout
from storydesk.render.csvout import SECTIONS
from storydesk.store import StoryRow

PUBLISHED = click.option(
    "--published",
    callback=valid_date,
    help="Publication date (YYYY-MM-DD) for inputs that carry none of their own.",
)
OUTLET = click.option("--outlet", help="Outlet name for inputs that name none of their own.")
UPDATE = click.option(
    "--update",
    is_flag=True,
    help="Also set --outlet/--published on inputs already stored, over what they say (one"
    " correction: their stories are rebuilt, `storydesk undo` reverts it).",
)


class NoDatabase(click.ClickException):
    """No database where a command that only reads looks: said on stderr, exit 2."""

    exit_code = 2


class StorydeskGroup(click.Group):
    """The command group: a missing database is a usage error, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning NoDatabaseError into its message and exit code 2."""
        try:
            return super().invoke(ctx)
        except NoDatabaseError as exc:
            raise NoDatabase(f"{exc}; `storydesk run SOURCES` makes one") from None


@click.group(cls=StorydeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storydesk")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="STORYDESK_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="SQLite database file (or set STORYDESK_DB).",
)
@click.pass_context
def cli(ctx: click.Context, db: Path) -> None:
    """storydesk: sourced story dossiers from news coverage."""
    ctx.obj = Options(db=db, progress=sys.stderr.isatty())


def _options(ctx: click.Context, **overrides: Any) -> Options:
    from dataclasses import replace

    base: Options = ctx.obj
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


WORKERS = click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=False,
    help="Processes for analysis (default 0: one per core, at most 4).",
)


def _ingest_args(f: Any) -> Any:
    """The arguments `run` and `ingest` share."""
    for decorator in reversed(
        (click.argument("sources", nargs=-1, required=True), PUBLISHED, OUTLET, UPDATE, WORKERS)
    ):
        f = decorator(f)
    return f


def _ingest(
    ctx: click.Context, sources: tuple[str, ...], update: bool = False, **overrides: Any
) -> Any:
    """Run the pipeline over SOURCES with the command's options; return its report."""
    from storydesk.cli import edit_cmds

    values = {k: overrides.get(k) for k in ("outlet", "published")}
    if update and not any(v is not None for v in values.values()):
        raise click.UsageError("--update needs --outlet and/or --published")
    report = _run(sources, _options(ctx, **overrides))
    for note in report.notes:
        click.echo(f"storydesk: note {note}", err=True)
    if update:
        edit_cmds.update_stored(ctx, report.unchanged, values)
    return report


@cli.command()
@_ingest_args
@click.pass_context
def run(ctx: click.Context, /, sources: tuple[str, ...], **overrides: Any) -> None:
    """Ingest SOURCES (files, folders, .jsonl, pages, feeds, WARC), process them, list stories.

    Inputs already stored are recognised and left as they are; with --update, --outlet and
    --published are set on them too.
    """
    from storydesk import api

    report = _ingest(ctx, sources, **overrides)
    rows = api.stories(ctx.obj)
    plural = "y" if len(rows) == 1 else "ies"
    click.echo(f"{summary(report)}; {len(rows)} stor{plural}.", err=True)
    _print_stories(rows)
    ctx.exit(EXIT_REJECTED if report.rejections else EXIT_OK)


@cli.command()
@_ingest_args
@click.pass_context
def ingest(ctx: click.Context, /, sources: tuple[str, ...], **overrides: Any) -> None:
    """Ingest SOURCES and update the stories they touch (--update: see `run --help`)."""
    report = _ingest(ctx, sources, **overrides)
    click.echo(updated(report))
    ctx.exit(EXIT_REJECTED if report.rejections else EXIT_OK)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--explain", is_flag=True, help="Say why each article is in its story.")
@click.pass_context
def stories(ctx: click.Context, fmt: str, explain: bool) -> None:
    """List the stories in the database."""
    from storydesk import api
    from storydesk.cli import story_cmds
    from storydesk.render.jsonout import dumps, stories_json

    rows = api.stories(ctx.obj)
    why = story_cmds.explained([r.id for r in rows], ctx.obj) if explain else {}
    topics = story_cmds.topics(ctx.obj)
    links = story_cmds.topic_links(ctx.obj) if explain else {}
    if fmt == "json":
        click.echo(dumps(stories_json(rows, topics, why if explain else None, links)))
    else:
        _print_stories(rows, why, topics, links)


@cli.command()
@click.argument("story", type=int)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="terminal")
@click.option("--section", type=click.Choice(SECTIONS), default="facts", help="Section (csv).")
@click.pass_context
def show(ctx: click.Context, story: int, fmt: str, section: str) -> None:
    """Show the dossier of STORY."""
    from storydesk import api

    dossier = api.dossier(story, ctx.obj)
    if dossier is None:
        from storydesk.cli import story_cmds

        raise click.UsageError(story_cmds.no_dossier(story, ctx.obj))
    chosen = FORMATS[fmt]
    if chosen.show is not None:
        chosen.show(dossier)
    else:
        click.echo(chosen.render(dossier, Layout(section=section)), nl=fmt != "csv")


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--raw", is_flag=True, help="Take each file as clean body text, unchanged.")
@PUBLISHED
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json")
@WORKERS
@click.pass_context
def analyze(
    ctx: click.Context,
    files: tuple[str, ...],
    raw: bool,
    published: str | None,
    fmt: str,
    workers: int,
) -> None:
    """Analyse FILES on their own (nothing is stored) and print the analysis."""
    from storydesk import api
    from storydesk.render.jsonout import dumps, file_analysis

    options = _options(ctx, published=published, workers=workers)
    objects: list[dict[str, Any]] = []
    rejected = 0
    for source, result in api.analyze_paths(files, options, raw=raw):
        if isinstance(result, Rejection):
            say_rejected(result)
            rejected += 1
            continue
        obj = file_analysis(source, result)
        if fmt == "jsonl":  # one line per file as soon as its batch is done
            click.echo(dumps(obj, indent=None))
        else:
            objects.append(obj)
    if fmt == "json" and len(objects) == 1 and len(files) == 1:
        click.echo(dumps(objects[0]))
    elif fmt == "json":
        click.echo(dumps(objects))
    ctx.exit(EXIT_REJECTED if rejected else EXIT_OK)


# ---------------------------------------------------------------- helpers


def _run(sources: Sequence[str], options: Options) -> Any:
    from storydesk import api

    with _reporter(options.progress) as reporter:
        return api.run(sources, options, reporter)


@contextmanager
def _reporter(show: bool, console: Any = None) -> Iterator[Any]:
    """One Rich progress bar per stage on stderr when it is a terminal; rejections always named."""
    if not show:
        yield PlainReporter()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = console or Console(stderr=True)
    with Progress(
        TextColumn("{task.description:>9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=False,  # finished bars stay: what each stage did, and how long it took
    ) as progress:
        yield _RichReporter(progress, console)


class _RichReporter:
    """Progress as one bar per stage, each total growing as batches arrive."""

    def __init__(self, progress: Any, console: Any) -> None:
        self.progress = progress
        self.console = console
        self.tasks: dict[str, Any] = {}
        self.task: Any = None

    def stage(self, name: str, total: int | None) -> None:
        """The named stage's bar (made on first use) takes the total and the next advances."""
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(name, total=total)
        else:
            self.progress.update(self.tasks[name], total=total)
            for task in self.progress.tasks:  # more work for a bar that had finished
                if task.id == self.tasks[name] and (total is None or task.completed < total):
                    task.finished_time = None
        self.task = self.tasks[name]

    def advance(self, n: int = 1) -> None:
        """Units of the current stage done."""
        if self.task is not None:
            self.progress.advance(self.task, n)

    def reject(self, rejection: Rejection) -> None:
        """A rejected input, named above the bars."""
        from rich.markup import escape

        self.console.print(
            f"[red]rejected[/red] {escape(rejection.source)}: "
            f"{escape(rejection.reason)} ({rejection.step})"
        )


def _print_stories(
    rows: Sequence[StoryRow],
    why: dict[int, Any] | None = None,
    topics: dict[int, int] | None = None,
    links: dict[int, Any] | None = None,
) -> None:
    if not rows:
        click.echo("no stories")
        return
    topics = topics or {}
    sizes = Counter(topics.get(r.id, r.id) for r in rows)
    for r in rows:
        outlets = ", ".join(r.outlets) or "outlets unknown"
        n = len(r.articles)
        topic = topics.get(r.id, r.id)
        shared = f"; topic {topic}" if sizes[topic] > 1 else ""  # other stories of its kind
        click.echo(f"{r.id:>4}  {r.title}  ({n} article{'' if n == 1 else 's'}; {outlets}{shared})")
        if why:
            from storydesk.cli.story_cmds import echo_explanations

            link = (links or {}).get(r.id)
            if link is not None and sizes[topic] > 1:
                click.echo(f"        topic {topic}: {link.reason()}")
            echo_explanations(why[r.id])


def _register_commands() -> None:
    """Attach commands defined in their own modules (one line each)."""
    # -- command registry: add one `cli.add_command(...)` line per module below --
    from storydesk.cli import ingest_cmds

    cli.add_command(ingest_cmds.watch)
    cli.add_command(ingest_cmds.rejected)
    cli.add_command(ingest_cmds.reprocess)
    from storydesk.cli import story_cmds

    cli.add_command(story_cmds.merge)
    cli.add_command(story_cmds.split)
    cli.add_command(story_cmds.move)
    from storydesk.cli import edit_cmds

    cli.add_command(edit_cmds.edit)
    cli.add_command(edit_cmds.undo)
    from storydesk.cli import query_cmds, serve_cmds

    cli.add_command(serve_cmds.serve)
    cli.add_command(query_cmds.search)
    cli.add_command(query_cmds.articles)
    from storydesk.cli import compare_cmds

    cli.add_command(compare_cmds.compare)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    cli()
