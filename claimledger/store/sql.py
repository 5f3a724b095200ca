"""The store: the only module that speaks SQL.

A SQLite file by default (nothing to start, WAL mode so readers never block the writer), any
SQLAlchemy URL for a shared PostgreSQL server. The schema is brought to the newest migration
when the store is opened. Each document is written in one transaction, so a crash or a kill
leaves either the whole document or nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson
from filelock import FileLock, Timeout
from sqlalchemy import (
    Connection,
    Engine,
    Select,
    and_,
    bindparam,
    create_engine,
    event,
    func,
    inspect,
    or_,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from claimledger.errors import BackupFailed, DocumentNotFound, StoreBusy, StoreError, StoreNotFound
from claimledger.model import Document, Extraction, Region
from claimledger.store import extraction as extraction_sql
from claimledger.store import linking as linking_sql
from claimledger.store.schema import document_sources, documents, minhash_bands, near_duplicates
from claimledger.store.search import SearchQuery, SearchResults, index_document
from claimledger.store.search import search as search_index

DEFAULT_DB = "claimledger.db"
_MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision; tests/store/test_store.py checks it against the scripts.
SCHEMA_HEAD = "0021"
_MAX_CANDIDATES = 64

Status = Literal["added", "duplicate", "near-duplicate"]


@dataclass(frozen=True, slots=True)
class AddOutcome:
    status: Status
    document_id: int
    duplicate_of: int | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None
    language: str | None
    source: str
    words: int
    duplicate_of: int | None


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    document_id: int
    similarity: float
    method: str


@dataclass(frozen=True, slots=True)
class SourceSighting:
    kind: str
    location: str
    url: str | None
    outlet: str | None
    seen_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: int
    content_hash: str
    title: str | None
    outlet: str | None
    outlet_source: str
    byline: str | None
    published: dt.date | None
    published_source: str
    published_confidence: float
    language: str | None
    source_kind: str
    source: str
    url: str | None
    text: str
    regions: tuple[Region, ...]
    repairs: tuple[str, ...]
    words: int
    raw_type: str
    stage_version: str
    ingested_at: dt.datetime
    sightings: tuple[SourceSighting, ...]
    near_duplicates: tuple[NearDuplicate, ...]


def resolve_db_url(db: str | None, create: bool = True) -> str:
    """`--db`, else $CLAIMLEDGER_DB, else ./claimledger.db; a plain path means a SQLite file, and
    a postgresql:// URL is read with psycopg (3).

    With `create` False a SQLite file that does not exist is an error (StoreNotFound), not a
    new empty store: a mistyped path must not look like an empty ledger."""
    value = db or os.environ.get("CLAIMLEDGER_DB") or DEFAULT_DB
    for plain in ("postgresql://", "postgres://"):  # the driver claimledger[postgres] installs
        if value.startswith(plain):
            return "postgresql+psycopg://" + value.removeprefix(plain)
    if "://" in value:
        return value
    path = Path(value).expanduser()
    if path.is_dir():
        raise StoreError(f"--db {value}: is a folder; give a file path such as {path / DEFAULT_DB}")
    if not create and not path.exists():
        raise StoreNotFound(
            f"no store at {value}: check --db (or $CLAIMLEDGER_DB); `claimledger ingest` creates one"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class Store:
    """Documents and everything derived from them, in one database."""

    def __init__(self, url: str, on_wait: Callable[[], None] | None = None) -> None:
        """Open the store at `url`, bringing its schema up to date (`on_wait` is told if another
        process holds the store while doing the same)."""
        self.url = url
        self.display_url = _redacted(url)  # what messages show: never a password
        try:
            self.engine = _create_engine(url)
            self._migrate(on_wait)
        except SQLAlchemyError as error:
            raise StoreError(f"cannot open the store at {self.display_url}: {error.__class__.__name__}: {error}") from error
        except ImportError as error:
            raise StoreError(
                f"cannot open the store at {self.display_url}: its database driver is not installed ({error.name});"
                " for PostgreSQL install claimledger[postgres] and use a postgresql+psycopg:// URL"
            ) from error

    @classmethod
    def open(cls, db: str | None = None, on_wait: Callable[[], None] | None = None, create: bool = True) -> Store:
        """The store at `db`; with `create` False a SQLite file must already exist."""
        return cls(resolve_db_url(db, create), on_wait)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection whose writes commit together or not at all.

        On SQLite the transaction takes the write lock when it begins (BEGIN IMMEDIATE), so two
        writers queue up instead of one failing half-way when it first writes.
        """
        with self.engine.connect().execution_options(writing=True) as connection, connection.begin():
            yield connection

    def reading(self) -> Connection:
        return self.engine.connect()

    @contextmanager
    def pipeline_lock(self, on_wait: Callable[[], None] | None = None, timeout: float | None = None) -> Iterator[None]:
        """Hold the store's pipeline lock: one run of the stages at a time, across processes.

        A SQLite file is locked through a lock file beside it, a PostgreSQL database through an
        advisory lock; the operating system or the server releases either when the holder dies,
        so a killed run never leaves the store locked. `on_wait` is called once if another run
        holds the lock; `timeout` (seconds; None waits for ever) raises StoreBusy when it ends.
        """
        with self._lock_guard(on_wait, timeout):
            yield

    def _lock_guard(self, on_wait: Callable[[], None] | None, timeout: float | None):  # type: ignore[no-untyped-def]
        if self.engine.dialect.name == "postgresql":
            return _advisory_lock(self.engine, on_wait, timeout)
        path = _sqlite_path(self.url)
        if path is None:  # an in-memory database lives in this process only
            return _thread_lock(self.url, on_wait, timeout)
        return _file_lock(path, on_wait, timeout)

    def backup(self, target: str | Path) -> int:
        """Copy the store to a new file while it is in use (SQLite's online backup API: the copy
        is one consistent state even if a run is writing); returns its size in bytes. The copy
        is written beside the target and renamed into place only after its integrity check, so
        a failed or interrupted backup never leaves a file that looks like one."""
        source_path = _sqlite_path(self.url) if self.engine.dialect.name == "sqlite" else None
        if source_path is None:
            raise BackupFailed(f"{self.display_url}: only a SQLite store is backed up by claimledger;"
                               " for PostgreSQL use pg_dump --format=custom --file PATH with the database URL")
        path = Path(target).expanduser()
        if path.exists():
            raise BackupFailed(f"{target}: already exists; a backup never overwrites, choose a new file name")
        if not path.parent.is_dir():
            raise BackupFailed(f"{target}: the folder {path.parent} does not exist")
        partial = path.with_name(f".{path.name}.partial")
        try:
            with self.engine.connect() as connection:
                copy = sqlite3.connect(partial)
                try:
                    connection.connection.driver_connection.backup(copy)
                    verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
                finally:
                    copy.close()
            if verdict != "ok":
                raise BackupFailed(f"{target}: the copy failed its integrity check ({verdict}); nothing was written")
            os.replace(partial, path)
        except (sqlite3.Error, OSError) as error:
            raise BackupFailed(f"{target}: the copy could not be written ({error})") from error
        finally:
            partial.unlink(missing_ok=True)
        return path.stat().st_size

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def _migrate(self, on_wait: Callable[[], None] | None = None) -> None:
        """Bring the schema to the newest migration, in one transaction under the pipeline lock.

        The lock keeps two processes opening a new store at once from both creating it; the
        transaction (DDL included, on SQLite too) means a kill mid-way leaves the old schema.
        A store already at SCHEMA_HEAD opens without loading Alembic, which costs a quarter of a
        second of every command's start-up.
        """
        if not self._is_new_file() and self.schema_revision() == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.util.exc import CommandError

        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        try:
            with self.pipeline_lock(on_wait), self.transaction() as connection:
                if MigrationContext.configure(connection).get_current_revision() == SCHEMA_HEAD:
                    return  # another process migrated it while we waited
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except CommandError as error:
            raise StoreError(
                f"cannot open the store at {self.display_url}: its schema is not one this claimledger knows"
                f" ({error}); it may have been written by a newer version"
            ) from error

    def _is_new_file(self) -> bool:
        """A SQLite file not yet created: its first connection (which makes it and sets its
        journal mode) waits for the lock too, so two processes never create it at once."""
        path = _sqlite_path(self.url) if self.engine.dialect.name == "sqlite" else None
        return path is not None and not path.exists()

    def search(self, query: SearchQuery) -> SearchResults:
        """Documents and claims matching every word of the query, ranked (see store/search.py)."""
        with self.reading() as connection:
            return search_index(connection, query)

    def schema_revision(self) -> str | None:
        """The migration the store is at (Alembic's own table), None for a store not yet made."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    # -- writing ----------------------------------------------------------------------------

    def add_document(
        self,
        document: Document,
        near: list[tuple[int, float]],
        method: str,
        stage_version: str,
    ) -> AddOutcome:
        """Store `document` unless its text is already stored; link it to its near-duplicates.

        `near` lists (document id, similarity) of stored documents it nearly copies, best first.
        One transaction: either the document with its bands and links, or nothing.
        """
        now = dt.datetime.now(dt.UTC)
        try:
            with self.transaction() as connection:
                existing = connection.scalar(
                    select(documents.c.id).where(documents.c.content_hash == document.content_hash)
                )
                if existing is not None:
                    self._record_sighting(connection, existing, document, now)
                    return AddOutcome("duplicate", existing, duplicate_of=existing, similarity=1.0)
                document_id = connection.execute(
                    documents.insert().values(
                        **_document_row(document, stage_version, now)
                    )
                ).inserted_primary_key[0]
                index_document(connection, document_id, document.title, document.text)
                self._record_sighting(connection, document_id, document, now)
                connection.execute(
                    minhash_bands.insert(),
                    [
                        {"band": band, "key": key, "document_id": document_id}
                        for band, key in enumerate(document.bands)
                    ],
                )
                if near:
                    connection.execute(
                        near_duplicates.insert(),
                        [
                            {
                                "document_id": document_id,
                                "duplicate_of": other,
                                "similarity": similarity,
                                "method": method,
                            }
                            for other, similarity in near
                        ],
                    )
                    best, similarity = near[0]
                    return AddOutcome("near-duplicate", document_id, best, similarity)
                return AddOutcome("added", document_id)
        except IntegrityError:
            # Another writer stored the same text between our check and our insert.
            with self.engine.connect() as connection:
                existing = connection.scalar(
                    select(documents.c.id).where(documents.c.content_hash == document.content_hash)
                )
            if existing is None:
                raise
            return AddOutcome("duplicate", existing, duplicate_of=existing, similarity=1.0)
        except OperationalError as error:
            raise StoreError(f"cannot write to the store at {self.display_url}: {error.orig}") from error

    def _record_sighting(
        self, connection: Connection, document_id: int, document: Document, now: dt.datetime
    ) -> None:
        seen = connection.scalar(
            select(document_sources.c.id).where(
                document_sources.c.document_id == document_id,
                document_sources.c.source == document.source.location,
            )
        )
        if seen is None:
            connection.execute(
                document_sources.insert().values(
                    document_id=document_id,
                    source_kind=document.source.kind,
                    source=document.source.location,
                    url=document.source.url,
                    outlet=document.outlet,
                    seen_at=now,
                )
            )

    def similar_candidates(self, bands: tuple[int, ...]) -> list[tuple[int, bytes]]:
        """Stored documents sharing a MinHash band with `bands`, with their signatures."""
        params = {f"key{band}": key for band, key in enumerate(bands)}
        with self.engine.connect() as connection:
            candidates = connection.execute(_candidates_query(len(bands)), params).scalars().all()
            if not candidates:
                return []
            rows = connection.execute(
                select(documents.c.id, documents.c.minhash).where(documents.c.id.in_(candidates))
            ).all()
        return [(row.id, row.minhash) for row in rows]

    # -- extraction -------------------------------------------------------------------------

    def save_extraction(self, document_id: int, extraction: Extraction, stage_version: str) -> None:
        """Replace the document's extraction, in one transaction with what the link tables must
        do when its old claims go."""
        with self.transaction() as connection:
            linking_sql.release_claims_of(connection, document_id)
            linking_sql.forget_summaries_of_documents(connection, [document_id])  # its signature changes
            linking_sql.mark_claims_pending(connection, [document_id])  # its new claims wait for grouping
            extraction_sql.save_extraction(
                connection, document_id, extraction, stage_version, dt.datetime.now(dt.UTC)
            )

    def documents_to_extract(self, stage_version: str, older: bool = True) -> list[int]:
        with self.engine.connect() as connection:
            return extraction_sql.documents_to_extract(connection, stage_version, older)

    def count_extracted_by_other_versions(self, stage_version: str) -> int:
        with self.engine.connect() as connection:
            return extraction_sql.count_extracted_by_other_versions(connection, stage_version)

    def list_claims(self, document_id: int | None = None) -> list[extraction_sql.ClaimRecord]:
        with self.engine.connect() as connection:
            return extraction_sql.list_claims(connection, document_id)

    def list_entities(self, name_contains: str | None = None, limit: int | None = None,
                      offset: int = 0) -> list[extraction_sql.EntityRecord]:
        """Entities, most mentioned first (a name, any alias, holding `name_contains`), paged."""
        with self.engine.connect() as connection:
            return extraction_sql.list_entities(connection, name_contains, limit, offset)

    def count_entities(self, name_contains: str | None = None) -> int:
        with self.engine.connect() as connection:
            return extraction_sql.count_entities(connection, name_contains)

    # -- reading ----------------------------------------------------------------------------

    def count_documents(self, language: str | None = None, outlet: str | None = None) -> int:
        with self.engine.connect() as connection:
            query = _documents_where(select(func.count()).select_from(documents), language, outlet)
            return connection.scalar(query) or 0

    def list_documents(self, limit: int | None = None, offset: int = 0, ids: list[int] | None = None,
                       language: str | None = None, outlet: str | None = None) -> list[DocumentSummary]:
        """Stored documents by id, paged; `ids` reads only those; `language` and `outlet` narrow."""
        with self.engine.connect() as connection:
            return document_summaries(connection, limit, offset, ids, language, outlet)

    def get_document(self, document_id: int) -> StoredDocument:
        found = self.get_documents([document_id])
        if document_id not in found:
            raise DocumentNotFound(f"no document with id {document_id}")
        return found[document_id]

    def get_documents(self, document_ids: list[int]) -> dict[int, StoredDocument]:
        """The stored documents of these ids (those that exist), in three queries however many."""
        with self.engine.connect() as connection:
            return documents_by_id(connection, document_ids)

    def raw_bytes(self, document_id: int) -> bytes:
        with self.engine.connect() as connection:
            raw = connection.scalar(select(documents.c.raw).where(documents.c.id == document_id))
        if raw is None:
            raise DocumentNotFound(f"no document with id {document_id}")
        return zlib.decompress(raw)

    def iter_document_ids(self) -> Iterator[int]:
        with self.engine.connect() as connection:
            yield from connection.execute(select(documents.c.id).order_by(documents.c.id)).scalars()

    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as connection:
            total = connection.scalar(select(func.count()).select_from(documents)) or 0
            words = connection.scalar(select(func.coalesce(func.sum(documents.c.words), 0))) or 0
            near = connection.scalar(
                select(func.count(func.distinct(near_duplicates.c.document_id)))
            ) or 0
            sightings = connection.scalar(select(func.count()).select_from(document_sources)) or 0
            by_language = dict(
                connection.execute(
                    select(func.coalesce(documents.c.language, "unknown"), func.count())
                    .group_by(documents.c.language)
                    .order_by(func.count().desc())
                ).all()
            )
            by_outlet = dict(
                connection.execute(
                    select(func.coalesce(documents.c.outlet, "unknown"), func.count())
                    .group_by(documents.c.outlet)
                    .order_by(func.count().desc(), documents.c.outlet)
                ).all()
            )
            first, last = connection.execute(
                select(func.min(documents.c.published), func.max(documents.c.published))
            ).one()
        return {
            "documents": total,
            "words": int(words),
            "near_duplicates": near,
            "sources_seen": sightings,
            "languages": by_language,
            "outlets": by_outlet,
            "first_published": first.isoformat() if first else None,
            "last_published": last.isoformat() if last else None,
            "schema_revision": self.schema_revision(),
        }


def _documents_where(query: Any, language: str | None, outlet: str | None) -> Any:
    if language:
        query = query.where(documents.c.language == language.lower())
    if outlet:
        query = query.where(func.lower(documents.c.outlet) == outlet.strip().lower())
    return query


def document_summaries(connection: Connection, limit: int | None = None, offset: int = 0,
                       ids: list[int] | None = None, language: str | None = None,
                       outlet: str | None = None) -> list[DocumentSummary]:
    """Stored documents by id, paged; `ids` reads only those; `language` and `outlet` narrow."""
    best_duplicate = (
        select(near_duplicates.c.duplicate_of)
        .where(near_duplicates.c.document_id == documents.c.id)
        .order_by(near_duplicates.c.similarity.desc(), near_duplicates.c.duplicate_of)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(
            documents.c.id,
            documents.c.title,
            documents.c.outlet,
            documents.c.url,
            documents.c.published,
            documents.c.language,
            documents.c.source,
            documents.c.words,
            best_duplicate.label("duplicate_of"),
        )
        .order_by(documents.c.id)
        .offset(offset)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(documents.c.id.in_(ids))
    query = _documents_where(query, language, outlet)
    return [DocumentSummary(**row._mapping) for row in connection.execute(query)]


def documents_by_id(connection: Connection, document_ids: list[int]) -> dict[int, StoredDocument]:
    """The stored documents of these ids (those that exist), in three queries however many."""
    if not document_ids:
        return {}
    ids = sorted(set(document_ids))
    rows = connection.execute(select(documents).where(documents.c.id.in_(ids))).all()
    sightings: dict[int, list[Any]] = {}
    for sighting in connection.execute(
        select(document_sources).where(document_sources.c.document_id.in_(ids)).order_by(document_sources.c.id)
    ):
        sightings.setdefault(sighting.document_id, []).append(sighting)
    links: dict[int, list[Any]] = {}
    for link in connection.execute(
        select(near_duplicates).where(
            near_duplicates.c.document_id.in_(ids) | near_duplicates.c.duplicate_of.in_(ids)
        )
    ):
        for end in {link.document_id, link.duplicate_of} & set(ids):
            links.setdefault(end, []).append(link)
    return {row.id: _stored_document(row._mapping, sightings.get(row.id, []), links.get(row.id, [])) for row in rows}


@functools.lru_cache(maxsize=4)
def _candidates_query(band_count: int) -> Select[tuple[int]]:
    """Documents sharing any (band, key), those sharing most first; built once, then cached.

    An OR of (band, key) pairs rather than a row-value IN: SQLite answers the OR from the
    primary-key index but scans the whole table for the IN (measured: 5 ms vs 25 ms at 9k).
    """
    shares_a_band = or_(
        *(
            and_(minhash_bands.c.band == band, minhash_bands.c.key == bindparam(f"key{band}"))
            for band in range(band_count)
        )
    )
    return (
        select(minhash_bands.c.document_id)
        .where(shares_a_band)
        .group_by(minhash_bands.c.document_id)
        .order_by(func.count().desc())
        .limit(_MAX_CANDIDATES)
    )


# What a read or write raises when the store is too busy to answer now (every pooled connection
# in use, a SQLite write lock held past the busy timeout): worth a retry, not a server error.
BUSY_ERRORS = (OperationalError, PoolTimeout)


def is_busy_error(error: BaseException) -> bool:
    if isinstance(error, PoolTimeout):
        return True
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


_BUSY_TIMEOUT_MS = 30_000  # how long a SQLite statement waits for another writer's transaction


def _create_engine(url: str) -> Engine:
    # orjson reads the JSON columns (a group's origins, a claim's entity keys) several times faster
    engine = create_engine(url, json_deserializer=orjson.loads)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Python's sqlite3 would run DDL outside any transaction, so a kill during a
            # migration could leave half a schema: claimledger issues BEGIN itself (below).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            # First, so that switching the journal mode also waits for a busy file.
            cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL: a crash loses no committed row
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            writing = connection.get_execution_options().get("writing", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_path(url: str) -> Path | None:
    database = url.split("///", 1)[1] if "///" in url else ""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database.split("?", 1)[0])


_THREAD_LOCKS: dict[str, threading.RLock] = {}


@contextmanager
def _thread_lock(key: str, on_wait: Callable[[], None] | None, timeout: float | None) -> Iterator[None]:
    lock = _THREAD_LOCKS.setdefault(key, threading.RLock())
    if not lock.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        if not lock.acquire(timeout=-1 if timeout is None else timeout):
            raise StoreBusy(_busy_message(timeout))
    try:
        yield
    finally:
        lock.release()


@contextmanager
def _file_lock(path: Path, on_wait: Callable[[], None] | None, timeout: float | None) -> Iterator[None]:
    lock = FileLock(f"{path}.lock", is_singleton=True)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except Timeout:
            raise StoreBusy(_busy_message(timeout)) from None
    try:
        yield
    finally:
        lock.release()


_ADVISORY_KEY = 0x636C_6D6C  # "clml": one pipeline per PostgreSQL database


_ADVISORY_DEPTH = threading.local()  # per thread: how deep it holds each database's lock


@contextmanager
def _advisory_lock(engine: Engine, on_wait: Callable[[], None] | None, timeout: float | None) -> Iterator[None]:
    """The advisory lock, taken again freely by the thread that holds it (a correction holds it
    and then finishes the pipeline, as the lock file's lock is), by anyone else after a wait."""
    depth: dict[str, int] = _ADVISORY_DEPTH.__dict__.setdefault("held", {})
    key = str(engine.url)
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with engine.connect() as connection:
        acquired = connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({_ADVISORY_KEY})").scalar()
        if not acquired and on_wait is not None:
            on_wait()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not acquired:
            if deadline is not None and time.monotonic() > deadline:
                raise StoreBusy(_busy_message(timeout))
            time.sleep(0.2)
            acquired = connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({_ADVISORY_KEY})").scalar()
        connection.commit()
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_ADVISORY_KEY})")
            connection.commit()


