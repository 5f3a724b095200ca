"""What a user does to the ledger (ratings, evidence, corrections), each followed by the work it
leaves: the same functions for the CLI and the web, under the store's pipeline lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection

from claimledger.assess import stage as assess_stage
from claimledger.ledger.pipeline import finish_pending
from claimledger.store import Store
from claimledger.store import corrections as corrections_sql

T = TypeVar("T")


def rate_source(store: Store, name: str, reliability: str | None, authoritative: bool | None,
                lock_timeout: float | None = None) -> int:
    """Set an outlet's or a person's rating; returns how many groups changed grade or status."""
    with store.pipeline_lock(timeout=lock_timeout):
        return assess_stage.rate_source(store, name, reliability, authoritative)


def add_evidence(store: Store, group_id: int, stance: str, document_id: int | None, url: str | None, note: str,
                 lock_timeout: float | None = None) -> int:
    """Append evidence to a group and assess it again; returns the evidence's id."""
    with store.pipeline_lock(timeout=lock_timeout):
        return assess_stage.add_evidence(store, group_id, stance, document_id, url, note)


def correct(store: Store, change: Callable[[Connection], T], lock_timeout: float | None = None) -> T:
    """Make a correction in one transaction (the store's correction functions mark what they
    change), then place, group, find conflicts and assess what it left waiting.

    Raises CorrectionError (unknown ids, impossible moves) before anything is written.
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


def dismiss_conflict(store: Store, conflict_id: int, note: str, user: str, lock_timeout: float | None = None) -> int:
    """Dismiss a flagged conflict that is no real disagreement (recorded, undoable, kept)."""
    return correct(store, lambda c: corrections_sql.dismiss_conflict(c, conflict_id, note, user), lock_timeout)


def undo(store: Store, correction_id: int, lock_timeout: float | None = None) -> Any:
    """Undo a correction; its record stays, marked undone."""
    return correct(store, lambda c: corrections_sql.undo(c, correction_id), lock_timeout)
