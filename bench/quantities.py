"""Benchmark: figures and dates against gold data sets.

    python bench/quantities.py

- NewsQuant (English news sentences): precision, recall and F1 of quantities matched on value,
  and on value and unit; on the whole set and on its two halves (even sentences: the half whose
  errors were read while writing the rules; odd sentences: never read, held out).
- Microsoft Recognizers-Text specifications (English and Chinese): accuracy of the resolved
  value of numbers and percentages (Number/*/NumberModel.json, PercentModel.json) and of dates
  given the spec's reference date (DateTime/*/DateParser.json), for claimledger and for each
  library tried: dateparser (a dependency already) on dates, and Recognizers-Text's own Python
  port when it is importable (it is not a dependency: see docs/figures-and-dates.md).

The specifications are unit tests of Recognizers-Text, not a sample of news. Besides all cases,
the benchmark scores "ledger cases": it leaves out, and counts, the kinds of case a news ledger
never reads as a figure or a day (`_LEFT_OUT_NUMBERS`, `_LEFT_OUT_DATES`). The other spec files
(ordinals, number ranges, units, times, durations, sets, holidays) are not scored: the ledger
keeps counts, shares, money and days, and reads ranges through NumberModel's own range cases.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import Score, same_value, score_newsquant, shared_data  # noqa: E402
from claimledger.extract.dates import extract_dates  # noqa: E402
from claimledger.extract.quantities import extract_quantities  # noqa: E402

DATA = shared_data()
SPECS = DATA / "recognizers-text-specs"

# Kinds of number case a news ledger never reads as a figure, by a test on the case's text.
_LEFT_OUT_NUMBERS: dict[str, Callable[[str, str, int, int], bool]] = {
    # 1.1^23, 1e10, 2.7890e-1, "one over three": arithmetic, not reporting
    "arithmetic notation": lambda text, _i, _s, _e: bool(
        re.search(r"\^|\d\s*[eE]\s*[-+−－]?\s*\d|\bover\b|×", text)),
    # "three fifths", "a hundredth", "1 4/5", "３／５": fractions with ordinal denominators or
    # slashes (halves, thirds and quarters, the ones news writes, are scored)
    "written fractions": lambda text, _i, _s, _e: bool(
        re.search(r"(?i)\b\w+ths?\b|\b\w+firsts?\b|\bseconds\b|[/⁄／]|又", text)),
    # a lone Chinese digit with no measure word: 一 to 九 stand inside words (统一, 一些, 三峡),
    # so the ledger reads them only with a measure word or a qualifier
    "lone Chinese digit": lambda text, _i, _s, _e: bool(re.fullmatch(r"\s*[\u4e00-\u9fff]\s*", text)),
    # parts of an address, a version, a date or a time: 192.168.1.2, 5/17/2018, １９９１年１月
    "inside an identifier or date": lambda text, whole, start, end: bool(
        re.search(r"\d+\.\d+\.\d+|\d+/\d+/\d+", whole)
        or whole[end + 1 : end + 2] in tuple("年月日号號时時点點:：")),
    # "7 万5 千4 百", "三千 八百 九十六 萬": spaced-out numerals, as speech recognisers write them
    "spaced-out Chinese numerals": lambda text, _i, _s, _e: bool(
        re.search(r"[\u4e00-\u9fff\d]\s+[\u4e00-\u9fff]", text)),
    # 打八折, 三八折: shop discounts
    "retail discount": lambda text, _i, _s, _e: text.strip().endswith("折"),
}

# Kinds of date case the ledger leaves alone on purpose.
_LEFT_OUT_DATES: dict[str, Callable[[str], bool]] = {
    # "4/22", "22/04", "15", "the 27": a bare figure is read as a number unless a preposition of
    # time marks it as a day ("on 4/22"), since news writes "1/3 of" and "10-12 people"
    "bare numeric day": lambda text: bool(
        re.fullmatch(r"(?:the\s+)?\d{1,2}(?:\s*[./-]\s*\d{1,2})?(?:st|nd|rd|th)?", text.strip())),
    # "the next day", "my day", "the day", "tmrw": relative to the narrated events or chat talk,
    # not to the publication date
    "anaphoric or chat day": lambda text: bool(
        re.search(r"(?i)\b(?:next|last|past|this|my|the)\s+day\b|\btmrw\b", text)
        and not re.search(r"(?i)day\s+(?:before|after)", text)),
    # 农历正月初一, 大年三十, 雍正四年: the lunar calendar and reign years
    "lunar calendar": lambda text: bool(re.search(r"农历|農曆|正月|初[一二三四五六七八九十]|大年|[帝宗龙龍正隆治熙]\S?[一二三四五六七八九十]+年", text)),
}


def _specs(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


# -- NewsQuant --------------------------------------------------------------------------------------


def newsquant(cases: list[dict]) -> tuple[Score, Score]:
    return score_newsquant(cases, lambda text: extract_quantities(text, "en"))


# -- Recognizers-Text: numbers -------------------------------------------------------------------


def number_cases(language: str) -> list[tuple[str, float, str | None]]:
    """(input, wanted value, why it is left out or None) for every numeric result."""
    cases = []
    folder = SPECS / "Number" / language
    for name in ("NumberModel.json", "PercentModel.json"):
        for case in _specs(folder / name):
            for result in case.get("Results", []):
                value = result.get("Resolution", {}).get("value")
                if value is None:
                    continue
                try:
                    wanted = float(str(value).rstrip("%").replace(",", ""))
                except ValueError:
                    continue
                text, start, end = result.get("Text", ""), result.get("Start", 0), result.get("End", 0)
                why = next((reason for reason, test in _LEFT_OUT_NUMBERS.items()
                            if test(text, case["Input"], start, end)), None)
                cases.append((case["Input"], wanted, why))
    return cases


@dataclass
class Tally:
    """Right and total on all cases, right and total on ledger cases, and what was left out."""

    right: int = 0
    total: int = 0
    ledger_right: int = 0
    ledger_total: int = 0
    left_out: Counter[str] = field(default_factory=Counter)


def _tally(outcomes: Iterable[tuple[bool, str | None]]) -> Tally:
    """(hit, why the case is left out or None) per case, counted."""
    tally = Tally()
    for hit, why in outcomes:
        tally.right, tally.total = tally.right + hit, tally.total + 1
        if why:
            tally.left_out[why] += 1
        else:
            tally.ledger_right, tally.ledger_total = tally.ledger_right + hit, tally.ledger_total + 1
    return tally


def score_numbers(language: str, read: Callable[[str], list[float]]) -> Tally:
    cache: dict[str, list[float]] = {}
    return _tally(
        (any(same_value(value, wanted) for value in cache.setdefault(text, read(text))), why)
        for text, wanted, why in number_cases(language)
    )


def claimledger_numbers(language: str) -> Callable[[str], list[float]]:
    code = "zh" if language == "Chinese" else "en"

    def read(text: str) -> list[float]:
        values = []
        for quantity in extract_quantities(text, code):
            # a share is 40% here and 0.4 in the specs: the same figure (evaluation.same_figure)
            values += [quantity.value] + ([quantity.value / 100] if quantity.unit == "%" else [])
        return values

    return read


# -- Recognizers-Text: dates ----------------------------------------------------------------------


def date_cases(language: str) -> list[tuple[str, dt.datetime, set[str], str | None]]:
    cases = []
    for case in _specs(SPECS / "DateTime" / language / "DateParser.json"):
        reference = case.get("Context", {}).get("ReferenceDateTime")
        published = dt.datetime.fromisoformat(reference[:19]) if reference else dt.datetime(2016, 11, 7)
        for result in case.get("Results", []):
            if result.get("Type") != "date":
                continue
            value = result["Value"]
            accepted = {value.get("Timex"), value.get("PastResolution", {}).get("date")} - {None}
            text = result.get("Text", "")
            why = next((reason for reason, test in _LEFT_OUT_DATES.items() if test(text)), None)
            cases.append((case["Input"], published, accepted, why))
    return cases


def score_dates(language: str, read: Callable[[str, dt.datetime], set[str]]) -> Tally:
    return _tally((bool(read(text, published) & accepted), why) for text, published, accepted, why in date_cases(language))


def claimledger_dates(text: str, published: dt.datetime) -> set[str]:
    return {mention.value for mention in extract_dates(text, published.date())}


def dateparser_dates(language: str) -> Callable[[str, dt.datetime], set[str]]:
    from dateparser.search import search_dates

    languages = ["zh"] if language == "Chinese" else ["en"]

    def read(text: str, published: dt.datetime) -> set[str]:
        settings = {"RELATIVE_BASE": published, "PREFER_DATES_FROM": "past"}
        found = search_dates(text, languages=languages, settings=settings) or []  # type: ignore[arg-type]
        return {moment.date().isoformat() for _, moment in found}

    return read


def recognizers() -> tuple[Callable[[str], Callable[[str], list[float]]], Callable[[str], Callable[[str, dt.datetime], set[str]]]] | None:
    """Recognizers-Text's Python port, when importable (pip install recognizers-text-suite
    'emoji<1.0'); None otherwise."""
    try:
        from recognizers_date_time import recognize_datetime
        from recognizers_number import Culture, recognize_number, recognize_percentage
    except ImportError:
        return None

    def numbers(language: str) -> Callable[[str], list[float]]:
        culture = Culture.Chinese if language == "Chinese" else Culture.English

        def read(text: str) -> list[float]:
            values = []
            for result in recognize_number(text, culture) + recognize_percentage(text, culture):
                try:
                    values.append(float(str(result.resolution.get("value")).rstrip("%").replace(",", "")))
                except (TypeError, ValueError):
                    continue
            return values

        return read

    def dates(language: str) -> Callable[[str, dt.datetime], set[str]]:
        culture = Culture.Chinese if language == "Chinese" else Culture.English

        def read(text: str, published: dt.datetime) -> set[str]:
            found = set()
            for result in recognize_datetime(text, culture, reference=published):
                for value in (result.resolution or {}).get("values", []):
                    found |= {value.get("timex"), value.get("value")}
            return found - {None}

        return read

    return numbers, dates


def _share(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "n/a"


def _print_tally(kind: str, language: str, name: str, tally: Tally) -> None:
    print(f"  {kind:15} {language:8} {name:17} {_share(tally.right, tally.total)}"
          f" | {_share(tally.ledger_right, tally.ledger_total)}")


def main() -> None:
    cases = json.loads((DATA / "newsquant" / "NewsQuant.json").read_text(encoding="utf-8"))
    print(f"NewsQuant ({len(cases)} English news sentences), claimledger:")
    for part, subset in (("all", cases), ("read (even)", cases[0::2]), ("held out (odd)", cases[1::2])):
        by_value, by_value_unit = newsquant(subset)
        print(f"  {part:15} value P {by_value.precision:.3f} R {by_value.recall:.3f} F1 {by_value.f1:.3f}"
              f" | value+unit P {by_value_unit.precision:.3f} R {by_value_unit.recall:.3f} F1 {by_value_unit.f1:.3f}")

    library = recognizers()
    print("Recognizers-Text specs, accuracy of the resolved value (all cases | ledger cases):")
    for language in ("English", "Chinese"):
        readers: list[tuple[str, Callable[[str], list[float]]]] = [("claimledger", claimledger_numbers(language))]
        if library:
            readers.append(("Recognizers-Text", library[0](language)))
        for name, read in readers:
            tally = score_numbers(language, read)
            _print_tally("numbers+percent", language, name, tally)
        print(f"    left out: {dict(tally.left_out)}")
        date_readers: list[tuple[str, Callable[[str, dt.datetime], set[str]]]] = [
            ("claimledger", claimledger_dates), ("dateparser", dateparser_dates(language))]
        if library:
            date_readers.append(("Recognizers-Text", library[1](language)))
        for name, read_dates in date_readers:
            tally = score_dates(language, read_dates)
            _print_tally("dates", language, name, tally)
        print(f"    left out: {dict(tally.left_out)}")
    if library is None:
        print("  (Recognizers-Text's Python port is not installed here: see docs/figures-and-dates.md)")


if __name__ == "__main__":
    main()
