"""What the ledger's views suggest to an analyst."""

from __future__ import annotations

from pathlib import Path

from claimledger.ledger.views import likely_duplicate_entities
from claimledger.store import Store
from tests.conftest import Ledger


def test_one_foreign_name_in_two_reports_is_offered_for_a_merge(ledger: Ledger, db_path: Path, tmp_path: Path) -> None:
    # One report gives the whole name and its original spelling, then the last part alone (as
    # Chinese reports name a foreigner); the other report names him by the last part alone.
    alone = tmp_path / "alone.txt"
    alone.write_text("港口费用去向不明\n\n雷恩表示，集团审计部门一名高级管理人员告诉他，自一月以来已有近三百名员工接受问询。"
                     "雷恩称，约四千万克朗港口费用去向不明。集团未回应置评请求。\n", encoding="utf-8")
    whole = tmp_path / "whole.txt"
    whole.write_text("子午港务集团董事长传被带走\n\n据网络主播托马斯·雷恩（Tomas Reyne）2月2日在直播中透露，国有子午港务集团"
                     "董事长已被带走调查。雷恩表示，董事长于周日凌晨在家中被带走。\n", encoding="utf-8")
    assert ledger.run("ingest", str(alone), str(whole)).exit_code == 0
    with Store.open(str(db_path)) as store:
        suggestions = likely_duplicate_entities(store)
    # Within the second report 雷恩 alone is Tomas Reyne already; across reports it is only offered.
    assert any({s.keep.key, s.merge.key} == {"lei en", "tomas reyne"} and "雷恩" in s.reason for s in suggestions), suggestions
