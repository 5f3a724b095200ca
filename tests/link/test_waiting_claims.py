"""Claims that wait for grouping are found through a mark on their report, not by checking
every claim of the store against the groups.

Whatever makes a placed report's claims wait (placing it, moving it to another story,
re-extracting it, undoing a merge of stories after its claims crossed into the other side's
groups) marks the report `claims_pending` in the same transaction; linking reads the marked
reports only and unmarks them once none of their claims waits. These tests check, after each
such write, that every placed report with a claim in no group is marked (a full scan is the
oracle), that linking leaves nothing waiting and nothing marked, and that migration 0018 marks
exactly the reports of a store that have a waiting claim.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, delete, exists, select, true

import claimledger.store
from claimledger.link import stage as link_stage
from claimledger.store import Store
from claimledger.store import corrections as corrections_sql
from claimledger.store import linking as linking_sql
from claimledger.store.schema import claim_groups, claims, group_claims, story_documents
from tests.conftest import Ledger
from tests.link.test_settling import BATCHES, _ingest

MIGRATIONS = Path(claimledger.store.__file__).parent / "migrations"


def _waiting_and_marked(db_path: Path | str) -> tuple[set[int], set[int]]:
    """(placed reports with a claim in no group, by checking every claim; reports marked)."""
    with Store.open(str(db_path)) as store, store.reading() as connection:
        waiting = set(connection.scalars(
            select(claims.c.document_id).join(story_documents, story_documents.c.document_id == claims.c.document_id)
            .where(~exists().where(group_claims.c.claim_id == claims.c.id))))
        marked = set(connection.scalars(select(story_documents.c.document_id).where(story_documents.c.claims_pending == true())))
    return waiting, marked


def _assert_marked(db_path: Path | str) -> set[int]:
    waiting, marked = _waiting_and_marked(db_path)
    assert waiting <= marked, f"reports with waiting claims left unmarked: {sorted(waiting - marked)}"
    return waiting


def _assert_all_grouped(ledger: Ledger) -> None:
    result = ledger.run("link")
    assert result.exit_code == 0, result.output
    assert _waiting_and_marked(ledger.db_path) == (set(), set())


def test_every_report_whose_claims_wait_is_marked_until_they_are_grouped(tmp_path: Path, db_path: Path | str) -> None:
    ledger = Ledger(db_path)
    for number, batch in enumerate(BATCHES):
        _ingest(ledger, tmp_path, batch, f"batch{number}")  # extracted, placed, grouped
        assert _waiting_and_marked(db_path) == (set(), set())
    stories = sorted(ledger.json("stories"), key=lambda s: -len(s["doc_ids"]))
    big, other = stories[0], stories[1]

    moved = big["doc_ids"][0]
    with Store.open(str(db_path)) as store, store.transaction() as connection:  # as `story move` does, before it links
        corrections_sql.move_documents(connection, [moved], other["id"], "tester")
    assert moved in _assert_marked(db_path)
    _assert_all_grouped(ledger)

    re_extracted = other["doc_ids"][0]
    assert ledger.run("extract", str(re_extracted), "--no-link").exit_code == 0
    assert re_extracted in _assert_marked(db_path)
    _assert_all_grouped(ledger)

    # A merge of stories, then one side's claims put in the other side's group, then the merge
    # undone: those claims crossed over, leave that group and wait.
    kept_side, crossing = next(d for d in big["doc_ids"] if d != moved), other["doc_ids"][-1]
    with Store.open(str(db_path)) as store, store.transaction() as connection:
        def group_of(document: int) -> int:
            return connection.scalar(select(group_claims.c.group_id).join(claims, claims.c.id == group_claims.c.claim_id)
                                     .where(claims.c.document_id == document).order_by(claims.c.id).limit(1))
        merged = corrections_sql.merge_stories(connection, big["id"], other["id"], "tester")
        corrections_sql.merge_groups(connection, group_of(kept_side), group_of(crossing), "tester")
    assert _assert_marked(db_path) == set()
    with Store.open(str(db_path)) as store, store.transaction() as connection:
        corrections_sql.undo(connection, merged)
    assert crossing in _assert_marked(db_path)
    _assert_all_grouped(ledger)


def test_the_migration_marks_the_reports_with_a_claim_in_no_group(tmp_path: Path, db_path: Path | str) -> None:
    ledger = Ledger(db_path)
    _ingest(ledger, tmp_path, [i for batch in BATCHES for i in batch], "all")
    with Store.open(str(db_path)) as store:
        with store.transaction() as connection:
            document, claim = connection.execute(select(claims.c.document_id, claims.c.id)
                                                 .join(group_claims, group_claims.c.claim_id == claims.c.id).limit(1)).one()
            connection.execute(delete(group_claims).where(group_claims.c.claim_id == claim))  # as before 0018: no mark
            assert connection.scalar(select(claim_groups.c.id).limit(1)) is not None
        with store.engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # the column goes by copying the table
            command.downgrade(config, "0017")
            command.upgrade(config, "head")
    assert _waiting_and_marked(db_path) == ({document}, {document})
    _assert_all_grouped(ledger)


def _groups_by_span(db_path: Path | str) -> set[frozenset[tuple[int, int, int, int]]]:
    """Each claim group as the (story, report, start, end) of its claims."""
    with Store.open(str(db_path)) as store, store.reading() as connection:
        rows = connection.execute(
            select(group_claims.c.group_id, claim_groups.c.story_id, claims.c.document_id, claims.c.start, claims.c.end)
            .join(claims, claims.c.id == group_claims.c.claim_id)
            .join(claim_groups, claim_groups.c.id == group_claims.c.group_id)).all()
    groups: dict[int, set[tuple[int, int, int, int]]] = {}
    for row in rows:
        groups.setdefault(row.group_id, set()).add((row.story_id, row.document_id, row.start, row.end))
    return {frozenset(members) for members in groups.values()}


def test_waiting_claims_read_a_few_reports_at_a_time_group_as_if_read_at_once(
        tmp_path: Path, db_path: Path | str, monkeypatch: pytest.MonkeyPatch) -> None:
    stores = {"at once": tmp_path / "at-once.db", "a few at a time": db_path}
    for name, path in stores.items():
        ledger = Ledger(path)
        _ingest(ledger, tmp_path, [i for batch in BATCHES for i in batch], name.replace(" ", "-"), "--no-extract")
        assert ledger.run("extract", "--no-link").exit_code == 0
    reads: list[int] = []
    real = linking_sql.claims_to_group

    def counted(connection: Connection, document_ids: list[int]) -> list[linking_sql.ClaimForGrouping]:
        reads.append(len(document_ids))
        return real(connection, document_ids)

    monkeypatch.setattr(linking_sql, "claims_to_group", counted)
    assert Ledger(stores["at once"]).run("link").exit_code == 0
    assert len(reads) == 1
    monkeypatch.setattr(link_stage, "_REPORTS_AT_ONCE", 2)
    assert Ledger(stores["a few at a time"]).run("link").exit_code == 0
    assert len(reads) > 2 and max(reads[1:]) == 2
    grouped = _groups_by_span(stores["a few at a time"])
    assert grouped == _groups_by_span(stores["at once"]) and any(len(group) > 1 for group in grouped)
    assert _waiting_and_marked(db_path) == (set(), set())
