"""Writing and reading what extraction found: claims with their chains, entities, figures, dates.

A document's extraction is replaced whole in one transaction, so re-running extraction (a better
extractor, a new version) changes nothing else and never leaves half of a document's claims.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, delete, exists, func, insert, literal, select

from claimledger.model import DateMention, Extraction, Mention
from claimledger.store.schema import (
    attributions,
    claims,
    dates,
    document_credits,
    document_stages,
    documents,
    documents_to_place,
    entities,
    entity_aliases,
    entity_key_merges,
    entity_key_splits,
    event_signatures,
    mentions,
    quantities,
    story_documents,
)
from claimledger.store.search import index_claims

EXTRACT_STAGE = "extract"


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One step of a relay chain, from the outlet inward."""

    name: str
    entity_id: int | None
    cue: str | None
    channel: str | None
    date: str | None
    inferred: bool = False
    named: bool = True


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    id: int
    doc_id: int
    text: str
    kind: str
    hedged: bool
    hedges: list[str]
    span: tuple[int, int]
    chain: list[ChainLink]
    entities: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    dates: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class EntityRecord:
    id: int
    name: str
    kind: str
    aliases: list[str]
    mentions: int
    key: str


def save_extraction(
    connection: Connection, document_id: int, extraction: Extraction, stage_version: str, now: dt.datetime
) -> None:
    """Replace the document's extraction with `extraction` (call inside one transaction, after
    store/linking.py's `release_claims_of`, which lets the link tables let go of the old claims)."""
    extraction = _with_merged_keys(connection, extraction, document_id)
    for table in (quantities, dates, claims, attributions, mentions, event_signatures, document_credits):
        connection.execute(delete(table).where(table.c.document_id == document_id))
    _save_event(connection, document_id, extraction)
    _save_credits(connection, document_id, extraction)
    entity_ids = _upsert_entities(connection, extraction.mentions)
    if extraction.mentions:
        connection.execute(
            insert(mentions),
            [
                {"document_id": document_id, "entity_id": entity_ids[m.key], "start": m.start, "end": m.end, "text": m.text}
                for m in extraction.mentions
            ],
        )
    if extraction.attributions:
        connection.execute(insert(attributions), [
            {
                "document_id": document_id,
                "position": position,
                "parent_position": attribution.parent,
                "inferred_parent": attribution.inferred_parent,
                "source_start": attribution.source.start,
                "source_end": attribution.source.end,
                "source_text": attribution.source.text,
                "source_name": attribution.source_name,
                "source_entity_id": entity_ids.get(attribution.source_key or ""),
                "named": attribution.named,
                "cue_start": attribution.cue.start,
                "cue_end": attribution.cue.end,
                "cue_text": attribution.cue.text,
                "cue_lemma": attribution.cue_lemma[:32],
                "content_start": attribution.content.start,
                "content_end": attribution.content.end,
                "channel_start": attribution.channel.start if attribution.channel else None,
                "channel_end": attribution.channel.end if attribution.channel else None,
                "channel_text": attribution.channel.text if attribution.channel else None,
                "date_value": attribution.date.value if attribution.date else None,
                "date_start": attribution.date.start if attribution.date else None,
                "date_end": attribution.date.end if attribution.date else None,
            }
            for position, attribution in enumerate(extraction.attributions)
        ])
    claim_ids = _insert_claims(connection, document_id, extraction, stage_version)
    claim_of_quantity: dict[int, int] = {}
    claim_of_date: dict[int, int] = {}
    for claim_id, claim in zip(claim_ids, extraction.claims, strict=True):
        for index in claim.quantities:
            claim_of_quantity.setdefault(index, claim_id)
        for index in claim.dates:
            claim_of_date.setdefault(index, claim_id)
    index_claims(connection, [(claim_id, document_id, claim.text) for claim_id, claim in zip(claim_ids, extraction.claims, strict=True)])
    if extraction.quantities:
        connection.execute(
            insert(quantities),
            [
                {
                    "document_id": document_id,
                    "claim_id": claim_of_quantity.get(index),
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                    "value": q.value,
                    "low": q.low,
                    "high": q.high,
                    "unit": q.unit,
                    "qualifier": q.qualifier,
                }
                for index, q in enumerate(extraction.quantities)
            ],
        )
    if extraction.dates:
        connection.execute(insert(dates), [_date_row(document_id, claim_of_date.get(i), d) for i, d in enumerate(extraction.dates)])
    connection.execute(
        delete(document_stages).where(
            document_stages.c.document_id == document_id, document_stages.c.stage == EXTRACT_STAGE
        )
    )
    connection.execute(
        insert(document_stages).values(
            document_id=document_id, stage=EXTRACT_STAGE, version=stage_version, finished_at=now
        )
    )
    _wait_for_placement(connection, document_id)


