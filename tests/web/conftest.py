"""A real app over a real store holding the example story, for API and browser tests: a SQLite
file, or under `pytest --database postgresql` a database on the suite's own server, each test
getting its own copy (a file copy, or a database made from the example one as a template)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from claimledger.ledger import accounts
from claimledger.store import Store
from claimledger.web.app import create_app
from tests.conftest import EXAMPLES, Ledger, new_store_location

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def example_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """The example articles ingested once, with an analyst account; copied for each test."""
    where = new_store_location(request, tmp_path_factory.mktemp("web"))
    result = Ledger(where).run("ingest", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    with Store.open(str(where)) as store:
        accounts.add_user(store, "analyst", PASSWORD)
    return where


@pytest.fixture
def web_store(example_copy: Path | str) -> Iterator[Store]:
    with Store.open(str(example_copy)) as store:
        yield store


@pytest.fixture
def client(web_store: Store) -> TestClient:
    return TestClient(create_app(web_store, max_upload_bytes=200_000, allow_private=True))


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def sign_in(client: TestClient) -> None:
    page = client.get("/login").text
    response = client.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf": csrf_of(page)}, follow_redirects=False)
    assert response.status_code == 303


def finished_job(client: TestClient, job_id: str, seconds: float = 600) -> dict[str, Any]:
    """The job's answer from /api/jobs once it has finished (an ingest loads its models first)."""
    ends = time.monotonic() + seconds
    job: dict[str, Any] = {}
    while time.monotonic() < ends:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["finished"]:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job}")
