"""Extraction on Ray workers stores what extraction here stores; a cluster that cannot be
reached is named, and what was read stays stored for `claimledger extract` to finish."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimledger.extract.cluster import extract_chunks_on_ray
from claimledger.extract.pipeline import extract_reports
from tests.conftest import DATA, Ledger
from tests.extract.test_workers import real_reports


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One Ray on this machine for the module (started once: a start takes seconds)."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_ray_workers_extract_exactly_what_this_process_extracts(local_ray: None) -> None:
    reports = real_reports()
    here = extract_reports(reports)
    chunks = [reports[i : i + 2] for i in range(0, len(reports), 2)]
    on_ray = [result for chunk in extract_chunks_on_ray(chunks, 2) for result in chunk]
    assert not any(isinstance(result, Exception) for result in here)
    assert on_ray == here
    assert sum(len(result.claims) for result in here) > 20  # type: ignore[union-attr]


def _articles(folder: Path, count: int) -> Path:
    lines = (DATA / "near-miss-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:count]
    path = folder / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_on_ray_workers_makes_the_ledger_ingest_here_makes(local_ray: None, tmp_path: Path) -> None:
    articles = _articles(tmp_path, 12)
    here, on_ray = Ledger(tmp_path / "here.db"), Ledger(tmp_path / "ray.db")
    expected = here.json("ingest", str(articles))["summary"]
    found = on_ray.json("ingest", str(articles), "--workers", "2")["summary"]
    assert found == expected
    assert found["extracted"] == 12 and found["claims"] > 50
    assert on_ray.json("stories") == here.json("stories")


def test_an_unreachable_cluster_is_named_and_what_was_read_is_kept(tmp_path: Path) -> None:
    articles = _articles(tmp_path, 3)
    ledger = Ledger(tmp_path / "ledger.db")
    result = ledger.run("ingest", str(articles), "--workers", "2", "--cluster", "127.0.0.1:1")
    assert result.exit_code == 1
    assert "127.0.0.1:1" in result.output and "E400" in result.output
    assert len(ledger.json("docs")) == 3
    finished = json.loads(ledger.run("extract", "--json").stdout)
    assert finished["documents"] == 3 and finished["claims"] > 0


def test_a_chunk_whose_worker_died_is_extracted_here(local_ray: None) -> None:
    import ray

    from claimledger.extract import cluster

    reports = real_reports()[:2]
    worker = ray.remote(num_cpus=1)(cluster.ChunkExtractor).remote()
    ray.kill(worker)
    assert cluster._result(ray, reports, worker.extract.remote(reports)) == extract_reports(reports)
