"""Writing and reading what linking and assessment found: stories, claim groups, conflicts,
ratings, evidence and the append-only status history.

Functions take a connection, so a stage can write one document's or one group's results in a
single transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    union,
    update,
)

from claimledger.model import EventDate, EventSignature
from claimledger.store.extraction import count_extracted_by_other_versions
from claimledger.store.records import (
    CheckpointDate,
    ConflictRecord,
    EvidenceRecord,
    GroupHead,
    GroupViewRecord,
    RatingRecord,
    StatusRecord,
    record_of,
    records_of,
)
from claimledger.store.schema import (
    attributions,
    claim_groups,
    claim_pins,
    claim_placements,
    claims,
    conflicts,
    corrections,
    dates,
    document_credits,
    document_stages,
    documents,
    documents_to_place,
    entities,
    entity_aliases,
    event_signatures,
    evidence,
    group_claims,
    group_status,
    group_views,
    mentions,
    near_duplicates,
    quantities,
    source_ratings,
    stories,
    story_documents,
    story_person_words,
    story_summaries,
    threads,
)

EXTRACT_STAGE = "extract"
SETTLED_STATUSES = ("confirmed", "refuted")  # no checkpoint of such a group is due


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- stories ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentForLinking:
    id: int
    title: str | None
    text: str
    regions: list[dict[str, Any]]
    published: dt.date | None
    entity_keys: list[str]
    event: EventSignature = EventSignature()


def documents_to_link(connection: Connection) -> list[DocumentForLinking]:
    """Extracted documents not yet in a story, read off `documents_to_place` (the stage orders
    them for placement)."""
    ids = list(connection.scalars(  # the waiting ids first: a join lets SQLite scan every document
        select(documents_to_place.c.document_id)
        .where(~exists().where(story_documents.c.document_id == documents_to_place.c.document_id))  # placed: never twice
        .order_by(documents_to_place.c.document_id)
    ))
    rows = sorted((row for chunk in _chunks(ids) for row in connection.execute(
        select(documents.c.id, documents.c.title, documents.c.text, documents.c.regions, documents.c.published)
        .where(documents.c.id.in_(chunk)))), key=lambda row: row.id)
    keys: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        for document_id, key in connection.execute(
            select(mentions.c.document_id, entities.c.key).join(entities, entities.c.id == mentions.c.entity_id)
            .where(mentions.c.document_id.in_(chunk))
        ):
            keys.setdefault(document_id, []).append(key)
    events = event_signatures_of(connection, ids)
    return [
        DocumentForLinking(row.id, row.title, row.text, list(row.regions), row.published, keys.get(row.id, []),
                           events.get(row.id, EventSignature()))
        for row in rows
    ]


def event_signatures_of(connection: Connection, document_ids: list[int]) -> dict[int, EventSignature]:
    """The stored event signature of each document (documents extracted before signatures
    existed have none)."""
    found = {}
    for chunk in _chunks(document_ids):
        for row in connection.execute(select(event_signatures).where(event_signatures.c.document_id.in_(chunk))):
            found[row.document_id] = _signature(row.who, row.what, row.event_date, row.date_source, row.date_confidence)
    return found


def _signature(who: list[str] | None, what: list[str] | None, day: str | None, source: str | None,
               confidence: float | None) -> EventSignature:
    """A document's event signature from its event_signatures columns (none stored: an empty one)."""
    if who is None or what is None:
        return EventSignature()
    when = EventDate(day, source or "none", confidence or 0.0) if day else None
    return EventSignature(tuple(who), tuple(what), when)


# Ids bound into one IN list at most: PostgreSQL's protocol allows 65,535 parameters a
# statement, SQLite builds 32,766 or 250,000; a store-wide list would pass them.
_IDS_AT_ONCE = 10_000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    return (ids[start : start + _IDS_AT_ONCE] for start in range(0, len(ids), _IDS_AT_ONCE))


@dataclass(frozen=True, slots=True)
class StoredStoryMember:
    story_id: int
    document_id: int
    event_date: dt.date | None
    vector: bytes
    entity_keys: list[str]
    event: EventSignature = EventSignature()
    thread_id: int | None = None


