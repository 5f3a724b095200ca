"""Web jobs as the store keeps them: written as they progress, read back after a restart."""

from __future__ import annotations

from typing import Any

from claimledger.store import Store
from claimledger.store import web as web_sql

INTERRUPTED = ("the server stopped before this job finished; the documents it had stored are kept,"
               " and the app finishes their extraction, linking and assessment when it starts again")


def save(store: Store, job: dict[str, Any]) -> None:
    with store.transaction() as connection:
        web_sql.save_job(connection, job)


def stored(store: Store, job_id: str) -> dict[str, Any] | None:
    with store.reading() as connection:
        return web_sql.job_row(connection, job_id)


def interrupt_unfinished(store: Store) -> list[str]:
    """Mark the jobs a stopped server left unfinished as interrupted; their ids."""
    with store.transaction() as connection:
        return web_sql.interrupt_unfinished_jobs(connection, INTERRUPTED)
