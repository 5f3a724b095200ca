"""Two runs on one store at once, as a CLI ingest beside another (or a web job) would be: they
take turns, both finish, and the store holds everything once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimledger.ledger import backlog
from claimledger.store import Store
from tests.conftest import DATA, SEEDS


@pytest.fixture
def new_store(db_path: Path | str, tmp_path: Path) -> str:
    """Where the new store goes: a SQLite file whose folder does not exist yet, or under
    --database postgresql a new, empty database on the suite's server."""
    if isinstance(db_path, Path):
        return str(tmp_path / "new" / "ledger.db")
    return db_path.replace("postgresql+psycopg://", "postgresql://")  # as the README writes it


@pytest.mark.slow
def test_two_ingests_at_once_on_a_new_store_both_finish(tmp_path: Path, new_store: str) -> None:
    lines = (DATA / "news-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:24]
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.jsonl").write_text("\n".join(lines[:12]) + "\n", encoding="utf-8")
    (second / "b.jsonl").write_text("\n".join(lines[12:]) + "\n", encoding="utf-8")
    for seed in SEEDS.glob("*.txt"):
        (second / seed.name).write_bytes(seed.read_bytes())
    db = new_store

    runs = [
        subprocess.Popen([sys.executable, "-m", "claimledger", "--db", str(db), "ingest", "--json", str(folder)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in (first, second)
    ]
    outputs = [run.communicate(timeout=900) for run in runs]
    for run, (stdout, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr
        assert json.loads(stdout)["summary"]["failed"] == 0
    assert any("waiting: another claimledger run" in stderr for _, stderr in outputs)

    with Store.open(str(db)) as store:
        assert store.count_documents() == 26
        assert backlog(store).empty
        with store.reading() as connection:
            placed = connection.exec_driver_sql("SELECT count(*), count(DISTINCT document_id) FROM story_documents").one()
            assert tuple(placed) == (26, 26)
