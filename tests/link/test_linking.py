"""Linking and assessment on real text: the seeds, the examples, and reports written for the hard cases."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, SEEDS, Ledger


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "ledger.db"
    result = Ledger(path).run("ingest", str(SEEDS))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def seeds_ledger(seeded: Path, tmp_path: Path) -> Ledger:
    """A private copy of the seeded store, so a test may write to it."""
    path = tmp_path / "ledger.db"
    shutil.copy(seeded, path)
    return Ledger(path)


def defection_group(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The group whose retellings say the deputy minister left China, found by its words."""
    matches = [g for g in groups if len(g["doc_ids"]) == 2 and "deputy minister" in g["text"].lower()]
    assert len(matches) == 1, [g["text"] for g in groups if len(g["doc_ids"]) == 2]
    return matches[0]


def test_the_seeds_are_one_story(seeds_ledger: Ledger) -> None:
    stories = seeds_ledger.json("stories")
    assert len(stories) == 1 and sorted(stories[0]["doc_ids"]) == [1, 2]


def test_the_defection_claim_rests_on_one_origin(seeds_ledger: Ledger) -> None:
    group = defection_group(seeds_ledger.json("groups"))
    assert group["independent_origins"] == 1
    assert group["status"] == "single-origin"
    (hu,) = [o for o in group["origins"] if o["counted"]]
    assert hu["name"].replace("-", "") == "Hu Liren" and hu["kind"] == "person"
    assert any("official" in description.lower() for description in hu["relaying"])
    assert sorted(hu["doc_ids"]) == [1, 2]
    assert group["grade"][0] == "F"  # nobody rated yet


def test_the_purge_figures_are_compared_within_their_vagueness(seeds_ledger: Ledger) -> None:
    groups = seeds_ledger.json("groups")
    figures = [g for g in groups if "tens of millions" in " ".join(_texts(seeds_ledger, g)).lower()]
    assert figures, "the 'nearly tens of millions' retelling is in no group"
    for group in figures:
        assert not [c for c in group["conflicts"] if c["kind"] == "number" and "10 million" in c["detail"]]


def _texts(ledger: Ledger, group: dict[str, Any]) -> list[str]:
    claims = {c["id"]: c["text"] for c in ledger.json("claims")}
    return [claims[i] for i in group["claim_ids"]]


INDEPENDENT_REPORT = """\
Security ministry confirms senior cadre's flight abroad

[Harbin Evening Post] A former deputy minister of the Central Organization Department has fled China, the Ministry of State Security said in a statement on Friday.

The ministry said the former deputy minister left the country in January and that his case had been handed to prosecutors.
"""


def test_an_independent_source_raises_the_count_to_two(seeds_ledger: Ledger, tmp_path: Path) -> None:
    report = tmp_path / "harbin.txt"
    report.write_text(INDEPENDENT_REPORT, encoding="utf-8")
    assert seeds_ledger.run("ingest", str(report)).exit_code == 0
    assert len(seeds_ledger.json("stories")) == 1  # it joins the story
    groups = seeds_ledger.json("groups")
    grown = [g for g in groups if 3 in g["doc_ids"] and {1, 2} <= set(g["doc_ids"])]
    assert len(grown) == 1, [g["text"] for g in groups if 3 in g["doc_ids"]]
    group = grown[0]
    assert group["independent_origins"] == 2 and group["status"] == "corroborated"
    assert {o["name"] for o in group["origins"] if o["counted"]} >= {"the Ministry of State Security"} or any(
        "Ministry of State Security" in o["name"] for o in group["origins"]
    )
    assert [h["status"] for h in group["history"]] == ["single-origin", "corroborated"]


def test_evidence_moves_the_status_and_history_is_append_only(seeds_ledger: Ledger) -> None:
    group = defection_group(seeds_ledger.json("groups"))
    result = seeds_ledger.json("evidence", str(group["id"]), "--refutes", "https://example.org/denial", "--note", "The official appeared at a meeting in Beijing")
    assert result["group"]["status"] == "refuted" and result["group"]["grade"].endswith("5")
    assert seeds_ledger.run("link").exit_code == 0  # nothing new: no new history row
    after = next(g for g in seeds_ledger.json("groups") if g["id"] == group["id"])
    assert [h["status"] for h in after["history"]] == ["single-origin", "refuted"]
    assert after["evidence"][0]["url"] == "https://example.org/denial"


