"""Figure extraction may not silently drop: NewsQuant F1 stays above its pinned floors."""

from __future__ import annotations

import json
import math
from pathlib import Path

from claimledger.evaluation import Score
from claimledger.extract.quantities import extract_quantities
from tests.conftest import DATA

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())["newsquant"]


def test_newsquant_value_f1_stays_above_its_floor() -> None:
    cases = json.loads((DATA / "newsquant" / "NewsQuant.json").read_text(encoding="utf-8"))
    assert len(cases) == 590
    score = Score()
    for case in cases:
        ours = extract_quantities(case["text"], "en")
        score.predicted += len(ours)
        score.gold += len(case["quantities"])
        free = list(ours)
        for quantity in case["quantities"]:
            try:
                wanted = float(quantity["value"])
            except ValueError:
                continue  # ranges and scientific notation: the benchmark scores those too
            match = next((q for q in free if math.isclose(q.value, wanted, rel_tol=1e-6)), None)
            if match is not None:
                free.remove(match)
                score.true_positives += 1
    assert score.f1 >= FLOORS["value"] - 0.02, f"NewsQuant value F1 {score.f1:.3f}"