def _wait_for_placement(connection: Connection, document_id: int) -> None:
    """An extracted document in no story waits for linking to place it (a placed one keeps its
    story: its claims are marked to be grouped again there)."""
    placed = exists().where(story_documents.c.document_id == document_id)
    queued = exists().where(documents_to_place.c.document_id == document_id)
    connection.execute(insert(documents_to_place).from_select(
        ["document_id"], select(literal(document_id, Integer)).where(~placed, ~queued)))


def _save_credits(connection: Connection, document_id: int, extraction: Extraction) -> None:
    if extraction.credits:
        connection.execute(insert(document_credits), [
            {"document_id": document_id, "position": i, "agency_key": c.key, "name": c.name, "start": c.start, "end": c.end}
            for i, c in enumerate(extraction.credits)
        ])


def _save_event(connection: Connection, document_id: int, extraction: Extraction) -> None:
    event, when = extraction.event, extraction.event.when
    connection.execute(insert(event_signatures).values(
        document_id=document_id, who=list(event.who), what=list(event.what),
        event_date=when.value if when else None, date_source=when.source if when else None,
        date_confidence=when.confidence if when else None,
    ))


def _with_merged_keys(connection: Connection, extraction: Extraction, document_id: int) -> Extraction:
    """The extraction with entity keys as the user corrected them: merged into others, or split
    off in this document."""
    merged = dict(connection.execute(select(entity_key_merges.c.from_key, entity_key_merges.c.to_key)).all())
    merged |= dict(connection.execute(
        select(entity_key_splits.c.from_key, entity_key_splits.c.to_key).where(entity_key_splits.c.document_id == document_id)
    ).all())
    if not merged:
        return extraction
    return dataclasses.replace(
        extraction,
        event=dataclasses.replace(extraction.event, who=tuple(merged.get(k, k) for k in extraction.event.who)),
        mentions=tuple(dataclasses.replace(m, key=merged.get(m.key, m.key)) for m in extraction.mentions),
        attributions=tuple(
            dataclasses.replace(a, source_key=merged.get(a.source_key, a.source_key) if a.source_key else None)
            for a in extraction.attributions
        ),
        claims=tuple(
            dataclasses.replace(c, entities=tuple(dict.fromkeys(merged.get(k, k) for k in c.entities)))
            for c in extraction.claims
        ),
    )


def _date_row(document_id: int, claim_id: int | None, mention: DateMention) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "claim_id": claim_id,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "value": mention.value,
        "precision": mention.precision,
        "low": mention.low,
        "high": mention.high,
        "relative": mention.relative,
        "anchor": mention.anchor,
    }


