"""What the service is told: where it listens, its token, and its limits (no web imports)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

TOKEN_ENV = "STORYDESK_TOKEN"
DB_ENV = "STORYDESK_DB"
MAX_BODY_ENV = "STORYDESK_MAX_BODY"


@dataclass(frozen=True)
class ServeOptions:
    """The service's settings; the database and everything else come from ``Options``."""

    host: str = "127.0.0.1"
    port: int = 8080
    token: str | None = None  # with it, every write needs `Authorization: Bearer TOKEN`
    max_body: int = 64_000  # bytes of a request body; more is refused (413)
    page_size: int = 50  # rows of a list page by default
    max_page: int = 500  # the largest `size` a list accepts


def loopback(host: str) -> bool:
    """Whether a host to bind to is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refusal(options: ServeOptions) -> str | None:
    """Why the service must not start with these settings (None when it may)."""
    if not loopback(options.host) and not options.token:
        return (
            f"refusing to listen on {options.host} without a token: set {TOKEN_ENV} (writes"
            " then need `Authorization: Bearer TOKEN`), or bind to 127.0.0.1"
        )
    return None
