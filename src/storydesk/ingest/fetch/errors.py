"""The error a fetch fails with: its message is the reason recorded for the URL."""

from __future__ import annotations

from storydesk.errors import InputError


class FetchError(InputError):
    """A URL could not be fetched; the message says why."""


class HostError(FetchError):
    """A host the SSRF guard refused or that does not resolve: not retried, not hidden behind
    a robots.txt failure."""
