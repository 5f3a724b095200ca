"""What the CLI, the web app and the exports show: stories, threads, claim groups, traces,
documents, entities, corrections, checkpoints.

Read-only: assembled from what the link and assess stages stored (a group's origins, status and
grade from the row assess wrote), never recomputed here except the provenance graph of a trace,
which is a pure function of the stored chains.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import threading
from dataclasses import dataclass, field, fields
from typing import Any

from claimledger.assess.provenance import Edge, Node, provenance_graph
from claimledger.assess.stage import assess_one, current_ratings, retellings_from, view_of
from claimledger.store import Store
from claimledger.store import corrections as corrections_sql
from claimledger.store import linking as sql
from claimledger.store import web as web_sql
from claimledger.store.corrections import CorrectionRecord
from claimledger.store.linking import GroupFilter
from claimledger.store.sql import (
    DocumentSummary,
    StoredDocument,
    document_summaries,
    documents_by_id,
)
from claimledger.store.web import EntityPage

__all__ = ["Edge", "EntityPage", "Node", "CorrectionRecord", "GroupFilter"]  # besides the functions and records below


def open_store(db: str | None = None, on_wait: Any = None, create: bool = True) -> Store:
    """The store at `db` (a SQLite path or a database URL; None: $CLAIMLEDGER_DB or the default
    file), its schema brought up to date; `on_wait()` is told if another run holds it. With
    `create` False a SQLite file that is not there is StoreNotFound, never a new empty store."""
    return Store.open(db, on_wait, create)


@dataclass(frozen=True, slots=True)
class DocumentLinks:
    """Where a document stands in the ledger: its story, each claim's group, its event."""

    story_id: int | None
    claim_groups: dict[int, int]
    event: Any  # the stored event signature (who, what, when), or None before extraction
    mentions: list[Any] = field(default_factory=list)  # entity mentions: start, end, entity_id, kind, name
    attributions: list[Any] = field(default_factory=list)  # source and cue spans


def document_links(store: Store, document_id: int) -> DocumentLinks:
    with store.reading() as connection:
        story_id, claim_groups = sql.document_links(connection, document_id)
        return DocumentLinks(
            story_id,
            claim_groups,
            sql.event_signatures_of(connection, [document_id]).get(document_id),
            web_sql.document_mentions(connection, document_id),
            web_sql.document_attributions(connection, document_id),
        )


def entity_page(store: Store, entity_id: int) -> EntityPage | None:
    with store.reading() as connection:
        return web_sql.entity_page(connection, entity_id)


def corrections(store: Store, kinds: tuple[str, ...] | None = None, ids: set[int] | None = None) -> list[CorrectionRecord]:
    """Corrections made by hand, of these kinds (None: all) touching these ids (None: any), oldest first."""
    with store.reading() as connection:
        return corrections_sql.list_corrections(connection, kinds, ids)


@dataclass(slots=True)
class GroupRecord:
    id: int
    story_id: int
    text: str
    claim_ids: list[int]
    doc_ids: list[int]
    origins: list[dict[str, Any]]
    independent_origins: int
    conflicts: list[dict[str, Any]]
    status: str
    grade: str
    reasons: list[str]
    history: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    worthiness: float | None = None  # how worth checking: its most check-worthy claim's score, 0..1


def group_record(connection: Any, group_id: int) -> GroupRecord:
    """A group linked but not yet assessed: what assess would store for it, derived now by
    assess's own functions, beside the last status recorded (and saying it is not up to date)."""
    row = sql.group_row(connection, group_id)
    view = view_of(assess_one(connection, group_id, current_ratings(connection)))
    history = sql.status_history(connection, group_id)
    latest = history[-1] if history else None
    return GroupRecord(
        id=group_id,
        story_id=row.story_id,
        text=row.text,
        claim_ids=view["claim_ids"],
        doc_ids=view["doc_ids"],
        origins=view["origins"],
        independent_origins=view["independent_origins"],
        conflicts=[_conflict_json(c) for c in sql.group_conflicts(connection, group_id)],
        status=latest.status if latest else "unverified",
        grade=latest.grade if latest else "F6",
        reasons=["not assessed yet: run claimledger link"] + (list(latest.reasons) if latest else []),
        history=[_history_json(h) for h in history],
        evidence=view["evidence"],
        worthiness=view["worthiness"],
    )


