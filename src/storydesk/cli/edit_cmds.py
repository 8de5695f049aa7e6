"""Edit commands: `edit` corrects an article's outlet or date; `undo` reverts a correction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click

from storydesk.cli.params import valid_date
from storydesk.cli.story_cmds import guard


@click.command()
@click.argument("article", type=int)
@click.option("--outlet", help='The article\'s outlet ("" for unknown).')
@click.option("--published", callback=valid_date, help="The article's date (YYYY-MM-DD).")
@click.pass_context
def edit(ctx: click.Context, article: int, outlet: str | None, published: str | None) -> None:
    """Correct what the input got wrong: ARTICLE's outlet and/or publication date.

    Its story is rebuilt at once (lineage, independent sources, statuses, the dossier); a new
    date also resolves the article's relative dates ("Thursday") again. `storydesk undo`
    reverts it.
    """
    values = given(outlet, published)
    if not values:
        raise click.UsageError("give --outlet and/or --published")
    from storydesk import api

    before = _article(ctx, article)
    cid = guard(lambda: api.edit(article, values, ctx.obj))
    click.echo(f"article {article}: {changes(before, values)} (correction {cid})")


@click.command()
@click.pass_context
def undo(ctx: click.Context) -> None:
    """Undo the latest correction (edit, merge, split or move) not yet undone."""
    from storydesk import api

    new, undone = guard(lambda: api.undo(ctx.obj))
    entry = next((e for e in api.corrections(ctx.obj) if e["id"] == undone), None)
    action = entry["action"] if entry else "correction"
    click.echo(f"undid correction {undone} ({action}) as correction {new}")


def given(outlet: str | None, published: str | None) -> dict[str, str | None]:
    """The values an edit sets: an outlet ("" is unknown) and/or a date."""
    values: dict[str, str | None] = {}
    if outlet is not None:
        values["outlet"] = outlet.strip() or None
    if published is not None:
        values["published"] = published
    return values


def changes(before: Mapping[str, Any], values: Mapping[str, str | None]) -> str:
    """What an edit changes, in words: "outlet X (was unknown), published D (was E)"."""
    said = [
        f"{key} {values[key] or 'unknown'} (was {before.get(key) or 'unknown'})" for key in values
    ]
    return ", ".join(said)


def say_update(update: Any, values: Mapping[str, str | None]) -> None:
    """What ``--update`` did to inputs already stored, on stderr."""
    for note in update.notes:
        click.echo(f"storydesk: note {note}", err=True)
    if update.correction is None:
        return
    ids = ", ".join(str(a) for a in update.articles)
    what = ", ".join(f"{k} {v or 'unknown'}" for k, v in values.items())
    n = len(update.articles)
    click.echo(
        f"storydesk: updated {n} stored article{'' if n == 1 else 's'} ({ids}): {what}"
        f" (correction {update.correction}; `storydesk undo` reverts it)",
        err=True,
    )


def update_stored(ctx: click.Context, unchanged: Sequence[str], values: dict[str, Any]) -> None:
    """Apply ``--outlet``/``--published`` to the inputs a run found already stored."""
    from storydesk.pipeline.edits import update_stored as apply

    found = given(values.get("outlet"), values.get("published"))
    say_update(apply(unchanged, found, ctx.obj), found)


def _article(ctx: click.Context, article: int) -> dict[str, Any]:
    """The article's current outlet and date (a missing article is a usage error, exit 2)."""
    from storydesk import api

    found = guard(lambda: api.article(article, ctx.obj))
    if found is None:
        raise click.UsageError(f"no article {article} in {ctx.obj.db}")
    return {"outlet": found.article.outlet, "published": found.article.published}
