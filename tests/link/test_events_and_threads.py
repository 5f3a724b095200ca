"""Look-alike events about the same person stay apart; a thread ties them together.

The reports are written for this test: an official placed under investigation (English and
Chinese, March 2024) and the same man sentenced fifteen months later (two English reports),
plus an unrelated report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Ledger

REPORTS = [
    {"id": "probe-en", "outlet": "Harbour Ledger", "published": "2024-03-05",
     "title": "Provincial governor Li Wenhua placed under investigation",
     "text": "The Central Commission for Discipline Inspection said on Monday that Li Wenhua, governor of Hexi"
             " province, is under investigation for serious violations of discipline and law. Li Wenhua is suspected"
             " of taking bribes of about 80 million yuan, people familiar with the case said."},
    {"id": "probe-zh", "outlet": "港湾日报", "published": "2024-03-04",
     "title": "河西省省长李文华涉嫌严重违纪违法 接受审查调查",
     "text": "中央纪委国家监委4日发布消息,河西省省长李文华涉嫌严重违纪违法,目前正接受中央纪委国家监委纪律审查和监察调查。"
             "知情人士称,李文华涉嫌受贿约八千万元。"},
    {"id": "verdict-a", "outlet": "Coastal Wire", "published": "2025-06-18",
     "title": "Former governor Li Wenhua sentenced to life in prison",
     "text": "A court in Tianjin on Tuesday sentenced Li Wenhua, the former governor of Hexi province, to life in"
             " prison for taking bribes worth 120 million yuan. Li Wenhua said he would not appeal."},
    {"id": "verdict-b", "outlet": "Northern Observer", "published": "2025-06-17",
     "title": "Ex-governor Li Wenhua jailed for life over bribery",
     "text": "Li Wenhua, once governor of Hexi province, was sentenced to life in prison on Tuesday by a Tianjin"
             " court, which found that he had accepted bribes worth 120 million yuan over two decades."},
    {"id": "floods", "outlet": "Harbour Ledger", "published": "2025-06-17",
     "title": "Heavy rain floods southern river towns",
     "text": "Heavy rain flooded several towns along the southern river on Tuesday, forcing thousands of residents"
             " to leave their homes. Rescue teams used boats to reach villages cut off by the water."},
]


@pytest.fixture
def linked(ledger: Ledger, tmp_path: Path) -> Ledger:
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in REPORTS) + "\n", encoding="utf-8")
    assert ledger.run("ingest", str(path)).exit_code == 0
    return ledger


def _story_of(ledger: Ledger) -> dict[str, int]:
    sources = {d["id"]: d["source"].rsplit("#", 1)[1] for d in ledger.json("docs")}
    return {sources[doc]: story["id"] for story in ledger.json("stories") for doc in story["doc_ids"]}


def test_an_investigation_and_a_later_sentence_are_two_stories_of_one_thread(linked: Ledger) -> None:
    story = _story_of(linked)
    assert story["probe-en"] == story["probe-zh"]  # one event, across English and Chinese
    assert story["verdict-a"] == story["verdict-b"]
    assert story["probe-en"] != story["verdict-a"]  # the same man, another event
    assert story["floods"] not in (story["probe-en"], story["verdict-a"])

    stories = {s["id"]: s for s in linked.json("stories")}
    threads = linked.json("threads")
    (affair,) = [t for t in threads if story["probe-en"] in t["story_ids"]]
    assert affair["story_ids"] == [story["probe-en"], story["verdict-a"]]  # in time order
    assert affair["title"] == "Li Wenhua"
    assert (affair["first_date"], affair["last_date"]) == ("2024-03-04", "2025-06-17")
    assert stories[story["floods"]]["thread_id"] != affair["id"]
    shown = [s["id"] for s in linked.json("stories", "--thread", str(affair["id"]))]
    assert sorted(shown) == sorted(affair["story_ids"])
    assert linked.run("stories", "--thread", "999").exit_code == 1


def test_a_figure_of_one_event_is_never_a_conflict_with_another_event(linked: Ledger) -> None:
    details = [c["detail"] for g in linked.json("groups", "--all") for c in g["conflicts"]]
    assert not any("80" in d and "120" in d for d in details), details
    assert all(len({g["story_id"]}) == 1 for g in linked.json("groups", "--all"))


def test_show_gives_the_signature_and_what_was_not_read(linked: Ledger) -> None:
    docs = {d["source"].rsplit("#", 1)[1]: d["id"] for d in linked.json("docs")}
    shown = linked.json("show", str(docs["verdict-a"]))
    assert shown["event"]["who"][0] == "li wenhua"
    assert shown["event"]["what"][0] == "sentenced"
    assert (shown["event"]["when"], shown["event"]["when_source"]) == ("2025-06-17", "act")
    assert shown["event"]["missing"] == []
    text = linked.run("show", str(docs["floods"])).stdout
    assert "not read: who" in text


def test_a_story_page_shows_its_thread_as_a_timeline(linked: Ledger) -> None:
    from fastapi.testclient import TestClient

    from claimledger.store import Store
    from claimledger.web.app import create_app

    story = _story_of(linked)
    with Store.open(str(linked.db_path)) as store:
        page = TestClient(create_app(store)).get(f"/stories/{story['probe-en']}").text
    assert "Thread: Li Wenhua" in page
    assert f'href="/stories/{story["verdict-a"]}"' in page
    assert page.index("2024-03-04") < page.index("2025-06-17")


def _docs(ledger: Ledger) -> dict[str, int]:
    return {d["source"].rsplit("#", 1)[1]: d["id"] for d in ledger.json("docs")}


def _groups_of(ledger: Ledger, story_id: int) -> set[int]:
    return {g["id"] for g in ledger.json("groups", "--all", "--story", str(story_id))}


def test_an_analyst_merges_two_stories_and_undoes_it(linked: Ledger) -> None:
    story = _story_of(linked)
    probe, verdict = story["probe-en"], story["verdict-a"]
    groups_before = _groups_of(linked, verdict)
    merged = linked.run("story", "merge", str(probe), str(verdict))
    assert merged.exit_code == 0, merged.output
    correction = int(merged.stdout.split("#", 1)[1].split(":", 1)[0])
    after = _story_of(linked)
    assert after["verdict-a"] == after["verdict-b"] == after["probe-en"] == probe
    assert groups_before <= _groups_of(linked, probe)  # the groups came along, with their history
    assert linked.run("link").exit_code == 0  # linking again keeps the correction
    assert _story_of(linked)["verdict-a"] == probe
    (listed,) = [c for c in linked.json("corrections") if c["id"] == correction]
    assert listed["kind"] == "merge-stories" and listed["undone_at"] is None

    assert linked.run("undo", str(correction)).exit_code == 0
    back = _story_of(linked)
    assert back["verdict-a"] == back["verdict-b"] == verdict and back["probe-en"] == probe
    assert _groups_of(linked, verdict) == groups_before
    assert linked.run("undo", str(correction)).exit_code == 1  # already undone: a clear error


def test_an_analyst_splits_a_report_out_and_it_stays_out(linked: Ledger) -> None:
    story, docs = _story_of(linked), _docs(linked)
    split = linked.run("story", "split", str(story["probe-zh"]), str(docs["probe-zh"]))
    assert split.exit_code == 0, split.output
    new_story = _story_of(linked)["probe-zh"]
    assert new_story not in (story["probe-en"], story["verdict-a"])
    claims = [c for c in linked.json("claims") if c["doc_id"] == docs["probe-zh"]]
    grouped = {g["id"] for g in linked.json("groups", "--all", "--story", str(new_story))}
    assert claims and all(any(c["id"] in g["claim_ids"] for g in linked.json("groups", "--all") if g["id"] in grouped) for c in claims)
    stories = {s["id"]: s for s in linked.json("stories")}
    assert stories[new_story]["thread_id"] == stories[story["probe-en"]]["thread_id"]

    assert linked.run("extract", "--all").exit_code == 0  # re-extracting and re-linking keep it
    assert _story_of(linked)["probe-zh"] == new_story
    correction = linked.json("corrections")[-1]["id"]
    assert linked.run("undo", str(correction)).exit_code == 0
    assert _story_of(linked)["probe-zh"] == story["probe-en"]


def test_impossible_story_corrections_are_clear_errors(linked: Ledger) -> None:
    story, docs = _story_of(linked), _docs(linked)
    itself = linked.run("story", "merge", str(story["probe-en"]), str(story["probe-en"]))
    assert itself.exit_code == 1 and "[E301]" in itself.output
    unknown = linked.run("story", "move", "999", "--to", str(story["probe-en"]))
    assert unknown.exit_code == 1 and "999" in unknown.output
    whole = linked.run("story", "split", str(story["floods"]), str(docs["floods"]))
    assert whole.exit_code == 2
    assert linked.json("corrections") == []  # nothing was written
