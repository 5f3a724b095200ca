"""What a user does to the ledger (ratings, evidence, corrections), each followed by the work it
leaves: the same functions for the CLI and the web, validated here once, under the store's
pipeline lock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

from claimledger.assess.stage import run_assessment
from claimledger.errors import BadCorrection, BadEvidence, GroupNotFound
from claimledger.ledger.pipeline import finish_pending
from claimledger.store import Store
from claimledger.store import corrections as corrections_sql
from claimledger.store import linking as linking_sql
from claimledger.store import web as web_sql
from claimledger.store.corrections import CorrectionRecord

T = TypeVar("T")
Change = Callable[[Any], T]  # a store correction function given the transaction's connection


def rating_key(name: str) -> str:
    """The key a rating is stored under: a person's entity key, else the name lower-cased."""
    from claimledger.extract.entities import (
        entity_key,  # the name keys' one owner; loaded only to rate
    )

    person = entity_key(name, "person")
    return person if person and person != name.lower() else name.strip().lower()


def rate_source(store: Store, name: str, reliability: str | None, authoritative: bool | None,
                lock_timeout: float | None = None) -> int:
    """Set an outlet's or a person's rating, then assess every group again; returns how many
    groups changed grade or status."""
    with store.pipeline_lock(timeout=lock_timeout):
        with store.transaction() as connection:
            linking_sql.set_rating(connection, rating_key(name), name, reliability, authoritative)
        return run_assessment(store).changed


def evidence_target(target: str) -> tuple[int | None, str | None]:
    """What a user typed as evidence, "12" or "https://...": (document id, None) or (None, URL)."""
    target = target.strip()
    if target.isdigit():
        return int(target), None
    if re.match(r"https?://\S+$", target):
        return None, target
    raise BadEvidence(f"{target!r} is neither a stored document id nor an http(s) URL")


def add_evidence(store: Store, group_id: int, stance: str, document_id: int | None, url: str | None, note: str,
                 lock_timeout: float | None = None) -> int:
    """Append evidence to a group and assess it again; returns the evidence's id.

    Raises GroupNotFound for an unknown or emptied group, BadEvidence unless exactly one of a
    stored document or an http(s) URL is given with a note.
    """
    with store.pipeline_lock(timeout=lock_timeout):
        with store.reading() as connection:
            if not linking_sql.group_exists(connection, group_id) or not linking_sql.group_claim_facts(connection, group_id):
                raise GroupNotFound(f"claim group {group_id} does not exist or has no claims")
        if (document_id is None) == (url is None):
            raise BadEvidence("evidence is either a stored document or an http(s) URL, not both or neither")
        if url is not None and not url.startswith(("http://", "https://")):
            raise BadEvidence(f"{url!r} is not an http(s) URL")
        if not note.strip():
            raise BadEvidence("the note is empty: say in a sentence what the evidence shows")
        if document_id is not None and not store.get_documents([document_id]):
            raise BadEvidence(f"document {document_id} is not stored: give a stored document id or an http(s) URL")
        with store.transaction() as connection:
            evidence_id = linking_sql.add_evidence(connection, group_id, stance, document_id, url, note.strip())
        run_assessment(store, [group_id])
    return evidence_id


def correct(store: Store, change: Change[T], lock_timeout: float | None = None) -> T:
    """Make a correction in one transaction (the store's correction functions mark what they
    change), then place, group, find conflicts and assess what it left waiting.

    Raises BadCorrection (unknown ids, impossible moves) before anything is written.
    """
    with store.pipeline_lock(timeout=lock_timeout):
        with store.transaction() as connection:
            result = change(connection)
        finish_pending(store)
    return result


def merge_stories(store: Store, target: int, source: int, user: str, lock_timeout: float | None = None) -> int:
    """Fold story `source` into `target` (its reports, claim groups, evidence and history)."""
    return correct(store, lambda c: corrections_sql.merge_stories(c, target, source, user), lock_timeout)


