"""Story commands: `merge`, `split` and `move` correct the clustering; explanations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import click

from storydesk.errors import InputError
from storydesk.model import Assignment, TopicLink
from storydesk.options import Options

T = TypeVar("T")


@click.command()
@click.argument("keep", type=int)
@click.argument("absorb", type=int)
@click.pass_context
def merge(ctx: click.Context, keep: int, absorb: int) -> None:
    """Merge story ABSORB into story KEEP (remembered by later runs)."""
    from storydesk.pipeline import corrections

    guard(lambda: corrections.merge(keep, absorb, ctx.obj))
    click.echo(f"story {absorb} merged into story {keep}")


@click.command()
@click.argument("story", type=int)
@click.argument("articles", type=int, nargs=-1, required=True)
@click.pass_context
def split(ctx: click.Context, story: int, articles: tuple[int, ...]) -> None:
    """Take ARTICLES out of STORY into a new story that is never merged back automatically."""
    from storydesk.pipeline import corrections

    new = guard(lambda: corrections.split(story, articles, ctx.obj))
    click.echo(f"{len(articles)} article(s) split out of story {story} into story {new}")


@click.command()
@click.argument("article", type=int)
@click.argument("story", type=int)
@click.pass_context
def move(ctx: click.Context, article: int, story: int) -> None:
    """Move ARTICLE into STORY (its old story is never merged with it automatically)."""
    from storydesk.pipeline import corrections

    old = guard(lambda: corrections.move(article, story, ctx.obj))
    click.echo(f"article {article} moved from story {old} to story {story}")


def explained(story_ids: Sequence[int], options: Options) -> dict[int, list[Assignment]]:
    """The membership explanations of each story."""
    from storydesk.pipeline import corrections

    return {sid: corrections.explanations(sid, options) for sid in story_ids}


def topics(options: Options) -> dict[int, int]:
    """Story id to topic id for every story."""
    from storydesk.pipeline import corrections

    return corrections.topics(options)


def topic_links(options: Options) -> dict[int, TopicLink]:
    """Why each linked story joined its topic."""
    from storydesk.pipeline import corrections

    return corrections.topic_links(options)


def no_dossier(story: int, options: Options) -> str:
    """Why a story has no dossier: merged into a live story (named), or no story by that id."""
    from storydesk import api
    from storydesk.store.stories import merged_into

    with api.read_store(options) as store:
        into = merged_into(store, story)
    if into is not None:
        return f"story {story} was merged into story {into}"
    return f"no story {story} in {options.db}"


def echo_explanations(explanations: Sequence[Assignment]) -> None:
    """Print one line per article: score, reason, shared entities and terms."""
    for a in explanations:
        shared = ", ".join(a.shared_entities) or "-"
        terms = ", ".join(a.shared_terms) or "-"
        reason = a.reason or ("opened the story" if a.story is None else "joined")
        click.echo(f"        article {a.article:>4}  score {a.score:.2f}  {reason}")
        click.echo(f"                      entities: {shared}; terms: {terms}")


def guard(action: Callable[[], T]) -> T:
    """Run a correction; a bad story or article id is a usage error (exit 2)."""
    from storydesk import api

    api.read_store(click.get_current_context().obj).close()  # never a new database to correct
    try:
        return action()
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
