"""Long work started from the web (ingesting a batch): run in a thread, watched through the API.

The page polls /api/jobs/{id} with a few lines of this app's own JavaScript (no inline script,
so the Content-Security-Policy holds) and shows each stage's progress.
"""

from __future__ import annotations

import secrets
import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Job:
    id: str
    user: str
    stage: str = "queued"
    done: int = 0
    total: int | None = None
    finished: bool = False
    result: dict[str, Any] | None = None
    error: str | None = None
    log: list[str] = field(default_factory=list)

    def progress(self, stage: str, done: int, total: int | None) -> None:
        self.stage, self.done, self.total = stage, done, total

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class Jobs:
    """The app's running and recent jobs (kept in memory: a restart forgets them, not their results)."""

    def __init__(self, keep: int = 50) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def start(self, user: str, work: Callable[[Job], dict[str, Any]]) -> Job:
        job = Job(secrets.token_urlsafe(8), user)
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[: max(0, len(self._jobs) - self._keep)]:
                if self._jobs[old].finished:
                    del self._jobs[old]

        def run() -> None:
            try:
                job.result = work(job)
            except Exception as error:  # the job reports it; the server goes on
                job.error = f"{type(error).__name__}: {error}"
                job.log.append(traceback.format_exc(limit=3))
            finally:
                job.stage, job.finished = "finished", True

        threading.Thread(target=run, name=f"job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)
