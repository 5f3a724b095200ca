"""The records that flow from one stage to the next.

Spans are character offsets into `Document.text` (end exclusive), the same convention every
later stage uses, so that any derived fact can point back at the words it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["file", "url", "feed", "warc", "jsonl"]
# Where a piece of metadata came from, so users can tell a fact from a guess.
MetaSource = Literal["argument", "metadata", "text", "url", "none"]
RegionKind = Literal["caption"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document was read from: enough to find the same bytes again."""

    kind: SourceKind
    location: str  # a file path, a URL, "feed.xml#entry-id" or "crawl.warc.gz@offset"
    url: str | None = None  # the article's own URL, when known


@dataclass(frozen=True, slots=True)
class Region:
    """A stretch of the text that is not ordinary body text (a photo caption)."""

    kind: RegionKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the input or the user says about a document; any field may be unknown."""

    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    language: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One article, cleaned and ready to store."""

    text: str
    content_hash: str
    source: Source
    title: str | None = None
    outlet: str | None = None
    outlet_source: MetaSource = "none"
    byline: str | None = None
    published: dt.date | None = None
    published_source: MetaSource = "none"
    published_confidence: float = 0.0
    language: str | None = None
    regions: tuple[Region, ...] = field(default_factory=tuple)
    raw: bytes = b""
    raw_type: str = "text/plain"
    repairs: tuple[str, ...] = field(default_factory=tuple)
    words: int = 0
    minhash: bytes = b""  # near-duplicate signature (claimledger.ingest.dedupe)
    bands: tuple[int, ...] = field(default_factory=tuple)  # its LSH band keys

    def body(self) -> str:
        """The text without its caption regions, for dating and matching."""
        return text_without(self.text, self.regions)


def text_without(text: str, regions: tuple[Region, ...]) -> str:
    """`text` with the given regions cut out."""
    parts, last = [], 0
    for region in sorted(regions, key=lambda region: region.start):
        parts.append(text[last : region.start])
        last = region.end
    parts.append(text[last:])
    return "".join(parts)
