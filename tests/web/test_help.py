"""Every status, grade and checkpoint badge links to the place on the help page that says what it means."""

from __future__ import annotations

import re
from typing import get_args

from fastapi.testclient import TestClient

from claimledger.model import GroupStatus


def _anchors(html: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', html))


def test_the_help_page_explains_every_status_grade_and_checkpoint(client: TestClient) -> None:
    page = client.get("/help")
    assert page.status_code == 200
    anchors = _anchors(page.text)
    assert {f"status-{status}" for status in get_args(GroupStatus)} <= anchors
    assert {f"grade-{mark}" for mark in "ABCDEF123456"} <= anchors
    assert {"checkpoint-due", "checkpoint-upcoming", "checkpoint-overdue", "worth", "origins"} <= anchors
    assert 'href="/help"' in client.get("/").text  # in the navigation of every page


def test_every_badge_on_every_page_links_to_an_anchor_that_exists(client: TestClient) -> None:
    anchors = _anchors(client.get("/help").text)
    groups = client.get("/api/groups", params={"limit": 100}).json()["items"]
    pages = ["/", "/due?", "/groups", "/sources", *(f"/stories/{s}" for s in {g["story_id"] for g in groups}), *(f"/groups/{g['id']}" for g in groups)]
    linked = 0
    for path in pages:
        html = client.get(path).text
        badges = re.findall(r'<(\w+) class="(?:status|grade)[^"]*"[^>]*>', html)
        targets = re.findall(r'class="(?:status|grade)[^"]*"[^>]*href="/help#([^"]+)"', html)
        assert len(targets) == len([b for b in badges if b == "a"]), path
        assert all(tag == "a" for tag in badges), f"{path}: a badge that links nowhere"
        assert set(targets) <= anchors, path
        linked += len(targets)
    assert linked > len(groups)  # each group page and list row has its badges
