"""What every route reads: the library options and the service's settings."""

from __future__ import annotations

from dataclasses import dataclass

from storydesk.options import Options
from storydesk.serve.settings import ServeOptions

API = "/api/v1"


@dataclass(frozen=True)
class Context:
    """The library options and the service's settings, given to each router."""

    options: Options
    serve: ServeOptions