def _busy_message(timeout: float | None) -> str:
    return f"another claimledger run is working on this store and did not finish within {timeout:g} s; try again when it is done"


def _document_row(document: Document, stage_version: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "content_hash": document.content_hash,
        "title": document.title,
        "outlet": document.outlet,
        "outlet_source": document.outlet_source,
        "byline": document.byline,
        "published": document.published,
        "published_source": document.published_source,
        "published_confidence": document.published_confidence,
        "language": document.language,
        "source_kind": document.source.kind,
        "source": document.source.location,
        "url": document.source.url,
        "text": document.text,
        "regions": [
            {"kind": region.kind, "start": region.start, "end": region.end}
            for region in document.regions
        ],
        "repairs": list(document.repairs),
        "words": document.words,
        "raw": zlib.compress(document.raw, 6),
        "raw_type": document.raw_type,
        "minhash": document.minhash,
        "stage_version": stage_version,
        "ingested_at": now,
    }


def _stored_document(row: Any, sightings: list[Any], links: list[Any]) -> StoredDocument:
    document_id = row["id"]
    return StoredDocument(
        id=document_id,
        content_hash=row["content_hash"],
        title=row["title"],
        outlet=row["outlet"],
        outlet_source=row["outlet_source"],
        byline=row["byline"],
        published=row["published"],
        published_source=row["published_source"],
        published_confidence=row["published_confidence"],
        language=row["language"],
        source_kind=row["source_kind"],
        source=row["source"],
        url=row["url"],
        text=row["text"],
        regions=tuple(Region(r["kind"], r["start"], r["end"]) for r in row["regions"]),
        repairs=tuple(row["repairs"]),
        words=row["words"],
        raw_type=row["raw_type"],
        stage_version=row["stage_version"],
        ingested_at=row["ingested_at"],
        sightings=tuple(
            SourceSighting(s.source_kind, s.source, s.url, s.outlet, s.seen_at) for s in sightings
        ),
        near_duplicates=tuple(
            NearDuplicate(
                link.duplicate_of if link.document_id == document_id else link.document_id,
                link.similarity,
                link.method,
            )
            for link in sorted(links, key=lambda link: -link.similarity)
        ),
    )
