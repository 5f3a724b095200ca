"""The user's corrections of the machine: merged and split claim groups, merged entities.

Each is recorded (who, when, what undoing needs), can be undone, and survives the pipeline
running again: a claim placed by hand is pinned by its span in its document, and a merged
entity key is mapped for every later extraction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from claimledger.errors import BadCorrection
from claimledger.store.linking import (
    forget_story_summaries,
    forget_summaries_of_documents,
    mark_assessment_pending,
    mark_claims_pending,
    mark_groups_changed,
    move_to_story,
)
from claimledger.store.schema import (
    attributions,
    claim_groups,
    claim_pins,
    claim_placements,
    claims,
    conflicts,
    corrections,
    dismissed_conflicts,
    documents,
    entities,
    entity_aliases,
    entity_key_merges,
    entity_key_splits,
    group_claims,
    mentions,
    stories,
    story_documents,
)


class CorrectionError(BadCorrection):
    """A correction that cannot be made (unknown ids, a group merged into itself, ...)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _record(connection: Connection, kind: str, target: int, source: int, detail: dict[str, Any], user: str) -> int:
    return int(connection.execute(insert(corrections).values(
        kind=kind, target=target, source=source, detail=detail, user_name=user, created_at=_now()
    )).inserted_primary_key[0])


def _group(connection: Connection, group_id: int) -> Any:
    row = connection.execute(select(claim_groups).where(claim_groups.c.id == group_id)).first()
    if row is None:
        raise CorrectionError(f"claim group {group_id} does not exist")
    return row


def _spans_of(connection: Connection, group_id: int) -> list[list[int]]:
    return [
        [r.document_id, r.start, r.end] for r in connection.execute(
            select(claims.c.document_id, claims.c.start, claims.c.end)
            .join(group_claims, group_claims.c.claim_id == claims.c.id).where(group_claims.c.group_id == group_id)
        )
    ]


def _pin(connection: Connection, spans: list[list[int]], group_id: int, correction_id: int) -> None:
    for document_id, start, end in spans:
        connection.execute(delete(claim_pins).where(
            claim_pins.c.document_id == document_id, claim_pins.c.start == start, claim_pins.c.end == end
        ))
        connection.execute(insert(claim_pins).values(document_id=document_id, start=start, end=end, group_id=group_id, correction_id=correction_id))


def _move_spans(connection: Connection, spans: list[list[int]], from_group: int, to_group: int) -> None:
    for document_id, start, end in spans:
        claim_ids = select(claims.c.id).where(claims.c.document_id == document_id, claims.c.start == start, claims.c.end == end)
        connection.execute(update(group_claims).where(group_claims.c.claim_id.in_(claim_ids), group_claims.c.group_id == from_group).values(group_id=to_group))
    mark_groups_changed(connection, [from_group, to_group])


def merge_groups(connection: Connection, target: int, source: int, user: str) -> int:
    """Put every claim of group `source` into group `target` (same story); returns the record's id."""
    kept, moved = _group(connection, target), _group(connection, source)
    if target == source:
        raise CorrectionError("a claim group cannot be merged into itself")
    if kept.story_id != moved.story_id:
        raise CorrectionError(f"claim groups {target} and {source} belong to different stories: groups never cross stories")
    spans = _spans_of(connection, source)
    correction = _record(connection, "merge-groups", target, source, {"spans": spans}, user)
    _pin(connection, spans, target, correction)
    _move_spans(connection, spans, source, target)
    return correction


def split_claim(connection: Connection, claim_id: int, user: str) -> tuple[int, int]:
    """Take a claim out of its group into a group of its own; returns (record id, new group id)."""
    row = connection.execute(
        select(claims.c.document_id, claims.c.start, claims.c.end, claims.c.text, group_claims.c.group_id, claim_groups.c.story_id)
        .join(group_claims, group_claims.c.claim_id == claims.c.id).join(claim_groups, claim_groups.c.id == group_claims.c.group_id)
        .where(claims.c.id == claim_id)
    ).first()
    if row is None:
        raise CorrectionError(f"claim {claim_id} does not exist or is in no group")
    group_id = int(connection.execute(insert(claim_groups).values(story_id=row.story_id, text=row.text, created_at=_now())).inserted_primary_key[0])
    spans = [[row.document_id, row.start, row.end]]
    correction = _record(connection, "split-claim", group_id, claim_id, {"spans": spans, "from_group": row.group_id}, user)
    _pin(connection, spans, group_id, correction)
    _move_spans(connection, spans, row.group_id, group_id)
    return correction, group_id


