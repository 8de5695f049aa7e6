"""Alert webhooks: a JSON POST under the fetcher's rules (SSRF guard, pinned addresses,
time limits, bounded retries with backoff). The fetcher itself only GETs; this reuses its
guard (``fetch.guard.check_url``) and pinned transport (``fetch.pinning``) unchanged.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from storydesk.ingest.fetch.errors import FetchError
from storydesk.ingest.fetch.guard import check_url
from storydesk.options import FetchPolicy

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def post_json(
    url: str,
    payload: dict[str, Any],
    policy: FetchPolicy,
    transport: Any = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST a JSON payload; the final status, or FetchError saying why it was not delivered.

    ``transport`` replaces the pinned one (tests only); the URL is still checked by the guard.
    """
    import httpx

    check_url(url, policy.allow_private, resolve_names=transport is not None)
    deadline: list[float] = [0.0]
    if transport is None:
        from storydesk.ingest.fetch.pinning import pinned_transport

        transport = pinned_transport(policy.allow_private, lambda: deadline[0] or None)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"User-Agent": policy.user_agent, "Content-Type": "application/json"}
    reason = ""
    with httpx.Client(
        timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
        follow_redirects=False,  # a redirect could lead past the guard
        trust_env=False,
        transport=transport,
    ) as client:
        for attempt in range(policy.retries + 1):
            if attempt:
                sleep(policy.backoff * 2 ** (attempt - 1))
            deadline[0] = time.monotonic() + policy.max_time
            try:
                resp = client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                reason = f"network error: {type(exc).__name__}: {exc}"
                continue
            finally:
                deadline[0] = 0.0
            if resp.status_code in RETRY_STATUS:
                reason = f"HTTP {resp.status_code}"
                continue
            if resp.status_code >= 300:
                raise FetchError(f"HTTP {resp.status_code}")
            return resp.status_code
    raise FetchError(f"{reason} (after {policy.retries + 1} attempts)")
