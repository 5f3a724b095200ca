from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.extract.quantities import extract_quantities

OPEN = None


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "unit", "qualifier"),
    [
        ("which may be close to or exceed 10 million people.", 10e6, 9e6, OPEN, "people", "close_or_over"),
        ("approximately 50,000 military officers have been", 50_000, 45_000, 55_000, "military officers", "approx"),
        ("involving over 200 senior officers such as", 200, 200, OPEN, "senior officers", "over"),
        ("tens of thousands of department-level officials", 10_000, 10_000, 99_999, "department-level officials", "magnitude"),
        ("make up about 50% of the overall number", 50, 45, 55, "%", "approx"),
        ("nearly half of them", 50, 45, 50, "%", "nearly"),
        ("around 10,000 provincial and ministerial-level officials have", 10_000, 9_000, 11_000, "provincial and ministerial-level officials", "approx"),
        ("could span 20 to 30 years", 25, 20, 30, "years", "range"),
        ("at least 6 percent", 6, 6, OPEN, "%", "at_least"),
        ("fewer than 40 delegates", 40, OPEN, 40, "delegates", "under"),
        ("1.4 billion Chinese people", 1.4e9, 1.4e9, 1.4e9, "Chinese people", None),
        ("several thousand protesters", 3000, 2000, 9000, "protesters", "several"),
        ("$6 each", 6, 6, 6, "dollar", None),
        ("近三百名员工接受问询", 300, 270, 300, "员工", "nearly"),
        ("约四千万克朗港口费用", 40e6, 36e6, 44e6, "克朗", "approx"),
        ("两百人被捕", 200, 200, 200, "人", None),
        ("超过一万人", 10_000, 10_000, OPEN, "人", "over"),
        ("数千万人", 30e6, 20e6, 90e6, "人", "several"),
        ("三百多名官员", 300, 300, OPEN, "官员", "over"),
        ("1.4亿人", 1.4e8, 1.4e8, 1.4e8, "人", None),
        ("百分之五十的官员", 50, 50, 50, "%", None),
    ],
)
def test_figures_with_their_qualifiers(
    text: str, value: float, low: float | None, high: float | None, unit: str, qualifier: str | None
) -> None:
    (quantity,) = extract_quantities(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.low == (None if low is None else pytest.approx(low))
    assert quantity.high == (None if high is None else pytest.approx(high))
    assert (quantity.unit, quantity.qualifier) == (unit, qualifier)
    assert text[quantity.start : quantity.end] == quantity.text


def test_tens_of_thousands_is_an_order_of_magnitude_not_ten_thousand() -> None:
    (quantity,) = extract_quantities("tens of thousands of officials")
    assert quantity.high is not None and quantity.high > 10 * quantity.low * 0.99


@pytest.mark.parametrize(
    "text",
    ["in 2019, the bureau", "the 2018 constitutional amendments", "no one can escape it",
     "the Gang of Four period", "统一一些问题", "一名高级管理人员"],
)
def test_not_quantities(text: str) -> None:
    assert extract_quantities(text) == []


@given(st.integers(min_value=11, max_value=10**9), st.sampled_from(["about", "over", "nearly", "up to"]))
def test_qualified_figure_round_trips(number: int, qualifier: str) -> None:
    text = f"{qualifier} {number:,} workers"
    (quantity,) = extract_quantities(text)
    assert quantity.value == number
    assert quantity.text == text
    if quantity.low is not None:
        assert quantity.low <= number
    if quantity.high is not None:
        assert quantity.high >= number
