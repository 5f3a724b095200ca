"""Run linking over what is stored: new documents into stories, new claims into groups.

Incremental and idempotent: only documents without a story and claims without a group are
placed, and only the threads new documents reach are settled again (reports of a settled
thread may move to another of its stories; their claims are then grouped again there). Each
story's placements and each story's new claims are written in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from claimledger.link.conflicts import (
    ClaimFacts,
    Conflict,
    DateSpan,
    Figure,
    comparable,
    find_conflicts,
    has_outcome,
    statement_conflicts_between,
)
from claimledger.link.encoder import DIMENSIONS, ENCODER_VERSION, embed, from_blob, to_blob
from claimledger.link.groups import GroupedClaim, LexicalIndex, StoryClaims, nearest_group, words_of
from claimledger.link.stories import (
    RULES,
    SETTLE_LIMIT,
    BatchPlacement,
    DocumentProfile,
    PlacementRules,
    StoryIndex,
    StoryProfile,
    document_vectors,
    person_words,
)
from claimledger.link.worthiness import check_worthiness
from claimledger.model import Region, text_without
from claimledger.store import Store
from claimledger.store import corrections as corrections_sql
from claimledger.store import linking as sql

Progress = Callable[[str, int, int], None]
STAGE_VERSION = "claimledger.link.v3"  # event identity, threads, wire credits, comparable conflicts
# What each placement, group membership and conflict row records: the rules and the encoder
# whose vectors they hold (a new encoder makes every stored vector another version's).
ROW_VERSION = f"{STAGE_VERSION}+{ENCODER_VERSION}"


@dataclass(slots=True)
class LinkReport:
    documents: int = 0
    new_stories: int = 0
    moved: int = 0  # reports placed in another story when their thread was settled
    claims: int = 0
    new_groups: int = 0
    conflicts: int = 0
    touched_groups: set[int] = field(default_factory=set)
    touched_stories: set[int] = field(default_factory=set)
    limits: list[str] = field(default_factory=list)  # where a bound on the work was reached


def run_linking(store: Store, on_progress: Progress | None = None) -> LinkReport:
    """Place what waits to be placed, then find the conflicts of every story left pending
    (by this run, by corrections, or by an earlier run that was interrupted)."""
    report = LinkReport()
    _link_documents(store, report, on_progress)
    _group_claims(store, report, on_progress)
    _score_unscored_claims(store, report)
    update_conflicts(store, report, on_progress)
    return report


def _score_unscored_claims(store: Store, report: LinkReport) -> None:
    """Claims grouped before check-worthiness existed get it from their stored vectors (no
    claim is embedded again); their groups are assessed again to show it."""
    with store.reading() as connection:
        unscored = sql.unscored_group_claims(connection)
    if not unscored:
        return
    scores = check_worthiness(np.vstack([from_blob(row.vector) for row in unscored]))
    with store.transaction() as connection:
        sql.set_worthiness(connection, {row.claim_id: float(score) for row, score in zip(unscored, scores, strict=True)})
        sql.mark_groups_changed(connection, sorted({row.group_id for row in unscored}))
    report.touched_groups.update(row.group_id for row in unscored)


def _link_documents(store: Store, report: LinkReport, on_progress: Progress | None, rules: PlacementRules = RULES) -> None:
    """Place the waiting documents in stories (and new stories in threads), settling the
    threads they reach (claimledger.link.stories); each story's changes are written in one
    transaction, so a run killed half-way leaves whole placements and is finished when run
    again. The stories are indexed from their summaries; only the reports of the stories a
    new report may join, and of the threads it settles, are read."""
    with store.reading() as connection:
        pending = sql.documents_to_link(connection)
        corrected = sql.corrected_threads(connection) if pending else set()
    if not pending:
        return
    refresh_story_summaries(store, on_progress)
    bodies = {d.id: text_without(d.text, tuple(Region(r["kind"], r["start"], r["end"]) for r in d.regions)) for d in pending}
    vectors = document_vectors([d.title for d in pending], [bodies[d.id] for d in pending])
    profiles = [DocumentProfile(d.id, vector, d.event, d.title or "") for d, vector in zip(pending, vectors, strict=True)]
    with store.reading() as connection:
        index, stored = stored_story_index(connection, rules)
        placement = index.place_batch(profiles, may_settle=lambda thread: thread not in corrected)
    report.limits += [f"thread {thread}: over {SETTLE_LIMIT} reports; the new ones joined it without the others being placed again"
                      for thread in placement.unsettled]
    titles = {d.id: _story_title(d.title, bodies[d.id]) for d in pending}
    new_members = {d.id: sql.StoredStoryMember(0, d.id, p.event.when.day if p.event.when else None, to_blob(p.vector), d.entity_keys)
                   for d, p in zip(pending, profiles, strict=True)}
    _store_placement(store, index, placement, stored, titles, new_members, report, on_progress)


_STORIES_AT_ONCE = 2_000  # stories summarised in one transaction


def refresh_story_summaries(store: Store, on_progress: Progress | None = None) -> int:
    """Summarise again the stories whose summary is missing or no longer matches their reports
    (every story, the first run after migration 0017); returns how many."""
    with store.reading() as connection:
        stale, empty = sql.stale_story_summaries(connection, ROW_VERSION)
    for start in range(0, len(stale), _STORIES_AT_ONCE):
        with store.transaction() as connection:  # the reports are read where their summary is written
            stories = _stories_of(sql.story_members(connection, stale[start : start + _STORIES_AT_ONCE]))
            sql.save_story_summaries(connection, [summary_of(story) for story in stories.values()], ROW_VERSION)
        if on_progress:
            on_progress("story summaries", min(start + _STORIES_AT_ONCE, len(stale)), len(stale))
    if empty:
        with store.transaction() as connection:
            sql.forget_story_summaries(connection, empty)
    return len(stale)


def summary_of(story: StoryProfile) -> sql.StorySummary:
    """The story's summary as its reports give it, summed in document order (so a story reads
    the same however its reports arrived). A story whose reports joined in that order already
    holds those sums (reports read from the store, and new ones after them) and is not summed
    again."""
    ids = [member.document_id for member in story.members]
    if ids != sorted(ids):
        ordered = StoryProfile(story.story_id, story.thread_id)
        for member in sorted(story.members, key=lambda member: member.document_id):
            ordered.add(member)
        return summary_of(ordered)
    assert story.total is not None, f"story {story.story_id} has no reports"
    words = sorted(set().union(*(person_words(key) for key in story.who)))
    return sql.StorySummary(story.story_id, ids[0], len(ids), sum(ids), to_blob(story.total), dict(story.who),
                            dict(story.what), list(story.dates), story.thread_id, tuple(words))


def story_from_summary(summary: sql.StorySummary) -> StoryProfile:
    return StoryProfile(summary.story_id, summary.thread_id, dates=list(summary.dates), who=dict(summary.who),
                        what=dict(summary.what), total=from_blob(summary.total).copy(), size=summary.members, loaded=False)


def _stories_of(members: list[sql.StoredStoryMember]) -> dict[int, StoryProfile]:
    """Stories built from their reports (in document order), in the order of their first report."""
    stories: dict[int, StoryProfile] = {}
    for member in members:
        story = stories.get(member.story_id)
        if story is None:
            story = stories[member.story_id] = StoryProfile(member.story_id, member.thread_id)
        story.add(DocumentProfile(member.document_id, from_blob(member.vector), member.event))
    return stories


@dataclass(slots=True)
class StoredPlacement:
    """Where the store had each story and each read report before this run."""

    story_of: dict[int, int] = field(default_factory=dict)  # document id -> story id
    thread_of: dict[int, int | None] = field(default_factory=dict)  # story id -> thread id


def stored_story_index(connection: object, rules: PlacementRules = RULES) -> tuple[StoryIndex, StoredPlacement]:
    """The story index of the stored stories, from their centroids (their summaries must be
    current: `refresh_story_summaries`), reading summaries and reports through `connection` as
    placement asks for them; and where each story, and each report read, was."""
    stored = StoredPlacement()

    def read_summaries(story_ids: list[int]) -> dict[int, StoryProfile]:
        return {s.story_id: story_from_summary(s) for s in sql.story_summaries_of(connection, story_ids)}  # type: ignore[arg-type]

    def stories_posted_under(words: set[str]) -> list[int]:
        return sql.stories_posted_under(connection, words)  # type: ignore[arg-type]

    def read_members(story_ids: list[int]) -> dict[int, list[DocumentProfile]]:
        stories = _stories_of(sql.story_members(connection, story_ids))  # type: ignore[arg-type]
        for story in stories.values():
            stored.story_of.update((member.document_id, story.story_id) for member in story.members)
        return {story_id: story.members for story_id, story in stories.items()}

    index = StoryIndex(rules, read_members, read_summaries, stories_posted_under)
    rows = sql.story_index_rows(connection)  # type: ignore[arg-type]
    stored.thread_of.update((row.story_id, row.thread_id) for row in rows)
    if rows:
        totals = np.empty((len(rows), DIMENSIONS), dtype=np.float32)
        for number, row in enumerate(rows):
            totals[number] = from_blob(row.total)
        index.add_unsummarised([StoryProfile.unsummarised(row.story_id, row.thread_id, row.members) for row in rows],
                               totals, [row.with_person for row in rows])
    return index, stored


def _store_placement(store: Store, index: StoryIndex, placement: BatchPlacement, stored: StoredPlacement,
                     titles: dict[int, str], new_members: dict[int, sql.StoredStoryMember], report: LinkReport,
                     on_progress: Progress | None) -> None:
    """Write what changed, story by story: new stories and threads, new reports, reports that
    settling moved, each story's new summary; then drop the stories and threads it left empty
    and summarise again the stories reports left."""
    threads: dict[int, int] = {}  # a new thread's provisional id -> its stored one
    changed_stories: set[int] = set()
    left_threads: set[int] = set()  # threads a story left
    done = 0
    for story in index.read_stories:  # no other story can have changed
        arrived = [p.document_id for p in story.members if p.document_id in new_members]
        moved = [p.document_id for p in story.members if p.document_id not in new_members and stored.story_of[p.document_id] != story.story_id]
        new_thread = story.thread_id is not None and story.thread_id < 0 and story.thread_id not in threads
        if not arrived and not moved and stored.thread_of.get(story.story_id, -1) == story.thread_id and not new_thread:
            continue
        with store.transaction() as connection:
            if new_thread:
                threads[story.thread_id] = sql.create_thread(connection, _thread_title(story, _title_of(connection, story, titles)))
            thread = threads.get(story.thread_id, story.thread_id) if story.thread_id is not None else None
            if story.story_id < 0:
                story.story_id = sql.create_story(connection, _title_of(connection, story, titles), thread)
                report.new_stories += 1
            elif (before := stored.thread_of.get(story.story_id)) != thread:
                sql.set_story_thread(connection, story.story_id, thread)
                left_threads.update([before] if before is not None else [])
            story.thread_id = thread
            for document_id in arrived:
                sql.add_to_story(connection, story.story_id, new_members[document_id], placement.scores[document_id], ROW_VERSION)
            for document_id in moved:
                sql.move_to_story(connection, [document_id], story.story_id, placement.scores[document_id], ROW_VERSION)
                changed_stories.add(stored.story_of[document_id])
            if arrived or moved:
                sql.save_story_summaries(connection, [summary_of(story)], ROW_VERSION)
        report.moved += len(moved)
        report.documents += len(arrived)
        done += len(arrived)
        if on_progress and arrived:
            on_progress("stories", done, len(new_members))
    if changed_stories or left_threads:
        with store.transaction() as connection:
            sql.drop_abandoned(connection, changed_stories, left_threads)
            left = [story for story_id in sorted(changed_stories) if (story := index.get(story_id)) is not None and story.members]
            sql.save_story_summaries(connection, [summary_of(story) for story in left], ROW_VERSION)


def _title_of(connection: object, story: StoryProfile, titles: dict[int, str]) -> str:
    """A new story's title: its first report's headline (read from the store for a report
    placed before this run)."""
    first = story.members[0].document_id
    return titles.get(first) or _story_title(*sql.document_head(connection, first))


def _thread_title(story: StoryProfile, story_title: str) -> str:
    """A thread is named for the person at its centre, else for its first story."""
    central = story.central_person
    return central.title() if central and central.isascii() else story_title


_LEADING_STAMP = re.compile(r"^\W*(?:date\s+)?\d{4}-\d{2}(?:-\d{2})?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*")


def _story_title(title: str | None, body: str) -> str:
    """The headline, else the text's first line, without the timestamp scraped copy often
    opens with ("date 2021-01-05 ..."); a line longer than a headline (the whole lead taken for
    one) is cut at its first sentence."""
    for line in [title or "", *body.strip().splitlines()[:5]]:
        line = _LEADING_STAMP.sub("", line.strip())
        if len(line) > 120:
            line = re.split(r"(?<=[a-z0-9”\"’)][.!?])\s+(?=[A-Z“\"])|(?<=[。！？])", line, maxsplit=1)[0]
        if line:
            return line[:120].strip()
    return "untitled story"


# Reports whose waiting claims are read at a time (some 2,000 claims with their texts): the
# claims of a 10,000-report batch are never all held at once.
_REPORTS_AT_ONCE = 200


def _group_claims(store: Store, report: LinkReport, on_progress: Progress | None) -> None:
    """Group the claims that wait (found through the reports marked `claims_pending`, not by
    checking every claim), then unmark the reports none of whose claims waits any longer. The
    reports are taken by story, a bounded number at a time, so a story's claims are grouped in
    report order as if they were all read at once."""
    with store.reading() as connection:
        waiting = sql.reports_with_waiting_claims(connection)
        total = sql.count_claims_to_group(connection) if waiting else 0
        pinned = corrections_sql.pins(connection)
        placed_before = corrections_sql.placements(connection)
        existing_groups = sql.group_stories(connection, [*pinned.values(), *placed_before.values()])
    done = 0
    for start in range(0, len(waiting), _REPORTS_AT_ONCE):
        with store.reading() as connection:
            pending = sql.claims_to_group(connection, [document for _, document in waiting[start : start + _REPORTS_AT_ONCE]])
        if pending:
            done = _group_pending_claims(store, pending, pinned, placed_before, existing_groups, report, on_progress,
                                         done, total)
    with store.transaction() as connection:
        sql.clear_claims_pending(connection)


def _group_pending_claims(store: Store, pending: list[sql.ClaimForGrouping], pinned: dict[tuple[int, int, int], int],
                          placed_before: dict[tuple[int, int, int], int], existing_groups: dict[int, int],
                          report: LinkReport, on_progress: Progress | None, done: int, total: int) -> int:
    """Group the waiting claims story by story, each story in one transaction; returns how many
    claims are done, with the `done` before these."""
    by_story: dict[int, list[int]] = {}
    for index, claim in enumerate(pending):
        by_story.setdefault(claim.story_id, []).append(index)
    report.touched_stories.update(by_story)
    vectors: dict[int, np.ndarray] = {}
    worthiness: dict[int, float] = {}
    for story_id, indices in by_story.items():
        if indices[0] not in vectors:  # embed the next stories' claims, a bounded number at a time
            vectors, worthiness = _embed_ahead(pending, by_story, story_id)
        filled: set[int] = set()
        placements: list[sql.Placement] = []
        with store.transaction() as connection:
            members = StoryClaims()
            lexicon = LexicalIndex()
            for m in sql.group_members(connection, story_id):
                member = GroupedClaim(m.claim_id, m.group_id, from_blob(m.vector), frozenset(m.entity_keys), words_of(m.text))
                members.add(member)
                lexicon.add(member.words)
            for index in indices:
                claim = pending[index]
                grouped = GroupedClaim(claim.id, 0, vectors[index], frozenset(claim.entity_keys), words_of(claim.text))
                lexicon.add(grouped.words)
                group_id, score = nearest_group(grouped, members, lexicon)
                span = (claim.document_id, claim.start, claim.end)
                pin = pinned.get(span) or placed_before.get(span)
                # placed by the user, or before re-extraction; not if the report has since moved story
                if pin is not None and existing_groups.get(pin) == story_id:
                    group_id, score = pin, 1.0
                if group_id is None:
                    group_id = sql.create_group(connection, story_id, claim.text)
                    report.new_groups += 1
                    score = 1.0
                placements.append(sql.Placement(claim.id, group_id, score, to_blob(grouped.vector), ROW_VERSION,
                                                float(worthiness[index])))
                grouped.group_id = group_id
                members.add(grouped)
                filled.add(group_id)
                report.claims += 1
            sql.add_to_groups(connection, placements)
            sql.mark_groups_changed(connection, filled)
        report.touched_groups.update(filled)
        done += len(indices)
        if on_progress:
            on_progress("claims", done, total)
    with store.transaction() as connection:
        corrections_sql.forget_placements(connection, sorted({claim.document_id for claim in pending}))
    return done


# Claims embedded at a time when grouping: a 10,000-document ingest leaves some 200,000 claims,
# whose vectors at once would take 400 MB; memory stays flat whatever the batch.
_EMBED_AHEAD = 2_000


def _embed_ahead(pending: list[sql.ClaimForGrouping], by_story: dict[int, list[int]],
                 first_story: int) -> tuple[dict[int, np.ndarray], dict[int, float]]:
    """Vectors and check-worthiness of the claims of `first_story` and the stories after it, up
    to about _EMBED_AHEAD claims (a story's claims are never split), by index in `pending`."""
    stories = list(by_story)
    chosen: list[int] = []
    for story_id in stories[stories.index(first_story):]:
        if chosen and len(chosen) + len(by_story[story_id]) > _EMBED_AHEAD:
            break
        chosen.extend(by_story[story_id])
    vectors = embed([pending[index].text for index in chosen])
    scores = check_worthiness(vectors)
    return dict(zip(chosen, vectors, strict=True)), {index: float(score) for index, score in zip(chosen, scores, strict=True)}


def update_conflicts(store: Store, report: LinkReport | None = None, on_progress: Progress | None = None) -> int:
    """Find again the conflicts of every story whose groups changed; returns how many were found.

    Conflicts inside each group, and opposite outcomes between groups of one story ("fled" in
    one report, "detained" in another, of the same person): such retellings may be far apart in
    meaning, yet they dispute each other. Each story is done in one transaction that also
    clears its pending mark.
    """
    report = report if report is not None else LinkReport()
    with store.reading() as connection:
        pending = sql.stories_pending_conflicts(connection)
        dismissed = corrections_sql.dismissed(connection)
    found_total = 0
    for done, story_id in enumerate(pending, start=1):
        with store.transaction() as connection:
            read = sql.group_claim_facts_many(connection, sql.group_ids(connection, story_id))
            groups = {g: [_claim_facts(row) for row in rows] for g, rows in read.items()}
            found_by_group: dict[int, list[dict[str, Any]]] = {}
            outcomes = {g: [c for c in facts if has_outcome(c)] for g, facts in groups.items()}
            facts_by_claim = {c.claim_id: c for facts in groups.values() for c in facts}
            for group_id, facts in groups.items():
                if len(compared := comparable(facts)) < len({c.text for c in facts}):
                    report.limits.append(
                        f"claim group {group_id}: {len(facts)} claims; conflicts were looked for among the first"
                        f" {len(compared)} distinct wordings only"
                    )
                found = find_conflicts(facts) if len(facts) > 1 else []
                if outcomes[group_id]:  # a story may hold thousands of groups, few of them with an outcome
                    others = [c for g, claims in outcomes.items() if g != group_id for c in claims]
                    found += statement_conflicts_between(outcomes[group_id], others)
                found = [c for c in found if _pinned(c, facts_by_claim) not in dismissed]
                found_by_group[group_id] = [
                    {"kind": c.kind, "claim_a": c.claim_a, "claim_b": c.claim_b, "a_start": c.a_span[0], "a_end": c.a_span[1],
                     "b_start": c.b_span[0], "b_end": c.b_span[1], "detail": c.detail}
                    for c in found
                ]
                found_total += len(found)
            changed_groups = sql.replace_conflicts(connection, found_by_group, ROW_VERSION)
            sql.conflicts_done(connection, story_id, changed_groups)
        report.touched_stories.add(story_id)
        if on_progress:
            on_progress("conflicts", done, len(pending))
    report.conflicts += found_total
    return found_total


def _pinned(conflict: Conflict, facts: dict[int, ClaimFacts]) -> tuple[str, int, int, int, int, int, int]:
    a, b = facts[conflict.claim_a], facts[conflict.claim_b]
    return (conflict.kind, a.document_id, *conflict.a_span, b.document_id, *conflict.b_span)


def _claim_facts(row: sql.GroupClaimFacts) -> ClaimFacts:
    figures = [Figure(*_bounds(q.value, q.low, q.high), q.unit, q.start, q.end, q.text) for q in row.figures]
    days = [DateSpan(d.value, d.start, d.end, d.text) for d in row.days if d.precision == "day"]
    return ClaimFacts(row.claim_id, row.document_id, row.start, row.end, row.text, frozenset(row.entity_keys), figures, days)


def _bounds(value: float, low: float | None, high: float | None) -> tuple[float, float | None]:
    """The range a figure allows: exact when unqualified; "over 200" has no upper end."""
    if low is None and high is None:
        return value, value
    return (low if low is not None else 0.0), high
