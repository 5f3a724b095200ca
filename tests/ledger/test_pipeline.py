"""The pipeline runner: it carries every waiting document through, says what waits, takes turns."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update

from claimledger.errors import StoreBusy
from claimledger.ledger import backlog, finish_pending, run_pipeline
from claimledger.store import Store
from claimledger.store import linking as linking_sql
from claimledger.store.schema import document_stages, group_views
from claimledger.web.app import create_app
from tests.conftest import EXAMPLES, SEEDS, Ledger


def test_documents_left_waiting_are_carried_through_by_the_next_ingest(ledger: Ledger) -> None:
    stored = ledger.json("ingest", "--no-extract", str(SEEDS))
    assert stored["summary"]["added"] == 2 and "claims" not in stored["summary"]

    waiting = ledger.json("stats")["waiting"]
    assert waiting["to_extract"] == 2
    text = ledger.run("stats").stdout
    assert "2 document(s) wait for extraction: run `claimledger extract`" in text

    again = ledger.run("ingest", str(SEEDS))
    assert again.exit_code == 0, again.output
    assert "0 added, 2 duplicate" in again.stdout  # duplicates are still reported as such
    assert "carried through 2 document(s)" in again.stdout
    assert len(ledger.json("claims")) > 10
    assert len(ledger.json("stories")) == 1
    assert all(count == 0 for count in ledger.json("stats")["waiting"].values())
    assert "wait" not in ledger.run("stats").stdout


def test_documents_an_older_extractor_read_wait_for_extract_not_for_the_next_ingest(ledger: Ledger, db_path: Path) -> None:
    from claimledger.extract.version import STAGE_VERSION

    assert ledger.run("ingest", str(SEEDS)).exit_code == 0
    with Store.open(str(db_path)) as store, store.transaction() as connection:  # as if an older claimledger read them
        connection.execute(update(document_stages).where(document_stages.c.stage == "extract").values(version="claimledger.extract.v0"))

    def versions() -> list[str]:
        with Store.open(str(db_path)) as store, store.reading() as connection:
            return sorted(connection.execute(select(document_stages.c.version).where(document_stages.c.stage == "extract")).scalars())

    one = ledger.run("ingest", str(EXAMPLES / "02-coastal-wire-meridian.txt"))
    assert one.exit_code == 0, one.output
    assert versions() == ["claimledger.extract.v0"] * 2 + [STAGE_VERSION]  # the new report only
    assert "2 document(s) were extracted by an older claimledger: run `claimledger extract`" in one.stdout
    assert ledger.json("stats")["waiting"]["to_extract"] == 2
    assert ledger.run("extract").exit_code == 0
    assert versions() == [STAGE_VERSION] * 3


def test_link_takes_up_documents_extracted_but_never_linked(ledger: Ledger) -> None:
    assert ledger.run("ingest", "--no-extract", str(SEEDS)).exit_code == 0
    assert ledger.run("extract", "--no-link").exit_code == 0
    waiting = ledger.json("stats")["waiting"]
    assert waiting["to_extract"] == 0 and waiting["to_place_in_stories"] == 2
    assert "run `claimledger link`" in ledger.run("stats").stdout

    linked = ledger.json("link")
    assert linked["documents"] == 2 and linked["new_groups"] > 0
    assert all(count == 0 for count in ledger.json("stats")["waiting"].values())
    assert {g["status"] for g in ledger.json("groups")} <= {"single-origin", "unverified", "corroborated", "disputed"}


def test_a_rating_leaves_every_group_to_assess_until_assessed(ledger: Ledger, db_path: Path) -> None:
    assert ledger.run("ingest", str(SEEDS)).exit_code == 0
    with Store.open(str(db_path)) as store:
        with store.transaction() as connection:
            linking_sql.set_rating(connection, "people news", "People News", "B", None)
        with store.reading() as connection:
            groups = linking_sql.group_ids(connection)
        assert backlog(store).to_assess == len(groups) > 0
        finish_pending(store)
        assert backlog(store).empty


def test_the_home_page_says_when_work_waits(ledger: Ledger, db_path: Path) -> None:
    assert ledger.run("ingest", "--no-extract", str(SEEDS)).exit_code == 0
    with Store.open(str(db_path)) as store:
        page = TestClient(create_app(store)).get("/").text
        assert "2 document(s) wait for extraction" in page
        run_pipeline(store)
        assert 'id="waiting"' not in TestClient(create_app(store)).get("/").text


def test_a_second_run_waits_for_the_first_or_gives_up_with_a_clear_error(db_path: Path) -> None:
    with Store.open(str(db_path)) as store, _held(store):
        told: list[str] = []
        with pytest.raises(StoreBusy, match="another claimledger run"):
            run_pipeline(store, [str(SEEDS)], on_wait=lambda: told.append("waiting"), lock_timeout=0.3)
        assert told == ["waiting"]
        assert store.count_documents() == 0  # it gave up before touching anything


@contextmanager
def _held(store: Store) -> Iterator[None]:
    """Hold the store's pipeline lock from another thread (a thread re-enters its own lock)."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.pipeline_lock():
            taken.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join()


