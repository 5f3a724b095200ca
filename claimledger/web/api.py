"""The HTTP API: everything the pages show and do, as JSON (described at /openapi.json).

Lists are paginated with `limit` and `offset` and answer {items, total, limit, offset}.
Reading is open; writing needs a signed-in session or `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, HttpUrl

from claimledger.errors import ClaimledgerError
from claimledger.ledger import SearchQuery, Store, results_json, views
from claimledger.ledger.accounts import User
from claimledger.model import GroupStatus
from claimledger.web import actions
from claimledger.web.security import require_writer
from claimledger.web.views import document_view

router = APIRouter(prefix="/api", tags=["ledger"])
MAX_LIMIT = 200


def store_of(request: Request) -> Store:
    return request.app.state.store


Limit = Query(50, ge=1, le=MAX_LIMIT)
Offset = Query(0, ge=0)


@router.get("/stories")
def list_stories(request: Request, q: str | None = Query(None, max_length=200), limit: int = Limit,
                 offset: int = Offset) -> dict[str, Any]:
    """Stories holding reports, by id (`q`: words of the title), paged in the store."""
    store = store_of(request)
    stories = views.story_records(store, title_contains=q, limit=limit, offset=offset)
    return {"items": [asdict(s) for s in stories], "total": views.count_stories(store, q), "limit": limit, "offset": offset}


@router.get("/stories/{story_id}")
def get_story(request: Request, story_id: int) -> dict[str, Any]:
    story = views.story_record(store_of(request), story_id)
    if story is None:
        raise HTTPException(404, f"story {story_id} does not exist")
    groups = [views.as_json(g) for g in views.group_records(store_of(request), story_id)]
    return asdict(story) | {"groups": groups}


@router.get("/threads")
def list_threads(request: Request, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    """The threads: the events of one affair, each a story, in time order."""
    store = store_of(request)
    threads = views.thread_records(store, limit, offset)
    return {"items": [asdict(t) for t in threads], "total": views.count_threads(store), "limit": limit, "offset": offset}


@router.get("/threads/{thread_id}")
def get_thread(request: Request, thread_id: int) -> dict[str, Any]:
    thread = views.thread_record(store_of(request), thread_id)
    if thread is None:
        raise HTTPException(404, f"thread {thread_id} does not exist")
    stories = {s.id: asdict(s) for s in views.story_records(store_of(request), thread_id)}
    return asdict(thread) | {"stories": [stories[i] for i in thread.story_ids if i in stories]}


@router.get("/groups")
def list_groups(request: Request, story_id: int | None = None, limit: int = Limit, offset: int = Offset,
                sort: Literal["worth", "id"] = "worth",
                min_worthiness: float | None = Query(None, ge=0.0, le=1.0),
                status: GroupStatus | None = None,
                grade: str | None = Query(None, pattern=r"^([A-Fa-f][1-6]?|[1-6])$", description="B2, or B, or 2"),
                shared: bool | None = Query(None, description="told by more than one claim (true) or by one (false)"),
                language: str | None = Query(None, max_length=16, description="some report of it is in this language"),
                outlet: str | None = Query(None, max_length=200, description="some report of it is from this outlet"),
                since: dt.date | None = None, until: dt.date | None = None) -> dict[str, Any]:
    """Claim groups across stories as assess stored them, paged in the store: the most worth
    checking first (`sort=id`: in the order they were made), filtered by story, status, grade,
    check-worthiness, language, outlet and the reports' dates."""
    where = views.GroupFilter(story_id, min_worthiness, status, grade, shared, language, outlet, since, until)
    records, total = views.groups_paged(store_of(request), where, limit, offset, sort == "worth")
    return {"items": [views.as_json(g) for g in records], "total": total, "limit": limit, "offset": offset}


@router.get("/groups/{group_id}")
def get_group(request: Request, group_id: int) -> dict[str, Any]:
    found = views.trace(store_of(request), group_id)
    if found is None:
        raise HTTPException(404, f"claim group {group_id} does not exist or has no claims")
    return {"group": views.as_json(found.group), "nodes": [asdict(n) for n in found.nodes],
            "edges": [asdict(e) for e in found.edges], "claims": found.claims}


@router.get("/documents")
def list_documents(request: Request, limit: int = Limit, offset: int = Offset,
                   language: str | None = Query(None, max_length=16), outlet: str | None = Query(None, max_length=200)) -> dict[str, Any]:
    """Stored documents in the order they were ingested, narrowed by language or outlet."""
    store = store_of(request)
    return {"items": [asdict(d) for d in store.list_documents(limit=limit, offset=offset, language=language, outlet=outlet)],
            "total": store.count_documents(language, outlet), "limit": limit, "offset": offset}


