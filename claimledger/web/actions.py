"""What the web app does for a user: the same stages the CLI runs, never a copy of them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import HTTPException

from claimledger.assess import report as report_views
from claimledger.assess.stage import rate_source, run_assessment
from claimledger.assess import stage as assessment
from claimledger.errors import ClaimledgerError, GroupNotFound
from claimledger.extract import run_extraction
from claimledger.ingest import IngestOptions, ingest_inputs
from claimledger.link import run_linking
from claimledger.link.stage import refresh_conflicts
from claimledger.link.encoder import embed, from_blob
from claimledger.store import Store
from claimledger.store import corrections as corrections_sql
from claimledger.store import linking as linking_sql
from claimledger.store import web as web_sql
from claimledger.store.web import User


def add_evidence(store: Store, group_id: int, stance: str, document_id: int | None, url: str | None, note: str, user: User) -> Any:
    try:
        assessment.add_evidence(store, group_id, stance, document_id, url, f"{note.strip()} (added by {user.name})" if note.strip() else "")
    except GroupNotFound as error:
        raise HTTPException(404, str(error)) from error
    except ClaimledgerError as error:
        raise HTTPException(422, str(error)) from error
    return report_views.one_group(store, group_id)


def rate(store: Store, name: str, reliability: str | None, authoritative: bool | None) -> int:
    if reliability is None and authoritative is None:
        raise HTTPException(422, "give a reliability (A-F) or authoritative")
    return rate_source(store, name, reliability, authoritative)


def ingest(store: Store, url: str | None = None, text: str | None = None, title: str | None = None,
           outlet: str | None = None, files: list[tuple[str, bytes]] | None = None, allow_private: bool = False,
           progress: Callable[[str, int, int | None], None] | None = None) -> dict[str, Any]:
    """Ingest a URL, pasted text or uploaded files, then extract, link and assess them.

    `progress(stage, done, total)` is told how far each stage has got.
    """
    report_progress = progress or (lambda stage, done, total: None)
    options = IngestOptions(outlet=outlet, allow_private=allow_private)
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
        report = ingest_inputs(inputs, store, options, on_input=lambda _, done, total: report_progress("reading", done, total))
    new = [e.document_id for e in report.events if e.status in ("added", "near-duplicate") and e.document_id]
    if new:
        run_extraction(store, new, on_document=lambda _, done, total: report_progress("extracting", done, total))
        run_linking(store, lambda stage, done, total: report_progress(f"linking {stage}", done, total))
        run_assessment(store, on_progress=lambda _, done, total: report_progress("assessing", done, total))
    return {
        "summary": report.summary(),
        "documents": new,
        "errors": [{"input": e.label.rsplit("/", 1)[-1], "code": e.error.code, "message": e.error.message} for e in report.failures if e.error],
    }


def similar_claims(store: Store, text: str, limit: int) -> list[dict[str, Any]]:
    with store.reading() as connection:
        rows = web_sql.all_claim_vectors(connection)
    if not rows:
        return []
    matrix = np.vstack([from_blob(r.vector) for r in rows])
    scores = matrix @ embed([text])[0]
    best = np.argsort(-scores)[:limit]
    return [{"claim_id": rows[i].claim_id, "group_id": rows[i].group_id, "doc_id": rows[i].document_id,
             "text": rows[i].text, "similarity": round(float(scores[i]), 3)} for i in best]


def merge_groups(store: Store, target: int, source: int, user: User) -> int:
    with store.transaction() as connection:
        correction = _guarded(lambda: corrections_sql.merge_groups(connection, target, source, user.name))
        story_id = linking_sql.group_row(connection, target).story_id
    _after_group_change(store, story_id)
    return correction


def split_claim(store: Store, claim_id: int, user: User) -> tuple[int, int]:
    with store.transaction() as connection:
        correction, group_id = _guarded(lambda: corrections_sql.split_claim(connection, claim_id, user.name))
        story_id = linking_sql.group_row(connection, group_id).story_id
    _after_group_change(store, story_id)
    return correction, group_id


def merge_entities(store: Store, target: int, source: int, user: User) -> int:
    with store.transaction() as connection:
        correction = _guarded(lambda: corrections_sql.merge_entities(connection, target, source, user.name))
    run_assessment(store)  # origins are keyed by entity: counts may change
    return correction


def split_entity(store: Store, entity_id: int, document_ids: list[int], name: str, user: User) -> tuple[int, int]:
    with store.transaction() as connection:
        result = _guarded(lambda: corrections_sql.split_entity(connection, entity_id, document_ids, name.strip(), user.name))
    run_assessment(store)
    return result


def undo_correction(store: Store, correction_id: int) -> Any:
    with store.transaction() as connection:
        row = _guarded(lambda: corrections_sql.undo(connection, correction_id))
        story_ids = set()
        if row.kind in ("merge-groups", "split-claim"):
            story_ids = {linking_sql.group_row(connection, row.target).story_id}
    if story_ids:
        refresh_conflicts(store, story_ids)
    run_assessment(store)
    return row


def _after_group_change(store: Store, story_id: int) -> None:
    refresh_conflicts(store, {story_id})
    with store.reading() as connection:
        groups = linking_sql.group_ids(connection, story_id)
    run_assessment(store, groups)


def _guarded(action: Any) -> Any:
    try:
        return action()
    except corrections_sql.CorrectionError as error:
        raise HTTPException(422, str(error)) from error