def merge_entities(connection: Connection, target: int, source: int, user: str) -> int:
    """File every mention of entity `source` under entity `target`, now and in later extractions."""
    kept = connection.execute(select(entities).where(entities.c.id == target)).first()
    moved = connection.execute(select(entities).where(entities.c.id == source)).first()
    if kept is None or moved is None:
        raise CorrectionError(f"entity {target if kept is None else source} does not exist")
    if target == source:
        raise CorrectionError("an entity cannot be merged into itself")
    aliases = list(connection.scalars(select(entity_aliases.c.alias).where(entity_aliases.c.entity_id == source)))
    correction = _record(connection, "merge-entities", target, source, {"from_key": moved.key, "to_key": kept.key, "aliases": aliases}, user)
    connection.execute(update(entity_key_merges).where(entity_key_merges.c.to_key == moved.key).values(to_key=kept.key))
    connection.execute(insert(entity_key_merges).values(from_key=moved.key, to_key=kept.key, correction_id=correction))
    _move_entity(connection, source, target, moved.key, kept.key, aliases)
    return correction


def _move_entity(connection: Connection, source: int, target: int, from_key: str, to_key: str, aliases: list[str],
                 document_ids: list[int] | None = None) -> None:
    """Move the source entity's mentions (all, or those in `document_ids`) to the target.

    Origins are counted per entity, so every group is assessed again."""
    mark_assessment_pending(connection)
    if document_ids is None:
        document_ids = list(connection.scalars(select(mentions.c.document_id).where(mentions.c.entity_id == source).distinct()))
    else:
        aliases = sorted(set(connection.scalars(
            select(mentions.c.text).where(mentions.c.entity_id == source, mentions.c.document_id.in_(document_ids))
        )))
    connection.execute(update(mentions).where(mentions.c.entity_id == source, mentions.c.document_id.in_(document_ids)).values(entity_id=target))
    connection.execute(update(attributions).where(
        attributions.c.source_entity_id == source, attributions.c.document_id.in_(document_ids)
    ).values(source_entity_id=target))
    existing = set(connection.scalars(select(entity_aliases.c.alias).where(entity_aliases.c.entity_id == target)))
    for alias in aliases:
        if alias not in existing:
            connection.execute(insert(entity_aliases).values(entity_id=target, alias=alias))
    for row in connection.execute(select(claims.c.id, claims.c.entity_keys).where(claims.c.document_id.in_(document_ids))).all():
        if from_key in row.entity_keys:
            keys = list(dict.fromkeys(to_key if k == from_key else k for k in row.entity_keys))
            connection.execute(update(claims).where(claims.c.id == row.id).values(entity_keys=keys))


def split_entity(connection: Connection, entity_id: int, document_ids: list[int], name: str, user: str) -> tuple[int, int]:
    """The mentions of an entity in these documents are someone else, called `name`: a new
    entity takes them, now and in later extractions. Returns (record id, new entity id)."""
    row = connection.execute(select(entities).where(entities.c.id == entity_id)).first()
    if row is None:
        raise CorrectionError(f"entity {entity_id} does not exist")
    present = set(connection.scalars(select(mentions.c.document_id).where(mentions.c.entity_id == entity_id)))
    chosen = sorted(set(document_ids))
    if not chosen or not set(chosen) <= present:
        raise CorrectionError(f"entity {entity_id} is mentioned in documents {sorted(present)}; choose some of those")
    if set(chosen) == present:
        raise CorrectionError("choose only the documents where the mentions are someone else, not all of them")
    correction = _record(connection, "split-entity", entity_id, entity_id, {"documents": chosen, "name": name}, user)
    new_key = f"{row.key}#{correction}"
    new_id = int(connection.execute(insert(entities).values(key=new_key, name=name, kind=row.kind)).inserted_primary_key[0])
    connection.execute(update(corrections).where(corrections.c.id == correction).values(target=new_id))
    for document_id in chosen:
        connection.execute(insert(entity_key_splits).values(document_id=document_id, from_key=row.key, to_key=new_key, correction_id=correction))
    _move_entity(connection, entity_id, new_id, row.key, new_key, [], document_ids=chosen)
    return correction, new_id


