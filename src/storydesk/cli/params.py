"""Parameter checks the commands share."""

from __future__ import annotations

from datetime import date

import click


def iso_date(value: str | None) -> str | None:
    """A date given as YYYY-MM-DD, in that form; else a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def valid_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A publication date as YYYY-MM-DD, within the years an article can be dated; else exit 2."""
    given = iso_date(value)
    if given is None:
        return None
    from storydesk.clean.meta import PUBLISHED_YEARS

    found = date.fromisoformat(given)
    if found.year not in PUBLISHED_YEARS:
        first, last = PUBLISHED_YEARS[0], PUBLISHED_YEARS[-1]
        raise click.BadParameter(f"{value!r} is not a publication date (years {first}-{last})")
    return found.isoformat()
