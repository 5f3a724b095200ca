"""What a user does to the ledger (ratings, evidence, corrections), each followed by the work it
leaves: the same functions for the CLI and the web, under the store's pipeline lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from claimledger.assess import stage as assess_stage
from claimledger.ledger.pipeline import finish_pending
from claimledger.store import Store

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


def correct(store: Store, change: Callable[[], T], lock_timeout: float | None = None) -> T:
    """Make a correction (a function writing in its own transaction, which marks what it changed),
    then find conflicts and assess what it left pending."""
    with store.pipeline_lock(timeout=lock_timeout):
        result = change()
        finish_pending(store)
    return result
