"""Independent origins one can trust: wire copy counts once, one person in two scripts is one
origin, evidence from the claim's own origin confirms nothing, conflicts only between
comparable things, a lone denial is shown against what it denies, every count is explained.

The wire reports are written for these tests; the examples are the project's own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.extract import extract_document
from claimledger.extract.credits import find_credits
from claimledger.link.conflicts import find_conflicts
from claimledger.store import Store
from claimledger.store import linking as linking_sql
from tests.conftest import EXAMPLES, Ledger
from tests.link.test_conflicts import facts


@pytest.mark.parametrize(("text", "agencies"), [
    ("JINAN, China, Sept 22 (Reuters) - A Chinese court sentenced him.", ["Reuters"]),
    (" - AFP A Hong Kong court on Monday ordered the liquidation.", ["AFP"]),
    ("AP - Police detained the opposition leader at the airport.", ["AP"]),
    ("The ministry said the talks would go on.\nSource: Xinhua Editor: Wang", ["Xinhua"]),
    ("据新华社报道,中共中央决定对其立案审查。", ["Xinhua"]),
    ("（中央社）行政院今天表示,将提高补助。", ["Central News Agency"]),
    ("（中央社記者王小明台北3日電）行政院今天表示。", ["Central News Agency"]),
    ("綜合外電報導,美國國務院週二表示。", ["Agencies"]),
    ("(서울=연합뉴스) 강건택 기자 = 최근 중국에서 체포된", ["Yonhap"]),
    ("МОСКВА, 16 февраля. /ТАСС/. Управление ФСИН сообщило.", ["TASS"]),
    ("Tianjin, 12 abr (Xinhua) -- Sun Zhengcai foi julgado.", ["Xinhua"]),
    ("The talks ended without agreement.\nls/msh (Reuters, AP, dpa)", ["Reuters", "AP", "dpa"]),
    ("The ministry said so in a statement. (Agencies)", ["Agencies"]),
    ("Xinhua reported that the court had ruled.", []),  # an attribution, read as one, not a credit
    ("Bo Xilai in court in Jinan [Photo: Xinhua]. The verdict was read.", []),  # a photo credit
])
def test_wire_credits_in_each_language(text: str, agencies: list[str]) -> None:
    assert [credit.name for credit in find_credits(text)] == agencies


def test_an_agency_named_as_a_source_is_an_agency_not_a_person() -> None:
    extraction = extract_document("Yonhap reported that the minister had resigned on Tuesday.", language="en")
    (yonhap,) = [m for m in extraction.mentions if m.text == "Yonhap"]
    assert (yonhap.kind, yonhap.key) == ("agency", "yonhap")


WIRE = "A court in Harbin on Monday ordered the liquidation of the Northern Star property group, which owes creditors 40 billion yuan."
REPORTS = [
    {"id": "wire-1", "outlet": "Daily Harbour", "published": "2026-03-02", "title": "Court orders Northern Star liquidated",
     "text": f"HARBIN, March 2 (AFP) - {WIRE} The group said it would study the ruling."},
    {"id": "wire-2", "outlet": "Metro Courier", "published": "2026-03-02", "title": "Northern Star to be liquidated",
     "text": " - AFP The Northern Star property group, which owes its creditors 40 billion yuan, must be liquidated,"
             " a court in Harbin ruled on Monday. Shares in its listed unit were suspended."},
    {"id": "wire-3", "outlet": "Valley Times", "published": "2026-03-02", "title": "Harbin court orders Northern Star liquidation",
     "text": f"{WIRE} Its founder did not comment.\nSource: AFP"},
]


@pytest.fixture
def wire(ledger: Ledger, tmp_path: Path) -> Ledger:
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in REPORTS) + "\n", encoding="utf-8")
    assert ledger.run("ingest", str(path)).exit_code == 0
    return ledger


def test_outlets_carrying_one_agency_report_count_once_and_say_why(wire: Ledger) -> None:
    (group,) = [g for g in wire.json("groups") if "liquidation" in g["text"] and len(g["doc_ids"]) == 3]
    assert group["independent_origins"] == 1 and group["status"] == "single-origin"
    (origin,) = [o for o in group["origins"] if o["counted"]]
    assert origin["kind"] == "unattributed"
    assert [r["via"] for r in origin["reports"]] == [["AFP"]] * 3
    whys = [r["why"] for r in origin["reports"] if not r["counted"]]
    assert len(whys) == 2 and all(why.startswith(("same AFP report as document", "copy of document")) for why in whys)
    assert any(why.startswith("same AFP report as document") for why in whys)
    trace = wire.run("trace", str(group["id"])).stdout
    assert "not counted again: same AFP report as document" in trace


def test_one_person_in_two_scripts_is_one_origin(ledger: Ledger, db_path: Path) -> None:
    assert ledger.run("ingest", str(EXAMPLES)).exit_code == 0
    with Store.open(str(db_path)) as store, store.reading() as connection:
        assert linking_sql.alias_owners(connection, ["雷恩"]) == {"雷恩": "tomas reyne"}
    (group,) = [g for g in ledger.json("groups") if "taken away" in g["text"]]
    counted = [o for o in group["origins"] if o["counted"]]
    assert [o["name"] for o in counted] == ["Tomas Reyne"] and group["independent_origins"] == 1
    assert 4 in counted[0]["doc_ids"]  # the Chinese report, which names him 雷恩


def test_evidence_from_the_claims_own_origin_confirms_nothing(ledger: Ledger) -> None:
    assert ledger.run("ingest", str(EXAMPLES)).exit_code == 0
    (group,) = [g for g in ledger.json("groups") if "taken away" in g["text"]]
    outside = [d["id"] for d in ledger.json("docs") if d["id"] not in group["doc_ids"]]
    echo = ledger.run("evidence", str(group["id"]), "--supports", str(group["doc_ids"][0]), "--note", "the same livestream")
    assert echo.exit_code == 0
    after = next(g for g in ledger.json("groups", "--all") if g["id"] == group["id"])
    assert after["status"] != "confirmed"
    assert any("not independent" in reason for reason in after["reasons"])
    assert after["evidence"][-1]["independent"] is False and "own reports" in after["evidence"][-1]["why"]
    court = ledger.run("evidence", str(group["id"]), "--supports", "https://court.example/record/17", "--note", "court record")
    assert court.exit_code == 0
    confirmed = next(g for g in ledger.json("groups", "--all") if g["id"] == group["id"])
    assert confirmed["status"] == "confirmed" and confirmed["evidence"][-1]["independent"] is True
    assert outside  # other stored reports exist, and were not mistaken for this group's


def test_a_time_of_day_is_never_a_figure_against_a_count() -> None:
    assert find_conflicts([
        facts(1, "The earthquake had an intensity of 7 in the city."),
        facts(2, "The earthquake struck at 4:06pm local time."),
    ]) == []
    assert find_conflicts([
        facts(1, "9 people died in the earthquake."),
        facts(2, "40 people died in the earthquake."),
    ]) != []  # figures of one kind still disagree


def test_a_datelines_date_is_no_claims_date() -> None:
    text = "BEIJING, January 2, 2024 (Reuters) - The ministry said the talks on January 5 would go ahead."
    extraction = extract_document(text, language="en", published=None)
    dated = [extraction.dates[i].text for claim in extraction.claims for i in claim.dates]
    assert "January 2, 2024" not in dated and "January 5" in dated


def test_a_lone_denial_is_shown_against_the_claim_it_denies_and_can_be_dismissed(ledger: Ledger) -> None:
    assert ledger.run("ingest", str(EXAMPLES)).exit_code == 0
    groups = ledger.json("groups", "--all")
    (detained,) = [g for g in groups if g["text"].startswith("Kover was detained")]
    (denial,) = [g for g in groups if "reports of a detention were false" in g["text"]]
    assert any(c["detail"].startswith("denied:") for c in detained["conflicts"])
    assert any(c["detail"].startswith("denied:") for c in denial["conflicts"])
    assert detained["status"] == "disputed"
    assert "denied:" in ledger.run("trace", str(detained["id"])).stdout

    conflict = next(c for c in detained["conflicts"] if c["detail"].startswith("denied:"))
    dismissed = ledger.run("dismiss", str(conflict["id"]), "--note", "the company's denial is about another employee")
    assert dismissed.exit_code == 0, dismissed.output
    correction = int(dismissed.stdout.split("#", 1)[1].split(":", 1)[0])
    after = next(g for g in ledger.json("groups", "--all") if g["id"] == detained["id"])
    assert not any(c["detail"].startswith("denied:") for c in after["conflicts"])
    assert after["status"] != "disputed"
    assert ledger.run("extract", "--all").exit_code == 0  # found again, and still dismissed
    again = next(g for g in ledger.json("groups", "--all") if g["text"].startswith("Kover was detained"))
    assert not any(c["detail"].startswith("denied:") for c in again["conflicts"])
    assert ledger.run("undo", str(correction)).exit_code == 0
    back = next(g for g in ledger.json("groups", "--all") if g["text"].startswith("Kover was detained"))
    assert any(c["detail"].startswith("denied:") for c in back["conflicts"])
    assert ledger.run("dismiss", "99999", "--note", "x").exit_code == 1


def test_only_a_denial_of_a_report_is_a_denial() -> None:
    from claimledger.link.conflicts import ClaimFacts, denial_conflict

    detained = ClaimFacts(1, 1, 0, 40, "The chairman was detained on Sunday.", frozenset())
    for text in ("Prisoners in detention are often denied water.", "He was denied bail and remains in custody."):
        assert denial_conflict(ClaimFacts(2, 2, 0, len(text), text, frozenset()), detained) is None
    for text in ("The company dismissed reports that he had been detained.", "公司否认董事长已被拘留。",
                 "Rumours of his arrest are baseless, the group said."):
        assert denial_conflict(ClaimFacts(2, 2, 0, len(text), text, frozenset()), detained) is not None


def test_after_merging_a_chinese_retelling_one_person_in_two_scripts_stays_one_origin(ledger: Ledger, db_path: Path) -> None:
    from claimledger.ledger import correct
    from claimledger.store import corrections as corrections_sql

    assert ledger.run("ingest", str(EXAMPLES)).exit_code == 0
    (english,) = [g for g in ledger.json("groups", "--all") if g["text"].startswith("Kover was detained")]
    with Store.open(str(db_path)) as store:
        (claim,) = [c for c in store.list_claims(4) if "科弗于周日凌晨在家中被带走" in c.text]
        assert claim.id in english["claim_ids"]  # the Chinese retelling joined the English claim
        # An analyst takes it out, then puts it back: 雷恩 and Tomas Reyne stay one origin.
        _, alone = correct(store, lambda c: corrections_sql.split_claim(c, claim.id, "analyst"))
    chinese = next(g for g in ledger.json("groups", "--all") if g["id"] == alone)
    assert [o["name"] for o in chinese["origins"] if o["counted"]] == ["Tomas Reyne"]
    with Store.open(str(db_path)) as store:
        correct(store, lambda c: corrections_sql.merge_groups(c, english["id"], alone, "analyst"))
    merged = next(g for g in ledger.json("groups", "--all") if g["id"] == english["id"])
    assert set(chinese["doc_ids"]) <= set(merged["doc_ids"])
    assert merged["independent_origins"] == 1 and merged["status"] != "corroborated"
