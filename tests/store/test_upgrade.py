"""A store made by the oldest schema, filled, and upgraded migration by migration to the newest
keeps every row: each table is filled when its migration creates it (with the rows a current
ledger of the seeds holds, in the columns the table had then), and after the last migration
every one of those values is still there. The upgraded store then works: it is searched, and
a rerun of the pipeline finds nothing half-done."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, insert, select

import claimledger.store
from claimledger.store import SearchQuery, Store
from tests.conftest import SEEDS, Ledger

MIGRATIONS = Path(claimledger.store.__file__).parent / "migrations"
# Alembic's own; the search index and the story postings are the migrations' to fill (0011,
# 0020), and the postings are compared with the reference's below
NOT_COPIED = {"alembic_version", "story_person_words"}


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(_config(None))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def _plain_tables(metadata: MetaData) -> list[Any]:
    """The tables rows are copied into, parents first (FTS5 tables and their shadows left out)."""
    return [t for t in metadata.sorted_tables if t.name not in NOT_COPIED and "search" not in t.name]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("reference") / "ledger.db"
    result = Ledger(db).run("ingest", str(SEEDS))
    assert result.exit_code == 0, result.output
    return db


def test_a_store_upgraded_from_the_oldest_schema_keeps_every_row(reference: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    source = create_engine(f"sqlite:///{reference}")
    current = MetaData()
    current.reflect(source)
    filled: dict[str, list[str]] = {}  # table -> the columns it had when it was filled
    revisions = _revisions()
    assert revisions[0] == "0001"
    for revision in revisions:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # rows arrive table by table
            command.upgrade(_config(connection), revision)
        then = MetaData()
        then.reflect(engine)
        with engine.begin() as connection, source.connect() as reading:
            for table in _plain_tables(then):
                if table.name in filled or table.name not in current.tables:
                    continue
                columns = [c.name for c in table.columns if c.name in current.tables[table.name].columns]
                rows = [dict(r._mapping) for r in reading.execute(select(*[current.tables[table.name].c[c] for c in columns]))]
                if rows:
                    connection.execute(insert(table), rows)
                filled[table.name] = columns
    engine.dispose()
    assert {"documents", "claims", "stories", "claim_groups", "group_status"} <= {t for t, c in filled.items()}

    with Store.open(str(db), create=False) as store:  # at the newest schema: opens as it is
        assert store.schema_revision() == revisions[-1]
    lost = {}
    with sqlite3.connect(db) as upgraded, sqlite3.connect(reference) as original:
        assert upgraded.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert upgraded.execute("PRAGMA foreign_key_check").fetchall() == []
        postings = "SELECT story_id, word FROM story_person_words"
        assert set(upgraded.execute(postings).fetchall()) == set(original.execute(postings).fetchall()) != set()
        for table, columns in filled.items():
            names = ", ".join(f'"{c}"' for c in columns)
            before = set(original.execute(f'SELECT {names} FROM "{table}"').fetchall())
            after = set(upgraded.execute(f'SELECT {names} FROM "{table}"').fetchall())
            if before - after:
                lost[table] = len(before - after)
    assert not lost, f"rows changed or lost by the upgrade: {lost}"


def test_an_upgraded_store_is_searched_and_finished(reference: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0010")  # before the search index existed
    source = create_engine(f"sqlite:///{reference}")
    then, current = MetaData(), MetaData()
    then.reflect(engine)
    current.reflect(source)
    with engine.begin() as connection, source.connect() as reading:
        for name in ("documents", "document_sources"):
            table = then.tables[name]
            columns = [c.name for c in table.columns]
            connection.execute(insert(table), [dict(r._mapping) for r in reading.execute(
                select(*[current.tables[name].c[c] for c in columns]))])
    engine.dispose()
    with Store.open(str(db), create=False) as store:
        found = store.search(SearchQuery("Xi Jinping"))
        assert found.documents, "documents stored before the search index existed are searchable"
    ledger = Ledger(db)
    assert ledger.run("extract").exit_code == 0  # the old documents extracted, linked and assessed
    waiting = ledger.json("stats")["waiting"]
    assert all(count == 0 for count in waiting.values()), waiting
