"""In a real browser (Debian's chromium, driven by Playwright): hostile article text stays inert,
and an analyst can click from a story to a claim group to a document and add evidence.

Screenshots are saved under test-artifacts/ for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from claimledger.store import Store
from claimledger.web.app import create_app
from tests.conftest import ROOT, Ledger
from tests.web.conftest import PASSWORD

CHROMIUM = os.environ.get("CLAIMLEDGER_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# Every one of these would set window.__pwned or open a dialog if it ran.
PAYLOADS = [
    "<script>window.__pwned = 1; alert(1)</script>",
    "<img src=x onerror=\"window.__pwned = 2; alert(2)\">",
    "<a href=\"javascript:window.__pwned = 3\">click me</a>",
    "<svg onload=\"window.__pwned = 4\"><script>window.__pwned = 5</script></svg>",
    "<iframe srcdoc=\"<script>parent.__pwned = 6</script>\"></iframe>",
    "\"><script>window.__pwned = 7</script>",
]
HOSTILE_HTML = f"""<!doctype html><html><head><title>Port chief {PAYLOADS[0]} detained</title>
<script>window.__pwned = 100</script></head>
<body onload="window.__pwned = 101"><article><h1>Port chief detained</h1>
<p>Ansel Kover, the chairman of Meridian Harbour Group, was detained by the State Integrity Bureau, the
livestreamer Tomas Reyne said on Monday. <img src=x onerror="window.__pwned = 102"></p>
<p>Readers posted this in the comments: {" ".join(p.replace("<", "&lt;").replace(">", "&gt;") for p in PAYLOADS)}</p>
<p><a href="javascript:window.__pwned = 103">More</a> <svg onload="window.__pwned = 104"></svg></p>
</article></body></html>"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(example_copy: Path | str, tmp_path: Path) -> Iterator[str]:
    """The app on a loopback port, over a copy of the example store plus the hostile reports."""
    path = example_copy
    (tmp_path / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    record = {"title": PAYLOADS[1] + " Meridian chairman held", "outlet": PAYLOADS[3], "url": "javascript:alert(9)",
              "text": "Ansel Kover was taken away by the State Integrity Bureau, Tomas Reyne said. " + " ".join(PAYLOADS)}
    (tmp_path / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = Ledger(path).run("ingest", str(tmp_path / "hostile.html"), str(tmp_path / "hostile.jsonl"))
    assert result.exit_code == 0, result.output
    store = Store.open(str(path))
    port = free_port()
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        opened = context.new_page()
        opened.dialogs = []  # type: ignore[attr-defined]
        opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
        yield opened
        browser.close()


def assert_inert(page: object) -> None:
    state = page.evaluate(  # type: ignore[attr-defined]
        """() => ({
            pwned: window.__pwned === undefined ? null : window.__pwned,
            scripts: document.querySelectorAll('script').length,
            handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
            javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
            iframes: document.querySelectorAll('iframe').length,
        })"""
    )
    assert state == {"pwned": None, "scripts": 0, "handlers": 0, "javascriptLinks": 0, "iframes": 0}, state
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_hostile_article_text_never_runs(server: str, page: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    documents = json.loads(page.request.get(f"{server}/api/documents?limit=200").text())["items"]  # type: ignore[attr-defined]
    hostile = [d for d in documents if "pwned" in (d["title"] or "") + (d["outlet"] or "") or d["id"] > 7]
    assert len(hostile) == 2
    visited = ["/", "/search?q=pwned", "/search?like=window.__pwned"]
    visited += [f"/documents/{d['id']}" for d in hostile]
    story_ids = {s["id"] for s in json.loads(page.request.get(f"{server}/api/stories").text())["items"]}  # type: ignore[attr-defined]
    visited += [f"/stories/{i}" for i in story_ids]
    groups = json.loads(page.request.get(f"{server}/api/groups?limit=200").text())["items"]  # type: ignore[attr-defined]
    visited += [f"/groups/{g['id']}" for g in groups if set(g["doc_ids"]) & {d["id"] for d in hostile}][:5]
    for path in visited:
        page.goto(server + path)  # type: ignore[attr-defined]
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        time.sleep(0.2)  # let an injected handler fire, if one had got through
        assert_inert(page)
    page.goto(f"{server}/documents/{hostile[-1]['id']}")  # type: ignore[attr-defined]
    text = page.inner_text("#doc-text")  # type: ignore[attr-defined]
    assert "<script>window.__pwned = 1" in text  # shown as the words it is, not run
    page.screenshot(path=str(ARTIFACTS / "hostile-document.png"), full_page=True)  # type: ignore[attr-defined]


def test_story_to_group_to_document_and_evidence(server: str, page: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.click("text=Meridian chairman detained, livestreamer says")  # type: ignore[attr-defined]
    page.wait_for_selector("#groups")  # type: ignore[attr-defined]
    page.click("a.group-link >> nth=0")  # type: ignore[attr-defined]
    page.wait_for_selector("#relay-graph")  # type: ignore[attr-defined]
    origins = page.locator("#relay-graph g.node.independent")  # type: ignore[attr-defined]
    assert origins.count() >= 1 and "Tomas Reyne" in (origins.first.text_content() or "")
    page.screenshot(path=str(ARTIFACTS / "claim-group.png"), full_page=True)  # type: ignore[attr-defined]
    group_url = page.url  # type: ignore[attr-defined]
    page.click(".retelling header a >> nth=0")  # type: ignore[attr-defined]
    page.wait_for_selector("#doc-text mark.claim")  # type: ignore[attr-defined]
    assert page.url.split("#")[1].startswith("claim-")  # type: ignore[attr-defined]
    assert page.locator(f"#{page.url.split('#')[1]}").count() >= 1  # type: ignore[attr-defined]
    page.goto(server + "/login")  # type: ignore[attr-defined]
    page.fill("input[name=name]", "analyst")  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("#login-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("text=signed in as analyst")  # type: ignore[attr-defined]
    page.goto(group_url)  # type: ignore[attr-defined]
    page.select_option("#evidence-form select[name=stance]", "refutes")  # type: ignore[attr-defined]
    page.fill("#evidence-form input[name=target]", "https://example.org/kover-at-work")  # type: ignore[attr-defined]
    page.fill("#evidence-form input[name=note]", "Kover chaired the board meeting on February 5")  # type: ignore[attr-defined]
    page.click("#evidence-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("#evidence li >> text=Kover chaired the board meeting")  # type: ignore[attr-defined]
    assert page.inner_text("#status") == "refuted"  # type: ignore[attr-defined]
    assert "refuted" in page.inner_text("#history")  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "evidence-added.png"), full_page=True)  # type: ignore[attr-defined]
    page.goto(server + "/ingest")  # type: ignore[attr-defined]
    page.fill("#ingest-form input[name=title]", "Bureau confirms questioning")  # type: ignore[attr-defined]
    page.fill("#ingest-form textarea[name=text]", "The State Integrity Bureau confirmed on Friday that Ansel Kover was being questioned.")  # type: ignore[attr-defined]
    page.click("#ingest-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("#job-result >> text=1 added", timeout=60_000)  # type: ignore[attr-defined]  # the page's own script followed the job
    page.screenshot(path=str(ARTIFACTS / "ingest-finished.png"), full_page=True)  # type: ignore[attr-defined]


def test_relay_graph_text_fits_its_boxes_and_nodes_take_keyboard_focus(server: str, page: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    groups = json.loads(page.request.get(f"{server}/api/groups?limit=200").text())["items"]  # type: ignore[attr-defined]
    widest = max(groups, key=lambda g: len(g["doc_ids"]))
    page.goto(f"{server}/groups/{widest['id']}")  # type: ignore[attr-defined]
    page.wait_for_selector("#relay-graph g.node")  # type: ignore[attr-defined]
    boxes = page.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('#relay-graph g.node')].map(g => {
            const box = g.querySelector('rect').getBBox();
            return {box: [box.x, box.y, box.width, box.height],
                    texts: [...g.querySelectorAll('text')].map(t => { const b = t.getBBox(); return [b.x, b.width]; }),
                    focusable: g.tabIndex >= 0 || g.closest('a') !== null};
        })"""
    )
    assert len(boxes) >= 5
    for node in boxes:
        x, _, width, _ = node["box"]
        assert node["focusable"]
        for left, text_width in node["texts"]:  # drawn text, in the browser's own font, inside its box
            assert x <= left and left + text_width <= x + width + 0.5, node
    frame = page.evaluate("() => { const f = document.querySelector('.graph-wrap'); return [f.scrollWidth, f.clientWidth]; }")  # type: ignore[attr-defined]
    hint = page.locator("#graph-hint").count()  # type: ignore[attr-defined]
    assert hint == (1 if frame[0] > frame[1] else hint)  # a graph wider than its frame says so
    for _ in range(40):  # Tab reaches the graph's nodes
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if page.evaluate("() => document.activeElement.closest('#relay-graph') !== null"):  # type: ignore[attr-defined]
            break
    else:
        raise AssertionError("no graph node took keyboard focus")
    svg = page.request.get(f"{server}/groups/{widest['id']}/graph.svg")  # type: ignore[attr-defined]
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    page.goto(f"{server}/groups/{widest['id']}/graph.svg")  # type: ignore[attr-defined]  # the download, on its own
    assert page.evaluate("() => getComputedStyle(document.querySelector('g.node rect')).fill") != "rgb(0, 0, 0)"  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "relay-graph.png"))  # type: ignore[attr-defined]


def test_every_page_passes_axe_and_fits_a_phone(server: str, page: object) -> None:
    """axe-core (the copy axe-playwright-python carries) finds no serious or critical violation
    on any kind of page, signed in or not; at 390 px no page is wider than the screen; article
    text in another language says so; the skip link is the first stop of the keyboard."""
    from axe_playwright_python.sync_playwright import Axe

    documents = json.loads(page.request.get(f"{server}/api/documents?limit=200").text())["items"]  # type: ignore[attr-defined]
    chinese = next(d for d in documents if d["language"] == "zh")
    groups = json.loads(page.request.get(f"{server}/api/groups?limit=200").text())["items"]  # type: ignore[attr-defined]
    entities = json.loads(page.request.get(f"{server}/api/entities?limit=5").text())["items"]  # type: ignore[attr-defined]
    paths = ["/", "/help", "/due?all=true", "/search?q=Meridian", "/search?like=chairman+detained", "/login",
             f"/stories/{groups[0]['story_id']}", f"/groups/{groups[0]['id']}", f"/documents/{chinese['id']}",
             f"/documents/{documents[0]['id']}", f"/entities/{entities[0]['id']}", "/groups", "/groups?status=single-origin",
             "/entities", "/sources", "/documents?language=zh", f"/entities/{entities[0]['id']}/merge?source={entities[1]['id']}"]
    axe = Axe()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{server}/documents/{chinese['id']}")  # type: ignore[attr-defined]
    assert page.get_attribute("#doc-text", "lang") == "zh"  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == "en"  # type: ignore[attr-defined]  # the app's own words stay English
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert page.evaluate("() => document.activeElement.className") == "skip-link"  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert page.evaluate("() => document.activeElement.id") == "main"  # type: ignore[attr-defined]
    for signed_in in (False, True):
        if signed_in:
            page.goto(server + "/login")  # type: ignore[attr-defined]
            page.fill("input[name=name]", "analyst")  # type: ignore[attr-defined]
            page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
            page.click("#login-form button")  # type: ignore[attr-defined]
            page.wait_for_selector("text=signed in as analyst")  # type: ignore[attr-defined]
            paths = [p for p in paths if p != "/login"] + ["/ingest"]
        for path in paths:
            page.set_viewport_size({"width": 1300, "height": 900})  # type: ignore[attr-defined]
            page.goto(server + path)  # type: ignore[attr-defined]
            if signed_in:  # a picture of every page, as an analyst sees it
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "stories"
                page.screenshot(path=str(ARTIFACTS / f"page-{slug}.png"), full_page=True)  # type: ignore[attr-defined]
            found = axe.run(page).response["violations"]
            serious = [(v["id"], v["impact"], v["nodes"][0]["html"][:120]) for v in found if v["impact"] in ("serious", "critical")]
            assert serious == [], (path, serious)
            page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
            width = page.evaluate("() => document.documentElement.scrollWidth")  # type: ignore[attr-defined]
            assert width <= 392, (path, width)
    page.goto(server + "/")  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stories-390px.png"), full_page=True)  # type: ignore[attr-defined]


def test_an_analyst_filters_the_claims_and_merges_two_entities_by_clicking(server: str, page: object) -> None:
    page.goto(server + "/login")  # type: ignore[attr-defined]
    page.fill("input[name=name]", "analyst")  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("#login-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("text=signed in as analyst")  # type: ignore[attr-defined]
    page.click("nav >> text=Claims")  # type: ignore[attr-defined]
    page.wait_for_selector("#all-groups")  # type: ignore[attr-defined]
    page.select_option("#group-filters select[name=status]", "single-origin")  # type: ignore[attr-defined]
    page.click("#group-filters button")  # type: ignore[attr-defined]
    page.wait_for_url("**/groups?*status=single-origin*")  # type: ignore[attr-defined]
    statuses = page.locator("#all-groups td .status").all_inner_texts()  # type: ignore[attr-defined]
    assert statuses and set(statuses) == {"single-origin"}
    page.click("nav >> text=Entities")  # type: ignore[attr-defined]
    page.wait_for_selector("#duplicates")  # type: ignore[attr-defined]
    row = page.locator("#duplicates tbody tr", has_text="Kover").first  # type: ignore[attr-defined]
    keep = row.locator("td >> nth=0 >> a").inner_text()
    row.locator("text=Merge…").click()
    page.wait_for_selector("#confirm-merge-form")  # type: ignore[attr-defined]
    page.click("#confirm-merge-form button")  # type: ignore[attr-defined]
    page.wait_for_selector("h1")  # type: ignore[attr-defined]
    assert keep in page.inner_text("h1") and "merge-entities" in page.inner_text(".corrections")  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "entity-merged.png"), full_page=True)  # type: ignore[attr-defined]
