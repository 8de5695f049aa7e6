"""Ingest commands (`watch`, `rejected`, `reprocess`) and the run summaries and reporter shared."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import click

from storydesk.model import Rejection
from storydesk.options import Options
from storydesk.pipeline.run import RunReport, SilentReporter

EXIT_OK = 0
EXIT_REJECTED = 1


class PlainReporter(SilentReporter):
    """Names rejections on stderr; no progress display."""

    def reject(self, rejection: Rejection) -> None:
        say_rejected(rejection)


def say_rejected(r: Rejection) -> None:
    """One line on stderr: the rejected input, why, and at which step."""
    click.echo(f"storydesk: rejected {r.source}: {r.reason} ({r.step})", err=True)


def summary(report: RunReport) -> str:
    """What a run read: new articles, those already stored, rejections."""
    return (
        f"{len(report.added)} new article(s), {len(report.unchanged)} already stored, "
        f"{len(report.rejections)} rejected"
    )


def updated(report: RunReport) -> str:
    """The run's summary and how many stories it updated, as one sentence."""
    n = len(report.stories)
    return f"{summary(report)}; {n} stor{'y' if n == 1 else 'ies'} updated."


def fetch_options(options: Options, allow_private_hosts: bool, delay: float | None) -> Options:
    """Options with the fetcher's settings changed by command-line flags."""
    policy = options.fetch
    if allow_private_hosts:
        policy = replace(policy, allow_private=True)
    if delay is not None:
        policy = replace(policy, delay=delay)
    return replace(options, fetch=policy)


def read_url_list(path: Path) -> list[str]:
    """URLs of a watch list: one a line; blank lines and # comments skipped."""
    urls: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if text:
            urls.append(text)
    return urls


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=900.0,
    show_default=True,
    help="Seconds between two passes.",
)
@click.option("--passes", type=click.IntRange(min=1), help="Stop after this many passes.")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests to a host.")
@click.option(
    "--allow-private-hosts",
    is_flag=True,
    help="Fetch from loopback and private addresses (off by default: SSRF guard).",
)
@click.pass_context
def watch(
    ctx: click.Context,
    file: Path,
    interval: float,
    passes: int | None,
    delay: float | None,
    allow_private_hosts: bool,
) -> None:
    """Poll the feed URLs listed in FILE every INTERVAL seconds until interrupted."""
    from storydesk import api

    urls = read_url_list(file)
    if not urls:
        raise click.UsageError(f"{file} lists no URLs")
    options = fetch_options(ctx.obj, allow_private_hosts, delay)
    done = 0
    rejected = False
    try:
        while passes is None or done < passes:
            if done:
                time.sleep(interval)
            report = api.run(urls, options, PlainReporter())
            done += 1
            rejected = bool(report.rejections)
            click.echo(f"pass {done}: {updated(report)}")
    except KeyboardInterrupt:
        click.echo(f"stopped after {done} pass(es)", err=True)
    ctx.exit(EXIT_REJECTED if rejected else EXIT_OK)


@click.command()
@click.option(
    "--all", "show_all", is_flag=True, help="Also list rejections since recovered or superseded."
)
@click.pass_context
def rejected(ctx: click.Context, show_all: bool) -> None:
    """List each open rejection once, at its latest step, and why (--all: recovered too)."""
    from storydesk import api
    from storydesk.store.fetchlog import IngestLog

    with api.read_store(ctx.obj) as store:
        states = IngestLog(store.conn).rejection_states()
    for r, state in states:
        if state == "open":  # each input once, at its latest step
            click.echo(f"{r.source}\t{r.step}\t{r.reason}")
        elif show_all:
            click.echo(f"{r.source}\t{r.step}\t{r.reason}\t({state})")


@click.command()
@click.pass_context
def reprocess(ctx: click.Context) -> None:
    """Run rejected inputs again from their stored bytes (nothing is read or fetched again)."""
    from storydesk import api
    from storydesk.pipeline.reprocess import reprocess as run_again

    with api.read_store(ctx.obj) as store:  # nothing to reprocess where there is no database
        report = run_again(ctx.obj, store, PlainReporter())
    for source, article in report.recovered:
        click.echo(f"recovered {source} as article {article}")
    for r in report.unstored:
        click.echo(f"storydesk: no stored bytes for {r.source} ({r.step}: {r.reason})", err=True)
    click.echo(
        f"{len(report.recovered)} recovered, {len(report.failed)} still rejected,"
        f" {len(report.unstored)} without stored bytes (read or fetch them again)."
    )
    ctx.exit(EXIT_REJECTED if report.failed or report.unstored else EXIT_OK)
