"""What the web app does for a user: the ledger's actions with the signed-in user's name and a
bounded wait for the store (their errors are answered by the app's one error handler)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from claimledger import ledger
from claimledger.ledger import Store, views
from claimledger.ledger.accounts import User

# A request that changes the ledger waits this long for a run holding the store (a CLI ingest, a
# web job) before it is answered 503 "busy, try again".
LOCK_TIMEOUT = 15.0


def add_evidence(store: Store, group_id: int, stance: str, document_id: int | None, url: str | None, note: str, user: User) -> Any:
    ledger.add_evidence(store, group_id, stance, document_id, url,
                        f"{note.strip()} (added by {user.name})" if note.strip() else "", lock_timeout=LOCK_TIMEOUT)
    return views.one_group(store, group_id)


def rate(store: Store, name: str, reliability: str | None, authoritative: bool | None) -> int:
    if reliability is None and authoritative is None:
        raise HTTPException(422, "give a reliability (A-F) or authoritative")
    return ledger.rate_source(store, name, reliability, authoritative, lock_timeout=LOCK_TIMEOUT)


def ingest(store: Store, url: str | None = None, text: str | None = None, title: str | None = None,
           outlet: str | None = None, files: list[tuple[str, bytes]] | None = None, allow_private: bool = False,
           progress: Callable[[str, int, int | None], None] | None = None, published: dt.date | None = None,
           language: str | None = None) -> dict[str, Any]:
    """Ingest a URL, pasted text or uploaded files, then extract, link and assess them (and
    whatever an earlier run left waiting).

    `progress(stage, done, total)` is told how far each stage has got.
    """
    report_progress = progress or (lambda stage, done, total: None)
    options = ledger.IngestOptions(outlet=outlet, published=published, language=language, allow_private=allow_private)
    with tempfile.TemporaryDirectory() as folder:
        inputs: list[str] = []
        if url:
            inputs.append(url)
        if text is not None:
            path = Path(folder) / "pasted.txt"
            path.write_text(f"{title.strip()}\n\n{text}" if title else text, encoding="utf-8")
            inputs.append(str(path))
        for index, (name, data) in enumerate(files or []):
            safe = "".join(c for c in Path(name).name if c.isalnum() or c in "._-")[-80:] or "upload"
            path = Path(folder) / f"{index}-{safe}"
            path.write_bytes(data)
            inputs.append(str(path))
        run = ledger.run_pipeline(store, inputs, options, progress=report_progress,
                                  on_wait=lambda: report_progress("waiting for another run on this store", 0, None))
    report = run.ingest
    assert report is not None
    new = [e.document_id for e in report.events if e.status in ("added", "near-duplicate") and e.document_id]
    return {
        "summary": report.summary(),
        "documents": new,
        "errors": [{"input": e.label.rsplit("/", 1)[-1], "code": e.error.code, "message": e.error.message} for e in report.failures if e.error],
    }


def similar_claims(store: Store, text: str, limit: int) -> list[dict[str, Any]]:
    return ledger.similar_claims(store, text, limit)


def merge_groups(store: Store, target: int, source: int, user: User) -> int:
    return _correct(ledger.merge_groups, store, target, source, user.name)


def split_claim(store: Store, claim_id: int, user: User) -> tuple[int, int]:
    return _correct(ledger.split_claim, store, claim_id, user.name)


def merge_entities(store: Store, target: int, source: int, user: User) -> int:
    return _correct(ledger.merge_entities, store, target, source, user.name)


def split_entity(store: Store, entity_id: int, document_ids: list[int], name: str, user: User) -> tuple[int, int]:
    return _correct(ledger.split_entity, store, entity_id, document_ids, name, user.name)


def merge_stories(store: Store, target: int, source: int, user: User) -> int:
    return _correct(ledger.merge_stories, store, target, source, user.name)


def move_documents(store: Store, document_ids: list[int], to_story: int | None, user: User) -> tuple[int, int]:
    return _correct(ledger.move_documents, store, document_ids, to_story, user.name)


def dismiss_conflict(store: Store, conflict_id: int, note: str, user: User) -> int:
    return _correct(ledger.dismiss_conflict, store, conflict_id, note, user.name)


def merge_groups_into(store: Store, target: int, sources: list[int], user: User) -> list[int]:
    return _correct(ledger.merge_groups_into, store, target, sources, user.name)


def triage_checkpoint(store: Store, key: str, state: str, note: str, user: User) -> int:
    return _correct(ledger.triage_checkpoint, store, key, state, note, user.name)


def undo_correction(store: Store, correction_id: int) -> Any:
    return _correct(ledger.undo, store, correction_id)


def _correct(action: Callable[..., Any], store: Store, *arguments: Any) -> Any:
    return action(store, *arguments, lock_timeout=LOCK_TIMEOUT)