def test_another_process_waits_for_the_lock_then_finishes(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        with _held(store):
            process = subprocess.Popen(
                [sys.executable, "-m", "claimledger", "--db", str(db_path), "ingest", "--no-extract", str(SEEDS)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            # hold the lock until the second run says it is waiting, however long it takes to
            # start on a loaded machine (a fixed sleep let it start after the lock was gone)
            seen = []
            for line in process.stderr:  # type: ignore[union-attr]
                seen.append(line)
                if "waiting: another claimledger run is working on" in line:
                    break
            else:
                raise AssertionError("the second run ended without waiting: " + "".join(seen))
            assert process.poll() is None, "the second run should wait while the lock is held"
            assert store.count_documents() == 0
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, "".join(seen) + stderr
        assert store.count_documents() == 2


def test_every_derived_row_records_the_stage_and_version_that_wrote_it(ledger: Ledger, db_path: Path) -> None:
    from claimledger.assess.stage import STAGE_VERSION as ASSESS_VERSION
    from claimledger.link.encoder import ENCODER_VERSION
    from claimledger.link.stage import ROW_VERSION

    assert ledger.run("ingest", str(SEEDS)).exit_code == 0
    assert ROW_VERSION.endswith(ENCODER_VERSION)  # a new encoder makes every stored vector another version's
    expected = {"story_documents": ROW_VERSION, "group_claims": ROW_VERSION, "conflicts": ROW_VERSION,
                "group_status": ASSESS_VERSION, "group_views": ASSESS_VERSION, "claims": "claimledger.extract."}
    with Store.open(str(db_path)) as store, store.reading() as connection:
        for table, version in expected.items():
            versions = set(connection.exec_driver_sql(f"SELECT DISTINCT stage_version FROM {table}").scalars())
            if table != "conflicts":  # the seeds may have no conflict to record
                assert versions, f"{table} is empty"
            assert all(v.startswith(version) for v in versions), (table, versions)


def test_a_group_linked_but_not_yet_assessed_shows_what_assess_would_store(ledger: Ledger, db_path: Path) -> None:
    from claimledger.ledger import views

    assert ledger.run("ingest", str(SEEDS)).exit_code == 0
    with Store.open(str(db_path)) as store:
        stored = {g.id: g for g in views.group_records(store)}
        chosen = max(stored.values(), key=lambda g: (len(g.doc_ids), len(g.evidence), g.id))
        with store.transaction() as connection:  # as a kill between linking and assessing leaves it
            connection.execute(delete(group_views).where(group_views.c.group_id == chosen.id))
        waiting = {g.id: g for g in views.group_records(store)}[chosen.id]
    assert waiting.reasons[0] == "not assessed yet: run claimledger link"
    assert waiting.reasons[1:] == chosen.reasons and waiting.status == chosen.status
    for field in ("claim_ids", "doc_ids", "origins", "independent_origins", "evidence", "conflicts"):
        assert getattr(waiting, field) == getattr(chosen, field), field