@router.get("/documents/{document_id}")
def get_document(request: Request, document_id: int) -> dict[str, Any]:
    try:
        view = document_view(store_of(request), document_id)
    except ClaimledgerError as error:
        raise HTTPException(404, str(error)) from error
    document = view["document"]
    return {
        "id": document.id, "title": document.title, "outlet": document.outlet, "url": document.url,
        "published": document.published.isoformat() if document.published else None, "language": document.language,
        "text": document.text, "story_id": view["story_id"],
        "claims": [asdict(c) | {"group_id": view["claim_groups"].get(c.id)} for c in view["claims"]],
        "marks": [{"start": s.start, "end": s.start + len(s.text), "marks": s.marks} for s in view["segments"] if s.marks],
    }


@router.get("/entities")
def list_entities(request: Request, q: str | None = Query(None, max_length=200), limit: int = Limit,
                  offset: int = Offset) -> dict[str, Any]:
    """Entities, most mentioned first (`q`: part of any of their names), paged in the store."""
    store = store_of(request)
    entities = [asdict(e) for e in store.list_entities(q, limit, offset)]
    return {"items": entities, "total": store.count_entities(q), "limit": limit, "offset": offset}


@router.get("/entities/{entity_id}")
def get_entity(request: Request, entity_id: int) -> dict[str, Any]:
    entity = views.entity_page(store_of(request), entity_id)
    if entity is None:
        raise HTTPException(404, f"entity {entity_id} does not exist")
    return asdict(entity)


