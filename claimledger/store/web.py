"""What the web app reads and writes beyond the pipeline's tables: accounts, tokens, settings,
and the page-shaped reads (a document's mentions, an entity's claims, text search)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from claimledger.store.records import AttributionMark, GroupedClaimText, MentionMark, records_of
from claimledger.store.schema import (
    api_tokens,
    attributions,
    claims,
    entities,
    entity_aliases,
    group_claims,
    jobs,
    mentions,
    settings,
    story_documents,
    users,
    web_sessions,
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def setting(connection: Connection, key: str, default: str | None = None) -> str | None:
    value = connection.scalar(select(settings.c.value).where(settings.c.key == key))
    return value if value is not None else default


def ensure_secret(connection: Connection, key: str) -> str:
    """A random secret kept in the store, made on first use (session signing)."""
    value = setting(connection, key)
    if value is None:
        value = secrets.token_urlsafe(32)
        connection.execute(insert(settings).values(key=key, value=value))
    return value


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    password_hash: str


def add_user(connection: Connection, name: str, password_hash: str) -> int:
    return int(connection.execute(insert(users).values(name=name, password_hash=password_hash, created_at=_now())).inserted_primary_key[0])


def user_by_name(connection: Connection, name: str) -> User | None:
    row = connection.execute(select(users).where(users.c.name == name)).first()
    return User(row.id, row.name, row.password_hash) if row else None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_token(connection: Connection, user_id: int, label: str) -> str:
    """A new API token for the user; only its digest is stored, so it is shown once."""
    token = secrets.token_urlsafe(32)
    connection.execute(insert(api_tokens).values(user_id=user_id, token_hash=token_digest(token), label=label, created_at=_now()))
    return token


def user_by_token(connection: Connection, token: str) -> User | None:
    row = connection.execute(
        select(users).join(api_tokens, api_tokens.c.user_id == users.c.id).where(api_tokens.c.token_hash == token_digest(token))
    ).first()
    return User(row.id, row.name, row.password_hash) if row else None


@dataclass(frozen=True, slots=True)
class AccountSummary:
    name: str
    created_at: dt.datetime
    tokens: list[tuple[int, str, dt.datetime]]  # (id, label, created)
    sessions: int


def list_accounts(connection: Connection) -> list[AccountSummary]:
    tokens: dict[int, list[tuple[int, str, dt.datetime]]] = {}
    for row in connection.execute(select(api_tokens).order_by(api_tokens.c.id)):
        tokens.setdefault(row.user_id, []).append((row.id, row.label, row.created_at))
    sessions = dict(connection.execute(
        select(web_sessions.c.user_id, func.count()).where(web_sessions.c.expires_at > _now()).group_by(web_sessions.c.user_id)
    ).all())
    return [
        AccountSummary(row.name, row.created_at, tokens.get(row.id, []), sessions.get(row.id, 0))
        for row in connection.execute(select(users).order_by(users.c.name))
    ]


def remove_user(connection: Connection, name: str) -> bool:
    """Delete an account with its tokens and sessions (its corrections keep its name)."""
    found = user_by_name(connection, name)
    if found is None:
        return False
    connection.execute(delete(api_tokens).where(api_tokens.c.user_id == found.id))
    connection.execute(delete(web_sessions).where(web_sessions.c.user_id == found.id))
    connection.execute(delete(users).where(users.c.id == found.id))
    return True


def revoke_tokens(connection: Connection, user_id: int, token_id: int | None = None) -> int:
    """Delete one of the user's tokens (or all of them); returns how many were revoked."""
    query = delete(api_tokens).where(api_tokens.c.user_id == user_id)
    if token_id is not None:
        query = query.where(api_tokens.c.id == token_id)
    return int(connection.execute(query).rowcount or 0)


def start_session(connection: Connection, user_id: int, lifetime: dt.timedelta) -> str:
    """A new session for the user; returns the id its cookie carries (only a digest is stored)."""
    session_id = secrets.token_urlsafe(32)
    now = _now()
    connection.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
    connection.execute(insert(web_sessions).values(
        id_hash=token_digest(session_id), user_id=user_id, created_at=now, expires_at=now + lifetime
    ))
    return session_id


def user_by_session(connection: Connection, session_id: str) -> User | None:
    row = connection.execute(
        select(users).join(web_sessions, web_sessions.c.user_id == users.c.id)
        .where(web_sessions.c.id_hash == token_digest(session_id), web_sessions.c.expires_at > _now())
    ).first()
    return User(row.id, row.name, row.password_hash) if row else None


def end_session(connection: Connection, session_id: str) -> None:
    connection.execute(delete(web_sessions).where(web_sessions.c.id_hash == token_digest(session_id)))


