"""`claimledger backup PATH`: a consistent, checked copy of a store in use, never over a file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimledger.store import Store
from tests.conftest import SEEDS, Ledger


def _ingested(ledger: Ledger) -> int:
    result = ledger.run("ingest", str(SEEDS), "--no-extract")
    assert result.exit_code == 0, result.output
    with Store.open(str(ledger.db_path), create=False) as store:
        return int(store.stats()["documents"])


@pytest.mark.sqlite_only
def test_a_backup_taken_while_a_writer_is_busy_holds_what_was_committed(ledger: Ledger, tmp_path: Path) -> None:
    documents = _ingested(ledger)
    assert documents >= 2
    writer = sqlite3.connect(ledger.db_path, timeout=10)
    writer.execute("BEGIN IMMEDIATE")  # another run mid-transaction, holding the write lock
    writer.execute("UPDATE documents SET title = 'half-written' WHERE id = (SELECT min(id) FROM documents)")
    try:
        copy = tmp_path / "copies" / "ledger-backup.db"
        copy.parent.mkdir()
        answer = ledger.json("backup", str(copy))
    finally:
        writer.rollback()
        writer.close()
    assert answer["documents"] == documents and answer["integrity"] == "ok"
    assert copy.stat().st_size == answer["bytes"] > 0
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM documents WHERE title = 'half-written'").fetchone()[0] == 0
    with Store.open(str(copy), create=False) as restored:  # a store claimledger opens as it is
        assert restored.stats()["documents"] == documents
    assert not list(copy.parent.glob(".*partial"))


@pytest.mark.sqlite_only
def test_a_backup_never_overwrites_and_says_why(ledger: Ledger, tmp_path: Path) -> None:
    _ingested(ledger)
    existing = tmp_path / "precious.db"
    existing.write_bytes(b"not to be lost")
    refused = ledger.run("backup", str(existing))
    assert refused.exit_code == 1
    assert "already exists" in refused.output and "[E207]" in refused.output
    assert existing.read_bytes() == b"not to be lost"
    nowhere = ledger.run("backup", str(tmp_path / "no-such-folder" / "copy.db"))
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.output
    assert not (tmp_path / "no-such-folder").exists()


def test_backing_up_a_store_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "mistyped.db")
    result = ledger.run("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1 and "[E206]" in result.output
    assert not (tmp_path / "mistyped.db").exists() and not (tmp_path / "copy.db").exists()


def test_backing_up_a_postgresql_store_names_the_tool_that_does_it(ledger: Ledger) -> None:
    """A server's databases are copied by the server's own tools; nothing is written here."""
    if not str(ledger.db_path).startswith("postgresql"):
        pytest.skip("a PostgreSQL store: run with --database postgresql")
    _ingested(ledger)
    result = ledger.run("backup", "/nonexistent/copy.db")
    assert result.exit_code == 1 and "pg_dump" in result.output
