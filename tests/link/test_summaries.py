"""Story summaries: linking indexes the stories from them and reads only the reports it needs.

A story's summary (its reports' count, id sum, vector sum, central people, event types and
dates) is derived from its reports. These tests check that the stored summaries always agree
with the reports after linking, corrections, undo, re-extraction and deletion (each writer
drops what it changes; the count and id sum catch what no writer names), that placing through
summaries gives the stories that reading every report gives, and that it reads the reports of
a bounded number of stories however many there are.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from claimledger.link import stage
from claimledger.link.encoder import DIMENSIONS
from claimledger.link.stories import _CANDIDATES, DocumentProfile, StoryIndex, StoryProfile
from claimledger.model import EventSignature
from claimledger.store import Store
from claimledger.store import linking as linking_sql
from claimledger.store.schema import documents
from tests.conftest import Ledger
from tests.link.test_settling import BATCHES, _ingest, _partition


def _stale(db_path: Path | str) -> tuple[list[int], list[int]]:
    with Store.open(str(db_path)) as store, store.reading() as connection:
        return linking_sql.stale_story_summaries(connection, stage.ROW_VERSION)


def _stored_and_recomputed(db_path: Path | str) -> tuple[dict[int, linking_sql.StorySummary], dict[int, linking_sql.StorySummary]]:
    """The stored summaries, and the summaries the stories' reports give now."""
    with Store.open(str(db_path)) as store, store.reading() as connection:
        stored = {s.story_id: s for s in linking_sql.story_summaries_of(connection)}
        members = linking_sql.story_members(connection)
    stories: dict[int, StoryProfile] = {}
    for member in members:
        story = stories.setdefault(member.story_id, StoryProfile(member.story_id, member.thread_id))
        story.add(DocumentProfile(member.document_id, np.frombuffer(member.vector, dtype=np.float32), member.event))
    return stored, {story_id: stage.summary_of(story) for story_id, story in stories.items()}


def _assert_current(db_path: Path | str) -> None:
    assert _stale(db_path) == ([], [])
    stored, recomputed = _stored_and_recomputed(db_path)
    assert stored.keys() == recomputed.keys() and stored
    for story_id, summary in stored.items():
        assert summary == recomputed[story_id], f"story {story_id}"


def test_summaries_follow_the_reports_through_links_corrections_undo_and_re_extraction(tmp_path: Path, db_path: Path | str) -> None:
    ledger = Ledger(db_path)
    for number, batch in enumerate(BATCHES):
        _ingest(ledger, tmp_path, batch, f"batch{number}")
        _assert_current(db_path)
    stories = ledger.json("stories")
    big = max(stories, key=lambda s: len(s["doc_ids"]))
    other = next(s for s in stories if s["id"] != big["id"])
    moved = big["doc_ids"][0]

    result = ledger.run("story", "move", str(moved), "--to", str(other["id"]))
    assert result.exit_code == 0, result.output
    stale, _ = _stale(db_path)
    assert {big["id"], other["id"]} <= set(stale)  # dropped in the correction's own transaction
    with Store.open(str(db_path)) as store:
        assert stage.refresh_story_summaries(store) == len(stale)
    _assert_current(db_path)

    correction = ledger.json("corrections")[0]["id"]
    assert ledger.run("undo", str(correction)).exit_code == 0
    assert {big["id"], other["id"]} <= set(_stale(db_path)[0])
    with Store.open(str(db_path)) as store:
        stage.refresh_story_summaries(store)
    result = ledger.run("extract", str(moved), "--no-link")  # its signature is written again
    assert result.exit_code == 0, result.output
    assert big["id"] in _stale(db_path)[0]
    with Store.open(str(db_path)) as store:
        stage.refresh_story_summaries(store)
    _assert_current(db_path)


def test_a_deleted_report_leaves_its_story_summary_stale(tmp_path: Path, db_path: Path | str) -> None:
    """No writer names a story whose report goes by cascade: the count and id sum catch it."""
    ledger = Ledger(db_path)
    _ingest(ledger, tmp_path, [i for batch in BATCHES for i in batch], "all")
    story = max(ledger.json("stories"), key=lambda s: len(s["doc_ids"]))
    with Store.open(str(db_path)) as store, store.transaction() as connection:
        connection.execute(delete(documents).where(documents.c.id == story["doc_ids"][-1]))
    assert _stale(db_path)[0] == [story["id"]]
    with Store.open(str(db_path)) as store:
        stage.refresh_story_summaries(store)
    _assert_current(db_path)


def test_placing_through_summaries_gives_the_stories_reading_every_report_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_summaries, without = Ledger(tmp_path / "kept.db"), Ledger(tmp_path / "read.db")
    for number, batch in enumerate(BATCHES):
        _ingest(with_summaries, tmp_path, batch, f"kept{number}")
    forget_all = stage.refresh_story_summaries

    def summarise_everything(store: Store, on_progress: object = None) -> int:
        with store.transaction() as connection:
            linking_sql.forget_story_summaries(connection, [m.story_id for m in linking_sql.story_members(connection)])
        return forget_all(store)

    monkeypatch.setattr(stage, "refresh_story_summaries", summarise_everything)
    for number, batch in enumerate(BATCHES):
        _ingest(without, tmp_path, batch, f"read{number}")
    assert _partition(with_summaries) == _partition(without)
    assert [s["thread_id"] for s in with_summaries.json("stories")] == [s["thread_id"] for s in without.json("stories")]


def test_placing_a_report_reads_the_reports_of_a_bounded_number_of_stories() -> None:
    rng = np.random.default_rng(9)
    for size in (200, 4_000):
        full: list[StoryProfile] = []
        for number in range(size):
            story = StoryProfile(number + 1, thread_id=number + 1)
            who = ("meng hongwei",) if number % 50 == 0 else (f"someone{number}",)
            vector = rng.normal(size=DIMENSIONS)
            story.add(DocumentProfile(number + 1, (vector / np.linalg.norm(vector)).astype(np.float32), EventSignature(who)))
            full.append(story)
        asked: list[int] = []

        def read(story_ids: list[int], stories: list[StoryProfile] = full, asked: list[int] = asked) -> dict[int, list[DocumentProfile]]:
            asked.extend(story_ids)
            return {story_id: list(stories[story_id - 1].members) for story_id in story_ids}

        index = StoryIndex(read_members=read)
        for story in full:
            summary = stage.summary_of(story)
            index.add_story(stage.story_from_summary(summary))
        target = full[size // 2]
        report = DocumentProfile(size + 1, (target.centroid + rng.normal(scale=0.01, size=DIMENSIONS)).astype(np.float32),
                                 EventSignature(("meng",)))
        placement = index.place_batch([report])
        assert placement.scores[report.document_id] > 0
        assert [story.story_id for story in index.read_stories if any(member is report for member in story.members)] == [target.story_id]
        # the report placed, then its settled thread's two reports placed again: each reads at
        # most the nearest stories and the nearest of those about its person
        assert 0 < len(asked) <= 3 * 2 * _CANDIDATES