def document_mentions(connection: Connection, document_id: int) -> list[MentionMark]:
    return records_of(MentionMark, connection.execute(
        select(mentions.c.start, mentions.c.end, mentions.c.entity_id, entities.c.name, entities.c.kind)
        .join(entities, entities.c.id == mentions.c.entity_id)
        .where(mentions.c.document_id == document_id).order_by(mentions.c.start)
    ))


@dataclass(frozen=True, slots=True)
class EntityPage:
    id: int
    name: str
    kind: str
    key: str
    aliases: list[str]
    claim_ids: list[int]
    doc_ids: list[int]
    story_ids: list[int]


def entity_page(connection: Connection, entity_id: int) -> EntityPage | None:
    row = connection.execute(select(entities).where(entities.c.id == entity_id)).first()
    if row is None:
        return None
    aliases = list(connection.scalars(select(entity_aliases.c.alias).where(entity_aliases.c.entity_id == entity_id).order_by(entity_aliases.c.alias)))
    doc_ids = sorted(set(connection.scalars(select(mentions.c.document_id).where(mentions.c.entity_id == entity_id))))
    claim_ids = [
        r.id for r in connection.execute(select(claims.c.id, claims.c.entity_keys).where(claims.c.document_id.in_(doc_ids)))
        if row.key in r.entity_keys
    ]
    story_ids = sorted(set(connection.scalars(select(story_documents.c.story_id).where(story_documents.c.document_id.in_(doc_ids)))))
    return EntityPage(row.id, row.name, row.kind, row.key, aliases, claim_ids, doc_ids, story_ids)


def claim_vector_extent(connection: Connection) -> tuple[int, int]:
    """(how many grouped claims have a vector, the highest such claim id): what a cache of the
    vectors compares with to know whether claims came or went."""
    count, last = connection.execute(select(func.count(), func.max(group_claims.c.claim_id))).one()
    return int(count or 0), int(last or 0)


def claim_vectors_after(connection: Connection, claim_id: int, limit: int) -> list[tuple[int, bytes]]:
    """(claim id, vector) of the grouped claims after `claim_id`, in id order, at most `limit`."""
    return [(row.claim_id, row.vector) for row in connection.execute(
        select(group_claims.c.claim_id, group_claims.c.vector).where(group_claims.c.claim_id > claim_id)
        .order_by(group_claims.c.claim_id).limit(limit))]


def grouped_claim_texts(connection: Connection, claim_ids: list[int]) -> list[GroupedClaimText]:
    """These claims (those still grouped) with their group, text and document."""
    return records_of(GroupedClaimText, connection.execute(
        select(group_claims.c.claim_id, group_claims.c.group_id, claims.c.text, claims.c.document_id)
        .join(claims, claims.c.id == group_claims.c.claim_id).where(group_claims.c.claim_id.in_(claim_ids))
    ))


def count_users(connection: Connection) -> int:
    return connection.scalar(select(func.count()).select_from(users)) or 0


def document_attributions(connection: Connection, document_id: int) -> list[AttributionMark]:
    return records_of(AttributionMark, connection.execute(
        select(attributions.c.source_start, attributions.c.source_end, attributions.c.source_name,
               attributions.c.cue_start, attributions.c.cue_end, attributions.c.cue_text)
        .where(attributions.c.document_id == document_id)
    ))


def documents_of_claims(connection: Connection, claim_ids: list[int]) -> dict[int, int]:
    """Each claim's document, in one query."""
    if not claim_ids:
        return {}
    return {claim: document for claim, document in connection.execute(
        select(claims.c.id, claims.c.document_id).where(claims.c.id.in_(claim_ids)))}


# -- web jobs ----------------------------------------------------------------------------------

_UNFINISHED = ("queued", "running")


def save_job(connection: Connection, job: dict[str, Any]) -> None:
    """Write a job's row as it is now (inserted the first time)."""
    values = {key: job.get(key) for key in ("user_name", "state", "stage", "done", "total", "result", "error")}
    values["updated_at"] = _now()
    if connection.execute(update(jobs).where(jobs.c.id == job["id"]).values(**values)).rowcount == 0:
        connection.execute(insert(jobs).values(id=job["id"], created_at=values["updated_at"], **values))


def job_row(connection: Connection, job_id: str) -> dict[str, Any] | None:
    row = connection.execute(select(jobs).where(jobs.c.id == job_id)).first()
    return dict(row._mapping) if row else None


def interrupt_unfinished_jobs(connection: Connection, message: str) -> list[str]:
    """Mark the jobs a stopped server left queued or running as interrupted; their ids."""
    ids = list(connection.scalars(select(jobs.c.id).where(jobs.c.state.in_(_UNFINISHED))))
    if ids:
        connection.execute(update(jobs).where(jobs.c.id.in_(ids)).values(state="interrupted", error=message, updated_at=_now()))
    return ids
