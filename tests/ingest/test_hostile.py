"""Hostile and broken inputs: each gets one clear error line naming it, the run goes on.

The inputs are files in tests/ingest/hostile/, plus a few made here that a repository cannot
hold well (a JSON document nested 100,000 levels, file names that are not UTF-8 or that hold a
terminal escape sequence).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS, Ledger

HOSTILE = Path(__file__).parent / "hostile"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "inputs"
    shutil.copytree(HOSTILE, target)
    (target / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (target / "deep-line.jsonl").write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    with open(os.path.join(os.fsencode(target), b"latin1-\xe9t\xe9.txt"), "wb") as handle:
        handle.write(b"A title\n\nA report stored under a file name that is not UTF-8, with enough words in it.\n")
    (target / "esc-\x1b[2J\x1b]0;owned\x07.txt").write_text("A title\n\nA report whose file name would clear the terminal.\n")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, target / seed.name)
    return target


def test_every_hostile_input_fails_alone_with_one_line(ledger: Ledger, folder: Path) -> None:
    started = time.monotonic()
    result = ledger.run("ingest", "--no-extract", str(folder))
    assert time.monotonic() - started < 120  # the alias bomb is refused, not expanded
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    expected = {
        "ipv6-url.jsonl line 1": "[E111]",
        "lone-surrogate.jsonl line 1": "[E111]",
        "impossible-date.md": "'2026-13-45'",
        "ipv6-url.md": "not a well-formed URL",
        "broken-yaml.md": "not valid YAML",
        "alias-bomb.md": "alias",
        "surrogate-feed.xml entry 2": "not a well-formed URL",
        "surrogate-feed.xml:": "&#xD800;",
        "deep.json": "nested too deeply",
        "deep-line.jsonl line 1": "nested too deeply",
    }
    for name, detail in expected.items():
        lines = [line for line in failures if f"/{name}" in line]
        assert len(lines) == 1, f"{name}: {lines or failures}"
        assert detail in lines[0] and "[E1" in lines[0], lines[0]
    for line in failures:
        assert "\x1b" not in line and "\x07" not in line
    summary = result.stdout.strip().splitlines()[-1]
    # Stored: both seeds, the good JSONL record, the feed's first entry, the Big5 page, the
    # non-UTF-8 file name and the one named with escape sequences.
    assert summary.startswith("14 input(s): 7 added, 0 duplicate, 0 near-duplicate, 10 failed"), summary


def test_a_terminal_escape_in_a_file_name_is_printed_escaped(ledger: Ledger, tmp_path: Path) -> None:
    empty = tmp_path / "bad-\x1b[31m-name.txt"
    empty.write_text("")
    result = ledger.run("ingest", str(empty))
    assert "bad-\\x1b[31m-name.txt: is empty [E101]" in result.stderr


def test_a_file_name_that_is_not_utf8_is_stored_and_shown(ledger: Ledger, folder: Path) -> None:
    assert ledger.run("ingest", "--no-extract", str(folder)).exit_code == 1
    sources = [document["source"] for document in ledger.json("docs")]
    assert any(source.endswith("latin1-\\xe9t\\xe9.txt") for source in sources), sources


def test_a_big5_page_labelled_gbk_is_read_as_big5(ledger: Ledger) -> None:
    assert ledger.run("ingest", "--no-extract", str(HOSTILE / "big5-labelled-gbk.html")).exit_code == 0
    (document,) = ledger.json("docs")
    shown = ledger.json("show", str(document["id"]))
    assert "中央組織部前副部長出逃" in shown["text"]
    assert document["title"] == "前副部長出逃"


def test_surrogate_references_in_a_feed_do_not_lose_its_other_entries(ledger: Ledger) -> None:
    result = ledger.run("ingest", "--no-extract", "--json", str(HOSTILE / "surrogate-feed.xml"))
    assert result.exit_code == 1  # the feed's own problem and its second entry are reported
    assert json.loads(result.stdout)["summary"] == {"inputs": 1, "added": 1, "duplicate": 0, "near_duplicate": 0, "failed": 2,
                                                    "limits": []}
    (document,) = ledger.json("docs")
    assert "\ufffd" in ledger.json("show", str(document["id"]))["text"]


@pytest.mark.parametrize("url", ["http://[::1", "http://example.org:99999/x", "file:///etc/passwd", "ftp://example.org/a"])
def test_urls_that_cannot_be_fetched_are_refused_with_a_reason(ledger: Ledger, url: str) -> None:
    result = ledger.run("ingest", url, str(SEEDS))
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert "[E109]" in line and "does not exist" not in line
    if url.startswith(("file", "ftp")):
        assert "refused scheme" in line
    assert "2 added" in result.stdout


@pytest.mark.parametrize("option", [["--max-redirects", "-1"], ["--timeout", "0"], ["--timeout", "-5"]])
def test_impossible_limits_are_usage_errors(ledger: Ledger, option: list[str]) -> None:
    result = ledger.run("ingest", *option, str(SEEDS))
    assert result.exit_code == 2
    assert "Invalid value" in result.output