# -- stories: move a report, split a story, merge two -----------------------------------------


def _story(connection: Connection, story_id: int) -> Any:
    row = connection.execute(select(stories).where(stories.c.id == story_id)).first()
    if row is None:
        raise CorrectionError(f"story {story_id} does not exist")
    return row


def _stories_of(connection: Connection, document_ids: list[int]) -> dict[int, int]:
    found = dict(connection.execute(
        select(story_documents.c.document_id, story_documents.c.story_id).where(story_documents.c.document_id.in_(document_ids))
    ).all())
    missing = sorted(set(document_ids) - set(found))
    if missing:
        raise CorrectionError(f"document(s) {', '.join(map(str, missing))} are in no story (not stored, or not linked yet)")
    return found


def _move_documents(connection: Connection, document_ids: list[int], story_id: int) -> None:
    """Move documents to a story; their claims are grouped again there (the link stage does it
    when the correction is finished)."""
    move_to_story(connection, document_ids, story_id)


def _new_story_beside(connection: Connection, story: Any, title: str) -> int:
    return int(connection.execute(insert(stories).values(
        title=title[:300] or story.title, created_at=_now(), thread_id=story.thread_id, conflicts_pending=True
    )).inserted_primary_key[0])


def move_documents(connection: Connection, document_ids: list[int], to_story: int | None, user: str) -> tuple[int, int]:
    """Move reports to story `to_story`, or to a new story in the same thread (None); returns
    (record id, the story they are in now). Undoing puts each back where it was."""
    chosen = sorted(set(document_ids))
    if not chosen:
        raise CorrectionError("choose at least one document")
    before = _stories_of(connection, chosen)
    first = _story(connection, before[chosen[0]])
    if to_story is None:
        title = connection.scalar(select(documents.c.title).where(documents.c.id == chosen[0])) or first.title
        to_story = _new_story_beside(connection, first, title)
        kind = "split-story"
    else:
        _story(connection, to_story)
        if all(story == to_story for story in before.values()):
            raise CorrectionError(f"the document(s) are already in story {to_story}")
        kind = "move-documents"
    correction = _record(connection, kind, to_story, first.id, {"documents": {str(d): s for d, s in before.items()}}, user)
    _move_documents(connection, chosen, to_story)
    return correction, to_story


def merge_stories(connection: Connection, target: int, source: int, user: str) -> int:
    """Fold story `source` into story `target`: its reports and its claim groups (with their
    evidence and history) move; returns the record's id."""
    if target == source:
        raise CorrectionError("a story cannot be merged into itself")
    _story(connection, target), _story(connection, source)
    moved = list(connection.scalars(select(story_documents.c.document_id).where(story_documents.c.story_id == source)))
    groups = list(connection.scalars(select(claim_groups.c.id).where(claim_groups.c.story_id == source)))
    correction = _record(connection, "merge-stories", target, source, {"documents": moved, "groups": groups}, user)
    forget_story_summaries(connection, [target, source])
    connection.execute(update(story_documents).where(story_documents.c.story_id == source).values(story_id=target))
    connection.execute(update(claim_groups).where(claim_groups.c.story_id == source).values(story_id=target))
    mark_groups_changed(connection, groups)
    connection.execute(update(stories).where(stories.c.id == target).values(conflicts_pending=True))
    return correction


