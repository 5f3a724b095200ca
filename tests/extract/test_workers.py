"""Parsing in worker processes makes extraction faster, never different."""

from __future__ import annotations

import json

import pytest

from claimledger.extract import workers
from claimledger.extract.pipeline import Report, extract_reports
from tests.conftest import DATA, SEEDS


def real_reports() -> list[Report]:
    """The seeds and a few English and Chinese articles of news-stories, as extraction reads them."""
    reports = [Report(path.read_text(encoding="utf-8"), language="en") for path in sorted(SEEDS.glob("*.txt"))]
    lines = (DATA / "news-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    for record in map(json.loads, lines):
        if record.get("language") in ("en", "zh") and sum(r.language == record["language"] for r in reports) < 3:
            reports.append(Report(record["text"], language=record["language"], title=record.get("title")))
    return reports


@pytest.mark.parametrize("count", [1, 2])
def test_workers_extract_exactly_what_this_process_extracts(count: int) -> None:
    reports = real_reports()
    here = extract_reports(reports)
    chunks = [reports[i : i + 2] for i in range(0, len(reports), 2)]
    in_workers = [result for chunk in workers.extract_chunks(chunks, count) for result in chunk]
    assert not any(isinstance(result, Exception) for result in here)
    assert in_workers == here
    assert sum(len(result.claims) for result in here) > 20  # type: ignore[union-attr]


def test_small_batches_are_parsed_here_and_the_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMLEDGER_PARSE_WORKERS", raising=False)
    assert workers.parse_workers(workers.MIN_DOCUMENTS - 1) == 0
    monkeypatch.setenv("CLAIMLEDGER_PARSE_WORKERS", "0")
    assert workers.parse_workers(10_000) == 0
    monkeypatch.setenv("CLAIMLEDGER_PARSE_WORKERS", "1")
    assert workers.parse_workers(3) == 1
