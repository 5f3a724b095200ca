"""URLs from strangers: parsed without ever raising, so a malformed one is an error for its input
(or is simply not a link), never a crash of the run or of a page."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

# Anything that starts like a URL ("scheme://"), whatever its scheme.
_SCHEMED = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
MAX_URL_CHARS = 4096


def looks_like_url(value: str) -> bool:
    return bool(_SCHEMED.match(value))


def split_url(value: str) -> SplitResult | None:
    """The parts of `value`, or None if it is not a well-formed URL (bad IPv6 host, bad port)."""
    if len(value) > MAX_URL_CHARS or any(ord(c) < 32 for c in value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    return parts


def http_url(value: str | None) -> str | None:
    """`value` stripped if it is a well-formed http(s) URL with a host, else None."""
    if not value:
        return None
    parts = split_url(value.strip())
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value.strip()
