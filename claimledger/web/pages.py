"""Server-rendered pages. Jinja2 escapes every value; templates never mark article text safe."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, get_args

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from claimledger import ledger
from claimledger.errors import BadEvidence, ClaimledgerError
from claimledger.ledger import MAX_QUERY_CHARS, SearchQuery, accounts, views
from claimledger.model import GroupStatus
from claimledger.urls import http_url
from claimledger.web import actions
from claimledger.web.graph import layout
from claimledger.web.security import (
    check_csrf,
    csrf_token,
    current_user,
    require_writer,
    sign_in,
    sign_out,
)
from claimledger.web.views import context_of, document_view, text_language

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# Every template is escaped, whatever its name ends in (Jinja's default escapes .html and .xml
# only, and the relay graph is an .svg that prints article text).
templates.env.autoescape = True


def web_url(value: str | None) -> str | None:
    """A URL from an article or a feed, only if it is http(s): never javascript:, data: or file:."""
    return http_url(value)


def lang_attribute(text: str | None, known: str | None = None) -> Markup:
    """` lang="zh"` for article text in a language the page is not in, else nothing."""
    language = text_language(text, known)
    return Markup(f' lang="{language}"') if language and language != "en" else Markup("")


templates.env.filters["web_url"] = web_url
templates.env.filters["lang"] = lang_attribute
router = APIRouter(include_in_schema=False)
STATUSES: tuple[str, ...] = get_args(GroupStatus)
SEARCH_PAGE = 25
STORY_PAGE = 50


def render(request: Request, name: str, status_code: int = 200, headers: dict[str, str] | None = None,
           look_up_user: bool = True, **context: Any) -> HTMLResponse:
    """The page `name`; `look_up_user=False` renders without touching the store (a busy one)."""
    user = current_user(request) if look_up_user else None
    return templates.TemplateResponse(
        request, name, {"user": user, "csrf": csrf_token(request), **context}, status_code=status_code, headers=headers
    )


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, q: str = "", offset: int = Query(0, ge=0)) -> HTMLResponse:
    store = request.app.state.store
    words = q.strip()[:200] or None
    stories = views.story_records(store, title_contains=words, limit=STORY_PAGE, offset=offset, latest_first=True)
    total = views.count_stories(store, words)
    counts = views.shared_group_statuses(store, [s.id for s in stories])
    waiting = ledger.describe_backlog(ledger.backlog(store))
    return render(request, "stories.html", stories=stories, counts=counts, q=q, waiting=waiting,
                  total=total, offset=offset, page_size=STORY_PAGE)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int) -> HTMLResponse:
    found = views.story_page(request.app.state.store, story_id)
    if found is None:
        raise HTTPException(404, f"story {story_id} does not exist")
    return render(request, "story.html", story=found.story, documents=found.documents, groups=found.groups,
                  thread=found.thread, thread_stories=found.thread_stories, corrections=found.corrections)


@router.post("/stories/{story_id}/move")
def move_documents_form(request: Request, story_id: int, documents: list[int] = Form(default=[]), to: str = Form(""),
                        csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    user = require_writer(request)
    if not documents:
        raise HTTPException(422, "choose the reports to move")
    target = int(to) if to.strip().isdigit() else None
    _, now_in = actions.move_documents(request.app.state.store, documents, target, user)
    return RedirectResponse(f"/stories/{now_in}", status_code=303)


@router.post("/conflicts/{conflict_id}/dismiss")
def dismiss_conflict_form(request: Request, conflict_id: int, note: str = Form(""), back: str = Form("/"),
                          csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    actions.dismiss_conflict(request.app.state.store, conflict_id, note, require_writer(request))
    return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/", status_code=303)


@router.post("/stories/{story_id}/merge")
def merge_stories_form(request: Request, story_id: int, source: int = Form(...), csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    actions.merge_stories(request.app.state.store, story_id, source, require_writer(request))
    return RedirectResponse(f"/stories/{story_id}", status_code=303)


@router.get("/groups/{group_id}", response_class=HTMLResponse)
def group_page(request: Request, group_id: int) -> HTMLResponse:
    return _group_page(request, group_id)


def _group_page(request: Request, group_id: int, evidence_error: str | None = None,
                evidence_values: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    page = views.group_page(request.app.state.store, group_id)
    if page is None:
        raise HTTPException(404, f"claim group {group_id} does not exist or has no claims")
    found, texts = page.trace, page.documents
    retellings = [
        {"claim": c, "document": texts[c["doc_id"]], "context": context_of(texts[c["doc_id"]].text, *c["span"])}
        for c in found.claims
    ]
    conflicts = []
    for conflict in found.group.conflicts:
        sides = []
        for claim_id, span in ((conflict["claim_a"], conflict["a_span"]), (conflict["claim_b"], conflict["b_span"])):
            document = texts.get(page.claim_documents.get(claim_id, -1))
            sides.append({"document": document, "context": context_of(document.text, *span, width=120) if document else ("", "", "")})
        conflicts.append({"id": conflict["id"], "detail": conflict["detail"], "kind": conflict["kind"], "sides": sides})
    return render(request, "group.html", status_code=status_code, group=found.group, drawing=layout(found.nodes, found.edges),
                  retellings=retellings, conflicts=conflicts, corrections=page.corrections,
                  evidence_error=evidence_error, evidence_values=evidence_values,
                  siblings=_sibling_groups(request, found.group) if current_user(request) else [])


def _sibling_groups(request: Request, group: Any) -> list[Any]:
    """The story's other groups, the most worth checking first: what a merge picks from."""
    records, _ = views.groups_paged(request.app.state.store, views.GroupFilter(story_id=group.story_id), 200, 0)
    return [record for record in records if record.id != group.id]


