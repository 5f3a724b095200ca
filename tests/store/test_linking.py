"""Store-wide reads of the link stage stay within the bind-parameter limits of both databases.

Reading every story's members, or every pending document's signature, once bound every
document id into one IN list: past 65,535 ids PostgreSQL refuses the statement, past 32,766 or
250,000 (as it was built) SQLite does. The lists are now bound a bounded number at a time, or
replaced by a join; these tests check the reads still return every row when the bound is tiny.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.store import Store
from claimledger.store import linking as sql
from tests.conftest import Ledger


@pytest.fixture
def linked_seeds(ledger: Ledger, seeds: list[Path]) -> Ledger:
    result = ledger.run("ingest", *map(str, seeds))
    assert result.exit_code == 0, result.output
    return ledger


def test_story_members_carry_the_signature_each_document_has(linked_seeds: Ledger) -> None:
    with Store.open(str(linked_seeds.db_path)) as store, store.reading() as connection:
        members = sql.story_members(connection)
        signatures = sql.event_signatures_of(connection, [m.document_id for m in members])
    assert len(members) == len(linked_seeds.json("docs")) >= 2
    assert any(m.event.who or m.event.what or m.event.when for m in members)
    assert {m.document_id: m.event for m in members} == {m.document_id: signatures[m.document_id] for m in members}


def test_reads_by_many_ids_return_every_row_when_bound_a_few_at_a_time(
        linked_seeds: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(str(linked_seeds.db_path)) as store, store.reading() as connection:
        ids = [m.document_id for m in sql.story_members(connection)]
        at_once = sql.event_signatures_of(connection, ids)
        monkeypatch.setattr(sql, "_IDS_AT_ONCE", 1)
        one_by_one = sql.event_signatures_of(connection, ids)
    assert len(at_once) == len(ids)
    assert one_by_one == at_once
