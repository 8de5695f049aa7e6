"""How the fetcher behaves: politeness, limits and safety, as one frozen settings object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from storydesk import __version__

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