def _insert_claims(connection: Connection, document_id: int, extraction: Extraction, stage_version: str) -> list[int]:
    """Insert the claims in one statement; their ids, in the claims' order."""
    if not extraction.claims:
        return []
    connection.execute(insert(claims), [
        {
            "document_id": document_id, "position": position, "start": claim.start, "end": claim.end, "text": claim.text,
            "kind": claim.kind, "hedged": claim.hedged, "hedges": list(claim.hedges), "attribution_position": claim.attribution,
            "entity_keys": list(claim.entities), "stage_version": stage_version,
        }
        for position, claim in enumerate(extraction.claims)
    ])
    ids = dict(connection.execute(select(claims.c.position, claims.c.id).where(claims.c.document_id == document_id)).all())
    return [ids[position] for position in range(len(extraction.claims))]


def _upsert_entities(connection: Connection, found: tuple[Mention, ...]) -> dict[str, int]:
    """Store-wide entities by key, with every surface form seen as an alias: a few statements
    per document, whatever its number of mentions."""
    if not found:
        return {}
    keys = sorted({m.key for m in found})
    ids: dict[str, int] = dict(connection.execute(select(entities.c.key, entities.c.id).where(entities.c.key.in_(keys))).all())
    first = {}
    for mention in found:  # a new entity is named as its first mention names it
        first.setdefault(mention.key, mention)
    missing = [mention for key, mention in first.items() if key not in ids]
    if missing:
        connection.execute(insert(entities), [{"key": m.key, "name": m.name, "kind": m.kind} for m in missing])
        ids |= dict(connection.execute(
            select(entities.c.key, entities.c.id).where(entities.c.key.in_([m.key for m in missing]))
        ).all())
    known = {(row.entity_id, row.alias) for row in connection.execute(
        select(entity_aliases.c.entity_id, entity_aliases.c.alias).where(entity_aliases.c.entity_id.in_(sorted(set(ids.values()))))
    )}
    new_aliases = dict.fromkeys((ids[m.key], m.text) for m in found if (ids[m.key], m.text) not in known)
    if new_aliases:
        connection.execute(insert(entity_aliases), [{"entity_id": e, "alias": alias} for e, alias in new_aliases])
    return ids


def documents_to_extract(connection: Connection, version: str, older: bool = True) -> list[int]:
    """Documents never extracted, and (`older`) those another version extracted."""
    done = select(document_stages.c.document_id).where(document_stages.c.stage == EXTRACT_STAGE)
    if older:
        done = done.where(document_stages.c.version == version)
    return list(
        connection.execute(select(documents.c.id).where(documents.c.id.not_in(done)).order_by(documents.c.id)).scalars()
    )


def count_extracted_by_other_versions(connection: Connection, version: str) -> int:
    """Documents whose extraction another version made: what `claimledger extract` would redo."""
    return int(connection.scalar(
        select(func.count()).select_from(document_stages)
        .where(document_stages.c.stage == EXTRACT_STAGE, document_stages.c.version != version)
    ) or 0)


def list_claims(connection: Connection, document_id: int | None = None) -> list[ClaimRecord]:
    query = select(claims).order_by(claims.c.document_id, claims.c.position)
    if document_id is not None:
        query = query.where(claims.c.document_id == document_id)
    claim_rows = connection.execute(query).all()
    doc_ids = sorted({row.document_id for row in claim_rows})
    if not doc_ids:
        return []
    docs = {row.id: row for row in connection.execute(
        select(documents.c.id, documents.c.outlet, documents.c.published).where(documents.c.id.in_(doc_ids))
    )}
    chains = {doc_id: _attribution_rows(connection, doc_id) for doc_id in doc_ids}
    entity_by_key = {row.key: row for row in connection.execute(select(entities))}
    figures = _by_claim(connection, quantities, doc_ids)
    when = _by_claim(connection, dates, doc_ids)
    records = []
    for row in claim_rows:
        document = docs[row.document_id]
        outlet = ChainLink(
            name=document.outlet or "unknown outlet",
            entity_id=None,
            cue="published",
            channel=None,
            date=document.published.isoformat() if document.published else None,
        )
        records.append(
            ClaimRecord(
                id=row.id,
                doc_id=row.document_id,
                text=row.text,
                kind=row.kind,
                hedged=row.hedged,
                hedges=list(row.hedges),
                span=(row.start, row.end),
                chain=[outlet, *_chain(chains[row.document_id], row.attribution_position)],
                entities=[
                    {"id": entity_by_key[key].id, "name": entity_by_key[key].name, "kind": entity_by_key[key].kind}
                    for key in row.entity_keys
                    if key in entity_by_key
                ],
                quantities=[
                    {"value": q.value, "low": q.low, "high": q.high, "unit": q.unit, "qualifier": q.qualifier, "span": [q.start, q.end], "text": q.text}
                    for q in figures.get(row.id, [])
                ],
                dates=[
                    {"value": d.value, "precision": d.precision, "anchor": d.anchor, "span": [d.start, d.end], "text": d.text}
                    for d in when.get(row.id, [])
                ],
            )
        )
    return records