def group_records(store: Store, story_id: int | None = None, group_ids: list[int] | None = None) -> list[GroupRecord]:
    """The groups as assess stored them (a few queries however many groups); a group linked but
    not yet assessed is computed on the spot and says so."""
    with store.reading() as connection:
        return _records(connection, story_id, group_ids)


def groups_paged(store: Store, where: GroupFilter, limit: int, offset: int,
                 most_worthy_first: bool = True) -> tuple[list[GroupRecord], int]:
    """One page of the groups `where` lets through (story, status, grade, worth, language,
    outlet, dates), paged in SQL (the most worth checking first, or in id order), and how many
    there are (groups not yet assessed are listed once assessed)."""
    with store.reading() as connection:
        rows = sql.group_view_rows(connection, where, None, limit, offset, most_worthy_first)
        ids = [row.group_id for row in rows]
        conflicts, histories = sql.conflicts_by_group(connection, ids), sql.histories_by_group(connection, ids)
        total = sql.count_group_views(connection, where=where)
    return [_from_view(row, conflicts.get(row.group_id, []), histories.get(row.group_id, [])) for row in rows], total


def most_worthy_first(records: list[GroupRecord]) -> list[GroupRecord]:
    """The groups an analyst should check first: the most check-worthy, unscored ones last."""
    return sorted(records, key=lambda record: (record.worthiness is None, -(record.worthiness or 0.0), record.id))