def story_members(connection: Connection, story_ids: list[int] | None = None) -> list[StoredStoryMember]:
    """The reports of these stories (None: of every story), in document order."""
    query = (
        select(story_documents, stories.c.thread_id, event_signatures.c.who, event_signatures.c.what,
               event_signatures.c.event_date.label("signature_date"), event_signatures.c.date_source,
               event_signatures.c.date_confidence)
        .join(stories, stories.c.id == story_documents.c.story_id)
        .outerjoin(event_signatures, event_signatures.c.document_id == story_documents.c.document_id)
        .order_by(story_documents.c.document_id)
    )
    chunks = [query] if story_ids is None else [query.where(story_documents.c.story_id.in_(c)) for c in _chunks(sorted(story_ids))]
    rows = sorted((row for chunk in chunks for row in connection.execute(chunk)), key=lambda row: row.document_id)
    return [
        StoredStoryMember(row.story_id, row.document_id, row.event_date, row.vector, list(row.entity_keys),
                          _signature(row.who, row.what, row.signature_date, row.date_source, row.date_confidence),
                          row.thread_id)
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class StorySummary:
    """What placing a report needs of a story without reading its reports (story_summaries)."""

    story_id: int
    first_document: int
    members: int
    member_sum: int
    total: bytes  # float32 sum of the members' vectors
    who: dict[str, int]
    what: dict[str, int]
    dates: list[EventDate]
    thread_id: int | None = None
    person_words: tuple[str, ...] = ()  # sorted; the words the story is posted under (story_person_words)


@dataclass(frozen=True, slots=True)
class StoryIndexRow:
    """What the story index holds of a story it has not read the summary of."""

    story_id: int
    thread_id: int | None
    members: int
    total: bytes
    with_person: bool


def stale_story_summaries(connection: Connection, stage_version: str) -> tuple[list[int], list[int]]:
    """(stories whose summary is missing or no longer matches their reports, summaries of
    stories left with no report). Matching is by the count and the id sum of the reports: every
    writer of story_documents also drops the summaries it changes, so this catches what no
    writer names (a document deleted, its rows going by cascade)."""
    placed = (select(story_documents.c.story_id, func.count().label("members"),
                     func.sum(story_documents.c.document_id).label("member_sum"))
              .group_by(story_documents.c.story_id).subquery())
    stale = connection.scalars(
        select(placed.c.story_id)
        .outerjoin(story_summaries, story_summaries.c.story_id == placed.c.story_id)
        .where(story_summaries.c.story_id.is_(None) | (story_summaries.c.members != placed.c.members)
               | (story_summaries.c.member_sum != placed.c.member_sum) | (story_summaries.c.stage_version != stage_version))
        .order_by(placed.c.story_id)
    ).all()
    empty = connection.scalars(select(story_summaries.c.story_id).where(
        ~exists().where(story_documents.c.story_id == story_summaries.c.story_id))).all()
    return list(stale), list(empty)


def story_index_rows(connection: Connection) -> list[StoryIndexRow]:
    """Every summarised story's size, vector sum, thread and whether anyone is at its centre, in the
    order of the stories' first reports: the one read of a link run that grows with the store,
    kept to what a candidate lookup needs."""
    s = story_summaries.c
    with_person = exists().where(story_person_words.c.story_id == s.story_id)
    rows = connection.execute(
        select(s.story_id, stories.c.thread_id, s.members, s.total, with_person)
        .join(stories, stories.c.id == s.story_id).order_by(s.first_document)
    ).all()
    return [StoryIndexRow(story_id, thread_id, members, total, bool(person)) for story_id, thread_id, members, total, person in rows]


def story_summaries_of(connection: Connection, story_ids: list[int] | None = None) -> list[StorySummary]:
    """These stories' summaries (None: every story's) with their thread, in the order of the
    stories' first reports."""
    s = story_summaries.c
    query = (select(s.story_id, s.first_document, s.members, s.member_sum, s.total, s.who, s.what, s.dates, stories.c.thread_id)
             .join(stories, stories.c.id == s.story_id))
    words_query = select(story_person_words.c.story_id, story_person_words.c.word)
    if story_ids is None:
        rows = connection.execute(query).all()  # fetched at once, unpacked by position
        posted = connection.execute(words_query).all()
    else:
        rows, posted = [], []
        for chunk in _chunks(sorted(set(story_ids))):
            rows += connection.execute(query.where(s.story_id.in_(chunk))).all()
            posted += connection.execute(words_query.where(story_person_words.c.story_id.in_(chunk))).all()
    words: dict[int, list[str]] = {}
    for story_id, word in posted:
        words.setdefault(story_id, []).append(word)
    rows.sort(key=lambda row: row[1])
    return [StorySummary(story_id, first, members, int(member_sum), total, who, what,
                         [EventDate(value, source, confidence) for value, source, confidence in dates], thread_id,
                         tuple(sorted(words.get(story_id, ()))))
            for story_id, first, members, member_sum, total, who, what, dates, thread_id in rows]


def stories_posted_under(connection: Connection, words: Iterable[str]) -> list[int]:
    """The stories posted under any of these words, by id."""
    return list(connection.scalars(select(story_person_words.c.story_id).distinct()
                                   .where(story_person_words.c.word.in_(sorted(set(words))))
                                   .order_by(story_person_words.c.story_id)))


def save_story_summaries(connection: Connection, summaries: list[StorySummary], stage_version: str) -> None:
    forget_story_summaries(connection, [summary.story_id for summary in summaries])
    if summaries:
        connection.execute(insert(story_summaries), [
            {"story_id": s.story_id, "first_document": s.first_document, "members": s.members, "member_sum": s.member_sum,
             "total": s.total, "who": s.who, "what": s.what, "dates": [[d.value, d.source, d.confidence] for d in s.dates],
             "stage_version": stage_version}
            for s in summaries
        ])
        postings = [{"story_id": s.story_id, "word": word} for s in summaries for word in s.person_words]
        if postings:
            connection.execute(insert(story_person_words), postings)


def forget_story_summaries(connection: Connection, story_ids: Iterable[int]) -> None:
    """These stories' reports (or their signatures) changed: linking summarises them again
    (their postings go by cascade)."""
    for chunk in _chunks(sorted(set(story_ids))):
        connection.execute(delete(story_summaries).where(story_summaries.c.story_id.in_(chunk)))


def forget_summaries_of_documents(connection: Connection, document_ids: list[int]) -> None:
    """The stories holding these documents changed (a report moved out, a signature rewritten)."""
    for chunk in _chunks(sorted(set(document_ids))):
        connection.execute(delete(story_summaries).where(story_summaries.c.story_id.in_(
            select(story_documents.c.story_id).where(story_documents.c.document_id.in_(chunk)))))


def document_links(connection: Connection, document_id: int) -> tuple[int | None, dict[int, int]]:
    """The document's story (None: not linked yet) and, per claim, its group."""
    story = connection.scalar(select(story_documents.c.story_id).where(story_documents.c.document_id == document_id))
    groups = dict(connection.execute(
        select(group_claims.c.claim_id, group_claims.c.group_id)
        .join(claims, claims.c.id == group_claims.c.claim_id).where(claims.c.document_id == document_id)
    ).all())
    return story, groups


def create_story(connection: Connection, title: str, thread_id: int | None = None) -> int:
    return int(connection.execute(
        insert(stories).values(title=title, created_at=_now(), conflicts_pending=False, thread_id=thread_id)
    ).inserted_primary_key[0])


def set_story_thread(connection: Connection, story_id: int, thread_id: int | None) -> None:
    connection.execute(update(stories).where(stories.c.id == story_id).values(thread_id=thread_id))


def create_thread(connection: Connection, title: str) -> int:
    return int(connection.execute(insert(threads).values(title=title, created_at=_now())).inserted_primary_key[0])


def add_to_story(connection: Connection, story_id: int, member: StoredStoryMember, score: float, stage_version: str) -> None:
    forget_story_summaries(connection, [story_id])
    connection.execute(
        insert(story_documents).values(
            document_id=member.document_id, story_id=story_id, score=score, event_date=member.event_date,
            vector=member.vector, entity_keys=member.entity_keys, stage_version=stage_version, claims_pending=True,
        )
    )
    connection.execute(delete(documents_to_place).where(documents_to_place.c.document_id == member.document_id))


def document_head(connection: Connection, document_id: int) -> tuple[str | None, str]:
    """A document's headline and the start of its text (what a story's title is taken from)."""
    row = connection.execute(select(documents.c.title, func.substr(documents.c.text, 1, 2000).label("text"))
                             .where(documents.c.id == document_id)).one()
    return row.title, row.text


def move_to_story(connection: Connection, document_ids: list[int], story_id: int,
                  score: float | None = None, stage_version: str | None = None) -> None:
    """Documents into another story: their claims leave their groups (the groups are assessed
    again) and are grouped again there by the link stage."""
    groups = connection.scalars(
        select(group_claims.c.group_id).join(claims, claims.c.id == group_claims.c.claim_id).where(claims.c.document_id.in_(document_ids))
    ).all()
    mark_groups_changed(connection, groups)
    connection.execute(delete(group_claims).where(
        group_claims.c.claim_id.in_(select(claims.c.id).where(claims.c.document_id.in_(document_ids)))
    ))
    forget_summaries_of_documents(connection, document_ids)
    forget_story_summaries(connection, [story_id])
    placed: dict[str, Any] = {"story_id": story_id, "claims_pending": True}  # its claims are grouped again there
    if score is not None:
        placed |= {"score": score, "stage_version": stage_version}
    connection.execute(update(story_documents).where(story_documents.c.document_id.in_(document_ids)).values(**placed))
    connection.execute(update(stories).where(stories.c.id == story_id).values(conflicts_pending=True))


_STORY_CORRECTIONS = ("move-documents", "split-story", "merge-stories")
_GROUP_CORRECTIONS = ("merge-groups", "split-claim", "dismiss-conflict", "triage-checkpoint")


def corrected_threads(connection: Connection) -> set[int]:
    """Threads holding anything an analyst has corrected or added to (a story's reports moved,
    stories merged or split, a group's claims moved, evidence, a conflict dismissed, a
    checkpoint triaged), undone or not: linking never places their reports again."""
    story_ids: set[int] = set()
    group_ids: set[int] = set(connection.scalars(select(evidence.c.group_id)))
    group_ids |= set(connection.scalars(select(claim_pins.c.group_id)))
    for row in connection.execute(select(corrections).where(corrections.c.kind.in_(_STORY_CORRECTIONS + _GROUP_CORRECTIONS))):
        if row.kind in _STORY_CORRECTIONS:
            story_ids |= {row.target, row.source}
            documents_before = row.detail.get("documents")
            if isinstance(documents_before, dict):
                story_ids |= {int(story) for story in documents_before.values()}
        else:
            group_ids |= {row.target, row.source} if row.kind == "merge-groups" else {row.target}
            if row.detail.get("from_group") is not None:
                group_ids.add(int(row.detail["from_group"]))
    story_ids |= set(connection.scalars(select(claim_groups.c.story_id).where(claim_groups.c.id.in_(sorted(group_ids)))))
    return {thread for thread in connection.scalars(
        select(stories.c.thread_id).where(stories.c.id.in_(sorted(story_ids)), stories.c.thread_id.is_not(None))
    )}


def drop_abandoned(connection: Connection, story_ids: Iterable[int], thread_ids: Iterable[int] = ()) -> None:
    """Of these stories (which linking emptied or changed), drop those left with no report and
    the groups left with no claim, and of their threads and `thread_ids` those left with no
    story. Never a story an analyst's correction refers to (undoing it needs it back)."""
    ids = sorted(set(story_ids))
    referenced = union(select(corrections.c.target).where(corrections.c.kind.in_(_STORY_CORRECTIONS)),
                       select(corrections.c.source).where(corrections.c.kind.in_(_STORY_CORRECTIONS)))
    kept_groups = union(select(evidence.c.group_id), select(claim_pins.c.group_id),
                        select(corrections.c.target).where(corrections.c.kind.in_(_GROUP_CORRECTIONS)))
    connection.execute(delete(claim_groups).where(
        claim_groups.c.story_id.in_(ids),
        ~exists().where(group_claims.c.group_id == claim_groups.c.id),
        claim_groups.c.id.not_in(kept_groups),
    ))
    thread_ids = set(thread_ids) | set(connection.scalars(
        select(stories.c.thread_id).where(stories.c.id.in_(ids), stories.c.thread_id.is_not(None))))
    connection.execute(delete(stories).where(
        stories.c.id.in_(ids),
        ~exists().where(story_documents.c.story_id == stories.c.id),
        ~exists().where(claim_groups.c.story_id == stories.c.id),
        stories.c.id.not_in(referenced),
    ))
    connection.execute(delete(threads).where(
        threads.c.id.in_(sorted(thread_ids)), ~exists().where(stories.c.thread_id == threads.c.id)
    ))


@dataclass(frozen=True, slots=True)
class StoryRecord:
    id: int
    title: str
    doc_ids: list[int]
    first_date: str | None
    last_date: str | None
    groups: int  # every claim group, single claims included
    thread_id: int | None = None
    shared_groups: int = 0  # groups told by more than one claim


def list_stories(
    connection: Connection,
    thread_id: int | None = None,
    story_ids: list[int] | None = None,
    title_contains: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    thread_ids: list[int] | None = None,
    latest_first: bool = False,
) -> list[StoryRecord]:
    """Stories that hold reports, by id (or the latest event first, undated ones last);
    narrowed to a thread, some ids or a word of the title, and paged, in SQL, so that one
    story's page reads one story."""
    query = _stories_query(select(stories), thread_id, story_ids, title_contains)
    if latest_first:
        latest = select(func.max(story_documents.c.event_date)).where(story_documents.c.story_id == stories.c.id).scalar_subquery()
        query = query.order_by(latest.is_(None), latest.desc(), stories.c.id.desc())
    else:
        query = query.order_by(stories.c.id)
    if thread_ids is not None:
        query = query.where(stories.c.thread_id.in_(thread_ids))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = connection.execute(query).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    narrowed = limit is not None or story_ids is not None or thread_id is not None or thread_ids is not None or title_contains
    members: dict[int, list[Any]] = {}
    member_query = select(story_documents.c.story_id, story_documents.c.document_id, story_documents.c.event_date)
    if narrowed:
        member_query = member_query.where(story_documents.c.story_id.in_(ids))
    for row in connection.execute(member_query.order_by(story_documents.c.document_id)):
        members.setdefault(row.story_id, []).append(row)
    count_query = (
        select(claim_groups.c.story_id, func.count())
        .where(exists().where(group_claims.c.group_id == claim_groups.c.id))
        .group_by(claim_groups.c.story_id)
    )
    if narrowed:
        count_query = count_query.where(claim_groups.c.story_id.in_(ids))
    group_counts: dict[int, int] = {story_id: count for story_id, count in connection.execute(count_query)}
    shared_query = (  # the groups told by more than one claim: what the story list counts
        select(claim_groups.c.story_id, func.count())
        .join(group_views, group_views.c.group_id == claim_groups.c.id)
        .where(group_views.c.claim_count > 1)
        .group_by(claim_groups.c.story_id)
    )
    if narrowed:
        shared_query = shared_query.where(claim_groups.c.story_id.in_(ids))
    shared_counts: dict[int, int] = {story_id: count for story_id, count in connection.execute(shared_query)}
    records = []
    for row in rows:
        days = sorted(r.event_date for r in members[row.id] if r.event_date)
        records.append(StoryRecord(
            row.id, row.title, [r.document_id for r in members[row.id]],
            days[0].isoformat() if days else None, days[-1].isoformat() if days else None, group_counts.get(row.id, 0),
            row.thread_id, shared_counts.get(row.id, 0),
        ))
    return records


def count_stories(connection: Connection, title_contains: str | None = None) -> int:
    return connection.execute(_stories_query(select(func.count()).select_from(stories), None, None, title_contains)).scalar_one()


def _stories_query(query: Any, thread_id: int | None, story_ids: list[int] | None, title_contains: str | None) -> Any:
    query = query.where(select(story_documents.c.story_id).where(story_documents.c.story_id == stories.c.id).exists())
    if thread_id is not None:
        query = query.where(stories.c.thread_id == thread_id)
    if story_ids is not None:
        query = query.where(stories.c.id.in_(story_ids))
    if title_contains:
        escaped = title_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(stories.c.title.ilike(f"%{escaped}%", escape="\\"))
    return query


@dataclass(frozen=True, slots=True)
class ThreadRecord:
    id: int
    title: str
    story_ids: list[int]  # in time order, undated stories last
    first_date: str | None
    last_date: str | None


def list_threads(connection: Connection, thread_id: int | None = None,
                 stories_read: list[StoryRecord] | None = None, limit: int | None = None,
                 offset: int = 0) -> list[ThreadRecord]:
    """Threads holding stories (or one), by id, paged in SQL, each with its stories in time order
    (a story's date is its first report's event day); `stories_read` are the thread's stories if
    the caller has read them already."""
    query = _threads_query(select(threads)).order_by(threads.c.id).offset(offset).limit(limit)
    if thread_id is not None:
        query = query.where(threads.c.id == thread_id)
    rows = connection.execute(query).all()
    if not rows:
        return []
    by_thread: dict[int, list[StoryRecord]] = {}
    members_read = stories_read if stories_read is not None else list_stories(connection, thread_ids=[row.id for row in rows])
    for story in members_read:
        if story.thread_id is not None:
            by_thread.setdefault(story.thread_id, []).append(story)
    records = []
    for row in rows:
        members = sorted(by_thread.get(row.id, []), key=lambda s: (s.first_date is None, s.first_date or "", s.id))
        if not members:
            continue
        days = [d for s in members for d in (s.first_date, s.last_date) if d]
        records.append(ThreadRecord(row.id, row.title, [s.id for s in members], min(days, default=None), max(days, default=None)))
    return records


def count_threads(connection: Connection) -> int:
    return int(connection.scalar(_threads_query(select(func.count()).select_from(threads))) or 0)


def _threads_query(query: Any) -> Any:
    """Threads that hold a story holding reports."""
    return query.where(
        select(stories.c.id).where(
            stories.c.thread_id == threads.c.id,
            select(story_documents.c.story_id).where(story_documents.c.story_id == stories.c.id).exists(),
        ).exists()
    )


# -- claim groups ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimForGrouping:
    id: int
    document_id: int
    story_id: int
    text: str
    entity_keys: list[str]
    start: int = 0
    end: int = 0


def reports_with_waiting_claims(connection: Connection) -> list[tuple[int, int]]:
    """(story, report) of the reports marked `claims_pending` (off their partial index), by
    story and then report: the order their claims are grouped in."""
    rows = connection.execute(
        select(story_documents.c.story_id, story_documents.c.document_id)
        .where(story_documents.c.claims_pending == true())
        .order_by(story_documents.c.story_id, story_documents.c.document_id)
    ).all()
    return [(row.story_id, row.document_id) for row in rows]


def count_claims_to_group(connection: Connection) -> int:
    """How many placed claims of the marked reports are in no group."""
    marked = select(story_documents.c.document_id).where(story_documents.c.claims_pending == true())
    return connection.execute(
        select(func.count()).select_from(claims)
        .where(claims.c.document_id.in_(marked), ~exists().where(group_claims.c.claim_id == claims.c.id))
    ).scalar_one()


def claims_to_group(connection: Connection, document_ids: list[int]) -> list[ClaimForGrouping]:
    """The placed claims of these reports that are in no group, report by report in order."""
    found: list[ClaimForGrouping] = []
    for chunk in _chunks(sorted(set(document_ids))):
        rows = connection.execute(
            select(claims.c.id, claims.c.document_id, claims.c.text, claims.c.entity_keys, claims.c.start, claims.c.end,
                   story_documents.c.story_id)
            .join(story_documents, story_documents.c.document_id == claims.c.document_id)
            .where(claims.c.document_id.in_(chunk), ~exists().where(group_claims.c.claim_id == claims.c.id))
            .order_by(claims.c.document_id, claims.c.position)
        ).all()
        found.extend(ClaimForGrouping(r.id, r.document_id, r.story_id, r.text, list(r.entity_keys), r.start, r.end)
                     for r in rows)
    return found


def mark_claims_pending(connection: Connection, document_ids: list[int]) -> None:
    """Some claims of these reports (if placed) wait for grouping: new ones, or ones taken out
    of their groups. Written in the transaction that makes them wait."""
    for chunk in _chunks(sorted(set(document_ids))):
        connection.execute(update(story_documents).where(story_documents.c.document_id.in_(chunk)).values(claims_pending=True))


def clear_claims_pending(connection: Connection) -> None:
    """Unmark the marked reports none of whose claims waits any longer (checked here, so that a
    mark set while linking ran is kept)."""
    waiting = exists().where(claims.c.document_id == story_documents.c.document_id,
                             ~exists().where(group_claims.c.claim_id == claims.c.id))
    connection.execute(update(story_documents)
                       .where(story_documents.c.claims_pending == true(), ~waiting).values(claims_pending=False))


@dataclass(frozen=True, slots=True)
class GroupMember:
    claim_id: int
    group_id: int
    vector: bytes
    entity_keys: list[str]
    text: str


def group_members(connection: Connection, story_id: int) -> list[GroupMember]:
    rows = connection.execute(
        select(group_claims.c.claim_id, group_claims.c.group_id, group_claims.c.vector, claims.c.entity_keys, claims.c.text)
        .join(claims, claims.c.id == group_claims.c.claim_id)
        .join(claim_groups, claim_groups.c.id == group_claims.c.group_id)
        .where(claim_groups.c.story_id == story_id)
    ).all()
    return [GroupMember(r.claim_id, r.group_id, r.vector, list(r.entity_keys), r.text) for r in rows]


def create_group(connection: Connection, story_id: int, text: str) -> int:
    # values as parameters: building a statement per row (.values) cost more than the insert
    row = {"story_id": story_id, "text": text, "created_at": _now(), "assessment_pending": True}
    return int(connection.execute(insert(claim_groups), row).inserted_primary_key[0])


@dataclass(frozen=True, slots=True)
class Placement:
    """A claim put in a group, as grouping decides it."""

    claim_id: int
    group_id: int
    score: float
    vector: bytes
    stage_version: str
    worthiness: float | None = None


def add_to_groups(connection: Connection, placements: list[Placement]) -> None:
    """Put claims in their groups, in one statement. The caller marks the groups it filled as
    changed (`mark_groups_changed`) in the same transaction, once for all of them."""
    if placements:
        connection.execute(insert(group_claims), [dataclasses.asdict(placement) for placement in placements])


@dataclass(frozen=True, slots=True)
class UnscoredClaim:
    claim_id: int
    group_id: int
    vector: bytes


def unscored_group_claims(connection: Connection) -> list[UnscoredClaim]:
    """Grouped claims without a check-worthiness score (grouped before scores existed)."""
    rows = connection.execute(select(group_claims.c.claim_id, group_claims.c.group_id, group_claims.c.vector)
                              .where(group_claims.c.worthiness.is_(None)).order_by(group_claims.c.claim_id))
    return records_of(UnscoredClaim, rows)


def set_worthiness(connection: Connection, scores: dict[int, float]) -> None:
    for claim_id, score in scores.items():
        connection.execute(update(group_claims).where(group_claims.c.claim_id == claim_id).values(worthiness=score))


def release_claims_of(connection: Connection, document_id: int) -> None:
    """Before a document's claims are replaced: remember where they were grouped (linking puts
    the same sentences back in the same groups) and mark the groups they leave to be assessed
    again, in the replacing transaction, so that a kill before linking loses nothing."""
    _remember_placements(connection, document_id)
    _mark_groups_losing_claims(connection, document_id)


def _mark_groups_losing_claims(connection: Connection, document_id: int) -> None:
    """The groups this document's old claims leave must be assessed (and their conflicts found)
    again; marked in this transaction so that a kill before linking loses nothing."""
    mark_groups_changed(connection, connection.scalars(
        select(group_claims.c.group_id).join(claims, claims.c.id == group_claims.c.claim_id)
        .where(claims.c.document_id == document_id)
    ).all())


def _remember_placements(connection: Connection, document_id: int) -> None:
    """Keep where the document's claims were grouped, for linking to put them back."""
    placed = connection.execute(
        select(claims.c.start, claims.c.end, group_claims.c.group_id)
        .join(group_claims, group_claims.c.claim_id == claims.c.id).where(claims.c.document_id == document_id)
    ).all()
    if placed:
        connection.execute(delete(claim_placements).where(claim_placements.c.document_id == document_id))
        connection.execute(insert(claim_placements), [
            {"document_id": document_id, "start": r.start, "end": r.end, "group_id": r.group_id} for r in placed
        ])


# -- pending work: what a change leaves to do, written in the change's own transaction ------------


def mark_groups_changed(connection: Connection, group_ids: Iterable[int]) -> None:
    """These groups' claims changed: find their stories' conflicts and assess them again."""
    ids = sorted(set(group_ids))
    if not ids:
        return
    connection.execute(update(claim_groups).where(claim_groups.c.id.in_(ids)).values(assessment_pending=True))
    connection.execute(
        update(stories).where(stories.c.id.in_(select(claim_groups.c.story_id).where(claim_groups.c.id.in_(ids))))
        .values(conflicts_pending=True)
    )


def mark_assessment_pending(connection: Connection, group_ids: Iterable[int] | None = None) -> None:
    """Assess these groups again (None: every group, as after a new rating)."""
    query = update(claim_groups).values(assessment_pending=True)
    if group_ids is not None:
        query = query.where(claim_groups.c.id.in_(sorted(set(group_ids))))
    connection.execute(query)


def stories_pending_conflicts(connection: Connection) -> list[int]:
    return list(connection.scalars(select(stories.c.id).where(stories.c.conflicts_pending == true()).order_by(stories.c.id)))


def conflicts_done(connection: Connection, story_id: int, changed_groups: Iterable[int]) -> None:
    """The story's conflicts are current; the groups whose conflicts changed are to be assessed
    again (their status counts them), the others keep their assessment."""
    connection.execute(update(stories).where(stories.c.id == story_id).values(conflicts_pending=False))
    mark_assessment_pending(connection, changed_groups)


def groups_pending_assessment(connection: Connection) -> list[int]:
    """Groups with claims whose assessment is out of date."""
    return list(connection.scalars(
        select(claim_groups.c.id)
        .where(claim_groups.c.assessment_pending == true(), exists().where(group_claims.c.group_id == claim_groups.c.id))
        .order_by(claim_groups.c.id)
    ))


def assessment_done(connection: Connection, group_ids: Iterable[int]) -> None:
    connection.execute(update(claim_groups).where(claim_groups.c.id.in_(sorted(set(group_ids)))).values(assessment_pending=False))


@dataclass(frozen=True, slots=True)
class Backlog:
    """Work stored documents still wait for, stage by stage (all zero: the ledger is current)."""

    to_extract: int
    to_place: int
    to_group: int
    conflicts: int
    to_assess: int

    @property
    def empty(self) -> bool:
        return not (self.to_extract or self.to_place or self.to_group or self.conflicts or self.to_assess)


def backlog(connection: Connection, extract_version: str) -> Backlog:
    """What waits for each stage, from table counts rather than scans of one table against
    another: a document has one extraction row, only an extracted document is placed, only a
    placed document's claims are grouped, and placements are never taken back (a story merge or
    a move re-places), so each backlog is a difference of counts."""
    placed = exists().where(story_documents.c.document_id == documents.c.id)
    has_claims = exists().where(group_claims.c.group_id == claim_groups.c.id)

    def count(query: Any) -> int:
        return int(connection.scalar(select(func.count()).select_from(query.subquery())) or 0)

    def total(table: Any, *conditions: Any) -> int:
        return int(connection.scalar(select(func.count()).select_from(table).where(*conditions)) or 0)

    documents_stored, documents_placed = total(documents), total(story_documents)
    # placed documents are all extracted (at some version), and each has one extraction row
    extracted_ever = total(document_stages, document_stages.c.stage == EXTRACT_STAGE)
    extracted_now = extracted_ever - count_extracted_by_other_versions(connection, extract_version)
    claims_of_unplaced = 0
    if documents_placed < documents_stored:
        claims_of_unplaced = count(select(claims.c.id).where(claims.c.document_id.in_(select(documents.c.id).where(~placed))))
    return Backlog(
        to_extract=documents_stored - extracted_now,
        to_place=extracted_ever - documents_placed,
        to_group=max(0, total(claims) - claims_of_unplaced - total(group_claims)),
        conflicts=count(select(stories.c.id).where(stories.c.conflicts_pending == true())),
        to_assess=count(select(claim_groups.c.id).where(claim_groups.c.assessment_pending == true(), has_claims)),
    )


def group_stories(connection: Connection, group_ids: list[int] | None = None) -> dict[int, int]:
    """Each group's story (default: every group's), empty groups included (a claim pinned to an
    emptied group returns to it)."""
    query = select(claim_groups.c.id, claim_groups.c.story_id)
    if group_ids is None:
        return dict(connection.execute(query).all())
    return {group_id: story_id for chunk in _chunks(sorted(set(group_ids)))
            for group_id, story_id in connection.execute(query.where(claim_groups.c.id.in_(chunk)))}


def group_ids(connection: Connection, story_id: int | None = None) -> list[int]:
    """Groups that have claims (a group emptied by re-extraction keeps its history, unlisted)."""
    query = select(claim_groups.c.id).where(exists().where(group_claims.c.group_id == claim_groups.c.id)).order_by(claim_groups.c.id)
    if story_id is not None:
        query = query.where(claim_groups.c.story_id == story_id)
    return list(connection.scalars(query))


@dataclass(frozen=True, slots=True)
class GroupClaimFacts:
    claim_id: int
    document_id: int
    start: int
    end: int
    text: str
    kind: str
    hedged: bool
    entity_keys: list[str]
    attribution_position: int | None
    figures: list[Any]
    days: list[Any]
    worthiness: float | None = None


def group_claim_facts(connection: Connection, group_id: int) -> list[GroupClaimFacts]:
    return group_claim_facts_many(connection, [group_id])[group_id]


def group_claim_facts_many(connection: Connection, group_ids: list[int]) -> dict[int, list[GroupClaimFacts]]:
    """Per group, its claims with their figures and days, in three queries for all the groups:
    assess and conflict finding read a story's or a batch's groups at once, not one by one."""
    found: dict[int, list[GroupClaimFacts]] = {group_id: [] for group_id in group_ids}
    rows = connection.execute(
        select(claims, group_claims.c.group_id, group_claims.c.worthiness).join(group_claims, group_claims.c.claim_id == claims.c.id)
        .where(group_claims.c.group_id.in_(sorted(found))).order_by(claims.c.document_id, claims.c.position)
    ).all()
    ids = [row.id for row in rows]
    figures: dict[int, list[Any]] = {}
    for row in connection.execute(select(quantities).where(quantities.c.claim_id.in_(ids)).order_by(quantities.c.start)):
        figures.setdefault(row.claim_id, []).append(row)
    days: dict[int, list[Any]] = {}
    for row in connection.execute(select(dates).where(dates.c.claim_id.in_(ids)).order_by(dates.c.start)):
        days.setdefault(row.claim_id, []).append(row)
    for r in rows:
        found[r.group_id].append(GroupClaimFacts(
            r.id, r.document_id, r.start, r.end, r.text, r.kind, r.hedged, list(r.entity_keys),
            r.attribution_position, figures.get(r.id, []), days.get(r.id, []), r.worthiness,
        ))
    return found


_CONFLICT_FIELDS = ("kind", "claim_a", "claim_b", "a_start", "a_end", "b_start", "b_end", "detail")


def replace_conflicts(connection: Connection, found: dict[int, list[dict[str, Any]]], stage_version: str) -> list[int]:
    """Store each group's conflicts as found now, reading and writing all the groups at once;
    returns the groups whose conflicts differ from those stored, or were found by other rules
    (they are then assessed again: a status counts its conflicts)."""
    def identity(row: Any) -> str:
        return orjson.dumps([row[name] for name in _CONFLICT_FIELDS], option=orjson.OPT_SORT_KEYS).decode()

    stored: dict[int, list[Any]] = {group_id: [] for group_id in found}
    for chunk in _chunks(sorted(found)):
        for row in connection.execute(select(conflicts.c.group_id, conflicts.c.stage_version,
                                             *(conflicts.c[name] for name in _CONFLICT_FIELDS))
                                      .where(conflicts.c.group_id.in_(chunk))):
            stored[row.group_id].append(row)
    changed = [
        group_id for group_id, rows in found.items()
        if any(row.stage_version != stage_version for row in stored[group_id])
        or sorted(identity(row._mapping) for row in stored[group_id]) != sorted(identity(row) for row in rows)
    ]
    for chunk in _chunks(changed):
        connection.execute(delete(conflicts).where(conflicts.c.group_id.in_(chunk)))
    rows = [row | {"group_id": group_id, "stage_version": stage_version} for group_id in changed for row in found[group_id]]
    if rows:
        connection.execute(insert(conflicts), rows)
    return changed


def group_conflicts(connection: Connection, group_id: int) -> list[ConflictRecord]:
    return records_of(ConflictRecord, connection.execute(
        select(conflicts).where(conflicts.c.group_id == group_id).order_by(conflicts.c.id)))


def conflict_counts(connection: Connection, group_ids: list[int]) -> dict[int, int]:
    """Per group, how many conflicts it holds (groups without any are left out)."""
    return dict(connection.execute(  # type: ignore[arg-type]
        select(conflicts.c.group_id, func.count()).where(conflicts.c.group_id.in_(sorted(group_ids))).group_by(conflicts.c.group_id)
    ).all())


# -- chains for provenance -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainStep:
    name: str
    key: str | None
    kind: str | None
    named: bool
    cue: str | None
    channel: str | None
    date: str | None


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    id: int
    title: str | None
    outlet: str | None
    published: dt.date | None
    copy_of: int | None
    copy_outlet: str | None


def document_facts(connection: Connection, document_ids: list[int]) -> dict[int, DocumentFacts]:
    """Per document, what provenance needs of it (outlet, date, the document it copies and that
    document's outlet), in two queries."""
    copies = {
        row.document_id: row.duplicate_of
        for row in connection.execute(select(near_duplicates).where(near_duplicates.c.document_id.in_(document_ids)))
    }
    wanted = set(document_ids)
    rows = {
        row.id: row for row in connection.execute(
            select(documents.c.id, documents.c.title, documents.c.outlet, documents.c.published)
            .where(documents.c.id.in_(sorted(wanted | set(copies.values()))))
        )
    }
    return {
        row.id: DocumentFacts(row.id, row.title, row.outlet, row.published, copies.get(row.id),
                              rows[copies[row.id]].outlet if copies.get(row.id) in rows else None)
        for row in rows.values() if row.id in wanted
    }


def attribution_rows(connection: Connection, document_ids: list[int]) -> dict[int, dict[int, Any]]:
    """Per document, its attributions by position (with their sources' entity keys): read once
    for all the claims of a group rather than once per claim."""
    rows: dict[int, dict[int, Any]] = {document_id: {} for document_id in document_ids}
    for row in connection.execute(
        select(attributions, entities.c.key, entities.c.kind)
        .join(entities, entities.c.id == attributions.c.source_entity_id, isouter=True)
        .where(attributions.c.document_id.in_(document_ids))
    ):
        rows[row.document_id][row.position] = row
    return rows


def credits_of(connection: Connection, document_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Per document, the agencies credited for its copy: (agency key, name), in order."""
    found: dict[int, list[tuple[str, str]]] = {}
    for row in connection.execute(
        select(document_credits).where(document_credits.c.document_id.in_(document_ids)).order_by(document_credits.c.position)
    ):
        found.setdefault(row.document_id, []).append((row.agency_key, row.name))
    return found


def document_by_url(connection: Connection, url: str) -> int | None:
    """The stored document at this URL (as given, or with a trailing slash more or less)."""
    variants = {url, url.rstrip("/"), url.rstrip("/") + "/"}
    return connection.scalar(select(documents.c.id).where(documents.c.url.in_(variants)).order_by(documents.c.id).limit(1))


def document_source_keys(connection: Connection, document_id: int) -> set[str]:
    """The entity keys of every named source the document cites, and the agencies it credits."""
    cited = connection.scalars(
        select(entities.c.key).join(attributions, attributions.c.source_entity_id == entities.c.id)
        .where(attributions.c.document_id == document_id)
    ).all()
    credited = connection.scalars(select(document_credits.c.agency_key).where(document_credits.c.document_id == document_id)).all()
    return set(cited) | set(credited)


def outlet_names(connection: Connection) -> set[str]:
    """The outlets of the stored documents, lower-cased: a source by one of these names is an outlet."""
    return {name.lower() for name in connection.scalars(select(documents.c.outlet).distinct()) if name}


def alias_owners(connection: Connection, names: list[str]) -> dict[str, str]:
    """Per name, the key of the entity most often named that way: 雷恩 is Tomas Reyne's when
    his entity carries the alias 雷恩 and is named more often than an entity of its own.
    Only the mentions of the entities carrying these names are counted, so the cost follows
    the names asked about, not the size of the store."""
    if not names:
        return {}
    named = connection.execute(
        select(entity_aliases.c.alias, entities.c.id, entities.c.key)
        .join(entities, entities.c.id == entity_aliases.c.entity_id)
        .where(entity_aliases.c.alias.in_(sorted(set(names))))
    ).all()
    if not named:
        return {}
    counts = dict(connection.execute(  # type: ignore[arg-type]
        select(mentions.c.entity_id, func.count()).where(mentions.c.entity_id.in_(sorted({row.id for row in named})))
        .group_by(mentions.c.entity_id)
    ).all())
    best: dict[str, tuple[int, str]] = {}
    for alias, entity_id, key in named:
        count = counts.get(entity_id, 0)
        if alias not in best or (count, key) > best[alias]:
            best[alias] = (count, key)
    return {alias: key for alias, (_, key) in best.items()}


def chain_from(rows: dict[int, Any], position: int | None) -> list[ChainStep]:
    """The chain that ends at attribution `position`, from a document's `attribution_rows`."""
    steps: list[ChainStep] = []
    seen: set[int] = set()
    while position is not None and position in rows and position not in seen:
        seen.add(position)
        row = rows[position]
        steps.append(ChainStep(row.source_name, row.key, row.kind, row.named, row.cue_text, row.channel_text, row.date_value))
        position = row.parent_position
    return list(reversed(steps))


# -- ratings, evidence, status ---------------------------------------------------------------------


def set_rating(connection: Connection, key: str, name: str, reliability: str | None, authoritative: bool | None) -> None:
    """Set a source's rating; every group is assessed again (any may cite the source)."""
    mark_assessment_pending(connection)
    existing = connection.execute(select(source_ratings).where(source_ratings.c.key == key)).first()
    if existing is None:
        connection.execute(insert(source_ratings).values(
            key=key, name=name, reliability=reliability, authoritative=bool(authoritative), updated_at=_now()
        ))
        return
    values: dict[str, Any] = {"updated_at": _now()}
    if reliability is not None:
        values["reliability"] = reliability
    if authoritative is not None:
        values["authoritative"] = authoritative
    connection.execute(update(source_ratings).where(source_ratings.c.key == key).values(**values))


def ratings(connection: Connection) -> list[RatingRecord]:
    return records_of(RatingRecord, connection.execute(select(source_ratings).order_by(source_ratings.c.key)))


def add_evidence(connection: Connection, group_id: int, stance: str, document_id: int | None, url: str | None, note: str) -> int:
    evidence_id = int(connection.execute(insert(evidence).values(
        group_id=group_id, stance=stance, document_id=document_id, url=url, note=note, added_at=_now()
    )).inserted_primary_key[0])
    mark_assessment_pending(connection, [group_id])
    return evidence_id


def group_evidence_many(connection: Connection, group_ids: list[int]) -> dict[int, list[EvidenceRecord]]:
    """Per group, its evidence in the order it was added (groups without any are left out)."""
    found: dict[int, list[EvidenceRecord]] = {}
    for record in records_of(EvidenceRecord, connection.execute(
        select(evidence).where(evidence.c.group_id.in_(sorted(group_ids))).order_by(evidence.c.id)
    )):
        found.setdefault(record.group_id, []).append(record)
    return found


def group_exists(connection: Connection, group_id: int) -> bool:
    return connection.scalar(select(func.count()).select_from(claim_groups).where(claim_groups.c.id == group_id)) == 1


@dataclass(frozen=True, slots=True)
class StatusRow:
    """A group's assessed status, as the append-only history records it."""

    group_id: int
    status: str
    grade: str
    independent_origins: int
    reasons: list[str]


def record_statuses(connection: Connection, rows: list[StatusRow], stage_version: str) -> int:
    """Append a status row for each group whose status changed since its last one; how many were."""
    if not rows:
        return 0
    newest = select(group_status.c.group_id, func.max(group_status.c.id).label("id")).where(
        group_status.c.group_id.in_(sorted({row.group_id for row in rows}))).group_by(group_status.c.group_id).subquery()
    last = {
        r.group_id: (r.status, r.grade, r.independent_origins, list(r.reasons))
        for r in connection.execute(select(group_status).join(newest, newest.c.id == group_status.c.id))
    }
    changed = [row for row in rows
               if last.get(row.group_id) != (row.status, row.grade, row.independent_origins, row.reasons)]
    if changed:
        at = _now()
        connection.execute(insert(group_status), [
            {"group_id": row.group_id, "status": row.status, "grade": row.grade, "independent_origins": row.independent_origins,
             "reasons": row.reasons, "at": at, "stage_version": stage_version}
            for row in changed
        ])
    return len(changed)


def save_group_views(connection: Connection, views: dict[int, tuple[int, dict[str, Any]]], stage_version: str) -> None:
    """Replace these groups' stored views (what the lists and pages show of them): group id ->
    (story id, view)."""
    if not views:
        return
    connection.execute(delete(group_views).where(group_views.c.group_id.in_(sorted(views))))
    at = _now()
    connection.execute(insert(group_views), [
        {"group_id": group_id, "story_id": story_id, "stage_version": stage_version, "assessed_at": at, **view}
        for group_id, (story_id, view) in views.items()
    ])


def ledger_stamp(connection: Connection) -> tuple[Any, ...]:
    """What changes whenever a group is assessed, a source rated, an entity written or a
    correction made or undone: pages computed from the whole store are kept until it changes."""
    return (  # each part one read of an index (count and max apart: together they read every view)
        connection.scalar(select(func.count()).select_from(group_views)),
        connection.scalar(select(func.max(group_views.c.assessed_at))),
        connection.scalar(select(func.max(source_ratings.c.updated_at))),
        *connection.execute(select(func.count(), func.max(entities.c.id)).select_from(entities)).one(),
        connection.scalar(select(func.count()).select_from(mentions)),
        *connection.execute(select(func.max(corrections.c.id), func.max(corrections.c.undone_at))).one(),
    )


def group_origins(connection: Connection) -> list[tuple[int, list[dict[str, Any]]]]:
    """Every assessed group's origins as assess stored them (the sources page counts from them)."""
    return [(row.group_id, row.origins) for row in connection.execute(select(group_views.c.group_id, group_views.c.origins))]


@dataclass(frozen=True, slots=True)
class GroupFilter:
    """Which groups a list shows: every field left None lets all through."""

    story_id: int | None = None
    min_worthiness: float | None = None
    status: str | None = None
    grade: str | None = None  # "B2", or a letter ("B") or a digit ("2") alone
    shared: bool | None = None  # told by more than one claim
    language: str | None = None  # some report of it is in this language
    outlet: str | None = None  # some report of it is from this outlet (case-insensitive)
    since: dt.date | None = None  # some report of it published on or after
    until: dt.date | None = None


def group_view_rows(connection: Connection, where: GroupFilter | None = None, group_ids: list[int] | None = None,
                    limit: int | None = None, offset: int = 0, most_worthy_first: bool = False) -> list[GroupViewRecord]:
    """Stored views of the groups with claims (passing `where`, and of these ids), with the
    group's current story and text, in id order (or the most check-worthy first, unscored
    last), paged in SQL: one query however many groups."""
    order = (group_views.c.worthiness.is_(None), group_views.c.worthiness.desc()) if most_worthy_first else ()
    query = (
        select(group_views, claim_groups.c.story_id.label("current_story"), claim_groups.c.text)
        .join(claim_groups, claim_groups.c.id == group_views.c.group_id)
        .where(exists().where(group_claims.c.group_id == claim_groups.c.id))
        .order_by(*order, group_views.c.group_id)  # as ix_group_views_worth_order is: no sort per request
        .offset(offset)
        .limit(limit)
    )
    return records_of(GroupViewRecord, connection.execute(_group_filters(query, group_ids, where or GroupFilter())))


def count_group_views(connection: Connection, where: GroupFilter | None = None) -> int:
    query = select(func.count()).select_from(group_views).join(claim_groups, claim_groups.c.id == group_views.c.group_id).where(
        exists().where(group_claims.c.group_id == claim_groups.c.id))
    return int(connection.scalar(_group_filters(query, None, where or GroupFilter())) or 0)


def _group_filters(query: Any, group_ids: list[int] | None, where: GroupFilter) -> Any:
    if where.story_id is not None:
        query = query.where(claim_groups.c.story_id == where.story_id)
    if group_ids is not None:
        query = query.where(claim_groups.c.id.in_(group_ids))
    if where.min_worthiness is not None:
        query = query.where(group_views.c.worthiness >= where.min_worthiness)
    if where.status is not None:
        query = query.where(group_views.c.status == where.status)
    if where.grade:
        grade = where.grade.strip().upper()
        if len(grade) == 2:
            query = query.where(group_views.c.grade == grade)
        elif grade.isdigit():
            query = query.where(func.substr(group_views.c.grade, 2, 1) == grade)
        else:
            query = query.where(func.substr(group_views.c.grade, 1, 1) == grade)
    if where.shared is not None:
        query = query.where((group_views.c.claim_count > 1) if where.shared else (group_views.c.claim_count <= 1))
    report = _report_condition(where)
    if report is not None:
        query = query.where(exists().where(group_claims.c.group_id == claim_groups.c.id, claims.c.id == group_claims.c.claim_id,
                                           documents.c.id == claims.c.document_id, *report))
    return query


def _report_condition(where: GroupFilter) -> list[Any] | None:
    """What some report of the group must be (language, outlet, date), or None."""
    conditions = []
    if where.language:
        conditions.append(documents.c.language == where.language.lower())
    if where.outlet:
        conditions.append(func.lower(documents.c.outlet) == where.outlet.strip().lower())
    if where.since is not None:
        conditions.append(documents.c.published >= where.since)
    if where.until is not None:
        conditions.append(documents.c.published <= where.until)
    return conditions or None


def shared_group_statuses(connection: Connection, story_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Per story (all, or these), how many of its groups told more than once (or in conflict)
    have each status."""
    in_conflict = select(conflicts.c.group_id)
    query = (
        select(claim_groups.c.story_id, group_views.c.status, func.count())
        .join(claim_groups, claim_groups.c.id == group_views.c.group_id)
        .where((group_views.c.claim_count > 1) | group_views.c.group_id.in_(in_conflict))
        .group_by(claim_groups.c.story_id, group_views.c.status)
    )
    if story_ids is not None:
        query = query.where(group_views.c.story_id.in_(story_ids))
    rows = connection.execute(query).all()
    counts: dict[int, dict[str, int]] = {}
    for story_id, status, count in rows:
        counts.setdefault(story_id, {})[status] = count
    return counts


def unviewed_groups(connection: Connection, story_id: int | None = None, group_ids: list[int] | None = None) -> list[int]:
    """Groups (of a story, or among these ids) with claims but no stored view yet (linked, not
    yet assessed)."""
    query = select(claim_groups.c.id).where(
        exists().where(group_claims.c.group_id == claim_groups.c.id),
        ~exists().where(group_views.c.group_id == claim_groups.c.id),
    ).order_by(claim_groups.c.id)
    if story_id is not None:
        query = query.where(claim_groups.c.story_id == story_id)
    if group_ids is not None:
        query = query.where(claim_groups.c.id.in_(group_ids))
    return list(connection.scalars(query))


def conflicts_by_group(connection: Connection, group_ids: list[int]) -> dict[int, list[ConflictRecord]]:
    found: dict[int, list[ConflictRecord]] = {}
    rows = connection.execute(select(conflicts).where(conflicts.c.group_id.in_(group_ids)).order_by(conflicts.c.id))
    for record in records_of(ConflictRecord, rows):
        found.setdefault(record.group_id, []).append(record)
    return found


def histories_by_group(connection: Connection, group_ids: list[int]) -> dict[int, list[StatusRecord]]:
    found: dict[int, list[StatusRecord]] = {}
    rows = connection.execute(select(group_status).where(group_status.c.group_id.in_(group_ids)).order_by(group_status.c.id))
    for record in records_of(StatusRecord, rows):
        found.setdefault(record.group_id, []).append(record)
    return found


def status_history(connection: Connection, group_id: int) -> list[StatusRecord]:
    return records_of(StatusRecord, connection.execute(
        select(group_status).where(group_status.c.group_id == group_id).order_by(group_status.c.id)))


def group_row(connection: Connection, group_id: int) -> GroupHead | None:
    return record_of(GroupHead, connection.execute(select(claim_groups).where(claim_groups.c.id == group_id)).first())


def checkpoint_dates(connection: Connection, narrowed: bool = True) -> list[CheckpointDate]:
    """Dates with a range (windows, months, weeks) or a day, in grouped claims of groups not
    settled (confirmed or refuted), with their group; a copy of another report carries that
    report's publication date.

    `narrowed` leaves out in SQL the dates that can be no checkpoint whatever the day: a day or
    range the report names in its own past (unless a prediction's or a window), and a date with
    neither a day nor a window counted from the report. Most dates in news are such, and the
    rest of the rule (ledger/views.py `checkpoints`) is applied to what is left; `False` reads
    every date, for the tests that compare the two."""
    original = documents.alias("original")
    query = (
        select(dates.c.claim_id, dates.c.value, dates.c.precision, dates.c.low, dates.c.high, dates.c.text,
               group_claims.c.group_id, claims.c.kind, claims.c.text.label("claim_text"), documents.c.published,
               documents.c.ingested_at, near_duplicates.c.duplicate_of.label("copy_of"),
               original.c.published.label("original_published"))
        .join(group_claims, group_claims.c.claim_id == dates.c.claim_id)
        .join(claims, claims.c.id == dates.c.claim_id)
        .join(documents, documents.c.id == claims.c.document_id)
        .outerjoin(near_duplicates, near_duplicates.c.document_id == documents.c.id)
        .outerjoin(original, original.c.id == near_duplicates.c.duplicate_of)
        .where(~exists().where(group_views.c.group_id == group_claims.c.group_id,
                               group_views.c.status.in_(SETTLED_STATUSES)))
        .order_by(documents.c.published.is_(None), documents.c.id, dates.c.claim_id)
    )
    if narrowed:
        published = func.coalesce(documents.c.published, original.c.published)
        ahead = or_(claims.c.kind == "prediction", dates.c.precision == "window", dates.c.low > published)
        query = query.where(or_(
            and_(dates.c.low.is_(None), dates.c.value.like("REF/P%")),  # counted from the report: decided in Python
            and_(or_(published.is_(None), func.coalesce(dates.c.high, dates.c.low) >= published),
                 ahead),
        ))
    return records_of(CheckpointDate, connection.execute(query))
