"""One options object for a run of ingestion, instead of keywords passed down every call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimledger.ingest.fetch import FetchLimits

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class IngestOptions:
    # Any single input (a file, a fetched page, one WARC record) larger than this is refused.
    # A WARC or feed file as a whole may be larger: it is read as a stream of records.
    max_bytes: int = DEFAULT_MAX_BYTES
    # Seconds for the whole of one URL fetch, redirects included.
    timeout: float = 20.0
    max_redirects: int = 5
    # Fetch from loopback, private and link-local addresses (off: a page must not steer us
    # into the user's own network).
    allow_private: bool = False
    # Metadata the user sets for every document of the run; it overrides what inputs say.
    outlet: str | None = None
    published: dt.date | None = None
    language: str | None = None

    @property
    def fetch_limits(self) -> FetchLimits:
        from claimledger.ingest.fetch import FetchLimits  # httpx, only when a URL is fetched

        return FetchLimits(
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            allow_private=self.allow_private,
        )
