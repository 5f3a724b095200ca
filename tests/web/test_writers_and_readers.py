"""A CLI ingest and a web job writing to one store at once, with readers on the pages: the two
writers take turns, both finish, nothing is lost or stored twice, and every reader is answered."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from claimledger.ledger import accounts, backlog
from claimledger.store import Store
from tests.conftest import DATA, load_bench
from tests.web.test_hostile_clients import start_server

TEXT = ("The Vallmar port authority said on Tuesday that Ansel Kover had been taken away for questioning"
        " by the State Integrity Bureau, two officials told reporters on condition of anonymity.")


@pytest.mark.slow
def test_a_cli_ingest_and_a_web_job_at_once_both_finish_and_lose_nothing(example_copy: Path | str, tmp_path: Path) -> None:
    """On the store of the run (SQLite, or PostgreSQL under --database postgresql)."""
    db = str(example_copy)
    with Store.open(db) as store:
        token = accounts.make_token(store, "analyst", "test")
        before = store.count_documents()
    reports = tmp_path / "reports.jsonl"
    reports.write_text("\n".join((DATA / "near-miss-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:12]) + "\n",
                       encoding="utf-8")
    server = start_server(db)
    try:
        cli = subprocess.Popen([sys.executable, "-m", "claimledger", "--db", db, "ingest", str(reports)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        answer = httpx.post(f"{server.url}/api/ingest", json={"text": TEXT, "title": "Port authority confirms"},
                            headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]
        served = 0
        ends = time.monotonic() + 900
        while time.monotonic() < ends:  # readers keep reading while the two write
            for path in ("/", "/api/stories", "/groups", "/api/documents"):
                assert httpx.get(f"{server.url}{path}", timeout=60).status_code == 200, path
                served += 1
            job = httpx.get(f"{server.url}/api/jobs/{job_id}", timeout=30).json()
            if job["finished"] and cli.poll() is not None:
                break
            time.sleep(0.5)
        _, stderr = cli.communicate(timeout=60)
        assert cli.returncode == 0, stderr
        assert job["state"] == "finished" and job["result"]["summary"]["added"] == 1, job
        assert served > 4
    finally:
        server.process.terminate()
        server.process.wait(30)
    with Store.open(db) as store:
        assert store.count_documents() == before + 13
        assert backlog(store).empty
        with store.reading() as connection:
            placed = connection.exec_driver_sql("SELECT count(*), count(DISTINCT document_id) FROM story_documents").one()
            assert tuple(placed) == (before + 13, before + 13)


@pytest.mark.slow
def test_under_load_with_an_ingest_writing_every_request_is_answered(tmp_path: Path) -> None:
    load = load_bench("load")
    db, inputs = load.prepare(tmp_path, reports=20)
    result = load.run_load(db, clients=10, requests=300, writer_inputs=inputs)
    assert result.requests == 300
    assert result.errors == {}, result.errors
