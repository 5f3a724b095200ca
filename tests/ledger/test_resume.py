"""A run killed at any point (storing, extracting, linking, assessing), run again, reaches exactly
the store an uninterrupted run reaches: compared table by table, by content rather than by id."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, SEEDS

ARTICLES = 30  # real reports in several languages, plus the two seeds
# Linking and assessing are where a kill can leave a group, a conflict or a status behind: 20 kills
# there (issue 11), 3 in each of the other phases.
KILLS = {"storing": 3, "extracting": 3, "linking": 10, "assessing": 10}
if os.environ.get("CLAIMLEDGER_KILLS_PER_PHASE"):  # `make crash`: 25 in each phase, 100 in all
    KILLS = dict.fromkeys(KILLS, int(os.environ["CLAIMLEDGER_KILLS_PER_PHASE"]))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of three inputs: the two seeds and a JSONL of near-miss reports (read from
    ../shared at test time, written to a temporary folder, never into the repository)."""
    folder = tmp_path_factory.mktemp("resume") / "inputs"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    lines = (DATA / "near-miss-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "reports.jsonl").write_text("\n".join(lines[:ARTICLES]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("reference") / "ledger.db"
    finished = subprocess.run(_command(db, inputs), capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stderr
    return snapshot(db)


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # no file or no schema yet
        return 0


# Each phase is recognised from outside, by what the running process has committed so far.
PHASES: dict[str, Callable[[Path], bool]] = {
    "storing": lambda db: 0 < _count(db, "SELECT count(*) FROM documents") < ARTICLES + 2,
    "extracting": lambda db: 0 < _count(db, "SELECT count(*) FROM document_stages") < ARTICLES + 2,
    "linking": lambda db: _count(db, "SELECT count(*) FROM story_documents") > 0
    and _count(db, "SELECT count(*) FROM group_status") == 0,
    "assessing": lambda db: _count(db, "SELECT count(*) FROM group_status") > 0,
}


@pytest.mark.slow
@pytest.mark.parametrize("phase", list(PHASES))
def test_killed_run_then_rerun_equals_an_uninterrupted_run(
    phase: str, inputs: Path, reference: dict[str, Any], tmp_path: Path
) -> None:
    chance = random.Random(f"resume-{phase}")  # random points, the same ones on every CI run
    for attempt in range(KILLS[phase]):
        db = tmp_path / f"killed-{attempt}.db"
        killed_in = _kill_during(phase, db, inputs, delay=chance.uniform(0, 0.4))
        assert killed_in is not None, f"the run finished before it could be killed while {phase}"
        assert _integrity(db) == "ok"

        rerun = subprocess.run(_command(db, inputs), capture_output=True, text=True, timeout=900)
        assert rerun.returncode == 0, rerun.stderr
        after = snapshot(db)
        for table, rows in reference.items():
            assert after[table] == rows, f"after a kill while {phase} ({killed_in}) and a rerun, {table} differs"


def _kill_during(phase: str, db: Path, inputs: Path, delay: float) -> str | None:
    """Start a run, wait until it is in `phase`, let it go on for `delay` s, kill -9 it."""
    process = subprocess.Popen(_command(db, inputs), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if PHASES[phase](db):
                time.sleep(delay)
                if process.poll() is not None:
                    return None
                process.send_signal(signal.SIGKILL)
                process.wait()
                return f"{delay:.2f} s after it began {phase}"
            time.sleep(0.01)
        return None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _command(db: Path, inputs: Path) -> list[str]:
    return [sys.executable, "-m", "claimledger", "--db", str(db), "ingest", str(inputs)]


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def snapshot(db: Path) -> dict[str, Any]:
    """Every table's content with ids replaced by what they stand for (a document by its content
    hash, a claim by its document and span, a group by its claims, a story by its documents)."""
    assert _integrity(db) == "ok"
    with sqlite3.connect(db) as connection:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(connection.execute(sql).fetchall(), key=repr)

        doc = {i: h for i, h in connection.execute("SELECT id, content_hash FROM documents")}
        claim = {i: (doc[d], s, e) for i, d, s, e in connection.execute('SELECT id, document_id, start, "end" FROM claims')}
        members: dict[int, set[Any]] = {}
        for claim_id, group_id in connection.execute("SELECT claim_id, group_id FROM group_claims"):
            members.setdefault(group_id, set()).add(claim[claim_id])
        group = {g: tuple(sorted(m)) for g, m in members.items()}
        story_docs: dict[int, set[str]] = {}
        for document_id, story_id in connection.execute("SELECT document_id, story_id FROM story_documents"):
            story_docs.setdefault(story_id, set()).add(doc[document_id])
        entity = {i: k for i, k in connection.execute("SELECT id, key FROM entities")}
        history: dict[Any, list[Any]] = {}
        for group_id, status, grade, origins, reasons in connection.execute(
            "SELECT group_id, status, grade, independent_origins, reasons FROM group_status ORDER BY id"
        ):
            history.setdefault(group.get(group_id), []).append((status, grade, origins, reasons))
        return {
            "documents": rows("SELECT content_hash, title, outlet, published, language, words, text FROM documents"),
            "document sources": sorted((doc[d], s) for d, s in connection.execute("SELECT document_id, source FROM document_sources")),
            "near-duplicates": sorted((doc[a], doc[b]) for a, b in connection.execute("SELECT document_id, duplicate_of FROM near_duplicates")),
            "extraction": sorted((doc[d], v) for d, v in connection.execute("SELECT document_id, version FROM document_stages")),
            "claims": sorted((claim[i], t, k, h, p) for i, t, k, h, p in connection.execute(
                "SELECT id, text, kind, hedged, attribution_position FROM claims")),
            "attributions": sorted((doc[d], *rest) for d, *rest in connection.execute(
                "SELECT document_id, position, parent_position, source_name, named, cue_text, channel_text, date_value FROM attributions")),
            "entities": rows("SELECT key, name, kind FROM entities"),
            "mentions": sorted((doc[d], s, e, entity[k]) for d, s, e, k in connection.execute(
                'SELECT document_id, start, "end", entity_id FROM mentions')),
            "quantities": sorted(((doc[d], s, v, lo, hi) for d, s, v, lo, hi in connection.execute(
                "SELECT document_id, start, value, low, high FROM quantities")), key=repr),
            "dates": sorted((doc[d], s, v) for d, s, v in connection.execute("SELECT document_id, start, value FROM dates")),
            "stories": sorted(tuple(sorted(d)) for d in story_docs.values()),
            "claim groups": sorted(group.values()),
            "conflicts": sorted((group[g], k, claim[a], claim[b], t) for g, k, a, b, t in connection.execute(
                "SELECT group_id, kind, claim_a, claim_b, detail FROM conflicts")),
            "statuses": sorted(history.items(), key=repr),
            "group views": sorted(((group.get(g), st, gr, n, r) for g, st, gr, n, r in connection.execute(
                "SELECT group_id, status, grade, independent_origins, reasons FROM group_views")), key=repr),
            "search index": rows(
                "SELECT (SELECT count(*) FROM document_search) - (SELECT count(*) FROM documents),"
                " (SELECT count(*) FROM claim_search) - (SELECT count(*) FROM claims)"),
            "pending work": rows(
                "SELECT (SELECT count(*) FROM stories WHERE conflicts_pending)"
                " + (SELECT count(*) FROM claim_groups WHERE assessment_pending"
                " AND id IN (SELECT group_id FROM group_claims))"),
        }


def test_the_reference_is_a_whole_ledger(reference: dict[str, Any]) -> None:
    """The comparison means something: every stage left rows, and no work is left pending."""
    for table in ("documents", "extraction", "claims", "attributions", "entities", "mentions", "quantities",
                  "dates", "stories", "claim groups", "conflicts", "statuses", "group views"):
        assert reference[table], f"an uninterrupted run left {table} empty"
    assert len(reference["documents"]) == ARTICLES + 2
    assert reference["pending work"] == [(0,)]
    assert reference["search index"] == [(0, 0)]  # every document and claim indexed once