def _undo_story_correction(connection: Connection, row: Any) -> None:
    if row.kind == "merge-stories":
        _story(connection, row.source)
        documents_back, groups_back = row.detail["documents"], row.detail["groups"]
        forget_summaries_of_documents(connection, documents_back)  # wherever they are now
        forget_story_summaries(connection, [row.source])
        connection.execute(update(story_documents).where(story_documents.c.document_id.in_(documents_back)).values(story_id=row.source))
        connection.execute(update(claim_groups).where(claim_groups.c.id.in_(groups_back)).values(story_id=row.source))
        # Claims that crossed over since (a report of one side grouped with the other) are grouped again.
        crossed = select(claims.c.id).where(
            ((claims.c.document_id.in_(documents_back)) & group_claims.c.group_id.not_in(groups_back))
            | ((claims.c.document_id.not_in(documents_back)) & group_claims.c.group_id.in_(groups_back))
        ).join(group_claims, group_claims.c.claim_id == claims.c.id)
        stale = connection.scalars(select(group_claims.c.group_id).where(group_claims.c.claim_id.in_(crossed))).all()
        mark_claims_pending(connection, list(connection.scalars(select(claims.c.document_id).where(claims.c.id.in_(crossed)))))
        connection.execute(delete(group_claims).where(group_claims.c.claim_id.in_(crossed)))
        mark_groups_changed(connection, [*groups_back, *stale])
        connection.execute(update(stories).where(stories.c.id.in_([row.source, row.target])).values(conflicts_pending=True))
        return
    by_story: dict[int, list[int]] = {}
    for document, story in row.detail["documents"].items():
        by_story.setdefault(int(story), []).append(int(document))
    for story, moved in by_story.items():
        _story(connection, story)
        _move_documents(connection, moved, story)


# -- conflicts: an analyst says a flagged disagreement is none --------------------------------


def dismiss_conflict(connection: Connection, conflict_id: int, note: str, user: str) -> int:
    """Dismiss a conflict (not a real disagreement); returns the record's id. It stays dismissed
    when conflicts are found again, since it is pinned by the two spans."""
    row = connection.execute(select(conflicts).where(conflicts.c.id == conflict_id)).first()
    if row is None:
        raise CorrectionError(f"conflict {conflict_id} does not exist (conflicts are listed by `claimledger trace GROUP_ID`)")
    if not note.strip():
        raise CorrectionError("say in a note why it is no disagreement")
    docs = dict(connection.execute(select(claims.c.id, claims.c.document_id).where(claims.c.id.in_([row.claim_a, row.claim_b]))).all())
    pinned = {"kind": row.kind, "doc_a": docs[row.claim_a], "a_start": row.a_start, "a_end": row.a_end,
              "doc_b": docs[row.claim_b], "b_start": row.b_start, "b_end": row.b_end}
    correction = _record(connection, "dismiss-conflict", row.group_id, conflict_id, pinned | {"detail": row.detail, "note": note.strip()}, user)
    connection.execute(insert(dismissed_conflicts).values(**pinned, correction_id=correction))
    connection.execute(delete(conflicts).where(conflicts.c.id == conflict_id))
    mark_groups_changed(connection, [row.group_id])
    return correction


CHECKPOINT_STATES = ("reviewed", "dismissed")


def triage_checkpoint(connection: Connection, group_id: int, due_by: str, state: str, note: str, user: str) -> int:
    """Mark a group's checkpoint (the one due by `due_by`) reviewed or dismissed; returns the
    record's id. Undoing it puts the checkpoint back on the list."""
    if state not in CHECKPOINT_STATES:
        raise CorrectionError(f"a checkpoint is marked {' or '.join(CHECKPOINT_STATES)}, not {state!r}")
    _group(connection, group_id)
    return _record(connection, "triage-checkpoint", group_id, group_id,
                   {"due_by": due_by, "state": state, "note": note.strip()}, user)


@dataclass(frozen=True, slots=True)
class TriageMark:
    correction_id: int
    state: str  # reviewed, dismissed
    note: str
    user: str
    at: str


def checkpoint_triage(connection: Connection) -> dict[tuple[int, str], TriageMark]:
    """The checkpoints marked by hand and not undone, by (group, due by): the latest mark wins."""
    rows = connection.execute(
        select(corrections).where(corrections.c.kind == "triage-checkpoint", corrections.c.undone_at.is_(None))
        .order_by(corrections.c.id)
    )
    return {(row.target, row.detail["due_by"]): TriageMark(row.id, row.detail["state"], row.detail["note"], row.user_name,
                                                           _correction_record(row).created_at)
            for row in rows}


