"""Index pages an analyst works from: claim groups across stories with filters and paging,
entities with likely duplicates to merge after a confirmation, sources with their ratings, and
a merge picker instead of typed ids."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, sign_in


def listed_group_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="group-link" href="/groups/(\d+)"', html)]


def test_claim_groups_across_stories_filter_by_status_grade_language_and_reports(client: TestClient) -> None:
    everything = client.get("/api/groups", params={"limit": 200}).json()
    assert everything["total"] > 10 and len({g["story_id"] for g in everything["items"]}) > 1
    by_id = {g["id"]: g for g in everything["items"]}
    page = client.get("/groups").text
    assert f'{everything["total"]} group(s)' in page and len(listed_group_ids(page)) == min(50, everything["total"])
    for status in {g["status"] for g in everything["items"]}:
        shown = listed_group_ids(client.get("/groups", params={"status": status}).text)
        assert shown and all(by_id[i]["status"] == status for i in shown)
        assert len(shown) == sum(1 for g in everything["items"] if g["status"] == status)
    letter = everything["items"][0]["grade"][0]
    graded = client.get("/api/groups", params={"grade": letter, "limit": 200}).json()["items"]
    assert graded and all(g["grade"][0] == letter for g in graded)
    shared = client.get("/api/groups", params={"shared": True, "limit": 200}).json()["items"]
    assert shared and all(len(g["claim_ids"]) > 1 for g in shared)
    documents = {d["id"]: d for d in client.get("/api/documents", params={"limit": 200}).json()["items"]}
    chinese = listed_group_ids(client.get("/groups", params={"language": "zh"}).text)
    assert chinese and all(any(documents[d]["language"] == "zh" for d in by_id[i]["doc_ids"]) for i in chinese)
    assert len(chinese) < everything["total"]
    outlet = documents[by_id[chinese[0]]["doc_ids"][0]]["outlet"]
    from_outlet = client.get("/api/groups", params={"outlet": outlet.upper(), "limit": 200}).json()["items"]
    assert from_outlet and all(any(documents[d]["outlet"] == outlet for d in g["doc_ids"]) for g in from_outlet)
    assert client.get("/api/groups", params={"grade": "Z9"}).status_code == 422


def test_a_filter_that_cannot_be_read_is_said_so_and_ignored(client: TestClient) -> None:
    page = client.get("/groups", params={"grade": "zz", "since": "last week", "min_worth": "lots"})
    assert page.status_code == 200
    alerts = re.findall(r'role="alert">([^<]+)', page.text)
    assert len(alerts) == 3 and any("grade" in a for a in alerts) and any("YYYY-MM-DD" in a for a in alerts)
    assert 'value="last week"' in page.text  # what was typed stays in the form
    assert listed_group_ids(page.text) == listed_group_ids(client.get("/groups").text)


def test_likely_duplicate_entities_are_merged_after_a_confirmation(client: TestClient) -> None:
    page = client.get("/entities").text
    pairs = re.findall(r'href="/entities/(\d+)/merge\?source=(\d+)"', page)
    assert not pairs  # suggestions offer a merge only to a signed-in analyst
    sign_in(client)
    page = client.get("/entities").text
    table = page[page.index('id="duplicates"'):page.index('</table>', page.index('id="duplicates"'))]
    rows = re.findall(r'<tr><td><a href="/entities/(\d+)"[^>]*>([^<]+)</a>.*?<a href="/entities/(\d+)"[^>]*>([^<]+)</a>', table, re.S)
    kover = [(keep, merge) for keep, keep_name, merge, merge_name in rows if {keep_name, merge_name} == {"Ansel Kover", "Kover"}]
    assert kover, rows
    names = {frozenset((keep_name, merge_name)) for _, keep_name, _, merge_name in rows}
    # The Chinese report names him 托马斯·雷恩 (Tomas Reyne), then 雷恩 alone: one entity already,
    # so nothing to offer (tests/ledger/test_views.py offers it across two reports).
    assert not any("雷恩" in pair for pair in names), names
    keep, merge = kover[0]
    confirm = client.get(f"/entities/{keep}/merge", params={"source": merge})
    assert confirm.status_code == 200 and 'id="confirm-merge-form"' in confirm.text
    assert client.get(f"/api/entities/{merge}").status_code == 200  # nothing merged by looking
    done = client.post(f"/entities/{keep}/merge", data={"source": merge, "csrf": csrf_of(confirm.text)}, follow_redirects=False)
    assert done.status_code == 303
    assert f'/merge?source={merge}"' not in client.get("/entities").text
    assert client.get(f"/entities/{keep}/merge", params={"source": keep}).status_code == 404


def test_sources_list_origins_and_outlets_with_their_ratings(client: TestClient) -> None:
    page = client.get("/sources").text
    reyne = re.search(r"<tr><td>Tomas Reyne</td><td>person</td><td>(\d+) group\(s\)</td>.*?</tr>", page, re.S)
    assert reyne and int(reyne.group(1)) >= 1 and "not rated" in reyne.group(0)
    sign_in(client)
    csrf = csrf_of(client.get("/groups").text)
    assert client.post("/ratings", data={"name": "Tomas Reyne", "reliability": "D", "csrf": csrf, "back": "/sources"},
                       follow_redirects=False).status_code == 303
    rated = re.search(r"<tr><td>Tomas Reyne</td>.*?</tr>", client.get("/sources").text, re.S)
    assert rated and 'href="/help#grade-D">D</a>' in rated.group(0)


def test_merging_groups_picks_from_the_story_s_other_groups(client: TestClient) -> None:
    sign_in(client)
    groups = client.get("/api/groups", params={"limit": 200}).json()["items"]
    group = next(g for g in groups if sum(1 for o in groups if o["story_id"] == g["story_id"]) > 2)
    page = client.get(f"/groups/{group['id']}").text
    picker = re.search(r'<select name="source" required>(.*?)</select>', page, re.S)
    assert picker
    offered = {int(i) for i in re.findall(r'<option value="(\d+)">', picker.group(1))}
    siblings = {g["id"] for g in groups if g["story_id"] == group["story_id"] and g["id"] != group["id"]}
    assert offered == siblings


def test_several_groups_of_a_story_are_merged_in_one_go(client: TestClient) -> None:
    sign_in(client)
    groups = client.get("/api/groups", params={"limit": 200, "shared": True}).json()["items"]
    story_id = next(s for s in {g["story_id"] for g in groups} if sum(1 for g in groups if g["story_id"] == s) >= 3)
    page = client.get(f"/stories/{story_id}").text
    assert "<h2>" not in page[page.index("<title>"):page.index("</title>")]  # the title is the story's, nothing else
    chosen = [int(i) for i in re.findall(r'name="groups" value="(\d+)"', page)][:3]
    assert len(chosen) == 3
    answer = client.post(f"/stories/{story_id}/merge-groups", data={"groups": chosen, "csrf": csrf_of(page)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/groups/{chosen[0]}"
    merged = client.get(f"/api/groups/{chosen[0]}").json()["group"]
    told = {claim for g in groups if g["id"] in chosen for claim in g["claim_ids"]}
    assert told <= set(merged["claim_ids"])
    assert all(client.get(f"/api/groups/{i}").status_code == 404 for i in chosen[1:])
    recorded = client.get(f"/groups/{chosen[0]}").text
    assert len(re.findall(r"#\d+ merge-groups", recorded)) == 2  # two merges, each undoable
    everything = client.get("/api/groups", params={"limit": 200}).json()["items"]
    other = next(g["id"] for g in everything if g["story_id"] != story_id)
    refused = client.post(f"/stories/{story_id}/merge-groups", data={"groups": [chosen[0], other], "csrf": csrf_of(page)})
    assert refused.status_code == 422 and "never cross stories" in refused.text


def test_documents_are_listed_paged_and_filtered_by_language_and_outlet(client: TestClient) -> None:
    everything = client.get("/api/documents", params={"limit": 200}).json()
    page = client.get("/documents").text
    assert f"{everything['total']} document(s)" in page
    listed = re.findall(r'<tr><td><a href="/documents/(\d+)"', page)
    assert [int(i) for i in listed] == [d["id"] for d in everything["items"]][:50]
    chinese = client.get("/api/documents", params={"language": "zh"}).json()
    assert chinese["total"] >= 1 and all(d["language"] == "zh" for d in chinese["items"])
    assert chinese["total"] < everything["total"]
    outlet = everything["items"][0]["outlet"]
    shown = client.get("/documents", params={"outlet": outlet.lower()}).text
    ids = [int(i) for i in re.findall(r'<tr><td><a href="/documents/(\d+)"', shown)]
    assert ids and all(d["outlet"] == outlet for d in everything["items"] if d["id"] in ids)
    assert len(ids) == sum(1 for d in everything["items"] if d["outlet"] == outlet)
