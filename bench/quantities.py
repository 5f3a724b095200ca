"""Benchmark: figures and dates against gold data sets.

    python bench/quantities.py

- NewsQuant (English news sentences): precision, recall and F1 of quantities matched on value,
  and on value and unit.
- Microsoft Recognizers-Text specs (English and Chinese): accuracy of the resolved value for
  numbers and percentages, and of resolved dates given the spec's reference date.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import Score  # noqa: E402
from claimledger.extract.dates import extract_dates  # noqa: E402
from claimledger.extract.quantities import extract_quantities  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_UNIT_SYNONYMS = {"$": "dollar", "%": "percent", "percent": "%", "dollars": "dollar", "us$": "dollar"}


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _same_unit(ours: str | None, gold: str, normalized: str) -> bool:
    if ours is None:
        return gold in ("", "-")
    ours_l = ours.lower()
    candidates = {gold.lower(), normalized.lower(), _UNIT_SYNONYMS.get(gold.lower(), "")} - {""}
    return any(c in ours_l or ours_l in c for c in candidates) or _UNIT_SYNONYMS.get(ours_l) in candidates


def _gold_values(raw: str) -> list[float]:
    """"6.0", a range "252.0-287.0", or scientific "1.99E-5"."""
    try:
        return [float(raw)]
    except ValueError:
        pass
    values = []
    for part in raw.split("-"):
        try:
            values.append(float(part))
        except ValueError:
            continue
    return values


def newsquant() -> tuple[Score, Score]:
    cases = json.loads((DATA / "newsquant" / "NewsQuant.json").read_text(encoding="utf-8"))
    by_value, by_value_unit = Score(), Score()
    for case in cases:
        ours = extract_quantities(case["text"], "en")
        gold = case["quantities"]
        by_value.predicted += len(ours)
        by_value_unit.predicted += len(ours)
        by_value.gold += len(gold)
        by_value_unit.gold += len(gold)
        free = list(ours)
        for quantity in gold:
            values = _gold_values(str(quantity["value"]))
            match = next(
                (q for q in free if any(_same_value(x, v) for v in values for x in (q.value, q.low or q.value, q.high or q.value))),
                None,
            )
            if match is not None:
                by_value.true_positives += 1
                if _same_unit(match.unit, quantity["unit"], quantity["normalized_unit"]):
                    by_value_unit.true_positives += 1
                free.remove(match)
    return by_value, by_value_unit


def _specs(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def numbers(language: str) -> tuple[int, int]:
    right = total = 0
    folder = DATA / "recognizers-text-specs" / "Number" / language
    for name in ("NumberModel.json", "PercentModel.json"):
        for case in _specs(folder / name):
            ours = extract_quantities(case["Input"], "zh" if language == "Chinese" else "en")
            for result in case.get("Results", []):
                value = result.get("Resolution", {}).get("value")
                if value is None:
                    continue
                total += 1
                try:
                    wanted = float(str(value).rstrip("%").replace(",", ""))
                except ValueError:
                    continue
                right += any(_same_value(q.value, wanted) for q in ours)
    return right, total


def dates(language: str) -> tuple[int, int]:
    right = total = 0
    path = DATA / "recognizers-text-specs" / "DateTime" / language / "DateParser.json"
    for case in _specs(path):
        reference = case.get("Context", {}).get("ReferenceDateTime")
        published = dt.date.fromisoformat(reference[:10]) if reference else dt.date(2016, 11, 7)
        ours = extract_dates(case["Input"], published)
        for result in case.get("Results", []):
            if result.get("Type") != "date":
                continue
            total += 1
            value = result["Value"]
            accepted = {value.get("Timex"), value.get("PastResolution", {}).get("date")}
            right += any(mention.value in accepted for mention in ours)
    return right, total


def main() -> None:
    by_value, by_value_unit = newsquant()
    print("NewsQuant (590 English news sentences):")
    for name, score in (("value", by_value), ("value+unit", by_value_unit)):
        print(f"  {name:12} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}")
    print("Recognizers-Text specs, accuracy of the resolved value:")
    for language in ("English", "Chinese"):
        right, total = numbers(language)
        print(f"  numbers+percent {language:8} {right / total:.3f} ({right}/{total})")
        right, total = dates(language)
        print(f"  dates           {language:8} {right / total:.3f} ({right}/{total})")


if __name__ == "__main__":
    main()
