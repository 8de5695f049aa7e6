"""Canonical URLs: one spelling per page, whatever tracking, fragment or AMP variant arrives."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
# Query parameters that track the reader, not the page.
_TRACKING = re.compile(
    r"(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl"
    r"|ocid|cmpid|cmp|icid|ito|smid|smtyp|mbid|ref|ref_src|referrer|source|share|partner"
    r"|taid|xtor|at_medium|at_campaign|at_custom\d*|__twitter_impression|s_cid|ns_\w+|rss"
    r"|output(?:type)?|amp|outputtype|cid|soc_src|soc_trk|guccounter|guce_\w+)",
    re.IGNORECASE,
)
_AMP_VALUES = re.compile(r"(?:amp|1|true|yes)", re.IGNORECASE)


def is_url(source: str) -> bool:
    """True when a source names a URL (any scheme) rather than a path."""
    return _URL.match(source) is not None


def is_web_url(source: str) -> bool:
    """True for http and https URLs."""
    m = _URL.match(source)
    return m is not None and m.group("scheme").lower() in ("http", "https")


def canonical_url(url: str) -> str:
    """The URL with host lower-cased, default port, fragment, tracking and AMP markers removed."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if host.startswith("amp."):
        host = host[4:]
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = _canonical_path(parts.path)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.fullmatch(k) or (k.lower() == "amp" and not _AMP_VALUES.fullmatch(v))
    ]
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def _canonical_path(path: str) -> str:
    """The path without AMP segments or suffixes, with a stable escaping."""
    segments = [s for s in path.split("/")]
    segments = [s for i, s in enumerate(segments) if not (s.lower() == "amp" and i > 0)]
    path = "/".join(segments) or "/"
    for suffix in (".amp.html", ".amp"):
        if path.lower().endswith(suffix):
            path = path[: -len(suffix)] + (".html" if suffix == ".amp.html" else "")
    if len(path) > 1 and path.endswith("/") and segments[-1] == "" and len(segments) > 2:
        path = path.rstrip("/") or "/"
    return quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")