@router.get("/search")
def search(
    request: Request,
    q: str = Query(..., min_length=2, max_length=200, description='words, all required; "a phrase"; a name also finds its other names'),
    language: str | None = Query(None, max_length=16, description="documents in this language (en, zh, ...)"),
    outlet: str | None = Query(None, max_length=200),
    since: dt.date | None = Query(None, description="published on or after"),
    until: dt.date | None = Query(None, description="published on or before"),
    story: int | None = Query(None, description="documents of this story"),
    status: GroupStatus | None = Query(None, description="claims whose group has this status"),
    grade: str | None = Query(None, pattern="^([A-Fa-f][1-6]?|[1-6])$", description="B2, or B (any credibility), or 2"),
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    """Documents and claims matching every word, best first, with snippets and match offsets."""
    query = SearchQuery(q, language, outlet, since, until, story, status, grade, limit, offset)
    return results_json(store_of(request).search(query))


@router.get("/similar")
def similar(request: Request, text: str = Query(..., min_length=3, max_length=2000), limit: int = Query(10, ge=1, le=50)) -> dict[str, Any]:
    """Claims like this one, by meaning (multilingual: an English query finds Chinese claims)."""
    return {"items": actions.similar_claims(store_of(request), text, limit)}


@router.get("/due")
def due(request: Request, within: int = Query(14, ge=0, le=3650), today: dt.date | None = None,
        all: bool = Query(False, description="also the checkpoints marked reviewed or dismissed"),  # noqa: A002
        past: bool = Query(False, description="also those whose window had closed before their report was ingested"),
        ) -> dict[str, Any]:
    """Checkpoints due, overdue and upcoming, each with its key (GROUP:DUE_BY) to mark it."""
    found = views.checkpoints(store_of(request), today or dt.date.today(), within, all, past)
    return {"items": [asdict(c) for c in found]}


class TriageIn(BaseModel):
    state: Literal["reviewed", "dismissed"]
    note: str = Field("", max_length=500, description="what was found, or why it needs no check")


@router.post("/checkpoints/{key}/triage")
def triage_checkpoint(request: Request, key: str, body: TriageIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """Mark a checkpoint reviewed or dismissed (recorded with who and when; undo the correction
    to put it back on the list)."""
    return {"correction_id": actions.triage_checkpoint(store_of(request), key, body.state, body.note, user)}


class EvidenceIn(BaseModel):
    stance: Literal["supports", "refutes"]
    document_id: int | None = None
    url: HttpUrl | None = None
    note: str = Field(min_length=1, max_length=2000)


@router.post("/groups/{group_id}/evidence", status_code=201)
def add_evidence(request: Request, group_id: int, body: EvidenceIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    record = actions.add_evidence(store_of(request), group_id, body.stance, body.document_id, str(body.url) if body.url else None, body.note, user)
    return views.as_json(record)


class RatingIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None
    authoritative: bool | None = None


@router.post("/ratings")
def rate(request: Request, body: RatingIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    changed = actions.rate(store_of(request), body.name, body.reliability, body.authoritative)
    return {"name": body.name, "groups_changed": changed}


class IngestIn(BaseModel):
    url: HttpUrl | None = None
    text: str | None = Field(default=None, max_length=2_000_000)
    title: str | None = None
    outlet: str | None = None


@router.post("/ingest", status_code=202)
def ingest(request: Request, body: IngestIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """Start ingesting a URL or a text; follow it at /api/jobs/{id}."""
    if (body.url is None) == (body.text is None):
        raise HTTPException(422, "give exactly one of url or text")
    store, allow_private = store_of(request), request.app.state.allow_private
    job = request.app.state.jobs.start(user.name, lambda job: actions.ingest(
        store, url=str(body.url) if body.url else None, text=body.text, title=body.title, outlet=body.outlet,
        allow_private=allow_private, progress=job.progress,
    ))
    return job.as_json()


@router.get("/jobs/{job_id}")
def get_job(request: Request, job_id: str) -> dict[str, Any]:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return job.as_json()




class MergeIn(BaseModel):
    source: int = Field(description="the id of the group or entity to fold into this one")


@router.post("/groups/{group_id}/merge")
def merge_groups(request: Request, group_id: int, body: MergeIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """Fold another claim group of the same story into this one (recorded, undoable, kept on re-runs)."""
    correction = actions.merge_groups(store_of(request), group_id, body.source, user)
    return {"correction_id": correction, "group": views.as_json(views.one_group(store_of(request), group_id))}


@router.post("/claims/{claim_id}/split")
def split_claim(request: Request, claim_id: int, user: User = Depends(require_writer)) -> dict[str, Any]:
    """Take a claim out of its group into a new group of its own."""
    correction, group_id = actions.split_claim(store_of(request), claim_id, user)
    return {"correction_id": correction, "group_id": group_id}


@router.post("/entities/{entity_id}/merge")
def merge_entities(request: Request, entity_id: int, body: MergeIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """File another entity's mentions under this one, now and in later extractions."""
    return {"correction_id": actions.merge_entities(store_of(request), entity_id, body.source, user)}


@router.post("/corrections/{correction_id}/undo")
def undo(request: Request, correction_id: int, user: User = Depends(require_writer)) -> dict[str, Any]:
    row = actions.undo_correction(store_of(request), correction_id)
    return {"correction_id": correction_id, "kind": row.kind, "undone": True}


class MoveIn(BaseModel):
    document_ids: list[int] = Field(min_length=1, description="the reports to move")
    to_story: int | None = Field(default=None, description="the story they belong to; none: a new story")


@router.post("/stories/{story_id}/move")
def move_documents(request: Request, story_id: int, body: MoveIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """Move reports of this story to another one, or into a new story (recorded, undoable)."""
    correction, now_in = actions.move_documents(store_of(request), body.document_ids, body.to_story, user)
    return {"correction_id": correction, "story_id": now_in}


@router.post("/stories/{story_id}/merge")
def merge_stories(request: Request, story_id: int, body: MergeIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """Fold another story into this one: its reports, claim groups, evidence and history."""
    return {"correction_id": actions.merge_stories(store_of(request), story_id, body.source, user)}


class DismissIn(BaseModel):
    note: str = Field(min_length=1, max_length=500, description="why it is no real disagreement")


@router.post("/conflicts/{conflict_id}/dismiss")
def dismiss_conflict(request: Request, conflict_id: int, body: DismissIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """Dismiss a conflict that is no real disagreement (recorded, undoable, kept on re-runs)."""
    return {"correction_id": actions.dismiss_conflict(store_of(request), conflict_id, body.note, user)}


class SplitEntityIn(BaseModel):
    document_ids: list[int] = Field(min_length=1, description="the documents whose mentions are someone else")
    name: str = Field(min_length=1, max_length=300, description="the other person's or body's name")


@router.post("/entities/{entity_id}/split")
def split_entity(request: Request, entity_id: int, body: SplitEntityIn, user: User = Depends(require_writer)) -> dict[str, Any]:
    """The entity's mentions in these documents are someone else: give them their own entity."""
    correction, new_id = actions.split_entity(store_of(request), entity_id, body.document_ids, body.name, user)
    return {"correction_id": correction, "entity_id": new_id}
