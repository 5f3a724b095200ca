"""Killing an ingest mid-way leaves a consistent store, and running it again completes it."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimledger.ingest.dedupe import BANDS
from tests.ingest.builders import article_html

ARTICLES = 300


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=10) as connection:
        return connection.execute(sql).fetchone()[0]


def ingest(db: Path, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "claimledger", "--db", str(db), "ingest", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_kill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for index in range(ARTICLES):
        (folder / f"{index:04d}.html").write_text(article_html(index))
    db = tmp_path / "ledger.db"

    process = ingest(db, folder)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists() and _documents(db) >= 20:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = _documents(db)
    assert 20 <= killed_at < ARTICLES, "the ingest should have been killed mid-way"
    _assert_consistent(db)

    rerun = ingest(db, folder)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert _documents(db) == ARTICLES
    _assert_consistent(db)
    assert count(db, "SELECT count(DISTINCT source) FROM documents") == ARTICLES


def _documents(db: Path) -> int:
    try:
        return count(db, "SELECT count(*) FROM documents")
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def _assert_consistent(db: Path) -> None:
    assert _integrity(db) == "ok"
    # Every document is whole: its bands and its sighting were written with it.
    assert count(db, "SELECT count(*) FROM documents WHERE id NOT IN "
                 "(SELECT document_id FROM document_sources)") == 0
    assert count(db, "SELECT count(*) FROM minhash_bands") == BANDS * _documents(db)
    assert count(db, "SELECT count(*) FROM minhash_bands WHERE document_id NOT IN "
                 "(SELECT id FROM documents)") == 0
    assert count(db, "SELECT count(*) - count(DISTINCT content_hash) FROM documents") == 0


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
