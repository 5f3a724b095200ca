"""Figure extraction may not silently drop: NewsQuant F1 stays above its pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

from claimledger.evaluation import score_newsquant
from claimledger.extract.quantities import extract_quantities
from tests.conftest import DATA

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())["newsquant"]


def test_newsquant_f1_stays_above_its_floors() -> None:
    cases = json.loads((DATA / "newsquant" / "NewsQuant.json").read_text(encoding="utf-8"))
    assert len(cases) == 590
    by_value, by_value_unit = score_newsquant(cases, lambda text: extract_quantities(text, "en"))
    assert by_value.f1 >= FLOORS["value"], f"value F1 {by_value.f1:.3f}"
    assert by_value_unit.f1 >= FLOORS["value+unit"], f"value+unit F1 {by_value_unit.f1:.3f}"