GRAPH_CSS = (Path(__file__).parent / "static" / "graph.css").read_text(encoding="utf-8")


@router.get("/groups/{group_id}/graph.svg")
def group_graph_svg(request: Request, group_id: int) -> Response:
    """The relay graph as a standalone SVG file, styled, for reports and slides."""
    found = views.trace(request.app.state.store, group_id)
    if found is None:
        raise HTTPException(404, f"claim group {group_id} does not exist or has no claims")
    svg = templates.get_template("graph.svg").render(drawing=layout(found.nodes, found.edges), standalone=True,
                                                        graph_css=GRAPH_CSS)
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, media_type="image/svg+xml",
                    headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
                             "Content-Disposition": f'inline; filename="claim-group-{group_id}.svg"'})


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: int) -> HTMLResponse:
    try:
        view = document_view(request.app.state.store, document_id)
    except ClaimledgerError as error:
        raise HTTPException(404, str(error)) from error
    return render(request, "document.html", **view)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: int) -> HTMLResponse:
    store = request.app.state.store
    entity = views.entity_page(store, entity_id)
    if entity is None:
        raise HTTPException(404, f"entity {entity_id} does not exist")
    claims = [c for c in store.list_claims() if c.id in set(entity.claim_ids)]
    stories = views.story_records(store, story_ids=entity.story_ids)
    corrections = views.corrections(store, ("merge-entities", "split-entity"), {entity_id})
    return render(request, "entity.html", entity=entity, claims=claims, stories=stories, corrections=corrections)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    like: str = "",
    language: str = "",
    status: str = "",
    grade: str = "",
    since: str = "",
    until: str = "",
    offset: int = Query(0, ge=0),
) -> HTMLResponse:
    store = request.app.state.store
    results, similar = None, []
    if len(q.strip()) >= 2:
        query = SearchQuery(
            q.strip()[:MAX_QUERY_CHARS], language[:16] or None, None, _date_or_none(since), _date_or_none(until), None,
            status if status in STATUSES else None, grade[:2] or None, SEARCH_PAGE, offset,
        )
        results = store.search(query)
    if len(like.strip()) >= 3:
        similar = actions.similar_claims(store, like.strip()[:2000], 10)
    return render(request, "search.html", q=q, like=like, results=results, similar=similar, statuses=STATUSES,
                  filters={"language": language, "status": status, "grade": grade, "since": since, "until": until},
                  page_size=SEARCH_PAGE, offset=offset)