def shared_group_statuses(store: Store, story_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Per story (all, or these), the statuses of its groups told more than once or in conflict,
    counted in SQL."""
    with store.reading() as connection:
        return sql.shared_group_statuses(connection, story_ids)


def _records(connection: Any, story_id: int | None, group_ids: list[int] | None) -> list[GroupRecord]:
    rows = sql.group_view_rows(connection, sql.GroupFilter(story_id=story_id), group_ids)
    ids = [row.group_id for row in rows]
    conflicts = sql.conflicts_by_group(connection, ids)
    histories = sql.histories_by_group(connection, ids)
    records = [_from_view(row, conflicts.get(row.group_id, []), histories.get(row.group_id, [])) for row in rows]
    waiting = sql.unviewed_groups(connection, story_id, group_ids)
    records += [group_record(connection, group_id) for group_id in waiting]
    return sorted(records, key=lambda record: record.id)


def _from_view(row: Any, conflicts: list[Any], history: list[Any]) -> GroupRecord:
    return GroupRecord(
        id=row.group_id,
        story_id=row.current_story,
        text=row.text,
        claim_ids=list(row.claim_ids),
        doc_ids=list(row.doc_ids),
        origins=list(row.origins),
        independent_origins=row.independent_origins,
        conflicts=[_conflict_json(c) for c in conflicts],
        status=row.status,
        grade=row.grade,
        reasons=list(row.reasons),
        history=[_history_json(h) for h in history],
        evidence=list(row.evidence),
        worthiness=row.worthiness,
    )


def _conflict_json(c: Any) -> dict[str, Any]:
    return {"id": c.id, "kind": c.kind, "claim_a": c.claim_a, "claim_b": c.claim_b, "a_span": [c.a_start, c.a_end],
            "b_span": [c.b_start, c.b_end], "detail": c.detail}


def _history_json(h: Any) -> dict[str, Any]:
    return {"at": h.at.isoformat(), "status": h.status, "grade": h.grade, "independent_origins": h.independent_origins}


def one_group(store: Store, group_id: int) -> GroupRecord | None:
    with store.reading() as connection:
        found = _records(connection, None, [group_id])
    return found[0] if found else None


@dataclass(slots=True)
class Trace:
    group: GroupRecord
    nodes: list[Node]
    edges: list[Edge]
    claims: list[dict[str, Any]]  # claim id, doc id, span, text


def trace(store: Store, group_id: int) -> Trace | None:
    with store.reading() as connection:
        return _trace(connection, group_id)


def _trace(connection: Any, group_id: int) -> Trace | None:
    found = _records(connection, None, [group_id])
    if not found:
        return None
    record = found[0]
    facts = sql.group_claim_facts(connection, group_id)
    documents = sql.document_facts(connection, record.doc_ids)
    retellings = retellings_from(connection, facts, documents)
    titles = {d.id: d.title or f"document {d.id}" for d in documents.values()}
    nodes, edges = provenance_graph(retellings, titles)
    claims = [{"claim_id": f.claim_id, "doc_id": f.document_id, "span": [f.start, f.end], "text": f.text} for f in facts]
    return Trace(record, nodes, edges, claims)


@dataclass(frozen=True, slots=True)
class GroupPage:
    """Everything a claim group's page shows, read in one transaction."""

    trace: Trace
    documents: dict[int, StoredDocument]  # the group's reports and those its conflicts point into
    claim_documents: dict[int, int]  # the document of each claim of the group or of its conflicts
    corrections: list[CorrectionRecord]


def group_page(store: Store, group_id: int) -> GroupPage | None:
    with store.reading() as connection:
        found = _trace(connection, group_id)
        if found is None:
            return None
        claim_documents = {c["claim_id"]: c["doc_id"] for c in found.claims}
        outside = {c[side] for c in found.group.conflicts for side in ("claim_a", "claim_b")} - set(claim_documents)
        claim_documents |= web_sql.documents_of_claims(connection, sorted(outside))
        documents = documents_by_id(connection, sorted(set(claim_documents.values())))
        corrections = corrections_sql.list_corrections(connection, ("merge-groups", "split-claim", "dismiss-conflict"), {group_id})
    return GroupPage(found, documents, claim_documents, corrections)


@dataclass(frozen=True, slots=True)
class StoryPage:
    """Everything a story's page shows, read in one transaction."""

    story: sql.StoryRecord
    documents: list[DocumentSummary]  # by publication date, then outlet
    groups: list[GroupRecord]  # told more than once, or in conflict
    thread: sql.ThreadRecord | None
    thread_stories: list[sql.StoryRecord]  # in the thread's time order
    corrections: list[CorrectionRecord]


def story_page(store: Store, story_id: int) -> StoryPage | None:
    with store.reading() as connection:
        found = sql.list_stories(connection, story_ids=[story_id])
        if not found:
            return None
        story = found[0]
        documents = sorted(document_summaries(connection, ids=story.doc_ids), key=lambda d: (str(d.published or ""), d.outlet or ""))
        groups = most_worthy_first([g for g in _records(connection, story_id, None) if len(g.claim_ids) > 1 or g.conflicts])
        thread, thread_stories = None, []
        if story.thread_id is not None:
            in_thread = sql.list_stories(connection, story.thread_id)
            threads = sql.list_threads(connection, story.thread_id, in_thread)
            thread = threads[0] if threads else None
            by_id = {s.id: s for s in in_thread}
            thread_stories = [by_id[i] for i in thread.story_ids if i in by_id] if thread else []
        corrections = corrections_sql.list_corrections(connection, ("merge-stories", "move-documents", "split-story"), {story_id})
    return StoryPage(story, documents, groups, thread, thread_stories, corrections)


def document_credits(store: Store, document_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Per document, the agencies credited for its copy (names)."""
    with store.reading() as connection:
        ids = document_ids if document_ids is not None else [d.id for d in store.list_documents()]
        return {doc: [name for _, name in names] for doc, names in sql.credits_of(connection, ids).items()}


def story_records(store: Store, thread_id: int | None = None, title_contains: str | None = None,
                  limit: int | None = None, offset: int = 0, story_ids: list[int] | None = None,
                  latest_first: bool = False) -> list[sql.StoryRecord]:
    """Stories holding reports, by id or the latest event first: all, a thread's, some ids,
    those whose title holds some words; paged."""
    with store.reading() as connection:
        return sql.list_stories(connection, thread_id, story_ids, title_contains, limit, offset, latest_first=latest_first)


def story_record(store: Store, story_id: int) -> sql.StoryRecord | None:
    with store.reading() as connection:
        found = sql.list_stories(connection, story_ids=[story_id])
    return found[0] if found else None


def count_stories(store: Store, title_contains: str | None = None) -> int:
    with store.reading() as connection:
        return sql.count_stories(connection, title_contains)


def thread_record(store: Store, thread_id: int) -> sql.ThreadRecord | None:
    with store.reading() as connection:
        found = sql.list_threads(connection, thread_id)
    return found[0] if found else None


def thread_records(store: Store, limit: int | None = None, offset: int = 0) -> list[sql.ThreadRecord]:
    """Threads holding stories, by id, paged."""
    with store.reading() as connection:
        return sql.list_threads(connection, limit=limit, offset=offset)


def count_threads(store: Store) -> int:
    with store.reading() as connection:
        return sql.count_threads(connection)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    key: str  # "GROUP:DUE_BY": how the CLI, the API and the page name it to mark it
    group_id: int
    claim_id: int
    claim: str
    kind: str
    date_text: str
    due_from: str
    due_by: str
    state: str  # overdue, due, upcoming
    basis: str  # "published": resolved against the report's date (a copy's: its original's); "ingested": it had none
    reports: int = 1  # the reports (copies and retellings) naming this time in this group: one checkpoint for all
    triage: corrections_sql.TriageMark | None = None  # marked reviewed or dismissed, by whom and when


def checkpoints(store: Store, today: dt.date, within_days: int = 14, include_triaged: bool = False,
                include_past: bool = False, narrowed: bool = True) -> list[Checkpoint]:
    """Claims that name a time still ahead of their report: what to check, and by when. One per
    group and window however many copies repeat it; none from a report whose window had closed
    before it was ingested (a 2020 "later today" is history, not a task); those marked reviewed
    or dismissed only with `include_triaged`; those past at ingestion only with `include_past`
    (reading an archive for what became of its predictions). `narrowed=False` reads every date
    of the store (store/linking.py `checkpoint_dates`), for the tests."""
    found: dict[tuple[int, str, str], Checkpoint] = {}
    with store.reading() as connection:
        marks = corrections_sql.checkpoint_triage(connection)
        for row in sql.checkpoint_dates(connection, narrowed):
            low, high, basis = _window(row)
            if low is None or high is None:
                continue
            published = row.published or row.original_published
            if published is not None and high < published:
                continue  # a date in the report's past: history, not a checkpoint
            if row.kind != "prediction" and row.precision != "window" and (published is None or low <= published):
                continue
            if high < row.ingested_at.date() and not include_past:
                continue  # already past when the report reached the ledger
            key = (row.group_id, low.isoformat(), high.isoformat())
            if key in found:
                found[key] = dataclasses.replace(found[key], reports=found[key].reports + 1)
                continue
            mark = marks.get((row.group_id, high.isoformat()))
            if mark is not None and not include_triaged:
                continue
            state = "overdue" if high < today else "due" if low <= today + dt.timedelta(days=within_days) else "upcoming"
            found[key] = Checkpoint(f"{row.group_id}:{high.isoformat()}", row.group_id, row.claim_id, row.claim_text, row.kind,
                                    row.text, low.isoformat(), high.isoformat(), state, basis, triage=mark)
    order = {"overdue": 0, "due": 1, "upcoming": 2}
    return sorted(found.values(), key=lambda c: (c.triage is not None, order[c.state], c.due_by, c.group_id))


_RELATIVE_WINDOW = re.compile(r"^REF/P(\d+)([DWM])$")


def _window(row: Any) -> tuple[dt.date | None, dt.date | None, str]:
    """The checkpoint's window; a relative one counts from the original's date in a copy, else
    from its ingestion in an undated report."""
    if row.low is not None:
        return row.low, row.high or row.low, "published"
    match = _RELATIVE_WINDOW.match(row.value or "")
    if match is None or row.ingested_at is None:
        return None, None, "none"
    days = int(match.group(1)) * {"D": 1, "W": 7, "M": 30}[match.group(2)]
    start, basis = (row.original_published, "published") if row.original_published else (row.ingested_at.date(), "ingested")
    return start, start + dt.timedelta(days=days), basis


def as_json(record: Any) -> dict[str, Any]:
    """A record as a JSON-ready dict: its fields, whose values are already plain lists and dicts
    (no deep copy: a ledger of 100,000 groups is exported in seconds)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


# -- index pages: sources and likely duplicate entities -------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source as the sources page lists it: who, how it is rated, how many groups it feeds."""

    key: str
    name: str
    kind: str  # outlet, person, body, agency
    origin_of: int  # groups in which it is an independent origin
    carried: int  # groups whose reports it published (outlets)
    reliability: str | None
    authoritative: bool


_KEPT: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}
_KEPT_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_KEPT_LOCKS_GUARD = threading.Lock()


def _kept(store: Store, name: str, compute: Any) -> Any:
    """`compute(store)`, kept in this process until the ledger changes (sources and duplicate
    suggestions read the whole store; a page should not pay that on every request). Readers
    asking at once wait for one computation rather than each making their own."""
    key = (str(store.url), name)
    with _KEPT_LOCKS_GUARD:
        lock = _KEPT_LOCKS.setdefault(key, threading.Lock())
    with lock:
        with store.reading() as connection:
            stamp = sql.ledger_stamp(connection)
        kept = _KEPT.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        value = compute(store)
        _KEPT[key] = (stamp, value)
        return value


def sources(store: Store) -> list[SourceRow]:
    """Every outlet and every named origin, with its rating and the groups it feeds; the ones
    feeding most first. Reads the stored group views once per change of the ledger."""
    return _kept(store, "sources", _sources)  # type: ignore[no-any-return]


def _sources(store: Store) -> list[SourceRow]:
    from claimledger.ledger.actions import rating_key  # a person is rated under their name key

    origin_of: dict[str, set[int]] = {}
    carried: dict[str, set[int]] = {}
    names: dict[str, tuple[str, str]] = {}
    person_keys: dict[str, str] = {}
    with store.reading() as connection:
        for group_id, origins in sql.group_origins(connection):
            for origin in origins:
                if origin.get("kind") in ("person", "body", "agency", "outlet") and origin.get("counted"):
                    name = origin["name"]
                    if origin["kind"] == "person":
                        key = person_keys.get(name) or person_keys.setdefault(name, rating_key(name))
                    else:
                        key = name.strip().lower()
                    names.setdefault(key, (name, origin["kind"]))
                    origin_of.setdefault(key, set()).add(group_id)
                for outlet in origin.get("outlets", []):
                    if outlet.startswith("unknown outlet"):
                        continue
                    key = outlet.strip().lower()
                    names.setdefault(key, (outlet, "outlet"))
                    carried.setdefault(key, set()).add(group_id)
        rated = {rating.key: rating for rating in sql.ratings(connection)}
    rows = []
    for key, (name, kind) in names.items():
        rating = rated.get(key)
        rows.append(SourceRow(key, name, kind, len(origin_of.get(key, ())), len(carried.get(key, ())),
                              rating.reliability if rating else None, bool(rating and rating.authoritative)))
    return sorted(rows, key=lambda r: (-(r.origin_of + r.carried), r.name.lower()))


@dataclass(frozen=True, slots=True)
class DuplicateSuggestion:
    keep: Any  # the entity mentioned more (EntityRecord)
    merge: Any
    reason: str


def likely_duplicate_entities(store: Store, limit: int = 50, scan: int = 5000) -> list[DuplicateSuggestion]:
    """Pairs of entities of one kind that are probably one (a name inside another name, "Lai
    Ching-te" and "William Lai Ching-te"; or a spelling both were seen under), among the `scan`
    most mentioned; for an analyst to merge in one click, never merged by themselves."""
    return _kept(store, f"duplicates:{limit}:{scan}", lambda s: _likely_duplicates(s, limit, scan))  # type: ignore[no-any-return]


def _likely_duplicates(store: Store, limit: int, scan: int) -> list[DuplicateSuggestion]:
    entities = [entity for entity in store.list_entities(limit=scan) if entity.mentions]  # a merged-away one has none
    by_token: dict[tuple[str, str], list[Any]] = {}
    for entity in entities:
        for token in set(entity.key.split()):
            by_token.setdefault((entity.kind, token), []).append(entity)
        for alias in {alias.casefold() for alias in entity.aliases}:  # 雷恩 seen as Tomas Reyne's name and alone
            by_token.setdefault((entity.kind, "alias:" + alias), []).append(entity)
    found: dict[tuple[int, int], DuplicateSuggestion] = {}
    for bucket in by_token.values():
        if len(bucket) > 50:  # a token too common to tell anyone apart ("li", "wang")
            continue
        for a, b in itertools.combinations(bucket, 2):
            reason = _same_entity_reason(a, b)
            pair = (min(a.id, b.id), max(a.id, b.id))
            if reason and pair not in found:
                keep, merge = (a, b) if (a.mentions, -a.id) >= (b.mentions, -b.id) else (b, a)
                found[pair] = DuplicateSuggestion(keep, merge, reason)
    ranked = sorted(found.values(), key=lambda s: (-(s.keep.mentions + s.merge.mentions), s.keep.id, s.merge.id))
    return ranked[:limit]


def _same_entity_reason(a: Any, b: Any) -> str | None:
    if a.key == b.key:
        return "the same name key"
    short, long = sorted((a.key.split(), b.key.split()), key=len)
    if len(short) >= 2 and len(short) < len(long) <= len(short) + 2 and all(token in long for token in short):
        return f"“{' '.join(short)}” is part of “{' '.join(long)}”"
    shared = {alias.casefold() for alias in a.aliases} & {alias.casefold() for alias in b.aliases}
    if shared:
        return f"both were seen as “{sorted(shared)[0]}”"
    return None
