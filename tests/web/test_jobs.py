"""Web ingest jobs are kept in the store: a restart neither forgets one nor leaves it running,
and the documents an interrupted job had stored are carried through the stages."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from claimledger import ledger
from claimledger.ledger import jobs as stored_jobs
from claimledger.store import Store
from claimledger.web.app import create_app
from claimledger.web.jobs import Job, Jobs
from tests.web.conftest import csrf_of, finished_job, sign_in

TEXT = ("The Vallmar port authority said on Tuesday that Ansel Kover had been taken away for questioning"
        " by the State Integrity Bureau, two officials told reporters.")




def test_a_finished_job_is_still_there_after_a_restart(web_store: Store) -> None:
    client = TestClient(create_app(web_store, allow_private=True))
    sign_in(client)
    page = client.get("/ingest").text
    answer = client.post("/ingest", data={"csrf": csrf_of(page), "text": TEXT, "title": "Port authority confirms"},
                         follow_redirects=False)
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    finished = finished_job(client, job_id)
    assert finished["state"] == "finished" and finished["result"]["summary"]["added"] == 1

    restarted = TestClient(create_app(web_store, allow_private=True))
    again = restarted.get(f"/api/jobs/{job_id}").json()
    assert again["state"] == "finished" and again["result"] == finished["result"]
    assert "1 added" in restarted.get(f"/jobs/{job_id}").text
    assert restarted.get("/api/jobs/not-a-job").status_code == 404


def test_a_job_a_restart_cut_off_is_marked_and_its_documents_are_finished(web_store: Store, tmp_path: Path) -> None:
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(f"Port authority confirms\n\n{TEXT}", encoding="utf-8")
    ledger.run_pipeline(web_store, [str(pasted)], extract=False)  # stored, then the server died
    stored_jobs.save(web_store, Job("cut-off", "analyst", state="running", stage="extracting", done=0).as_row())
    assert ledger.backlog(web_store).to_extract == 1

    client = TestClient(create_app(web_store, allow_private=True))
    cut_off = client.get("/api/jobs/cut-off").json()
    assert cut_off["state"] == "interrupted" and cut_off["finished"]
    assert "server stopped" in cut_off["error"]
    assert "Ingest interrupted" in client.get("/jobs/cut-off").text
    resuming = client.app.state.jobs.resuming
    assert client.app.state.jobs.interrupted == ["cut-off"] and resuming is not None
    done = finished_job(client, resuming.id)
    assert done["state"] == "finished" and done["result"]["resumed"] == 1
    backlog = ledger.backlog(web_store)
    assert (backlog.to_extract, backlog.to_place, backlog.to_group, backlog.to_assess) == (0, 0, 0, 0)


def test_jobs_run_a_bounded_number_at_once_and_a_full_queue_is_refused(web_store: Store) -> None:
    jobs = Jobs(web_store, workers=1, max_queued=2)
    release = threading.Event()
    running = threading.Semaphore(0)

    def blocking(job: Job) -> dict[str, Any]:
        running.release()
        assert release.wait(60)
        return {"documents": []}

    first = jobs.start("analyst", blocking)
    assert running.acquire(timeout=30)  # the one worker is busy with the first
    waiting = [jobs.start("analyst", blocking) for _ in range(2)]
    assert [job.state for job in waiting] == ["queued", "queued"]
    with pytest.raises(HTTPException) as refused:
        jobs.start("analyst", blocking)
    assert refused.value.status_code == 503
    assert stored_jobs.stored(web_store, waiting[0].id)["state"] == "queued"  # kept while it waits
    release.set()
    for job in [first, *waiting]:
        ends = time.monotonic() + 60
        while not job.finished and time.monotonic() < ends:
            time.sleep(0.05)
        assert job.state == "finished"
        assert stored_jobs.stored(web_store, job.id)["state"] == "finished"


def test_an_unexpected_failure_shows_no_detail_to_readers(web_store: Store) -> None:
    jobs = Jobs(web_store, workers=1)

    def broken(job: Job) -> dict[str, Any]:
        raise OSError(f"cannot open {web_store.url} on /secret/path")

    job = jobs.start("analyst", broken)
    ends = time.monotonic() + 30
    while not job.finished and time.monotonic() < ends:
        time.sleep(0.05)
    assert job.state == "failed"
    assert "/secret/path" not in str(job.as_json()) and "server's log" in job.error
