"""The API and pages against the real app and a real SQLite store."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from markupsafe import escape

from claimledger.ledger import accounts
from claimledger.store import Store
from claimledger.web.app import create_app
from tests.web.conftest import csrf_of, sign_in


def detained_group(client: TestClient) -> dict:
    groups = client.get("/api/groups", params={"limit": 200}).json()["items"]
    return next(g for g in groups if len(g["doc_ids"]) >= 3 and g["origins"][0]["name"] == "Tomas Reyne")


def test_lists_are_paginated_and_described_by_openapi(client: TestClient) -> None:
    first = client.get("/api/groups", params={"limit": 2, "offset": 0}).json()
    second = client.get("/api/groups", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] > 4 and len(first["items"]) == 2
    assert {g["id"] for g in first["items"]}.isdisjoint(g["id"] for g in second["items"])
    assert client.get("/api/groups", params={"limit": 0}).status_code == 422
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/groups/{group_id}", "/api/groups/{group_id}/evidence", "/api/similar"} <= set(spec["paths"])


def test_group_detail_has_the_graph_with_its_single_origin(client: TestClient) -> None:
    group = detained_group(client)
    detail = client.get(f"/api/groups/{group['id']}").json()
    origins = [n for n in detail["nodes"] if n["origin"] and n["independent"]]
    assert [n["label"] for n in origins] == ["Tomas Reyne"]
    assert all(c["span"][0] < c["span"][1] for c in detail["claims"])
    page = client.get(f"/groups/{group['id']}")
    assert page.status_code == 200 and "independent origin" in page.text and "<svg" in page.text


def test_document_marks_point_into_the_text(client: TestClient) -> None:
    document = client.get("/api/documents/1").json()
    kinds = {name for mark in document["marks"] for name in mark["marks"]}
    assert {"claim", "entity", "source", "cue"} <= kinds
    for mark in document["marks"]:
        assert document["text"][mark["start"] : mark["end"]]


def test_similar_claims_cross_languages(client: TestClient) -> None:
    found = client.get("/api/similar", params={"text": "董事长被带走调查"}).json()["items"]
    assert any("Kover" in c["text"] or "科弗" in c["text"] for c in found[:5])


def test_writing_needs_a_user_or_a_token(client: TestClient, web_store: Store) -> None:
    group = detained_group(client)
    body = {"stance": "refutes", "url": "https://example.org/denial", "note": "The group says Kover is at work"}
    assert client.post(f"/api/groups/{group['id']}/evidence", json=body).status_code == 401
    token = accounts.make_token(web_store, "analyst", "test")
    assert client.post(f"/api/groups/{group['id']}/evidence", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = client.post(f"/api/groups/{group['id']}/evidence", json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201 and answer.json()["status"] == "refuted"


def test_forms_need_the_csrf_token_and_a_signed_in_user(client: TestClient) -> None:
    group = detained_group(client)
    form = {"stance": "supports", "target": "https://example.org/court", "note": "court record"}
    page = client.get("/login").text  # a real token of this session, but nobody signed in
    assert client.post(f"/groups/{group['id']}/evidence", data=form | {"csrf": csrf_of(page)}).status_code == 401
    sign_in(client)
    assert client.post(f"/groups/{group['id']}/evidence", data=form | {"csrf": "forged"}).status_code == 403
    page = client.get(f"/groups/{group['id']}").text
    done = client.post(f"/groups/{group['id']}/evidence", data=form | {"csrf": csrf_of(page)}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get(f"/api/groups/{group['id']}").json()["group"]["status"] == "confirmed"


def test_wrong_password_is_refused(client: TestClient) -> None:
    page = client.get("/login").text
    answer = client.post("/login", data={"name": "analyst", "password": "nope", "csrf": csrf_of(page)})
    assert answer.status_code == 401 and "wrong password" in answer.text


def test_headers_and_upload_limit(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
    sign_in(client)
    page = client.get("/ingest").text
    big = ("article.txt", b"Title\n\n" + b"word " * 60_000, "text/plain")
    assert client.post("/ingest", data={"csrf": csrf_of(page)}, files={"files": big}).status_code == 413


def test_pasted_text_is_ingested_and_linked(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/ingest").text
    text = "The Vallmar port authority said on Tuesday that Ansel Kover had been taken away for questioning by the State Integrity Bureau."
    answer = client.post("/ingest", data={"csrf": csrf_of(page), "text": text, "title": "Port authority confirms", "outlet": "Vallmar Gazette"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/jobs/")
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    for _ in range(300):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["finished"]:
            break
        time.sleep(0.1)
    assert job["error"] is None and job["result"]["summary"]["added"] == 1, job
    assert "1 added" in client.get(f"/jobs/{job_id}").text
    stories = client.get("/api/stories").json()["items"]
    assert sum(len(s["doc_ids"]) for s in stories) == 8


def token_headers(web_store: Store) -> dict[str, str]:
    return {"Authorization": f"Bearer {accounts.make_token(web_store, 'analyst', 'test')}"}


def test_merge_and_split_groups_are_recorded_undoable_and_kept_when_extraction_reruns(client: TestClient, web_store: Store) -> None:
    from click.testing import CliRunner

    from claimledger.cli import cli  # the real CLI on the same store

    headers = token_headers(web_store)
    group = detained_group(client)
    others = [g for g in client.get("/api/groups", params={"limit": 200}).json()["items"]
              if g["story_id"] == group["story_id"] and g["id"] != group["id"] and len(g["claim_ids"]) == 1]
    other = others[0]
    merged = client.post(f"/api/groups/{group['id']}/merge", json={"source": other["id"]}, headers=headers).json()
    assert set(other["claim_ids"]) <= set(merged["group"]["claim_ids"])
    moved_doc = other["doc_ids"][0]
    result = CliRunner().invoke(cli, ["--db", web_store.url.removeprefix("sqlite:///"), "extract", "--all"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    after = client.get(f"/api/groups/{group['id']}").json()["group"]
    assert moved_doc in after["doc_ids"]  # the pin held: the re-extracted claim came back to the merged group
    assert client.post(f"/api/corrections/{merged['correction_id']}/undo", headers=headers).status_code == 200
    assert len(client.get(f"/api/groups/{group['id']}").json()["group"]["claim_ids"]) == len(after["claim_ids"]) - 1
    assert client.post(f"/api/groups/{group['id']}/merge", json={"source": group["id"]}, headers=headers).status_code == 422

    claim_id = after["claim_ids"][-1]
    split = client.post(f"/api/claims/{claim_id}/split", headers=headers).json()
    assert client.get(f"/api/groups/{split['group_id']}").json()["group"]["claim_ids"] == [claim_id]


def test_merging_entities_merges_their_origins(client: TestClient, web_store: Store) -> None:
    headers = token_headers(web_store)
    entities = client.get("/api/entities", params={"limit": 200}).json()["items"]
    reyne = next(e for e in entities if e["name"] == "Tomas Reyne")
    ledger = next(e for e in entities if e["name"] == "Harbour Ledger")
    answer = client.post(f"/api/entities/{reyne['id']}/merge", json={"source": ledger["id"]}, headers=headers)
    assert answer.status_code == 200
    merged = client.get(f"/api/entities/{reyne['id']}").json()
    assert "Harbour Ledger" in merged["aliases"]
    assert client.post(f"/api/corrections/{answer.json()['correction_id']}/undo", headers=headers).status_code == 200
    restored = client.get(f"/api/entities/{ledger['id']}").json()
    assert restored["doc_ids"]  # its mentions went back


def test_splitting_an_entity_holds_when_extraction_reruns(client: TestClient, web_store: Store) -> None:
    from click.testing import CliRunner

    from claimledger.cli import cli

    headers = token_headers(web_store)
    entities = client.get("/api/entities", params={"limit": 200}).json()["items"]
    reyne = next(e for e in entities if e["name"] == "Tomas Reyne")
    documents = client.get(f"/api/entities/{reyne['id']}").json()["doc_ids"]
    assert len(documents) >= 2
    answer = client.post(f"/api/entities/{reyne['id']}/split", json={"document_ids": documents[-1:], "name": "Tomas Reyne (the MP)"}, headers=headers)
    assert answer.status_code == 200, answer.text
    new_id = answer.json()["entity_id"]
    assert client.get(f"/api/entities/{new_id}").json()["doc_ids"] == documents[-1:]
    result = CliRunner().invoke(cli, ["--db", web_store.url.removeprefix("sqlite:///"), "extract", str(documents[-1])], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert client.get(f"/api/entities/{new_id}").json()["doc_ids"] == documents[-1:]  # still split after re-extraction
    assert documents[-1] not in client.get(f"/api/entities/{reyne['id']}").json()["doc_ids"]
    assert client.post(f"/api/entities/{reyne['id']}/split", json={"document_ids": documents, "name": "x"}, headers=headers).status_code == 422
    assert client.post(f"/api/corrections/{answer.json()['correction_id']}/undo", headers=headers).status_code == 200
    assert client.get(f"/api/entities/{reyne['id']}").json()["doc_ids"] == documents


def test_entity_page_title_is_the_name_and_its_forms_are_in_the_body(client: TestClient) -> None:
    sign_in(client)
    html = client.get("/entities/1").text
    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert "<" not in title and "form" not in title
    assert html.count('id="entity-merge-form"') == 1


def test_threads_are_listed_and_each_story_names_its_thread(client: TestClient) -> None:
    threads = client.get("/api/threads").json()
    assert threads["total"] >= 1
    thread = client.get(f"/api/threads/{threads['items'][0]['id']}").json()
    assert [s["id"] for s in thread["stories"]] == thread["story_ids"]
    story = client.get(f"/api/stories/{thread['story_ids'][0]}").json()
    assert story["thread_id"] == thread["id"]
    assert client.get("/api/threads/9999").status_code == 404


def test_a_report_moved_to_a_new_story_through_the_api_can_be_moved_back(client: TestClient, web_store: Store) -> None:
    token = accounts.make_token(web_store, "analyst", "test")
    headers = {"Authorization": f"Bearer {token}"}
    story = max(client.get("/api/stories").json()["items"], key=lambda s: len(s["doc_ids"]))
    moved = story["doc_ids"][-1]
    assert client.post(f"/api/stories/{story['id']}/move", json={"document_ids": [moved]}).status_code == 401
    answer = client.post(f"/api/stories/{story['id']}/move", json={"document_ids": [moved]}, headers=headers)
    assert answer.status_code == 200, answer.text
    new_story = client.get(f"/api/stories/{answer.json()['story_id']}").json()
    assert new_story["doc_ids"] == [moved] and new_story["thread_id"] == story["thread_id"]
    undone = client.post(f"/api/corrections/{answer.json()['correction_id']}/undo", headers=headers)
    assert undone.status_code == 200
    assert moved in client.get(f"/api/stories/{story['id']}").json()["doc_ids"]
    assert client.post(f"/api/stories/{story['id']}/merge", json={"source": story["id"]}, headers=headers).status_code == 422


def test_search_ranks_filters_and_marks_matches(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "detained Kover"}).json()
    assert found["document_total"] == len(found["documents"]) > 0
    for document in found["documents"]:
        marked = [document["snippet"][start:end].lower() for start, end in document["highlights"]]
        assert marked and all("kover" in m or "detained" in m for m in marked)  # "Ansel Kover": a name of Kover
    chinese = client.get("/api/search", params={"q": "Tomas Reyne", "language": "zh"}).json()
    assert chinese["documents"] and {d["language"][:2] for d in chinese["documents"]} == {"zh"}
    assert "雷恩" in chinese["terms"][0]["also"]
    assert client.get("/api/search", params={"q": "Kover", "grade": "Z9"}).status_code == 422
    assert client.get("/api/search", params={"q": "Kover", "status": "maybe"}).status_code == 422
    page = client.get("/search", params={"q": "detained Kover", "status": "single-origin"})
    assert page.status_code == 200 and "<mark>" in page.text and "Filters" in page.text


def test_one_error_answer_json_for_the_api_a_page_otherwise_never_the_database(web_store: Store) -> None:
    app_client = TestClient(create_app(web_store, allow_private=True), raise_server_exceptions=False)
    assert app_client.get("/api/nowhere").json() == {"detail": "Not Found"}
    missing = app_client.get("/nowhere")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert app_client.get("/api/groups/999999").status_code == 404
    with web_store.transaction() as connection:  # a broken store: the reader learns nothing of it
        connection.exec_driver_sql("DROP TABLE group_views")
    database = web_store.url.removeprefix("sqlite:///")
    for path in ("/api/groups", "/"):
        answer = app_client.get(path)
        assert answer.status_code == 500
        assert database not in answer.text and "group_views" not in answer.text and "sqlite" not in answer.text.lower()
    assert "detail" in app_client.get("/api/groups").json()


def test_entities_are_filtered_and_paged_in_the_store(client: TestClient) -> None:
    everything = client.get("/api/entities", params={"limit": 200}).json()
    assert everything["total"] == len(everything["items"]) > 3
    mentions = [e["mentions"] for e in everything["items"]]
    assert mentions == sorted(mentions, reverse=True)  # most mentioned first
    second = client.get("/api/entities", params={"limit": 1, "offset": 1}).json()
    assert second["items"][0]["id"] == everything["items"][1]["id"] and second["total"] == everything["total"]
    found = client.get("/api/entities", params={"q": "雷恩"}).json()  # an alias in another script
    assert found["total"] >= 1 and all(any("雷恩" in a for a in [e["name"], *e["aliases"]]) for e in found["items"])
    assert any("Reyne" in e["name"] or any("Reyne" in a for a in e["aliases"]) for e in found["items"])
    assert client.get("/api/entities", params={"q": "100%_"}).json()["total"] == 0  # % and _ are literal


def test_each_side_of_a_conflict_shows_its_own_report_even_from_another_group(client: TestClient, web_store: Store) -> None:
    """A denial lives in a group of its own: its side of a conflict still shows its own report."""
    groups = client.get("/api/groups", params={"limit": 200}).json()["items"]
    sides = [(g, claim, span) for g in groups for c in g["conflicts"]
             for claim, span in ((c["claim_a"], c["a_span"]), (c["claim_b"], c["b_span"]))]
    assert any(claim not in g["claim_ids"] for g, claim, _ in sides)  # the set has a cross-group conflict
    with web_store.reading() as connection:
        document_of = dict(connection.exec_driver_sql("SELECT id, document_id FROM claims").all())
    for group, claim, (start, end) in sides:
        text = client.get(f"/api/documents/{document_of[claim]}").json()["text"]
        marked = f'<mark class="span">{escape(text[start:end])}</mark>'  # as Jinja escapes it
        assert marked in client.get(f"/groups/{group['id']}").text, (group["id"], claim)


def test_write_errors_are_answered_by_the_one_handler(client: TestClient, web_store: Store) -> None:
    """What the ledger refuses is 422 with its code; an unknown group is 404; nothing is written."""
    headers = token_headers(web_store)
    group = detained_group(client)
    missing_document = {"stance": "supports", "document_id": 99999, "note": "a report that is not stored"}
    answer = client.post(f"/api/groups/{group['id']}/evidence", json=missing_document, headers=headers)
    assert answer.status_code == 422 and "[E300]" in answer.json()["detail"] and "99999" in answer.json()["detail"]
    unknown = client.post("/api/groups/999999/evidence", json={**missing_document, "document_id": 1}, headers=headers)
    assert unknown.status_code == 404 and "[E202]" in unknown.json()["detail"]
    assert client.get(f"/api/groups/{group['id']}").json()["group"]["evidence"] == group["evidence"]
