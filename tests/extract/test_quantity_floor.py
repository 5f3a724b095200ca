"""Figures and dates may not silently get worse: NewsQuant F1 and the Recognizers-Text accuracy
on the cases the ledger uses stay above their floors (bench/quantities.py prints them all)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.evaluation import score_newsquant
from claimledger.extract.quantities import extract_quantities
from tests.conftest import DATA, load_bench

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
BENCH = load_bench("quantities")


def test_newsquant_f1_stays_above_its_floors() -> None:
    cases = json.loads((DATA / "newsquant" / "NewsQuant.json").read_text(encoding="utf-8"))
    assert len(cases) == 590
    by_value, by_value_unit = score_newsquant(cases, lambda text: extract_quantities(text, "en"))
    assert by_value.f1 >= FLOORS["newsquant"]["value"], f"value F1 {by_value.f1:.3f}"
    assert by_value_unit.f1 >= FLOORS["newsquant"]["value+unit"], f"value+unit F1 {by_value_unit.f1:.3f}"


@pytest.mark.parametrize("language", ["English", "Chinese"])
def test_recognizers_text_numbers_stay_above_their_floor(language: str) -> None:
    tally = BENCH.score_numbers(language, BENCH.claimledger_numbers(language))
    assert tally.ledger_total > 150 and sum(tally.left_out.values()) < tally.ledger_total  # most cases are scored
    floor = FLOORS["recognizers-text"][f"numbers {language}"]
    assert tally.ledger_right / tally.ledger_total >= floor, f"{tally.ledger_right}/{tally.ledger_total}"


@pytest.mark.parametrize("language", ["English", "Chinese"])
def test_recognizers_text_dates_stay_above_their_floor(language: str) -> None:
    tally = BENCH.score_dates(language, BENCH.claimledger_dates)
    assert tally.ledger_total > 50 and sum(tally.left_out.values()) < tally.ledger_total
    floor = FLOORS["recognizers-text"][f"dates {language}"]
    assert tally.ledger_right / tally.ledger_total >= floor, f"{tally.ledger_right}/{tally.ledger_total}"