def _attribution_rows(connection: Connection, document_id: int) -> dict[int, Any]:
    rows = connection.execute(select(attributions).where(attributions.c.document_id == document_id)).all()
    return {row.position: row for row in rows}


def _chain(rows: dict[int, Any], position: int | None) -> list[ChainLink]:
    links: list[ChainLink] = []
    seen: set[int] = set()
    while position is not None and position in rows and position not in seen:
        seen.add(position)
        row = rows[position]
        links.append(
            ChainLink(
                name=row.source_name,
                entity_id=row.source_entity_id,
                cue=row.cue_text,
                channel=row.channel_text,
                date=row.date_value,
                inferred=row.inferred_parent,
                named=row.named,
            )
        )
        position = row.parent_position
    return list(reversed(links))


def _by_claim(connection: Connection, table: Any, doc_ids: list[int]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in connection.execute(select(table).where(table.c.document_id.in_(doc_ids)).order_by(table.c.start)):
        if row.claim_id is not None:
            grouped.setdefault(row.claim_id, []).append(row)
    return grouped


def list_entities(connection: Connection, name_contains: str | None = None, limit: int | None = None,
                  offset: int = 0) -> list[EntityRecord]:
    """Entities, most mentioned first; narrowed to those with a name holding `name_contains`
    (any alias), and paged, in SQL."""
    mentioned = select(mentions.c.entity_id, func.count().label("n")).group_by(mentions.c.entity_id).subquery()
    times = func.coalesce(mentioned.c.n, 0)
    query = (
        select(entities, times.label("mentions"))
        .join(mentioned, mentioned.c.entity_id == entities.c.id, isouter=True)
        .order_by(times.desc(), entities.c.id)
        .offset(offset)
        .limit(limit)
    )
    if name_contains:
        query = query.where(_named_like(name_contains))
    rows = connection.execute(query).all()
    aliases: dict[int, list[str]] = {}
    alias_query = select(entity_aliases).order_by(entity_aliases.c.alias)
    if limit is not None or name_contains:
        alias_query = alias_query.where(entity_aliases.c.entity_id.in_([row.id for row in rows]))
    for row in connection.execute(alias_query):
        aliases.setdefault(row.entity_id, []).append(row.alias)
    return [EntityRecord(row.id, row.name, row.kind, aliases.get(row.id, []), row.mentions, row.key) for row in rows]


def count_entities(connection: Connection, name_contains: str | None = None) -> int:
    query = select(func.count()).select_from(entities)
    if name_contains:
        query = query.where(_named_like(name_contains))
    return int(connection.scalar(query) or 0)


def _named_like(words: str) -> Any:
    """An entity whose name or any alias holds `words` (case aside; % and _ taken literally)."""
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    has_alias = (
        select(entity_aliases.c.entity_id)
        .where(entity_aliases.c.entity_id == entities.c.id, entity_aliases.c.alias.ilike(pattern, escape="\\"))
        .exists()
    )
    return has_alias | entities.c.name.ilike(pattern, escape="\\")
