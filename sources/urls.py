"""URL rules shared by fetching and discovery: which hosts may be fetched, and one canonical form per link."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

WEB_SCHEMES = frozenset({"http", "https"})


def host_of(url: str) -> str:
    """Return the URL's host, lower case, without port or trailing dot: 'https://HanoiMoi.vn:443/a' -> 'hanoimoi.vn'."""
    return (urlsplit(url).hostname or "").rstrip(".")


def origin_of(url: str) -> str:
    """Return scheme and authority, which robots.txt applies to: 'https://hanoimoi.vn/tin/1' -> 'https://hanoimoi.vn'."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def absolute_link(base_url: str, href: str) -> str | None:
    """Resolve a link against its page without fragment; None unless http(s): ('https://a.vn/x/', 'y#p') -> '…/x/y'."""
    parts = urlsplit(urljoin(base_url, href.strip()))
    if parts.scheme not in WEB_SCHEMES or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


class HostAllowlist:
    """Allow a URL when its host is listed or is a subdomain of a listed one: 'hanoimoi.vn' allows 'www.hanoimoi.vn'."""

    def __init__(self, hosts: Iterable[str]):
        self.hosts = frozenset(_bare_host(host) for host in hosts)

    def allows(self, url: str) -> bool:
        """Tell whether the URL is http(s) on an allowed host."""
        return urlsplit(url).scheme in WEB_SCHEMES and self.allows_host(host_of(url))

    def allows_host(self, host: str) -> bool:
        """Tell whether a host is listed or sits under a listed one."""
        return any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts)


def _bare_host(host: str) -> str:
    """Check and normalise one allowed-host entry: ' HanoiMoi.vn. ' -> 'hanoimoi.vn'."""
    bare = host.strip().lower().rstrip(".")
    if not bare or any(mark in bare for mark in "/:@ "):
        raise ValueError(f"allowed host {host!r} should be a bare host name such as 'hanoimoi.vn'")
    return bare
