"""Run assessment over the stored claim groups: origins, grade, status; history appended."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from claimledger.assess.grading import Assessment, EvidenceItem, Rating, assess_group
from claimledger.assess.provenance import Link, Origin, Retelling, origin_json, origins_of
from claimledger.store import Store
from claimledger.store import linking as sql


@dataclass(slots=True)
class AssessReport:
    groups: int = 0
    changed: int = 0


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What provenance needs of the reports behind some claims, read once for all of them: a
    batch of groups shares its documents' facts, chains, credits and name owners."""

    documents: dict[int, sql.DocumentFacts]
    chains: dict[int, list[sql.ChainStep]]  # per claim, the attribution chain it ends
    credits: dict[int, list[tuple[str, str]]]
    owners: dict[str, str]
    outlets: set[str]


def read_report_facts(connection: Any, facts: list[sql.GroupClaimFacts], outlets: set[str] | None = None,
                      documents: dict[int, sql.DocumentFacts] | None = None) -> ReportFacts:
    """The report facts of these claims (`outlets` and `documents` if the caller has read them)."""
    document_ids = sorted({f.document_id for f in facts})
    if documents is None:
        documents = sql.document_facts(connection, document_ids)
    rows = sql.attribution_rows(connection, document_ids)
    chains = {f.claim_id: sql.chain_from(rows[f.document_id], f.attribution_position) for f in facts}
    names = [s.name for chain in chains.values() for s in chain if s.named and s.key]
    return ReportFacts(documents, chains, sql.credits_of(connection, document_ids), sql.alias_owners(connection, names),
                       outlets if outlets is not None else sql.outlet_names(connection))


def retellings_from(connection: object, facts: list[sql.GroupClaimFacts],
                    documents: dict[int, sql.DocumentFacts] | None = None) -> list[Retelling]:
    """Each claim of `facts` with its document's outlet, copy link and chain (see `retellings`).
    `documents` are the documents' facts if the caller has read them."""
    return retellings(facts, read_report_facts(connection, facts, documents=documents))


def retellings(facts: list[sql.GroupClaimFacts], known: ReportFacts) -> list[Retelling]:
    """Each claim with its document's outlet, copy link and chain: the agencies credited for the
    document's copy first, then who the claim is attributed to, each named source by its entity
    (one person in two scripts is one key)."""
    found = []
    for fact in facts:
        document = known.documents[fact.document_id]
        chain = [_link(step, known.owners, known.outlets) for step in known.chains[fact.claim_id]]
        credited = [Link(name, key, "agency", True, "credited") for key, name in known.credits.get(fact.document_id, [])]
        credited = [c for c in credited if not chain or chain[0].key != c.key]
        found.append(Retelling(
            claim_id=fact.claim_id,
            document_id=fact.document_id,
            outlet=document.outlet or f"unknown outlet (document {fact.document_id})",
            published=document.published.isoformat() if document.published else None,
            chain=tuple(credited + chain),
            copy_of=document.copy_of,
            copy_outlet=document.copy_outlet,
        ))
    return found


def _link(step: sql.ChainStep, owners: dict[str, str], outlets: set[str]) -> Link:
    key = owners.get(step.name, step.key) if step.named and step.key and step.kind != "agency" else step.key
    kind = "outlet" if step.named and step.kind != "agency" and step.name.lower().removeprefix("the ") in outlets else step.kind
    return Link(step.name, key, kind, step.named, step.cue, step.channel, step.date)


STAGE_VERSION = "claimledger.assess.v2"
# Groups assessed in one transaction: what they rest on is read in a few queries for all of them,
# and an interrupted run loses at most one batch's work (it is done again, nothing half-written).
_BATCH = 200


@dataclass(slots=True)
class GroupAssessment:
    """Everything assess derives for one group: what its stored view is made of."""

    assessment: Assessment
    origins: list[Origin]
    evidence: list[tuple[Any, EvidenceItem]]  # (stored row, checked item)
    claim_ids: list[int]
    doc_ids: list[int]
    worthiness: float | None = None  # its most check-worthy claim's score


def assess_one(connection: object, group_id: int, rated: dict[str, Rating]) -> GroupAssessment:
    return assess_groups(connection, [group_id], rated)[group_id]


def assess_groups(connection: Any, group_ids: list[int], rated: dict[str, Rating],
                  outlets: set[str] | None = None) -> dict[int, GroupAssessment]:
    """Assess these groups, reading what they rest on in a few queries for all of them."""
    facts = sql.group_claim_facts_many(connection, group_ids)
    known = read_report_facts(connection, [f for rows in facts.values() for f in rows], outlets)
    conflicts = sql.conflict_counts(connection, group_ids)
    evidence = sql.group_evidence_many(connection, group_ids)
    return {group_id: _assessed(connection, facts[group_id], known, conflicts.get(group_id, 0),
                                evidence.get(group_id, []), rated) for group_id in group_ids}


