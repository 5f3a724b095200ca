"""The records that flow from one stage to the next.

Spans are character offsets into `Document.text` (end exclusive), the same convention every
later stage uses, so that any derived fact can point back at the words it came from.
"""

from __future__ import annotations

import datetime as dt
import re
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


# -- extraction ------------------------------------------------------------------------------------
# Everything below is produced per document by claimledger.extract; every item carries its span.


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure as an interval: low/high None means open on that side."""

    start: int
    end: int
    text: str
    value: float
    low: float | None
    high: float | None
    unit: str | None  # what is counted: "military officers", "%", "dollar"
    qualifier: str | None  # approx, nearly, over, at_least, under, up_to, close_or_over, magnitude, range, change, several


DatePrecision = Literal["day", "month", "year", "week", "window"]
DateAnchor = Literal["published", "event"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as written and as resolved; `value` keeps an unknown year as XXXX (TIMEX style)."""

    start: int
    end: int
    text: str
    value: str  # "2026-01-28", "XXXX-01-28", "2026-01", "2026-W05"
    precision: DatePrecision
    low: dt.date | None = None  # the window it allows, when it can be known
    high: dt.date | None = None
    relative: bool = False  # relative to the publication date ("on Monday", "January 28th")
    # what it was resolved against: the publication date, or the report's own event day for
    # "three days later" and "the next day"; None when absolute or not resolved
    anchor: DateAnchor | None = None


EntityKind = Literal["person", "org", "place", "agency", "other"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A named or described entity in the text, with the key that matches its other spellings."""

    start: int
    end: int
    text: str
    kind: EntityKind
    key: str  # canonical key: "hu liren" for Hu Liren, Hu Li-ren and 胡力任
    name: str  # the best display name seen for it in this document


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said (or relayed, or believes) what, through which channel, when.

    `parent` is the index of the attribution this one is nested in (its relayer), or None when
    the outlet itself reports it. Indices are positions in Extraction.attributions.
    """

    source: Span
    source_key: str | None  # the entity key the source resolves to, if any
    source_name: str  # display name: resolved pronoun or description
    named: bool  # a named person or body (False: "a senior official", "sources")
    cue: Span
    content: Span
    channel: Span | None = None
    date: DateMention | None = None
    parent: int | None = None
    inferred_parent: bool = False  # relayer found from the document's own account, not syntax
    cue_lemma: str = ""  # "reveal", "believe", "according to"


# What the ledger says of a claim group, from least to most settled (see docs and assess/grading.py).
GroupStatus = Literal["unverified", "single-origin", "corroborated", "confirmed", "refuted", "disputed"]
ClaimKind = Literal["event", "statistic", "prediction", "opinion", "quote"]


@dataclass(frozen=True, slots=True)
class Claim:
    start: int
    end: int
    text: str
    kind: ClaimKind
    hedged: bool
    hedges: tuple[str, ...]
    attribution: int | None  # innermost attribution (index), None: the outlet's own statement
    quantities: tuple[int, ...] = ()  # indices into Extraction.quantities
    dates: tuple[int, ...] = ()
    entities: tuple[str, ...] = ()  # entity keys


@dataclass(frozen=True, slots=True)
class Credit:
    """A news agency credited for a document's copy ("JINAN (Reuters) -", "Source: Xinhua")."""

    key: str  # "afp": agencies' entity keys are these
    name: str  # "AFP"
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EventDate:
    """The day an event happened, as a report lets one know it."""

    value: str  # YYYY-MM-DD; XXXX-MM-DD when no year could be known; XXXX-WXX-7 for "on Sunday"
    source: str  # act, lead, argument, metadata, dateline, url, month-day, weekday
    confidence: float

    @property
    def day(self) -> dt.date | None:
        return None if self.value.startswith("X") else dt.date.fromisoformat(self.value)

    @property
    def weekday(self) -> int | None:
        """The ISO day of the week (Monday 1) when that is all that is known of the day."""
        return weekday_only(self.value)

    def days_apart(self, other: EventDate) -> int | None:
        """Days between the two; by month and day alone when either year is unknown; by the day
        of the week when one of them is known by that alone. None: they say nothing of each
        other (a day of the week and a month and day without a year)."""
        if (first := self.day) is not None and (second := other.day) is not None:
            return abs((first - second).days)
        if self.weekday is not None or other.weekday is not None:
            mine, theirs = _iso_weekday(self), _iso_weekday(other)
            if mine is None or theirs is None:
                return None
            gap = abs(mine - theirs)
            return min(gap, 7 - gap)
        gap = abs((_month_day(self.value) - _month_day(other.value)).days)
        return min(gap, 365 - gap)


_WEEKDAY_ONLY = re.compile(r"^XXXX-WXX-([1-7])$")


def weekday_value(weekday: int) -> str:
    """A day known only by its day of the week (Monday 0, as `datetime` counts), in TIMEX3's
    notation: "on Sunday" in an undated report is XXXX-WXX-7 (ISO days, Monday 1). Two reports
    of one event that name its day of the week can still be told from reports of an event on
    another day."""
    return f"XXXX-WXX-{weekday + 1}"


def weekday_only(value: str) -> int | None:
    """The ISO day of the week of a value that gives only that (XXXX-WXX-7: 7), else None."""
    found = _WEEKDAY_ONLY.match(value)
    return int(found.group(1)) if found else None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # ISO order


def readable_date(value: str | None) -> str | None:
    """A stored date as a reader wants it: "2026-01-28" as is, "XXXX-01-28" as "28 Jan (year
    unknown)", "XXXX-WXX-7" as "a Sunday (date unknown)", a date with nothing known left out."""
    if not value:
        return None
    found = re.fullmatch(r"XXXX-(\d\d)-(\d\d)", value)
    if found:
        return f"{int(found.group(2))} {_MONTHS[int(found.group(1)) - 1]} (year unknown)"
    found = re.fullmatch(r"XXXX-(\d\d)", value)
    if found:
        return f"{_MONTHS[int(found.group(1)) - 1]} (year unknown)"
    if (weekday := weekday_only(value)) is not None:
        return f"a {_WEEKDAYS[weekday - 1]} (date unknown)"
    return None if value.startswith("XXXX") else value


def _iso_weekday(date: EventDate) -> int | None:
    day = date.day
    return day.isoweekday() if day is not None else date.weekday


def _month_day(value: str) -> dt.date:
    month, day = int(value[5:7]), int(value[8:10])
    return dt.date(2001, month, min(day, 28) if month == 2 else day)


@dataclass(frozen=True, slots=True)
class EventSignature:
    """What event a report is about: who is at its centre, what happened, and when."""

    who: tuple[str, ...] = ()  # entity keys of the people at the centre, most central first
    what: tuple[str, ...] = ()  # event types (docs/events.md), strongest first
    when: EventDate | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(part for part, value in (("who", self.who), ("what", self.what), ("when", self.when)) if not value)


@dataclass(frozen=True, slots=True)
class Extraction:
    """What extraction found in one document."""

    attributions: tuple[Attribution, ...]
    claims: tuple[Claim, ...]
    mentions: tuple[Mention, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]
    limits: tuple[str, ...] = ()  # bounds on the work that this document reached, in words
    event: EventSignature = EventSignature()
    credits: tuple[Credit, ...] = ()  # agencies credited for the copy: a relay step of every claim