def test_bad_evidence_and_unknown_groups_are_clear_errors(seeds_ledger: Ledger) -> None:
    missing = seeds_ledger.run("evidence", "9999", "--supports", "1", "--note", "x")
    assert missing.exit_code == 1 and "E202" in missing.output
    group = defection_group(seeds_ledger.json("groups"))
    bad = seeds_ledger.run("evidence", str(group["id"]), "--supports", "not a url", "--note", "x")
    assert bad.exit_code == 1 and "E300" in bad.output
    both = seeds_ledger.run("evidence", str(group["id"]), "--supports", "1", "--refutes", "2", "--note", "x")
    assert both.exit_code == 2


def test_rating_a_source_changes_the_grade(seeds_ledger: Ledger) -> None:
    assert seeds_ledger.run("rate", "Hu Li-ren", "--reliability", "D").exit_code == 0
    group = defection_group(seeds_ledger.json("groups"))
    assert group["grade"] == "D3"


def test_trace_shows_the_chain_down_to_the_origin(seeds_ledger: Ledger) -> None:
    group = defection_group(seeds_ledger.json("groups"))
    output = seeds_ledger.run("trace", str(group["id"])).output
    assert "origin, independent" in output and "YouTube" in output
    assert "official from the Central Organization Department" in output
    traced = seeds_ledger.json("trace", str(group["id"]))
    origins = [n for n in traced["nodes"] if n["origin"] and n["independent"]]
    assert [n["kind"] for n in origins] == ["person"]


def test_the_politburo_prediction_is_a_checkpoint(seeds_ledger: Ledger) -> None:
    due = seeds_ledger.json("due", "--today", "2099-01-01")
    politburo = [c for c in due if "Political Bureau" in c["claim"]]
    assert politburo and politburo[0]["state"] == "overdue" and politburo[0]["basis"] == "ingested"


def test_exports_are_valid_in_every_format(seeds_ledger: Ledger, tmp_path: Path) -> None:
    exported = json.loads(seeds_ledger.run("export", "--format", "json").stdout)
    assert exported["stories"] and exported["groups"]
    reviews = json.loads(seeds_ledger.run("export", "--format", "claimreview").stdout)
    assert all(r["@type"] == "ClaimReview" and 1 <= r["reviewRating"]["ratingValue"] <= 5 for r in reviews)
    assert seeds_ledger.run("export", "--format", "csv").stdout.startswith("group_id,story_id,text")
    graph_file = tmp_path / "graph.graphml"
    assert seeds_ledger.run("export", "--format", "graphml", "-o", str(graph_file)).exit_code == 0
    root = ElementTree.parse(graph_file).getroot()
    namespace = "{http://graphml.graphdrawing.org/xmlns}"
    assert root.findall(f".//{namespace}node") and root.findall(f".//{namespace}edge")


def test_examples_chinese_retelling_and_relay_through_an_outlet(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "demo.db")
    assert ledger.run("ingest", str(EXAMPLES)).exit_code == 0
    groups = ledger.json("groups")
    languages = {d["id"]: d["language"] for d in ledger.json("docs")}
    detained = [g for g in groups if any(languages[d] == "zh" for d in g["doc_ids"]) and len(g["doc_ids"]) >= 3]
    assert detained, "the Chinese report of the detention joined no English group"
    group = detained[0]
    assert group["independent_origins"] == 1 and group["origins"][0]["name"] == "Tomas Reyne"
    due = ledger.json("due", "--today", "2026-02-20", "--past")  # the examples are from February 2026
    assert any("acting chairman" in c["claim"] and c["state"] == "overdue" for c in due)


FLED = """\
Former minister said to have fled abroad

[Coastline Daily] Former water resources minister Liang Wenhai fled to Canada in March, two of his relatives told Coastline Daily on Tuesday.
"""

DETAINED = """\
Former minister held, court notice shows

[Capital Courier] Former water resources minister Liang Wenhai was detained in Beijing in March, according to a notice published by the Second Intermediate Court on Wednesday.
"""


