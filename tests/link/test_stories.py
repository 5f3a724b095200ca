"""The story index answers placement's two lookups as a scan of every story would, in bounded work.

Placing a report scores in full only the candidates the index gives: the stories nearest in
meaning and the stories about the report's central person. These tests keep a plain scan of
every story beside the index (the way placement worked before the index kept its centroid
matrix and person postings) and check, as batches arrive, threads settle and stories leave and
come back, that the two agree, and that the number of stories scored does not grow with the
store.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from claimledger.link import stories as stories_module
from claimledger.link.encoder import DIMENSIONS
from claimledger.link.stories import (
    _CANDIDATES,
    RULES,
    DocumentProfile,
    StoryIndex,
    StoryProfile,
    same_person,
)
from claimledger.model import EventDate, EventSignature

# People written as reports write them: a full name, the surname alone, the name in the other order.
PEOPLE = [("meng hongwei", "meng"), ("yevgeny prigozhin", "prigozhin"), ("li wenhua", "li"), ("qin gang", "gang qin"),
          ("wei fenghe", "wei"), ("li shangfu", "shangfu"), ("bo xilai", "bo")]
KINDS = ("investigated", "expelled", "sentenced", "removed", "missing", "denied")


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _documents(count: int, seed: int) -> list[DocumentProfile]:
    """Reports of a few dozen events: each event a direction in meaning with its reports spread
    about it, a person (under one of their spellings) or nobody, an event type, often a date."""
    rng = np.random.default_rng(seed)
    chooser = random.Random(seed)
    events = [(_unit(rng.normal(size=DIMENSIONS)), chooser.choice([*PEOPLE, None]), chooser.choice(KINDS),
               f"20{chooser.randint(18, 25)}-{chooser.randint(1, 12):02d}-{chooser.randint(1, 28):02d}")
              for _ in range(max(3, count // 4))]
    documents = []
    for number in range(count):
        centre, person, kind, day = chooser.choice(events)
        who = (chooser.choice(person),) if person else ()
        when = EventDate(day, "lead", 0.8) if chooser.random() < 0.6 else None
        vector = _unit(centre + rng.normal(scale=0.06, size=DIMENSIONS))
        documents.append(DocumentProfile(number + 1, vector, EventSignature(who, (kind,), when)))
    return documents


def _scanned_candidates(stories: list[StoryProfile], document: DocumentProfile) -> set[int]:
    """Every story scanned: the nearest centroids and every story about the same person."""
    if len(stories) <= _CANDIDATES:
        return {id(story) for story in stories}
    similarity = np.array([float(story.centroid @ document.vector) for story in stories])
    chosen = {id(stories[i]) for i in np.argsort(-similarity)[:_CANDIDATES]}
    if document.event.who:
        about = [i for i, story in enumerate(stories)
                 if story.central_person and same_person(story.central_person, document.event.who[0])]
        chosen |= {id(stories[i]) for i in sorted(about, key=lambda i: -similarity[i])[:_CANDIDATES]}
    return chosen


def _scanned_thread(stories: list[StoryProfile], story: StoryProfile) -> int | None:
    """The thread a new story would join, every story scanned in order."""
    others = [other for other in stories if other is not story and other.thread_id is not None]
    central = story.central_person
    if central is not None:
        for other in others:
            if any(same_person(central, person) for person in other.who):
                return other.thread_id
    scored = [(float(story.centroid @ other.centroid), other) for other in others
              if central is None or other.central_person is None]
    if scored:
        similarity, other = max(scored, key=lambda pair: pair[0])
        if similarity >= RULES.thread_threshold:
            return other.thread_id
    return None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_finds_what_a_scan_of_every_story_finds_as_stories_grow_settle_and_move(seed: int) -> None:
    documents = _documents(360, seed)
    probes = _documents(40, seed + 100)
    index = StoryIndex()
    for start in range(0, len(documents), 45):
        index.place_batch(documents[start : start + 45])  # each batch settles the threads it reached
        stories = index.stories
        assert len({id(story) for story in stories}) == len(stories)
        for probe in probes:
            found = {id(story) for story in index.candidates(probe)}
            assert found == _scanned_candidates(stories, probe)
            alone = StoryProfile(0)
            alone.add(probe)
            assert index.thread_for(alone) == _scanned_thread(stories, alone)
    assert len(index.stories) > _CANDIDATES  # the candidate lookup, not the all-stories shortcut, was checked
    assert sum(len(story.members) for story in index.stories) == len(documents)


def test_settled_stories_leave_the_index_and_its_rows_are_reclaimed() -> None:
    """Settling removes a thread's stories and places their reports again; the rows they
    leave are reclaimed, and what is left still answers as a scan would."""
    documents = _documents(400, 7)
    index = StoryIndex()
    for start in range(0, len(documents), 20):
        index.place_batch(documents[start : start + 20])
    stories = index.stories
    assert len(index._rows) <= 2 * len(stories) + 64
    assert {p.document_id for story in stories for p in story.members} == {d.document_id for d in documents}
    for probe in _documents(20, 8):
        assert {id(story) for story in index.candidates(probe)} == _scanned_candidates(stories, probe)


def test_placing_a_report_scores_a_bounded_number_of_stories_however_many_there_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """However many stories there are, and however many are about the report's person (someone
    long in the news), a bounded number is scored in full: the nearest, and the nearest of
    those about the person."""
    rng = np.random.default_rng(5)
    scored: list[int] = []
    score = stories_module.story_score
    monkeypatch.setattr(stories_module, "story_score", lambda document, story, rules=RULES: scored.append(1) or score(document, story, rules))
    for size in (200, 4_000):
        index = StoryIndex()
        for number in range(size):
            story = StoryProfile(number + 1, thread_id=number + 1)
            who = ("meng hongwei",) if number % 50 == 0 else (f"someone{number}",)
            story.add(DocumentProfile(number + 1, _unit(rng.normal(size=DIMENSIONS)), EventSignature(who)))
            index.add_story(story)
        about_meng = [story for story in index.stories if story.central_person == "meng hongwei"]
        target = index.stories[size // 2 + 1]
        report = DocumentProfile(size + 1, _unit(target.centroid + rng.normal(scale=0.02, size=DIMENSIONS)),
                                 EventSignature(("meng",)))
        scored.clear()
        story, _ = index.best_story(report)
        assert story is target
        assert len(scored) <= 2 * _CANDIDATES
        nearest_about_meng = sorted(about_meng, key=lambda s: -float(s.centroid @ report.vector))[:_CANDIDATES]
        assert {id(s) for s in nearest_about_meng} <= {id(s) for s in index.candidates(report)}
    assert len(about_meng) > _CANDIDATES


def test_event_types_add_when_shared_and_cost_the_penalty_when_none_is() -> None:
    vector = _unit(np.ones(DIMENSIONS))
    story = StoryProfile(1)
    story.add(DocumentProfile(1, vector, EventSignature(("pope francis",), ("died",), None)))
    died = DocumentProfile(2, vector, EventSignature(("pope francis",), ("died",), None))
    elected = DocumentProfile(3, vector, EventSignature(("pope francis",), ("elected",), None))
    untyped = DocumentProfile(4, vector, EventSignature(("pope francis",), (), None))
    strict = dataclasses.replace(RULES, what_penalty=0.1)
    score = stories_module.story_score
    assert score(died, story, strict) == pytest.approx(score(untyped, story, strict) + strict.what_bonus)
    assert score(elected, story, strict) == pytest.approx(score(untyped, story, strict) - 0.1)
    assert score(elected, story, dataclasses.replace(strict, what_penalty=0.0)) == pytest.approx(score(untyped, story, strict))


def test_a_report_dated_by_its_day_of_the_week_joins_only_a_story_on_that_day() -> None:
    vector = _unit(np.ones(DIMENSIONS))

    def story_dated(*values: str) -> StoryProfile:
        story = StoryProfile(1)
        for number, value in enumerate(values):
            source = "weekday" if "W" in value else "act"
            story.add(DocumentProfile(number, vector, EventSignature(("sun zhengcai",), ("sentenced",), EventDate(value, source, 0.9))))
        return story

    def on(value: str) -> DocumentProfile:
        return DocumentProfile(9, vector, EventSignature(("sun zhengcai",), ("sentenced",), EventDate(value, "weekday", 0.3)))

    tuesday = story_dated("2018-05-08")
    assert stories_module.may_join(on("XXXX-WXX-2"), tuesday) and stories_module.may_join(on("XXXX-WXX-3"), tuesday)
    assert not stories_module.may_join(on("XXXX-WXX-4"), tuesday)  # two days off: wider than weekday_window
    assert stories_module.may_join(on("XXXX-WXX-4"), tuesday, dataclasses.replace(RULES, weekday_window=2))
    # a month and day without a year says nothing of the day of the week: the full date decides
    assert not stories_module.may_join(on("XXXX-WXX-4"), story_dated("XXXX-05-08", "2018-05-08"))
    assert stories_module.may_join(on("XXXX-WXX-4"), story_dated("XXXX-05-08"))
    # and a story's day of the week never stands in for its full dates: a report two years off
    # that happens to fall on the same day of the week may not join
    sentence = story_dated("2015-06-11", "XXXX-WXX-4")
    appeal = DocumentProfile(8, vector, EventSignature(("sun zhengcai",), ("sentenced",), EventDate("2013-10-25", "act", 0.9)))
    assert not stories_module.may_join(appeal, sentence)
    assert stories_module.may_join(appeal, story_dated("XXXX-WXX-4"))  # a Friday, one day off a Thursday
    order = stories_module.placement_order([on("XXXX-WXX-4"), DocumentProfile(7, vector, EventSignature((), (), None)),
                                            *story_dated("XXXX-05-08", "2018-05-08").members])
    assert [profile.document_id for profile in order] == [1, 0, 9, 7]
