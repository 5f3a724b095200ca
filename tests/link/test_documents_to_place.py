"""Documents that wait to be placed in a story are read off `documents_to_place`, not found by
checking every extracted document against the stories.

Saving an extraction of a document in no story writes it there, in the same transaction;
placing it takes it out; re-extracting a placed document leaves it in its story. These tests
check after each of those writes that the table holds exactly the extracted documents in no
story (a full scan is the oracle), and that migration 0019 writes exactly those of a store.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import delete, select

import claimledger.store
from claimledger.store import Store
from claimledger.store.schema import document_stages, documents_to_place, story_documents
from tests.conftest import Ledger
from tests.link.test_settling import BATCHES, _ingest

MIGRATIONS = Path(claimledger.store.__file__).parent / "migrations"


def _unplaced_and_waiting(db_path: Path | str) -> tuple[set[int], set[int]]:
    """(extracted documents in no story, by checking every one; documents in the table)."""
    with Store.open(str(db_path)) as store, store.reading() as connection:
        unplaced = set(connection.scalars(
            select(document_stages.c.document_id).where(document_stages.c.stage == "extract")
            .where(document_stages.c.document_id.not_in(select(story_documents.c.document_id)))))
        waiting = set(connection.scalars(select(documents_to_place.c.document_id)))
    return unplaced, waiting


def _placed(db_path: Path | str) -> set[int]:
    with Store.open(str(db_path)) as store, store.reading() as connection:
        return set(connection.scalars(select(story_documents.c.document_id)))


def test_an_extracted_document_waits_for_placement_until_linking_places_it(tmp_path: Path, db_path: Path | str) -> None:
    ledger = Ledger(db_path)
    _ingest(ledger, tmp_path, BATCHES[0] + BATCHES[1], "first", "--no-extract")
    assert _unplaced_and_waiting(db_path) == (set(), set())  # stored, not extracted: nothing to place yet

    assert ledger.run("extract", "--no-link").exit_code == 0
    unplaced, waiting = _unplaced_and_waiting(db_path)
    assert len(unplaced) == 3 and waiting == unplaced

    assert ledger.run("link").exit_code == 0
    assert _unplaced_and_waiting(db_path) == (set(), set())
    placed = _placed(db_path)
    assert len(placed) == 3

    again = min(placed)  # a placed document extracted again keeps its story and does not wait
    assert ledger.run("extract", str(again), "--no-link").exit_code == 0
    assert _unplaced_and_waiting(db_path) == (set(), set())

    _ingest(ledger, tmp_path, BATCHES[2], "second")  # ingest extracts and links in one run
    assert _unplaced_and_waiting(db_path) == (set(), set())
    assert len(_placed(db_path)) == 6


def test_the_migration_writes_the_extracted_documents_in_no_story(tmp_path: Path, db_path: Path | str) -> None:
    ledger = Ledger(db_path)
    _ingest(ledger, tmp_path, BATCHES[0] + BATCHES[1], "placed")
    _ingest(ledger, tmp_path, BATCHES[2], "waiting", "--no-extract")
    assert ledger.run("extract", "--no-link").exit_code == 0
    with Store.open(str(db_path)) as store:
        with store.transaction() as connection:
            connection.execute(delete(documents_to_place))  # as before 0019
        with store.engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.downgrade(config, "0018")
            command.upgrade(config, "head")
    unplaced, waiting = _unplaced_and_waiting(db_path)
    assert len(unplaced) == 3 and waiting == unplaced
    assert ledger.run("link").exit_code == 0
    assert _unplaced_and_waiting(db_path) == (set(), set())
