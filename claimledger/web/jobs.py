"""Long work started from the web (ingesting a batch): run by a bounded pool of threads, kept in
the store, watched through the API.

The page polls /api/jobs/{id} with a few lines of this app's own JavaScript (no inline script,
so the Content-Security-Policy holds) and shows each stage's progress. Each job's row is
written when it is queued, when its stage changes (and at most every second while it counts),
and when it ends, so a restart forgets no job: one left queued or running is marked
interrupted, and the documents it had stored are carried through the stages by a job the app
starts for them.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException

from claimledger import ledger
from claimledger.errors import ClaimledgerError
from claimledger.ledger import Store
from claimledger.ledger import jobs as stored_jobs

logger = logging.getLogger("claimledger.web")
_SAVE_EVERY = 1.0  # seconds between progress writes within one stage
RESUMING_USER = "claimledger"


@dataclass(slots=True)
class Job:
    id: str
    user: str
    state: str = "queued"  # queued, running, finished, failed, interrupted
    stage: str = "queued"
    done: int = 0
    total: int | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    _saved_at: float = field(default=0.0, repr=False)
    _on_change: Callable[[Job, bool], None] | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in ("finished", "failed", "interrupted")

    def progress(self, stage: str, done: int, total: int | None) -> None:
        new_stage = stage != self.stage
        self.stage, self.done, self.total = stage, done, total
        if self._on_change:
            self._on_change(self, new_stage)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "user": self.user, "state": self.state, "stage": self.stage, "done": self.done,
                "total": self.total, "finished": self.finished, "result": self.result, "error": self.error}

    def as_row(self) -> dict[str, Any]:
        return {"id": self.id, "user_name": self.user, "state": self.state, "stage": self.stage, "done": self.done,
                "total": self.total, "result": self.result, "error": self.error}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        return cls(row["id"], row["user_name"], row["state"], row["stage"], row["done"], row["total"], row["result"], row["error"])


class Jobs:
    """The app's jobs: at most `workers` run at once (runs on one store take turns anyway) and at
    most `max_queued` wait; the recent ones are kept in memory, every one in the store."""

    def __init__(self, store: Store, workers: int = 2, max_queued: int = 20, keep: int = 50) -> None:
        self._store = store
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep
        self._max_queued = max_queued
        self._queue: queue.Queue[tuple[Job, Callable[[Job], dict[str, Any]]]] = queue.Queue()
        for number in range(workers):  # daemons: stopping the server does not wait for a job (it is resumed)
            threading.Thread(target=self._work, name=f"job-worker-{number}", daemon=True).start()
        self.interrupted = stored_jobs.interrupt_unfinished(store)
        self.resuming: Job | None = None  # the job finishing what the interrupted ones stored
        if self.interrupted:
            logger.warning("%d web job(s) were interrupted by a restart; finishing what they stored", len(self.interrupted))
            self.resuming = self.start(RESUMING_USER, lambda job: _finish_stored_work(store, job))

    def start(self, user: str, work: Callable[[Job], dict[str, Any]]) -> Job:
        """Queue `work`; HTTP 503 when too many jobs are already waiting."""
        job = Job(secrets.token_urlsafe(12), user, _on_change=self._changed)
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.state == "queued")
            if waiting >= self._max_queued:
                raise HTTPException(503, f"{waiting} ingest jobs are already waiting; try again when some have finished",
                                    headers={"Retry-After": "30"})
            self._jobs[job.id] = job
            for old in list(self._jobs)[: max(0, len(self._jobs) - self._keep)]:
                if self._jobs[old].finished:
                    del self._jobs[old]
        self._save(job)
        self._queue.put((job, work))
        return job

    def get(self, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        if job is not None:
            return job
        row = stored_jobs.stored(self._store, job_id)
        return Job.from_row(row) if row else None

    def _work(self) -> None:
        while True:
            job, work = self._queue.get()
            self._run(job, work)

    def _run(self, job: Job, work: Callable[[Job], dict[str, Any]]) -> None:
        job.state = "running"
        self._save(job)
        try:
            job.result = work(job)
            job.state = "finished"
        except ClaimledgerError as error:  # says what was wrong, in the user's terms
            job.error, job.state = str(error), "failed"
        except Exception as error:  # a bug: the detail goes to the server's log, never to readers
            logger.error("job %s failed", job.id, exc_info=error)
            job.error, job.state = "an unexpected error stopped this job; the server's log has the details", "failed"
        job.stage = "finished"
        self._save(job)

    def _changed(self, job: Job, new_stage: bool) -> None:
        if new_stage or time.monotonic() - job._saved_at >= _SAVE_EVERY:
            self._save(job)

    def _save(self, job: Job) -> None:
        job._saved_at = time.monotonic()
        try:
            stored_jobs.save(self._store, job.as_row())
        except Exception as error:  # a busy store delays the record, never the job
            logger.warning("job %s: its progress could not be recorded (%s)", job.id, error)


def _finish_stored_work(store: Store, job: Job) -> dict[str, Any]:
    """Carry the documents interrupted jobs had stored through extraction, linking and assessment."""
    run = ledger.run_pipeline(store, [], progress=job.progress,
                              on_wait=lambda: job.progress("waiting for another run on this store", 0, None))
    extracted = run.extract.documents if run.extract else 0
    return {"resumed": extracted, "documents": [], "errors": []}
