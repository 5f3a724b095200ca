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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import (  # noqa: E402
    Score,
    same_value,
    score_newsquant,
    shared_data,  # noqa: E402
)
from claimledger.extract.dates import extract_dates  # noqa: E402
from claimledger.extract.quantities import extract_quantities  # noqa: E402

DATA = shared_data()


def newsquant() -> tuple[Score, Score]:
    cases = json.loads((DATA / "newsquant" / "NewsQuant.json").read_text(encoding="utf-8"))
    return score_newsquant(cases, lambda text: extract_quantities(text, "en"))


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
                right += any(same_value(q.value, wanted) for q in ours)
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
