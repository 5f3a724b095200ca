"""Forms keep what was typed and say what is wrong beside it; the ingest form takes the date,
outlet and language of a batch; a finished job says so and counts the documents added."""

from __future__ import annotations

from fastapi.testclient import TestClient
from markupsafe import escape

from tests.web.conftest import csrf_of, finished_job, sign_in
from tests.web.test_api import detained_group

STATEMENT = ("The Vallmar port authority said on Tuesday that Ansel Kover had been taken away for questioning "
             "by the State Integrity Bureau, and that an acting chairman would be named within days.")




def test_an_ingest_mistake_is_explained_in_place_with_what_was_typed_kept(client: TestClient) -> None:
    sign_in(client)
    csrf = csrf_of(client.get("/ingest").text)
    typed = {"csrf": csrf, "title": "Port authority confirms", "outlet": "Vallmar Gazette", "published": "2026-02-03",
             "language": "en", "text": "   "}
    empty = client.post("/ingest", data=typed)
    assert empty.status_code == 422 and 'id="ingest-error"' in empty.text and "Nothing to ingest" in empty.text
    assert 'value="Port authority confirms"' in empty.text and 'value="Vallmar Gazette"' in empty.text
    assert 'value="2026-02-03"' in empty.text and 'value="en"' in empty.text
    bad_day = client.post("/ingest", data=typed | {"text": STATEMENT, "published": "3 Feb"})
    assert bad_day.status_code == 422 and "YYYY-MM-DD" in bad_day.text
    assert str(escape(STATEMENT)) in bad_day.text  # the pasted article is still there
    bad_language = client.post("/ingest", data=typed | {"text": STATEMENT, "language": "english!"})
    assert bad_language.status_code == 422 and "language code" in bad_language.text
    bad_url = client.post("/ingest", data=typed | {"url": "file:///etc/passwd"})
    assert bad_url.status_code == 422 and "http(s)" in bad_url.text


def test_the_batch_date_outlet_and_language_are_stored_and_the_finished_job_says_so(client: TestClient) -> None:
    sign_in(client)
    csrf = csrf_of(client.get("/ingest").text)
    answer = client.post("/ingest", data={"csrf": csrf, "title": "Port authority confirms", "outlet": "Vallmar Gazette",
                                          "published": "2026-02-03", "language": "en", "text": STATEMENT},
                         follow_redirects=False)
    assert answer.status_code == 303
    job = finished_job(client, answer.headers["location"].rsplit("/", 1)[1])
    assert job["error"] is None and job["result"]["summary"]["added"] == 1
    (document_id,) = job["result"]["documents"]
    document = client.get(f"/api/documents/{document_id}").json()
    assert (document["outlet"], document["published"], document["language"]) == ("Vallmar Gazette", "2026-02-03", "en")
    page = client.get(answer.headers["location"]).text
    assert '<h1 id="job-heading">Ingested</h1>' in page and "<progress" not in page
    assert 'id="job-summary">1 added' in page and f'href="/documents/{document_id}"' in page


def test_an_evidence_mistake_is_explained_beside_the_form_with_what_was_typed_kept(client: TestClient) -> None:
    sign_in(client)
    group = detained_group(client)
    page = client.get(f"/groups/{group['id']}").text
    answer = client.post(f"/groups/{group['id']}/evidence",
                         data={"csrf": csrf_of(page), "stance": "refutes", "target": "kover-at-work", "note": "He chaired the board on Feb 5"})
    assert answer.status_code == 422 and 'id="evidence-error"' in answer.text
    assert "neither a stored document id nor an http(s) URL" in answer.text
    assert 'value="kover-at-work"' in answer.text and 'value="He chaired the board on Feb 5"' in answer.text
    assert '<option value="refutes" selected>' in answer.text
    no_note = client.post(f"/groups/{group['id']}/evidence",
                          data={"csrf": csrf_of(page), "stance": "supports", "target": "https://example.org/x", "note": " "})
    assert no_note.status_code == 422 and "note is empty" in no_note.text and 'value="https://example.org/x"' in no_note.text
    assert client.get(f"/api/groups/{group['id']}").json()["group"]["evidence"] == []  # nothing half-added


def test_a_failed_sign_in_keeps_the_name(client: TestClient) -> None:
    page = client.get("/login").text
    answer = client.post("/login", data={"name": "analyst", "password": "wrong", "csrf": csrf_of(page)})
    assert answer.status_code == 401 and 'value="analyst"' in answer.text and 'role="alert"' in answer.text