def _assessed(connection: Any, facts: list[sql.GroupClaimFacts], known: ReportFacts, conflicts: int,
              evidence_rows: list[Any], rated: dict[str, Rating]) -> GroupAssessment:
    told = retellings(facts, known)
    origins = origins_of(told)
    evidence = [(row, evidence_item(connection, row, origins, told)) for row in evidence_rows]
    hedged = bool(facts) and all(f.hedged for f in facts)
    assessment = assess_group(origins, conflicts, hedged, [item for _, item in evidence], rated)
    scored = [f.worthiness for f in facts if f.worthiness is not None]
    return GroupAssessment(assessment, origins, evidence, [f.claim_id for f in facts], sorted({f.document_id for f in facts}),
                           max(scored) if scored else None)


def view_of(result: GroupAssessment) -> dict[str, Any]:
    """The stored view of an assessed group (the columns of group_views)."""
    return {
        "claim_ids": result.claim_ids,
        "claim_count": len(result.claim_ids),
        "doc_ids": result.doc_ids,
        "origins": [origin_json(o) for o in result.origins],
        "independent_origins": result.assessment.independent_origins,
        "evidence": [
            {"id": row.id, "stance": row.stance, "doc_id": row.document_id, "url": row.url, "note": row.note,
             "added_at": row.added_at.isoformat(), "independent": item.independent, "why": item.why}
            for row, item in result.evidence
        ],
        "status": result.assessment.status,
        "grade": result.assessment.grade,
        "reasons": result.assessment.reasons,
        "worthiness": result.worthiness,
    }


def evidence_item(connection: object, row: Any, origins: list[Origin], retellings: list[Retelling]) -> EvidenceItem:
    """Evidence, with whether it is independent of the claim: a stored document (or the URL of
    one) that is one of the group's reports, a copy of one, or relays one of its origins or the
    same agency report, is not."""
    document_id = row.document_id
    if document_id is None and row.url:
        document_id = sql.document_by_url(connection, row.url)  # type: ignore[arg-type]
    if document_id is None:
        return EvidenceItem(row.stance, row.note, id=row.id)
    reports = {r.document_id for r in retellings}
    copies = {r.copy_of for r in retellings if r.copy_of is not None}
    if document_id in reports or document_id in copies:
        return EvidenceItem(row.stance, row.note, False, f"document {document_id} is one of this claim's own reports", row.id)
    keys = sql.document_source_keys(connection, document_id)  # type: ignore[arg-type]
    for origin in origins:
        if origin.kind in ("person", "body", "outlet") and origin.key.removeprefix("source:") in keys:
            return EvidenceItem(row.stance, row.note, False, f"document {document_id} relays {origin.name}, the claim's own origin", row.id)
    agencies = {link.key for r in retellings for link in r.chain if link.kind == "agency" and link.key}
    if shared := sorted(agencies & keys):
        return EvidenceItem(row.stance, row.note, False, f"document {document_id} carries the same {shared[0]} report", row.id)
    return EvidenceItem(row.stance, row.note, id=row.id)


def current_ratings(connection: object) -> dict[str, Rating]:
    return {row.key: Rating(row.reliability, row.authoritative) for row in sql.ratings(connection)}  # type: ignore[arg-type]


def run_assessment(
    store: Store, group_ids: Iterable[int] | None = None, on_progress: Callable[[str, int, int], None] | None = None
) -> AssessReport:
    """Assess the given groups (default: those whose claims, conflicts, evidence or ratings
    changed since they were last assessed); a status row is appended only when it changed."""
    report = AssessReport()
    with store.reading() as connection:
        targets = list(group_ids) if group_ids is not None else sql.groups_pending_assessment(connection)
        rated = current_ratings(connection)
        outlets = sql.outlet_names(connection)
    for start in range(0, len(targets), _BATCH):
        batch = targets[start : start + _BATCH]
        with store.transaction() as connection:
            results = assess_groups(connection, batch, rated, outlets)
            report.changed += sql.record_statuses(connection, [
                sql.StatusRow(group_id, r.assessment.status, r.assessment.grade, r.assessment.independent_origins,
                              r.assessment.reasons)
                for group_id, r in results.items()
            ], STAGE_VERSION)
            stories = sql.group_stories(connection, batch)
            sql.save_group_views(connection, {group_id: (stories[group_id], view_of(r)) for group_id, r in results.items()},
                                 STAGE_VERSION)
            sql.assessment_done(connection, batch)
        report.groups += len(batch)
        if on_progress:
            on_progress("assessing", report.groups, len(targets))
    return report
