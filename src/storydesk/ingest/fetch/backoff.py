"""When to ask again: a failed URL (by why it failed and how often), and a host's robots.txt.

A page that is gone for good (410) is never asked again; one not found (404, and other client
errors) is asked again rarely, since a feed may link a page before it is published; a transient
failure (timeout, 5xx, network) waits twice as long after each failure in a row. robots.txt is
kept for the lifetime its caching headers give, 24 hours at most and by default (RFC 9309 2.4).
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping
from datetime import UTC

GONE_FOR_GOOD = frozenset({410})
TRANSIENT_STATUS = frozenset({408, 425, 429})  # client errors that may pass
TRANSIENT_FIRST_S = 60.0  # wait after a first transient failure; doubled after each further one
TRANSIENT_MAX_S = 6 * 3600.0
MISSING_FIRST_S = 3600.0  # wait after a first 404 (or other client error); doubled likewise
MISSING_MAX_S = 7 * 86400.0
ROBOTS_DEFAULT_S = 86400.0  # RFC 9309 2.4: SHOULD NOT use a cached copy for more than 24 h
ROBOTS_MIN_S = 60.0  # no-cache or max-age=0: kept a minute, not fetched before every page
ROBOTS_RETRY_S = 300.0  # robots.txt unreadable (5xx, no answer): asked again after this

_STATUS = re.compile(r"^HTTP (\d{3})\b")
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


def http_status(reason: str) -> int | None:
    """The HTTP status a fetch failure's reason names ("HTTP 404 Not Found" -> 404), if any."""
    found = _STATUS.match(reason)
    return int(found.group(1)) if found else None


def retry_at(failures: int, reason: str, now: float, lasting: bool = False) -> float | None:
    """When to fetch a URL again after ``failures`` failures in a row (None: never).

    ``lasting``: the page answered but holds no article (it will not change soon).
    """
    status = http_status(reason)
    if status in GONE_FOR_GOOD:
        return None
    client_error = status is not None and 400 <= status < 500 and status not in TRANSIENT_STATUS
    if lasting or client_error:
        return now + min(MISSING_FIRST_S * 2.0 ** min(failures - 1, 30), MISSING_MAX_S)
    return now + min(TRANSIENT_FIRST_S * 2.0 ** min(failures - 1, 30), TRANSIENT_MAX_S)


def due(retry: float | None, now: float) -> bool:
    """Whether a failed URL may be asked again now."""
    return retry is not None and retry <= now


def robots_lifetime(headers: Mapping[str, str], now: float) -> float:
    """Seconds a robots.txt answer stays fresh, from Cache-Control or Expires (24 h at most)."""
    control = headers.get("cache-control", "").lower()
    if "no-store" in control or "no-cache" in control:
        return ROBOTS_MIN_S
    found = _MAX_AGE.search(control)
    if found:
        return _bounded(float(found.group(1)))
    expires = headers.get("expires")
    if expires:
        try:
            when = email.utils.parsedate_to_datetime(expires)
        except (TypeError, ValueError, IndexError):
            return ROBOTS_MIN_S  # an invalid Expires means already expired (RFC 9111 5.3)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return _bounded(when.timestamp() - now)
    return ROBOTS_DEFAULT_S


def _bounded(seconds: float) -> float:
    return max(ROBOTS_MIN_S, min(seconds, ROBOTS_DEFAULT_S))
