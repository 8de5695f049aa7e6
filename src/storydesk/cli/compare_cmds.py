"""`storydesk compare A B`: two articles side by side, the facts they share, what each has
alone, and where they disagree."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from storydesk.cli.params import valid_date
from storydesk.errors import InputError
from storydesk.options import Options


class CompareInputError(click.ClickException):
    """An input that cannot be compared: named with the reason on stderr, exit 2."""

    exit_code = 2


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal")
@click.option(
    "--published",
    callback=valid_date,
    help="Publication date (YYYY-MM-DD) for inputs that carry none of their own.",
)
@click.pass_context
def compare(ctx: click.Context, a: str, b: str, fmt: str, published: str | None) -> None:
    """Compare two articles A and B: files, URLs or stored article ids (numbers, in --db)."""
    from storydesk import api

    options: Options = ctx.obj
    if published is not None:
        options = replace(options, published=published)
    try:
        found = api.compare_sources(a, b, options)
    except InputError as exc:
        raise CompareInputError(str(exc)) from None
    if fmt == "json":
        from storydesk.render.compare import render_comparison_json

        click.echo(render_comparison_json(found))
    elif sys.stdout.isatty():
        from rich.console import Console

        from storydesk.render.compare import print_comparison

        print_comparison(found, Console())
    else:
        from storydesk.render.compare import render_comparison_terminal

        click.echo(render_comparison_terminal(found), nl=False)
