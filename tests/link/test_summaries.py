"""Story summaries: linking indexes the stories from them and reads only the reports it needs.

A story's summary (its reports' count, id sum, vector sum, central people, event types and
dates) is derived from its reports. These tests check that the stored summaries always agree
with the reports after linking, corrections, undo, re-extraction and deletion (each writer
drops what it changes; the count and id sum catch what no writer names), that placing through
summaries gives the stories that reading every report gives, and that it reads the reports of
a bounded number of stories however many there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from claimledger.link import stage
from claimledger.link.encoder import DIMENSIONS
from claimledger.link.stories import _CANDIDATES, DocumentProfile, StoryIndex, StoryProfile
from claimledger.model import EventDate, EventSignature
from claimledger.store import Store
from claimledger.store import linking as linking_sql
from claimledger.store.schema import documents
from tests.conftest import Ledger
from tests.link.test_settling import BATCHES, _ingest, _partition
from tests.link.test_stories import _documents


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


def test_placing_a_report_reads_the_summaries_and_reports_of_a_bounded_number_of_stories() -> None:
    rng = np.random.default_rng(9)
    for size in (200, 4_000):
        full: list[StoryProfile] = []
        for number in range(size):
            story = StoryProfile(number + 1, thread_id=number + 1)
            who = ("meng hongwei",) if number % 50 == 0 else (f"someone{number}",)
            vector = rng.normal(size=DIMENSIONS)
            story.add(DocumentProfile(number + 1, (vector / np.linalg.norm(vector)).astype(np.float32), EventSignature(who)))
            full.append(story)
        stored = StoredStories({story.story_id: stage.summary_of(story) for story in full},
                               {story.story_id: story.members for story in full})
        index = stored.index_of_centroids()
        target = full[size // 2]
        report = DocumentProfile(size + 1, (target.centroid + rng.normal(scale=0.01, size=DIMENSIONS)).astype(np.float32),
                                 EventSignature(("meng",)))
        placement = index.place_batch([report])
        assert placement.scores[report.document_id] > 0
        assert [story.story_id for story in index.read_stories if any(member is report for member in story.members)] == [target.story_id]
        # the report placed, then its settled thread's two reports placed again: each reads at
        # most the nearest stories and the nearest of those about its person (80 of them here
        # in the larger store)
        assert 0 < len(stored.read) <= 3 * 2 * _CANDIDATES
        assert 0 < len(set(stored.summarised)) <= 3 * 2 * _CANDIDATES


def _as_stored(stories: list[StoryProfile]) -> tuple[dict[int, linking_sql.StorySummary], dict[int, list[DocumentProfile]]]:
    """Stories as a store holds them: positive ids in first-report order, each summarised; and
    their reports."""
    threads: dict[int | None, int] = {}
    summaries, members = {}, {}
    for number, story in enumerate(sorted(stories, key=lambda s: min(m.document_id for m in s.members)), start=1):
        copy = StoryProfile(number, threads.setdefault(story.thread_id, len(threads) + 1))
        for member in sorted(story.members, key=lambda m: m.document_id):
            copy.add(member)
        summaries[number], members[number] = stage.summary_of(copy), copy.members
    return summaries, members


@dataclass
class StoredStories:
    """What the link stage asks a store for, answered from summaries and reports held here,
    noting whose summaries and reports were read."""

    summaries: dict[int, linking_sql.StorySummary]
    members: dict[int, list[DocumentProfile]]
    summarised: list[int] = field(default_factory=list)
    read: list[int] = field(default_factory=list)

    def read_members(self, story_ids: list[int]) -> dict[int, list[DocumentProfile]]:
        self.read.extend(story_ids)
        return {story_id: list(self.members[story_id]) for story_id in story_ids}

    def read_summaries(self, story_ids: list[int]) -> dict[int, StoryProfile]:
        self.summarised.extend(story_ids)
        return {story_id: stage.story_from_summary(self.summaries[story_id]) for story_id in story_ids}

    def posted_under(self, words: set[str]) -> list[int]:
        return sorted(story_id for story_id, s in self.summaries.items() if words & set(s.person_words))

    def index_of_centroids(self) -> StoryIndex:
        """The index as the link stage builds it from a store: centroids alone."""
        index = StoryIndex(read_members=self.read_members, read_summaries=self.read_summaries,
                           stories_posted_under=self.posted_under)
        rows = list(self.summaries.values())
        index.add_unsummarised(
            [StoryProfile.unsummarised(s.story_id, s.thread_id, s.members) for s in rows],
            np.vstack([np.frombuffer(s.total, dtype=np.float32) for s in rows]), [bool(s.who) for s in rows])
        return index


@pytest.mark.parametrize("seed", [4, 5])
def test_an_index_of_centroids_places_as_an_index_of_every_summary_does(seed: int) -> None:
    """Stored stories known by their centroids alone, their summaries read as they become
    candidates and the stories about a person found through postings, take a batch exactly as
    when every summary is read first (the same stories, threads and scores, settling included)."""
    built = StoryIndex()
    documents = _documents(400, seed)
    for start in range(0, len(documents), 50):
        built.place_batch(documents[start : start + 50])
    stored = StoredStories(*_as_stored(built.stories))
    every = StoryIndex(read_members=stored.read_members)
    for summary in stored.summaries.values():
        every.add_story(stage.story_from_summary(summary))
    centroids = stored.index_of_centroids()

    probes = [DocumentProfile(1_000 + p.document_id, p.vector, p.event) for p in _documents(60, seed + 100)]
    # reports reading like stored ones, about someone else, years later: their new stories may
    # take a thread only from a story about nobody
    probes += [DocumentProfile(2_000 + d.document_id, d.vector, replace(d.event, who=(f"newcomer {d.document_id}",),
                                                                       when=EventDate("2031-06-01", "lead", 0.8)))
               for d in documents[::20]]
    expected, found = every.place_batch(probes), centroids.place_batch(probes)
    assert len(stored.summaries) > 3 * _CANDIDATES and found.scores == expected.scores
    assert found.unsettled == expected.unsettled
    assert _placed(every) == _placed(centroids) and any(p.document_id in {q.document_id for q in probes}
                                                        for story in centroids.read_stories for p in story.members)


def _placed(index: StoryIndex) -> set[tuple[int, int | None, tuple[int, ...]]]:
    return {(story.story_id, story.thread_id, tuple(m.document_id for m in story.members)) for story in index.read_stories}
