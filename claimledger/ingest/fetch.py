"""Fetch a URL the user asked for, and nothing else, safely.

Article pages are written by strangers. A page (or a redirect) must not be able to make
claimledger read a service on the user's own network, so every hop is resolved first, refused
if any address is private, loopback or link-local, and then connected to at exactly the address
that was checked (a second DNS answer cannot swap it). Size, redirects and the whole fetch's
time are bounded.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import httpx

from claimledger import __version__
from claimledger.errors import FetchFailed, InputTooLarge, URLRefused

USER_AGENT = f"claimledger/{__version__} (news claim ledger; fetches only URLs its user gives)"
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class FetchLimits:
    timeout: float = 20.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str | None
    charset: str | None


def fetch_url(url: str, limits: FetchLimits) -> Fetched:
    """GET `url` within `limits`, following redirects by hand so that each hop is checked.
    `limits.timeout` bounds the whole fetch, redirects and a server that trickles its headers
    or body included, not each read.

    Raises:
        URLRefused: not http(s), or an address that is not public without `allow_private`.
        FetchFailed: unreachable, timed out, too many redirects, or an HTTP error status.
        InputTooLarge: the body is over `limits.max_bytes`.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_fetch_within_deadline(url, limits))
    with ThreadPoolExecutor(max_workers=1) as pool:  # called from async code: a loop of its own
        return pool.submit(asyncio.run, _fetch_within_deadline(url, limits)).result()


async def _fetch_within_deadline(url: str, limits: FetchLimits) -> Fetched:
    try:
        return await asyncio.wait_for(_fetch(url, limits), timeout=limits.timeout)
    except TimeoutError as error:
        raise FetchFailed(f"took longer than {limits.timeout:g} s (--timeout)") from error


async def _fetch(url: str, limits: FetchLimits) -> Fetched:
    async with httpx.AsyncClient(timeout=limits.timeout, follow_redirects=False, trust_env=False) as client:
        current = url
        for _ in range(limits.max_redirects + 1):
            response_or_next = await _get_once(client, current, limits)
            if isinstance(response_or_next, Fetched):
                return response_or_next
            current = response_or_next
    raise FetchFailed(f"gave more than {limits.max_redirects} redirects (--max-redirects)")


async def _get_once(client: httpx.AsyncClient, url: str, limits: FetchLimits) -> Fetched | str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise URLRefused(f"refused {url}: only http and https URLs are fetched")
    address = await asyncio.to_thread(resolve_checked, parts.hostname, parts.port, limits.allow_private)
    pinned = _with_host(parts, address)
    host_header = parts.netloc.rsplit("@", 1)[-1]
    try:
        async with client.stream(
            "GET",
            pinned,
            headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": "*/*"},
            extensions={"sni_hostname": parts.hostname},
        ) as response:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                return urljoin(url, response.headers["location"])
            if response.status_code >= 400:
                raise FetchFailed(f"answered HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise _too_large(int(declared), limits)
            content = await _read_bounded(response, limits)
            content_type = response.headers.get("content-type")
            return Fetched(
                url=url,
                content=content,
                content_type=content_type.split(";")[0].strip().lower() if content_type else None,
                charset=response.charset_encoding,
            )
    except httpx.TimeoutException as error:
        raise FetchFailed(f"timed out after {limits.timeout:g} s (--timeout)") from error
    except httpx.HTTPError as error:
        raise FetchFailed(f"could not be fetched: {error.__class__.__name__}: {error}") from error


async def _read_bounded(response: httpx.Response, limits: FetchLimits) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise _too_large(size, limits)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limits: FetchLimits) -> InputTooLarge:
    return InputTooLarge(
        f"is over the size limit: more than {limits.max_bytes / 1e6:.1f} MB"
        f" ({size / 1e6:.1f} MB seen; raise it with --max-size)"
    )


def resolve_checked(host: str, port: int | None, allow_private: bool) -> str:
    """Resolve `host` and return one address, refusing non-public ones unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchFailed(f"host {host} could not be resolved ({error.strerror})") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        for address in addresses:
            reason = _non_public_reason(ipaddress.ip_address(address.split("%")[0]))
            if reason:
                raise URLRefused(
                    f"refused: {host} resolves to {address}, a {reason} address;"
                    " pass --allow-private to fetch from your own network"
                )
    return addresses[0]


def _non_public_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if address.is_multicast or address.is_reserved or not address.is_global:
        return "non-public"
    return None


def _with_host(parts: SplitResult, address: str) -> str:
    """The URL with its host replaced by the checked address (the port and path kept)."""
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
