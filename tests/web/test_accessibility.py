"""Article text says which language it is in (the app's own words stay English), so screen
readers and fonts treat a Chinese report as Chinese; every page starts with a skip link."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from claimledger.web.views import text_language


def test_text_language_prefers_the_stored_language_then_the_script() -> None:
    assert text_language("子午港务集团董事长传被带走") == "zh"
    assert text_language("港湾日報：子午港務集團董事長", None) == "zh"
    assert text_language("ニュース速報：会長が拘束", None) == "ja"
    assert text_language("속보: 회장 구금", None) == "ko"
    assert text_language("Meridian chairman detained", None) is None
    assert text_language("Xi Jinping (习近平) spoke", None) is None  # a name in brackets does not make it Chinese
    assert text_language("anything", "fr") == "fr"
    assert text_language("anything", 'en" onmouseover="x') is None  # never an attribute breakout


def test_chinese_text_is_marked_and_english_is_not(client: TestClient) -> None:
    documents = client.get("/api/documents", params={"limit": 200}).json()["items"]
    chinese = next(d for d in documents if d["language"] == "zh")
    english = next(d for d in documents if d["language"] == "en")
    page = client.get(f"/documents/{chinese['id']}").text
    assert '<html lang="en">' in page and re.search(r'id="doc-text" lang="zh"', page)
    assert re.search(r'<h1 lang="zh">', page)
    assert 'id="doc-text">' in client.get(f"/documents/{english['id']}").text
    groups = client.get("/api/groups", params={"limit": 200}).json()["items"]
    group = next(g for g in groups if chinese["id"] in g["doc_ids"] and len(g["doc_ids"]) > 1)
    retellings = client.get(f"/groups/{group['id']}").text
    assert retellings.count('<p lang="zh">') >= 1 and "<p>" in retellings  # the Chinese retelling, and English ones
    story = client.get(f"/stories/{group['story_id']}").text
    assert re.search(rf'<a href="/documents/{chinese["id"]}" lang="zh">', story)


def test_every_page_opens_with_a_skip_link_to_the_content(client: TestClient) -> None:
    for path in ("/", "/help", "/due", "/search"):
        page = client.get(path).text
        body = page[page.index("<body>") + len("<body>"):].lstrip()
        assert body.startswith('<a class="skip-link" href="#main">') and '<main id="main"' in page, path
