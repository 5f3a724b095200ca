"""Stories do not depend on the order reports arrive in: a batch settles the threads it reaches.

An undated report of an investigation arrives first, the sentencing of the same man fifteen
months later next, and the dated reports of the investigation last. Placed one batch at a time
the undated report first shares a story with the sentencing (nothing dated says otherwise);
settling the thread when the investigation's dated reports arrive puts it with them, as one
batch of all six would have.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from claimledger.store import Store
from claimledger.store import linking as linking_sql
from claimledger.store.schema import (
    claim_groups,
    claims,
    group_claims,
    stories,
    story_documents,
    threads,
)
from tests.conftest import Ledger
from tests.link.test_events_and_threads import REPORTS

UNDATED = {"id": "probe-undated", "outlet": "Harbour Ledger",
           "title": "Hexi governor Li Wenhua under investigation for discipline violations",
           "text": "Li Wenhua, the governor of Hexi province, is under investigation by the Central Commission for"
                   " Discipline Inspection for serious violations of discipline and law, the commission said. Li Wenhua is"
                   " suspected of taking bribes, people familiar with the case said."}
BATCHES = [["probe-undated"], ["verdict-a", "verdict-b"], ["probe-en", "probe-zh", "floods"]]


def _ingest(ledger: Ledger, folder: Path, ids: list[str], name: str, *options: str) -> None:
    by_id = {r["id"]: r for r in [*REPORTS, UNDATED]}
    path = folder / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(by_id[i], ensure_ascii=False) for i in ids) + "\n", encoding="utf-8")
    result = ledger.run("ingest", str(path), *options)
    assert result.exit_code == 0, result.output


def _partition(ledger: Ledger) -> dict[str, int]:
    sources = {d["id"]: d["source"].rsplit("#", 1)[1] for d in ledger.json("docs")}
    return {sources[doc]: story["id"] for story in ledger.json("stories") for doc in story["doc_ids"]}


def _same_partition(a: dict[str, int], b: dict[str, int]) -> bool:
    return all((a[x] == a[y]) == (b[x] == b[y]) for x in a for y in a) and a.keys() == b.keys()


def _assert_whole(db_path: Path) -> None:
    """No story without a report, no thread without a story, no group without a claim, and
    every claim grouped inside its own report's story."""
    with Store.open(str(db_path)) as store, store.reading() as connection:
        assert connection.scalar(select(func.count()).select_from(stories).where(
            stories.c.id.not_in(select(story_documents.c.story_id)))) == 0
        assert connection.scalar(select(func.count()).select_from(threads).where(
            threads.c.id.not_in(select(stories.c.thread_id).where(stories.c.thread_id.is_not(None))))) == 0
        assert connection.scalar(select(func.count()).select_from(claim_groups).where(
            claim_groups.c.id.not_in(select(group_claims.c.group_id)))) == 0
        crossing = connection.scalar(
            select(func.count()).select_from(group_claims)
            .join(claims, claims.c.id == group_claims.c.claim_id)
            .join(claim_groups, claim_groups.c.id == group_claims.c.group_id)
            .join(story_documents, story_documents.c.document_id == claims.c.document_id)
            .where(claim_groups.c.story_id != story_documents.c.story_id))
        assert crossing == 0
        ungrouped = connection.scalar(select(func.count()).select_from(claims).where(claims.c.id.not_in(select(group_claims.c.claim_id))))
        assert ungrouped == 0


def test_arrival_order_does_not_change_the_stories(tmp_path: Path) -> None:
    at_once = Ledger(tmp_path / "at-once.db")
    _ingest(at_once, tmp_path, [i for batch in BATCHES for i in batch], "all")
    expected = _partition(at_once)
    assert expected["probe-undated"] == expected["probe-en"] == expected["probe-zh"]

    batched = Ledger(tmp_path / "batched.db")
    _ingest(batched, tmp_path, BATCHES[0], "first")
    _ingest(batched, tmp_path, BATCHES[1], "second")
    before = _partition(batched)
    assert before["probe-undated"] == before["verdict-a"]  # nothing dated kept them apart yet
    _ingest(batched, tmp_path, BATCHES[2], "third")
    after = _partition(batched)
    assert _same_partition(after, expected)
    assert after["verdict-a"] == before["verdict-a"]  # the story kept by most of its reports keeps its id
    _assert_whole(batched.db_path)


def test_a_thread_an_analyst_corrected_is_left_as_it_is(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "corrected.db")
    _ingest(ledger, tmp_path, BATCHES[0], "first")
    _ingest(ledger, tmp_path, BATCHES[1], "second")
    story = _partition(ledger)["verdict-a"]
    (group, *_) = ledger.json("groups", "--all", "--story", str(story))
    added = ledger.run("evidence", str(group["id"]), "--supports", "https://court.example/verdict", "--note", "court record read by hand")
    assert added.exit_code == 0, added.output
    _ingest(ledger, tmp_path, BATCHES[2], "third")
    after = _partition(ledger)
    assert after["probe-undated"] == after["verdict-a"] == story  # not moved under the analyst's feet
    assert after["probe-en"] == after["probe-zh"] != story
    _assert_whole(ledger.db_path)


def test_a_settling_cut_short_is_finished_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_once = Ledger(tmp_path / "at-once.db")
    _ingest(at_once, tmp_path, [i for batch in BATCHES for i in batch], "all")
    ledger = Ledger(tmp_path / "cut.db")
    _ingest(ledger, tmp_path, BATCHES[0], "first")
    _ingest(ledger, tmp_path, BATCHES[1], "second")
    _ingest(ledger, tmp_path, BATCHES[2], "third", "--no-extract")

    def fail(*_: object, **__: object) -> None:
        raise RuntimeError("the machine went down")

    monkeypatch.setattr(linking_sql, "move_to_story", fail)  # the first move of a settled report fails
    with pytest.raises(RuntimeError):
        ledger.run("extract")
    monkeypatch.undo()
    cut = _partition(ledger)
    assert "probe-undated" in cut and cut["probe-undated"] == cut["verdict-a"]  # its move was lost with the fault
    assert ledger.run("link").exit_code == 0
    assert _same_partition(_partition(ledger), _partition(at_once))
    _assert_whole(ledger.db_path)
