"""Which URLs the fetcher may request: http(s) only, and no private hosts unless allowed.

``check_url`` vets a URL before it is requested; ``vetted_addresses`` is the address check
itself. The fetcher's network backend (``storydesk.ingest.fetch.pinning``) runs it for a host name
when it opens a connection and connects to exactly the addresses it vetted, so a name that
resolves differently a second time (DNS rebinding) cannot reach a private address.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from storydesk.ingest.fetch.errors import FetchError, HostError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def check_url(url: str, allow_private: bool, *, resolve_names: bool = True) -> None:
    """Raise FetchError unless the URL is http(s) to a host we may reach.

    With ``resolve_names=False`` a host name is not looked up here (an address literal still
    is checked): the caller vets the name where it connects, as the fetcher does.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"malformed URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'none'!r}")
    host = parts.hostname
    if not host:
        raise FetchError("URL has no host")
    if parts.username or parts.password:
        raise FetchError("URLs with credentials are not fetched")
    if allow_private or not (resolve_names or _literal(host) is not None):
        return
    vetted_addresses(host, port or (443 if parts.scheme.lower() == "https" else 80), False)


def vetted_addresses(host: str, port: int, allow_private: bool) -> list[IPAddress]:
    """The addresses of a host, resolved once; HostError if any may not be fetched."""
    addresses = resolve(host, port)
    if allow_private:
        return addresses
    for address in addresses:
        why = forbidden(address)
        if why:
            raise HostError(
                f"refused: {host} resolves to {address}, {why} (SSRF guard; allow private hosts"
                " explicitly to fetch it)"
            )
    return addresses


def _literal(host: str) -> IPAddress | None:
    """The address a host written as an IP literal stands for, else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses a host name (or literal) resolves to; FetchError when it does not."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostError(f"cannot resolve host {host}: {exc}") from None
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in found:
            found.append(address)
    return found


def forbidden(address: IPAddress) -> str | None:
    """Why an address may not be fetched by default, or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    checks = (
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
    )
    return next((why for bad, why in checks if bad), None)
