"""Parsing in worker processes makes extraction faster, never different."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def run_script(folder: Path, source: str, texts: list[str]) -> str:
    """What a script of its own prints, run with `texts` as its arguments (workers are spawned
    from a script's main module, so these cases cannot run inside pytest's process)."""
    script = folder / "script.py"
    script.write_text(source, encoding="utf-8")
    finished = subprocess.run([sys.executable, str(script), *texts], capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-2000:]
    return finished.stdout


def test_a_script_that_cannot_spawn_workers_still_extracts(tmp_path: Path) -> None:
    """A script without an `if __name__ == "__main__":` guard cannot start spawned workers; its
    chunks are parsed in its own process instead, with the same result."""
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts = seeds + [seed[:1500] for seed in seeds]  # more chunks than are sent ahead
    printed = run_script(tmp_path, (
        "import sys\n"
        "from claimledger.extract import workers\n"
        "from claimledger.extract.pipeline import Report, extract_reports\n"
        "reports = [Report(text, language='en') for text in sys.argv[1:]]\n"
        "chunks = [[report] for report in reports]\n"
        "parsed = [r for chunk in workers.extract_chunks(chunks, 1) for r in chunk]\n"
        "print('same' if parsed == extract_reports(reports) else 'different', len(parsed))\n"
    ), texts)
    assert printed.splitlines()[-1] == f"same {len(texts)}"


def test_a_parse_worker_loads_spacy_and_not_the_extraction_rules() -> None:
    """A worker's start is paid on every large ingest: it imports what parsing needs only, not
    the rules that read parses (dates, figures, names, the Chinese dictionaries)."""
    probe = (
        "import os, sys; from claimledger.extract import parsing; parsing.start_worker(os.getppid()); "
        "print(sorted(m for m in ('claimledger.extract.pipeline', 'claimledger.extract.entities', 'jieba',"
        " 'dateparser', 'pypinyin', 'sqlalchemy') if m in sys.modules), 'spacy' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[] True"


def test_with_workers_this_process_reads_parses_without_the_models_weights(tmp_path: Path) -> None:
    """Memory: while workers parse, this process holds the vocabulary it reads their parses with,
    not a third copy of the pipeline's weights."""
    printed = run_script(tmp_path, (
        "import sys\n"
        "from claimledger.extract import parsing, workers\n"
        "from claimledger.extract.pipeline import Report\n"
        "if __name__ == '__main__':\n"
        "    chunks = [[Report(text, language='en')] for text in sys.argv[1:]]\n"
        "    parsed = [r for chunk in workers.extract_chunks(chunks, 1) for r in chunk]\n"
        "    print(len(parsed[0].claims) > 0, parsing.english_pipeline.cache_info().currsize)\n"
    ), [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))])
    assert printed.split() == ["True", "0"]
