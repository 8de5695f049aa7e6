"""`storydesk search` and `storydesk articles`: full-text search and the article list."""

from __future__ import annotations

import html
import re

import click

from storydesk.cli.params import iso_date
from storydesk.errors import InputError

PAGE = 500  # articles read at a time
_MARK = re.compile(r"</?mark>")


@click.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--kind", type=click.Choice(["article", "fact", "quote"]), help="Only these hits.")
@click.option("--story", type=int, help="Only hits in this story.")
@click.option("--outlet", help="Only hits from this outlet.")
@click.option("--since", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", help="Published on or before (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    fmt: str,
    kind: str | None,
    story: int | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    limit: int,
) -> None:
    """Full-text search over articles, facts and quotes (SQLite FTS5 syntax), best first."""
    from storydesk import api
    from storydesk.render.jsonout import dumps, record_json
    from storydesk.store.search import Window

    window = Window(story, outlet, iso_date(since), iso_date(until), limit)
    kinds = (kind,) if kind else ("article", "fact", "quote")
    try:
        hits = api.search(query, window, ctx.obj, kinds)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "json":
        click.echo(dumps([record_json(h) for h in hits]))
        return
    for h in hits:
        where = f"story {h.story}" if h.story is not None else "no story"
        label = f"article {h.ref}" if h.kind == "article" else f"{h.kind} {h.ref}"
        text = html.unescape(
            _MARK.sub(lambda m: "]" if m.group().startswith("</") else "[", h.snippet)
        )
        click.echo(f"{label:>12}  {where}  {h.title}".rstrip())
        click.echo(f"              {text}")
    if not hits:
        click.echo("no hits")


@click.command()
@click.option("--story", type=int, help="Only the articles of this story.")
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
@click.pass_context
def articles(ctx: click.Context, story: int | None, outlet: str | None, fmt: str) -> None:
    """List articles: id, url, source, outlet, published and story."""
    from storydesk import api
    from storydesk.render.jsonout import dumps, record_json
    from storydesk.store.search import Window

    after = 0
    while True:
        rows = api.articles(Window(story, outlet, limit=PAGE), ctx.obj, after)
        for a in rows:
            if fmt == "jsonl":
                click.echo(dumps(record_json(a), indent=None))
            else:
                where = f"story {a.story}" if a.story is not None else "no story"
                click.echo(
                    f"{a.id:>6}  {where:>10}  {a.published or '-':10}  {a.outlet or '-'}  "
                    f"{a.url or a.source}"
                )
        if len(rows) < PAGE:
            return
        after = rows[-1].id