def dismissed(connection: Connection) -> set[tuple[str, int, int, int, int, int, int]]:
    """The dismissed conflicts, as (kind, doc, start, end, doc, start, end), both ways round."""
    found = set()
    for r in connection.execute(select(dismissed_conflicts)):
        found.add((r.kind, r.doc_a, r.a_start, r.a_end, r.doc_b, r.b_start, r.b_end))
        found.add((r.kind, r.doc_b, r.b_start, r.b_end, r.doc_a, r.a_start, r.a_end))
    return found


def undo(connection: Connection, correction_id: int) -> CorrectionRecord:
    """Undo a correction; the record stays, marked undone (and is returned so)."""
    row = connection.execute(select(corrections).where(corrections.c.id == correction_id)).first()
    if row is None:
        raise CorrectionError(f"correction {correction_id} does not exist")
    if row.undone_at is not None:
        raise CorrectionError(f"correction {correction_id} was already undone")
    connection.execute(delete(claim_pins).where(claim_pins.c.correction_id == correction_id))
    if row.kind == "merge-groups":
        _move_spans(connection, row.detail["spans"], row.target, row.source)
    elif row.kind == "split-claim":
        _move_spans(connection, row.detail["spans"], row.target, row.detail["from_group"])
    elif row.kind == "merge-entities":
        connection.execute(delete(entity_key_merges).where(entity_key_merges.c.correction_id == correction_id))
        aliases = row.detail["aliases"]
        connection.execute(update(mentions).where(mentions.c.entity_id == row.target, mentions.c.text.in_(aliases)).values(entity_id=row.source))
        connection.execute(update(attributions).where(attributions.c.source_entity_id == row.target, attributions.c.source_text.in_(aliases)).values(source_entity_id=row.source))
        mark_assessment_pending(connection)
    elif row.kind in ("merge-stories", "move-documents", "split-story"):
        _undo_story_correction(connection, row)
    elif row.kind == "dismiss-conflict":
        connection.execute(delete(dismissed_conflicts).where(dismissed_conflicts.c.correction_id == correction_id))
        mark_groups_changed(connection, [row.target])
    elif row.kind == "split-entity":
        connection.execute(delete(entity_key_splits).where(entity_key_splits.c.correction_id == correction_id))
        kept = connection.execute(select(entities.c.key).where(entities.c.id == row.source)).scalar_one()
        split_key = connection.execute(select(entities.c.key).where(entities.c.id == row.target)).scalar_one()
        _move_entity(connection, row.target, row.source, split_key, kept, [], document_ids=row.detail["documents"])
    connection.execute(update(corrections).where(corrections.c.id == correction_id).values(undone_at=_now()))
    return _correction_record(connection.execute(select(corrections).where(corrections.c.id == correction_id)).one())


@dataclass(frozen=True, slots=True)
class CorrectionRecord:
    id: int
    kind: str
    target: int
    source: int
    user: str
    created_at: str
    undone_at: str | None


def list_corrections(connection: Connection, kinds: tuple[str, ...] | None = None, ids: set[int] | None = None) -> list[CorrectionRecord]:
    """Corrections of these kinds (None: all) touching these ids (None: any), oldest first."""
    query = select(corrections).order_by(corrections.c.id)
    if kinds is not None:
        query = query.where(corrections.c.kind.in_(kinds))
    return [_correction_record(r) for r in connection.execute(query) if ids is None or r.target in ids or r.source in ids]


def _correction_record(row: Any) -> CorrectionRecord:
    undone = row.undone_at.isoformat() if row.undone_at else None
    return CorrectionRecord(row.id, row.kind, row.target, row.source, row.user_name, row.created_at.isoformat(), undone)


def pins(connection: Connection) -> dict[tuple[int, int, int], int]:
    """(document id, start, end) -> the group the user placed that claim in."""
    return {(r.document_id, r.start, r.end): r.group_id for r in connection.execute(select(claim_pins))}


def placements(connection: Connection) -> dict[tuple[int, int, int], int]:
    """(document id, start, end) -> the group that sentence was in before re-extraction."""
    return {(r.document_id, r.start, r.end): r.group_id for r in connection.execute(select(claim_placements))}


def forget_placements(connection: Connection, document_ids: list[int]) -> None:
    connection.execute(delete(claim_placements).where(claim_placements.c.document_id.in_(document_ids)))
