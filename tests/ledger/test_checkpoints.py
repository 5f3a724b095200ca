"""Checkpoints as an analyst triages them: one per group and window however many copies carry
it, none from a report whose window had closed before it was ingested, and marked reviewed or
dismissed with who and when, undoably, in the CLI, the API and the due page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from claimledger.evaluation import shared_data
from claimledger.ledger import accounts, views
from claimledger.store import Store
from claimledger.store import linking as linking_sql
from claimledger.store.schema import claims, dates, documents, group_claims
from claimledger.web.app import create_app
from tests.conftest import Ledger
from tests.web.conftest import PASSWORD, csrf_of, sign_in

SENTENCED = ("Former water resources minister Liang Wenhai will be sentenced within the next two weeks, his lawyer "
             "Chen Bo told Capital Courier on Monday. The court in Beijing has not confirmed the date of the hearing. "
             "Liang was detained in March on charges of taking bribes worth more than 30 million yuan.")
TRIED = ("Former provincial governor Zhao Minghui will stand trial within the next two weeks, his lawyer Wu Lan told "
         "Harbour Ledger on Monday. The court in Tianjin has not confirmed the date. Zhao was detained last year on "
         "charges of taking bribes.")


@pytest.fixture
def ledger(db_path: Path | str, tmp_path: Path) -> Ledger:
    today = dt.date.today().isoformat()
    records = [
        {"id": "a", "title": "Former minister to be sentenced soon", "outlet": "Capital Courier", "published": today, "text": SENTENCED},
        # an undated copy: its "within two weeks" counts from the original's date, and is the same checkpoint
        {"id": "b", "title": "Former minister to be sentenced soon", "outlet": "Coastline Daily",
         "text": SENTENCED + " Coastline Daily carried this report from Capital Courier."},
        # six years old when ingested: its window closed long before anyone could check it here
        {"id": "c", "title": "Provincial official to be tried", "outlet": "Harbour Ledger", "published": "2020-03-02", "text": TRIED},
    ]
    (tmp_path / "reports.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    ledger = Ledger(db_path)
    assert ledger.run("ingest", str(tmp_path / "reports.jsonl")).exit_code == 0
    return ledger


def test_copies_share_one_checkpoint_and_stale_windows_add_none(ledger: Ledger) -> None:
    due = ledger.json("due")
    assert [c["claim"][:28] for c in due] == ["Former water resources minis"]
    (checkpoint,) = due
    assert checkpoint["reports"] == 2 and checkpoint["basis"] == "published" and checkpoint["state"] == "due"
    assert checkpoint["key"] == f"{checkpoint['group_id']}:{checkpoint['due_by']}"
    archive = ledger.json("due", "--past")  # reading an archive for what became of its predictions
    assert {c["claim"][:22] for c in archive} == {"Former water resources", "Former provincial gove"}


def test_a_claim_settled_by_evidence_has_no_checkpoint(ledger: Ledger) -> None:
    (checkpoint,) = ledger.json("due")
    settled = ledger.json("evidence", str(checkpoint["group_id"]), "--supports", "https://example.org/verdict",
                          "--note", "The court sentenced him on the 9th")
    assert settled["group"]["status"] == "confirmed"
    assert ledger.json("due") == []
    assert checkpoint["group_id"] not in {c["group_id"] for c in ledger.json("due", "--all", "--past")}


def test_a_checkpoint_marked_reviewed_leaves_the_list_and_comes_back_when_undone(ledger: Ledger) -> None:
    (checkpoint,) = ledger.json("due")
    result = ledger.run("triage", checkpoint["key"], "reviewed", "--note", "sentenced on the 9th: 12 years")
    assert result.exit_code == 0, result.output
    assert ledger.json("due") == []
    (marked,) = ledger.json("due", "--all")
    assert marked["triage"]["state"] == "reviewed" and marked["triage"]["note"] == "sentenced on the 9th: 12 years"
    assert marked["triage"]["user"].endswith("(cli)") and marked["triage"]["at"][:10] == dt.date.today().isoformat()
    assert ledger.run("undo", str(marked["triage"]["correction_id"])).exit_code == 0
    assert [c["key"] for c in ledger.json("due")] == [checkpoint["key"]]
    wrong = ledger.run("triage", "not-a-key", "dismissed")
    assert wrong.exit_code != 0 and "GROUP:DUE_BY" in wrong.output
    missing = ledger.run("triage", "99999:2026-01-01", "dismissed")
    assert missing.exit_code != 0 and "99999" in missing.output


def test_the_due_page_and_the_api_mark_checkpoints(ledger: Ledger) -> None:
    with Store.open(str(ledger.db_path)) as store:
        accounts.add_user(store, "analyst", PASSWORD)
        client = TestClient(create_app(store))
        (checkpoint,) = client.get("/api/due").json()["items"]
        assert client.post(f"/api/checkpoints/{checkpoint['key']}/triage", json={"state": "dismissed"}).status_code == 401
        sign_in(client)
        page = client.get("/due").text
        assert f'action="/checkpoints/{checkpoint["key"]}/triage"' in page and "2 reports" in page
        response = client.post(f"/checkpoints/{checkpoint['key']}/triage",
                               data={"state": "dismissed", "note": "a lawyer's guess", "csrf": csrf_of(page)}, follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/api/due").json()["items"] == []
        shown = client.get("/due?all=true").text
        assert "dismissed" in shown and "by analyst" in shown and "Put back" in shown
        (marked,) = client.get("/api/due", params={"all": True}).json()["items"]
        assert marked["triage"]["state"] == "dismissed" and marked["triage"]["user"] == "analyst"
        bad = client.post(f"/api/checkpoints/{checkpoint['key']}/triage", json={"state": "closed"})
        assert bad.status_code == 422


def test_the_dates_left_out_in_sql_are_none_the_full_rule_would_keep(ledger: Ledger, tmp_path: Path) -> None:
    """`checkpoints` reads only the dates that can be a checkpoint on some day (most dates in
    news are days a report names in its own past); what it finds must be what reading every
    date finds, on real reports and on this test's predictions, copies and stale windows."""
    reports = [json.loads(line) for line in (shared_data() / "near-miss-stories" / "articles.jsonl")
               .read_text(encoding="utf-8").splitlines()[:40]]
    path = tmp_path / "near-miss.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reports) + "\n", encoding="utf-8")
    assert ledger.run("ingest", str(path)).exit_code == 0
    with Store.open(str(ledger.db_path)) as store:
        with store.transaction() as connection:  # a reported (not predicted) week ending on the day of its report
            date_id, published = connection.execute(
                select(dates.c.id, documents.c.published).join(claims, claims.c.id == dates.c.claim_id)
                .join(documents, documents.c.id == claims.c.document_id).join(group_claims, group_claims.c.claim_id == claims.c.id)
                .where(claims.c.kind != "prediction", documents.c.published.is_not(None)).limit(1)).one()
            connection.execute(update(dates).where(dates.c.id == date_id).values(
                precision="window", low=published - dt.timedelta(days=7), high=published))
        with store.reading() as connection:
            every, narrowed = linking_sql.checkpoint_dates(connection, narrowed=False), linking_sql.checkpoint_dates(connection)
        assert len(narrowed) < len(every) / 2, (len(narrowed), len(every))
        assert {row.claim_id for row in narrowed} <= {row.claim_id for row in every}
        for today in (dt.date.today(), dt.date(2021, 6, 1), dt.date(2030, 1, 1)):
            for past in (False, True):
                found = views.checkpoints(store, today, 14, include_triaged=True, include_past=past)
                assert found == views.checkpoints(store, today, 14, include_triaged=True, include_past=past, narrowed=False)
        archive = views.checkpoints(store, dt.date.today(), include_past=True)
        assert len(archive) > 1 and published.isoformat() in {c.due_by for c in archive}