def test_fled_in_one_report_and_detained_in_another_dispute_each_other(tmp_path: Path) -> None:
    for name, text in (("fled.txt", FLED), ("detained.txt", DETAINED)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    ledger = Ledger(tmp_path / "ledger.db")
    assert ledger.run("ingest", str(tmp_path / "fled.txt"), str(tmp_path / "detained.txt")).exit_code == 0
    assert len(ledger.json("stories")) == 1
    disputed = [g for g in ledger.json("groups") if any(c["kind"] == "statement" for c in g["conflicts"])]
    assert disputed and all(g["status"] == "disputed" for g in disputed)
    assert "fled" in disputed[0]["conflicts"][0]["detail"] and "detained" in disputed[0]["conflicts"][0]["detail"]


def test_show_names_the_story_and_each_claims_group(seeds_ledger: Ledger) -> None:
    shown = seeds_ledger.json("show", "2")
    story = seeds_ledger.json("stories")[0]
    assert shown["story_id"] == story["id"]
    groups = {g["id"]: g for g in seeds_ledger.json("groups")}
    assert shown["claims"] and all(c["id"] in groups[c["group_id"]]["claim_ids"] for c in shown["claims"])


RETELLING = """Former deputy minister said to have fled China

[Harbour Tribune] A former deputy minister of the Organisation Department of the Central Committee of the Communist Party has fled China, exile sources told the Harbour Tribune on Tuesday, after the downfall of Zhang Youxia.
"""


def test_a_new_report_is_assessed_with_the_groups_it_reaches_not_its_whole_story(seeds_ledger: Ledger, tmp_path: Path) -> None:
    """Work proportional to what is new: a report joining a story of 60-odd groups leaves for
    assessment the groups its claims joined or started (and any whose conflicts changed), not
    every group of the story."""
    from claimledger.extract import run_extraction
    from claimledger.extract.version import STAGE_VERSION
    from claimledger.ingest import IngestOptions, ingest_inputs
    from claimledger.link import run_linking
    from claimledger.store import Store
    from claimledger.store import linking as sql

    report = tmp_path / "retelling.txt"
    report.write_text(RETELLING, encoding="utf-8")
    with Store.open(str(seeds_ledger.db_path)) as store:
        with store.reading() as connection:
            story_groups = len(sql.group_ids(connection))
            assert not sql.groups_pending_assessment(connection)
        ingest_inputs([str(report)], store, IngestOptions())
        run_extraction(store, store.documents_to_extract(STAGE_VERSION))
        linked = run_linking(store)
        with store.reading() as connection:
            pending = set(sql.groups_pending_assessment(connection))
            reached = {g for g, facts in sql.group_claim_facts_many(connection, sql.group_ids(connection)).items()
                       if any(f.document_id == 3 for f in facts)}
    assert linked.documents == 1 and linked.new_stories == 0 and reached
    assert reached <= pending
    assert len(pending) <= len(reached) + 2 < story_groups / 4
    assert seeds_ledger.run("link").exit_code == 0  # assesses what waits
    told_thrice = [g for g in seeds_ledger.json("groups") if sorted(g["doc_ids"]) == [1, 2, 3]]
    assert len(told_thrice) == 1 and "deputy minister" in told_thrice[0]["text"]


def test_linking_in_small_bites_gives_the_same_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat because documents and claims are embedded a bounded number at a time;
    the bites must not change what is linked."""
    from claimledger.link import stage, stories

    def ledger_of(db: Path) -> tuple[Any, Any]:
        ledger = Ledger(db)
        assert ledger.run("ingest", str(EXAMPLES)).exit_code == 0
        groups = sorted((g["text"], sorted(g["doc_ids"]), g["status"]) for g in ledger.json("groups"))
        return sorted(sorted(s["doc_ids"]) for s in ledger.json("stories")), groups

    whole = ledger_of(tmp_path / "whole.db")
    monkeypatch.setattr(stage, "_EMBED_AHEAD", 1)
    monkeypatch.setattr(stories, "_DOCUMENTS_AT_ONCE", 2)
    assert len(whole[0]) > 1 and ledger_of(tmp_path / "bites.db") == whole
