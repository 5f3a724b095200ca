"""Work per document and per group is bounded, and the user is told when a bound was reached:
one text of 2 MB (a sentence repeated, or thousands of slightly different ones) must not hold
linking for minutes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.link.conflicts import MAX_COMPARED, ClaimFacts, Figure, comparable, find_conflicts
from tests.conftest import Ledger


@pytest.mark.slow
@pytest.mark.parametrize("varied", [False, True])
def test_a_two_megabyte_trap_is_bounded_and_reported(ledger: Ledger, tmp_path: Path, varied: bool) -> None:
    sentences = [f"The minister said that {200 + (i if varied else 0)} officials were detained in the city on Monday. "
                 for i in range(27_000)]
    trap = tmp_path / "trap.txt"
    trap.write_text("A title\n\n" + "".join(sentences), encoding="utf-8")
    result = ledger.run("ingest", "--json", str(trap))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    limits = summary["limits"]
    assert any("only the first 200,000 of its" in limit for limit in limits), limits
    assert any("only the first 1,000 of its" in limit and "claims were kept" in limit for limit in limits), limits
    assert summary["claims"] == 1_000
    if varied:
        assert any("conflicts were looked for among the first 300 distinct wordings" in limit for limit in limits), limits
    groups = ledger.json("groups", "--all")
    assert max(len(g["claim_ids"]) for g in groups) <= 1_000
    assert "limit document 1: only the first 1,000" in ledger.run("extract", "--all").stderr


def _claim(claim_id: int, text: str, low: float) -> ClaimFacts:
    return ClaimFacts(claim_id, 1, 0, len(text), text, frozenset(), [Figure(low, low, "officials", 0, 3, str(low))])


def test_copies_are_compared_once_and_groups_are_compared_in_part() -> None:
    copies = [_claim(i, "200 officials were detained", 200) for i in range(5_000)]
    assert len(comparable(copies)) == 1 and find_conflicts(copies) == []
    varied = [_claim(i, f"{100 + 1_000 * i} officials were detained", 100 + 1_000 * i) for i in range(2_000)]
    compared = comparable(varied)
    assert len(compared) == MAX_COMPARED and compared[0].claim_id == 0  # earliest first
    found = find_conflicts(varied)
    assert found and {c.claim_a for c in found} | {c.claim_b for c in found} <= set(range(MAX_COMPARED))
