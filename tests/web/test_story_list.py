"""The story list an analyst opens first: the latest events first, titles without scraped junk."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from claimledger.store import Store
from claimledger.web.app import create_app
from tests.conftest import Ledger


def test_the_home_page_lists_the_latest_events_first(client: TestClient) -> None:
    html = client.get("/").text
    rows = re.findall(r'<a class="story-link" href="/stories/(\d+)">.*?</a></td>\s*<td>([^<]*)</td>', html, re.S)
    assert len(rows) >= 2
    last_dates = [dates.split("–")[-1].strip() for _, dates in rows]
    dated = [d for d in last_dates if d != "undated"]
    assert dated == sorted(dated, reverse=True)
    assert last_dates[: len(dated)] == dated  # undated stories come last


def test_a_story_title_drops_the_timestamp_scraped_copy_opens_with(tmp_path: Path) -> None:
    article = tmp_path / "scraped.txt"
    article.write_text(
        " date 2021-01-05 Social media users have set Twitter on fire after reports surfaced that the "
        "founder of Alibaba has not been seen in public for two months, and many are asking where he is now. "
        "He has not posted since October.\n\nThe company did not comment on the reports on Tuesday.\n",
        encoding="utf-8")
    ledger = Ledger(tmp_path / "ledger.db")
    assert ledger.run("ingest", str(article)).exit_code == 0
    (story,) = ledger.json("stories")
    assert story["title"].startswith("Social media users have set Twitter on fire")
    assert "date" not in story["title"] and "He has not posted" not in story["title"]
    with Store.open(str(ledger.db_path)) as store:
        assert "Social media users" in TestClient(create_app(store)).get("/").text


def test_the_story_list_counts_the_claims_told_more_than_once(client: TestClient) -> None:
    groups = client.get("/api/groups", params={"limit": 200}).json()["items"]
    stories = client.get("/api/stories").json()["items"]
    page = client.get("/").text
    for story in stories:
        shared = sum(1 for g in groups if g["story_id"] == story["id"] and len(g["claim_ids"]) > 1)
        assert story["shared_groups"] == shared and story["groups"] >= shared
        row = page[page.index(f'href="/stories/{story["id"]}"'):]
        cells = re.findall(r"<td>([^<]*)</td>", row[: row.index("</tr>")])
        assert cells[2] == str(shared), (story["id"], cells)  # dates, documents, shared claims
    assert any(s["groups"] > s["shared_groups"] for s in stories)  # single claims exist, and are not counted
