"""URLs from strangers: parsed without ever raising, so a malformed one is an error for its input
(or is simply not a link), never a crash of the run or of a page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class UrlDate:
    """The date a URL's path carries: news sites file articles under their day or their month."""

    year: int
    month: int
    day: int | None = None  # None: the path names the month only (/2014/07/slug)

    def as_date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.day else None


_Y, _M, _D = r"(?P<y>(?:19|20)\d\d)", r"(?P<m>0[1-9]|1[0-2])", r"(?P<d>0[1-9]|[12]\d|3[01])"
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Most specific first; each is searched in the path only (a query's numbers are ids).
_URL_DAYS = (
    re.compile(rf"(?<![\d]){_Y}[/_.-]?{_M}[/_.-]?{_D}(?!\d)"),  # 2024/01/29, 2024-01/29, 20240129, 2014/0729
    re.compile(rf"/{_Y}/(?:[a-z][\w-]*/){{1,3}}{_M}/{_D}(?=/)", re.IGNORECASE),  # /2013/news/world/09/22/slug
    re.compile(rf"(?<![\d]){_D}-(?P<name>{'|'.join(_MONTH_NAMES)})[a-z]*-{_Y}(?!\d)", re.IGNORECASE),  # 21-Jan-2020
    re.compile(rf"(?<![\d])(?P<a>\d\d)[-_.](?P<b>\d\d)[-_.]{_Y}(?!\d)"),  # 07-24-2017 or 24-07-2017, when unambiguous
)
_URL_MONTH = re.compile(rf"(?<![\d]){_Y}[/_-]?{_M}(?=/)")  # /2014/07/slug, /202201/


def url_date(url: str | None) -> UrlDate | None:
    """The day (or only the month) a URL's path is filed under, else None. Day and month in
    either order (07-24-2017) count only when the numbers leave no doubt which is which."""
    parts = split_url(url) if url else None
    if parts is None:
        return None
    path = parts.path
    for pattern in _URL_DAYS:
        for match in pattern.finditer(path):
            if (found := _url_day(match)) is not None:
                return found
    if match := _URL_MONTH.search(path):
        return UrlDate(int(match["y"]), int(match["m"]))
    return None


def _url_day(match: re.Match[str]) -> UrlDate | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if groups.get("name"):
        month, day = _MONTH_NAMES.index(groups["name"][:3].lower()) + 1, int(groups["d"])
    elif groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        if (a > 12) == (b > 12):  # both could be the month, or neither
            return None
        month, day = (b, a) if a > 12 else (a, b)
    else:
        month, day = int(groups["m"]), int(groups["d"])
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return UrlDate(year, month, day)