def _date_or_none(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/due", response_class=HTMLResponse)
def due_page(request: Request, all: bool = False) -> HTMLResponse:  # noqa: A002
    checkpoints = views.checkpoints(request.app.state.store, dt.date.today(), 14, include_triaged=all)
    return render(request, "due.html", checkpoints=checkpoints, show_all=all)


@router.post("/checkpoints/{key}/triage")
def triage_form(request: Request, key: str, state: str = Form(...), note: str = Form(""), csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    actions.triage_checkpoint(request.app.state.store, key, state, note, require_writer(request))
    return RedirectResponse("/due", status_code=303)


@router.get("/help", response_class=HTMLResponse)
def help_page(request: Request) -> HTMLResponse:
    """What statuses, grades, origins, worth and checkpoints mean: every badge links here."""
    return render(request, "help.html")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", error=None, typed_name="")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, name: str = Form(..., max_length=64), password: str = Form(..., max_length=1024),
          csrf: str = Form("")) -> Any:
    check_csrf(request, csrf)
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(name, address)
    if wait:
        raise HTTPException(429, f"too many failed sign-ins; try again in {wait} s", headers={"Retry-After": str(wait)})
    user = accounts.check_credentials(request.app.state.store, name, password)
    if user is None:
        throttle.failed(name, address)
        return render(request, "login.html", status_code=401, error="Unknown name or wrong password.", typed_name=name)
    throttle.succeeded(name)
    sign_in(request, user)
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.post("/groups/{group_id}/evidence")
def evidence_form(request: Request, group_id: int, stance: str = Form(""), target: str = Form(""),
                  note: str = Form(""), csrf: str = Form("")) -> Response:
    """Add evidence; a mistake is explained beside the form, with what was typed kept."""
    check_csrf(request, csrf)
    user = require_writer(request)
    typed = {"stance": stance, "target": target, "note": note}
    try:
        if stance not in ("supports", "refutes"):
            raise BadEvidence("choose whether the evidence supports or refutes the claim")
        document_id, url = ledger.evidence_target(target)
        actions.add_evidence(request.app.state.store, group_id, stance, document_id, url, note, user)
    except BadEvidence as error:
        return _group_page(request, group_id, evidence_error=str(error), evidence_values=typed, status_code=422)
    return RedirectResponse(f"/groups/{group_id}", status_code=303)


@router.post("/ratings")
def rating_form(request: Request, name: str = Form(...), reliability: str = Form(""), authoritative: str = Form(""),
                back: str = Form("/"), csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    require_writer(request)
    actions.rate(request.app.state.store, name, reliability or None, True if authoritative == "yes" else None)
    return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/", status_code=303)


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request) -> HTMLResponse:
    return render(request, "ingest.html", result=None, values={}, error=None)


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_form(request: Request, csrf: str = Form(""), url: str = Form(""), text: str = Form(""),
                      title: str = Form(""), outlet: str = Form(""), published: str = Form(""), language: str = Form(""),
                      files: list[UploadFile] | None = None) -> Response:
    """Start an ingest job; a mistake is explained above the form, with what was typed kept
    (files must be chosen again: browsers never refill a file field)."""
    check_csrf(request, csrf)
    user = require_writer(request)
    typed = {"url": url, "text": text, "title": title, "outlet": outlet, "published": published, "language": language}

    def mistake(message: str, status: int = 422) -> HTMLResponse:
        return render(request, "ingest.html", status_code=status, result=None, values=typed, error=message)

    uploads = []
    for upload in files or []:
        if upload.filename:
            data = await upload.read(request.app.state.max_upload_bytes + 1)
            if len(data) > request.app.state.max_upload_bytes:
                return mistake(f"{upload.filename} is over the upload limit of {request.app.state.max_upload_bytes // 1_000_000} MB", 413)
            uploads.append((upload.filename, data))
    if not (url.strip() or text.strip() or uploads):
        return mistake("Nothing to ingest: give a URL, paste text, or choose files.")
    if url.strip() and not http_url(url.strip()):
        return mistake(f"{url.strip()!r} is not an http(s) URL.")
    try:
        day = dt.date.fromisoformat(published.strip()) if published.strip() else None
    except ValueError:
        return mistake(f"{published!r} is not a date: write it as YYYY-MM-DD.")
    code = ledger.language_code(language)
    if language.strip() and code is None:
        return mistake(f"{language!r} is not a language code: write it as ISO 639-1, e.g. en, zh, ja.")
    store, allow_private = request.app.state.store, request.app.state.allow_private
    job = request.app.state.jobs.start(user.name, lambda job: actions.ingest(
        store, url=url.strip() or None, text=text if text.strip() else None, title=title or None, outlet=outlet.strip() or None,
        published=day, language=code,
        files=uploads, allow_private=allow_private, progress=job.progress,
    ))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return render(request, "job.html", job=job)


@router.post("/groups/{group_id}/merge")
def merge_groups_form(request: Request, group_id: int, source: int = Form(...), csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    actions.merge_groups(request.app.state.store, group_id, source, require_writer(request))
    return RedirectResponse(f"/groups/{group_id}", status_code=303)


@router.post("/stories/{story_id}/merge-groups")
def bulk_merge_groups_form(request: Request, story_id: int, groups: list[int] = Form([]), csrf: str = Form("")) -> RedirectResponse:
    """Several groups of one story that tell the same claim, merged into the first chosen in one
    go; each merge is its own recorded, undoable correction."""
    check_csrf(request, csrf)
    user = require_writer(request)
    chosen = list(dict.fromkeys(groups))
    if len(chosen) < 2:
        raise HTTPException(422, "choose at least two groups to merge")
    actions.merge_groups_into(request.app.state.store, chosen[0], chosen[1:], user)
    return RedirectResponse(f"/groups/{chosen[0]}", status_code=303)


@router.post("/claims/{claim_id}/split")
def split_claim_form(request: Request, claim_id: int, csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    _, group_id = actions.split_claim(request.app.state.store, claim_id, require_writer(request))
    return RedirectResponse(f"/groups/{group_id}", status_code=303)


@router.post("/entities/{entity_id}/merge")
def merge_entities_form(request: Request, entity_id: int, source: int = Form(...), csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    actions.merge_entities(request.app.state.store, entity_id, source, require_writer(request))
    return RedirectResponse(f"/entities/{entity_id}", status_code=303)


@router.post("/entities/{entity_id}/split")
def split_entity_form(request: Request, entity_id: int, documents: str = Form(...), name: str = Form(...),
                      csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    document_ids = [int(part) for part in documents.replace(",", " ").split() if part.isdigit()]
    _, new_id = actions.split_entity(request.app.state.store, entity_id, document_ids, name, require_writer(request))
    return RedirectResponse(f"/entities/{new_id}", status_code=303)


@router.post("/corrections/{correction_id}/undo")
def undo_form(request: Request, correction_id: int, back: str = Form("/"), csrf: str = Form("")) -> RedirectResponse:
    check_csrf(request, csrf)
    require_writer(request)
    actions.undo_correction(request.app.state.store, correction_id)
    return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/", status_code=303)


# -- index pages: claim groups across stories, entities, sources -------------------------------

GROUP_PAGE = 50


@router.get("/groups", response_class=HTMLResponse)
def groups_index(request: Request, status: str = "", grade: str = "", min_worth: str = "", shared: str = "",
                 language: str = "", outlet: str = "", since: str = "", until: str = "",
                 offset: int = Query(0, ge=0)) -> HTMLResponse:
    """Claim groups across stories, the most worth checking first, filtered as the analyst asks
    ("all disputed", "single-origin and worth checking"); a filter it cannot read is said so."""
    typed = {"status": status, "grade": grade, "min_worth": min_worth, "shared": shared, "language": language,
             "outlet": outlet, "since": since, "until": until}
    problems = []

    def day(text: str, name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(text) if text.strip() else None
        except ValueError:
            problems.append(f"{name} {text!r} is not a date (YYYY-MM-DD): ignored")
            return None

    try:
        worth = float(min_worth) if min_worth.strip() else None
    except ValueError:
        problems.append(f"worth {min_worth!r} is not a number from 0 to 1: ignored")
        worth = None
    if status and status not in STATUSES:
        problems.append(f"status {status!r} is not one of {', '.join(STATUSES)}: ignored")
        status = ""
    if grade and not re.fullmatch(r"[A-Fa-f][1-6]?|[1-6]", grade.strip()):
        problems.append(f"grade {grade!r} is not like B2, B or 2: ignored")
        grade = ""
    where = views.GroupFilter(None, worth, status or None, grade or None, {"yes": True, "no": False}.get(shared),
                              language.strip() or None, outlet.strip() or None, day(since, "from"), day(until, "to"))
    groups, total = views.groups_paged(request.app.state.store, where, GROUP_PAGE, offset)
    return render(request, "groups.html", groups=groups, total=total, offset=offset, page_size=GROUP_PAGE,
                  typed=typed, problems=problems, statuses=STATUSES)


@router.get("/entities", response_class=HTMLResponse)
def entities_index(request: Request, q: str = "", offset: int = Query(0, ge=0)) -> HTMLResponse:
    store = request.app.state.store
    words = q.strip()[:200] or None
    entities = store.list_entities(words, GROUP_PAGE, offset)
    suggestions = views.likely_duplicate_entities(store) if not offset and not words else []
    return render(request, "entities.html", entities=entities, total=store.count_entities(words), offset=offset,
                  page_size=GROUP_PAGE, q=q, suggestions=suggestions)


@router.get("/entities/{entity_id}/merge", response_class=HTMLResponse)
def confirm_entity_merge(request: Request, entity_id: int, source: int = Query(...)) -> HTMLResponse:
    """Before two entities become one: both, side by side, and one button."""
    store = request.app.state.store
    keep, merge = views.entity_page(store, entity_id), views.entity_page(store, source)
    if keep is None or merge is None or entity_id == source:
        raise HTTPException(404, f"entities {entity_id} and {source} are not two stored entities")
    return render(request, "entity_merge.html", keep=keep, merge=merge)


@router.get("/sources", response_class=HTMLResponse)
def sources_index(request: Request) -> HTMLResponse:
    return render(request, "sources.html", sources=views.sources(request.app.state.store))


@router.get("/documents", response_class=HTMLResponse)
def documents_index(request: Request, language: str = "", outlet: str = "", offset: int = Query(0, ge=0)) -> HTMLResponse:
    store = request.app.state.store
    language, outlet = language.strip()[:16], outlet.strip()[:200]
    documents = store.list_documents(GROUP_PAGE, offset, language=language or None, outlet=outlet or None)
    total = store.count_documents(language or None, outlet or None)
    return render(request, "documents.html", documents=documents, total=total, offset=offset, page_size=GROUP_PAGE,
                  language=language, outlet=outlet)