def move_documents(store: Store, document_ids: list[int], to_story: int | None, user: str,
                   lock_timeout: float | None = None) -> tuple[int, int]:
    """Move reports to another story, or split them into a new one (None): (record, story)."""
    return correct(store, lambda c: corrections_sql.move_documents(c, document_ids, to_story, user), lock_timeout)


def merge_groups(store: Store, target: int, source: int, user: str, lock_timeout: float | None = None) -> int:
    """Fold claim group `source` into `target`: one proposition the machine split in two."""
    return correct(store, lambda c: corrections_sql.merge_groups(c, target, source, user), lock_timeout)


def merge_groups_into(store: Store, target: int, sources: list[int], user: str, lock_timeout: float | None = None) -> list[int]:
    """Fold several groups into `target` in one transaction (all or none, one assessment after);
    each merge is its own record, undone on its own."""
    return correct(store, lambda c: [corrections_sql.merge_groups(c, target, source, user) for source in sources], lock_timeout)


def split_claim(store: Store, claim_id: int, user: str, lock_timeout: float | None = None) -> tuple[int, int]:
    """Take a claim out of its group into a new one of its own: (record, new group)."""
    return correct(store, lambda c: corrections_sql.split_claim(c, claim_id, user), lock_timeout)


def merge_entities(store: Store, target: int, source: int, user: str, lock_timeout: float | None = None) -> int:
    """One person, body or place under two entities: fold `source` into `target`."""
    return correct(store, lambda c: corrections_sql.merge_entities(c, target, source, user), lock_timeout)


def split_entity(store: Store, entity_id: int, document_ids: list[int], name: str, user: str,
                 lock_timeout: float | None = None) -> tuple[int, int]:
    """Two people under one name: the mentions in `document_ids` become entity `name`."""
    return correct(store, lambda c: corrections_sql.split_entity(c, entity_id, document_ids, name.strip(), user), lock_timeout)


def dismiss_conflict(store: Store, conflict_id: int, note: str, user: str, lock_timeout: float | None = None) -> int:
    """Dismiss a flagged conflict that is no real disagreement (recorded, undoable, kept)."""
    return correct(store, lambda c: corrections_sql.dismiss_conflict(c, conflict_id, note, user), lock_timeout)


def triage_checkpoint(store: Store, key: str, state: str, note: str, user: str, lock_timeout: float | None = None) -> int:
    """Mark a checkpoint ("GROUP:DUE_BY", as listed) reviewed or dismissed: recorded, undoable."""
    group_id, due_by = parse_checkpoint_key(key)
    return correct(store, lambda c: corrections_sql.triage_checkpoint(c, group_id, due_by, state, note, user), lock_timeout)


def parse_checkpoint_key(key: str) -> tuple[int, str]:
    """ "12:2026-02-10" -> (12, "2026-02-10"); anything else is a clear error."""
    group, _, due_by = key.strip().partition(":")
    try:
        dt.date.fromisoformat(due_by)
        return int(group), due_by
    except ValueError:
        raise BadCorrection(f"{key!r} is no checkpoint: checkpoints are GROUP:DUE_BY, as `claimledger due` lists them") from None


def undo(store: Store, correction_id: int, lock_timeout: float | None = None) -> CorrectionRecord:
    """Undo a correction; its record stays, marked undone."""
    return correct(store, lambda c: corrections_sql.undo(c, correction_id), lock_timeout)


def similar_claims(store: Store, text: str, limit: int) -> list[dict[str, Any]]:
    """Stored claims nearest in meaning to `text`, in any language, best first."""
    from claimledger.link.encoder import embed  # loads the encoder: only when asked
    from claimledger.link.nearest import nearest_claims

    found = nearest_claims(store, embed([text])[0], 2 * limit)  # to spare: claims ungrouped since
    with store.reading() as connection:
        rows = {row.claim_id: row for row in web_sql.grouped_claim_texts(connection, [claim_id for claim_id, _ in found])}
    return [{"claim_id": claim_id, "group_id": rows[claim_id].group_id, "doc_id": rows[claim_id].document_id,
             "text": rows[claim_id].text, "similarity": round(score, 3)}
            for claim_id, score in found if claim_id in rows][:limit]
