"""Typed records the store returns where it used to return database rows: what the stages, the
ledger's views and the faces read, with the names and types of the columns they come from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, TypeVar

R = TypeVar("R")


def records_of(cls: type[R], rows: Any) -> list[R]:
    """Rows as records of `cls`, each built from the row's columns of the record's field names."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    return [cls(**{name: row._mapping[name] for name in names}) for row in rows]


def record_of(cls: type[R], row: Any) -> R | None:
    return None if row is None else records_of(cls, [row])[0]


@dataclass(frozen=True, slots=True)
class ConflictRecord:
    id: int
    group_id: int
    kind: str  # number, date, statement
    claim_a: int
    claim_b: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    detail: str
    stage_version: str


@dataclass(frozen=True, slots=True)
class RatingRecord:
    key: str
    name: str
    reliability: str | None  # A-F
    authoritative: bool
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    id: int
    group_id: int
    stance: str  # supports, refutes
    document_id: int | None
    url: str | None
    note: str
    added_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """One entry of a group's append-only status history."""

    id: int
    group_id: int
    status: str
    grade: str
    independent_origins: int
    reasons: list[str]
    at: dt.datetime
    stage_version: str


@dataclass(frozen=True, slots=True)
class GroupHead:
    id: int
    story_id: int
    text: str
    created_at: dt.datetime
    assessment_pending: bool


@dataclass(frozen=True, slots=True)
class GroupViewRecord:
    """What assess stored for a group, with the group's current story and text."""

    group_id: int
    story_id: int
    current_story: int
    text: str
    claim_ids: list[int]
    claim_count: int
    doc_ids: list[int]
    origins: list[dict[str, Any]]
    independent_origins: int
    evidence: list[dict[str, Any]]
    status: str
    grade: str
    reasons: list[str]
    stage_version: str
    assessed_at: dt.datetime
    worthiness: float | None  # its most check-worthy claim's score (None: not scored yet)


@dataclass(frozen=True, slots=True)
class CheckpointDate:
    """A date named in a grouped claim, with what a checkpoint needs of its claim and document."""

    claim_id: int
    value: str
    precision: str
    low: dt.date | None
    high: dt.date | None
    text: str
    group_id: int
    kind: str
    claim_text: str
    published: dt.date | None
    ingested_at: dt.datetime
    copy_of: int | None = None  # the report this one copies, if any
    original_published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class MentionMark:
    start: int
    end: int
    entity_id: int
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class AttributionMark:
    source_start: int
    source_end: int
    source_name: str
    cue_start: int
    cue_end: int
    cue_text: str


@dataclass(frozen=True, slots=True)
class GroupedClaimText:
    claim_id: int
    group_id: int
    text: str
    document_id: int
