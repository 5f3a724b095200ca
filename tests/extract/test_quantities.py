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
        # Chinese numerals in every form, read by cn2an
        ("壹佰伍拾名官员", 150, 150, 150, "官员", None),
        ("一万三千人", 13_000, 13_000, 13_000, "人", None),
        ("25万6千人", 256_000, 256_000, 256_000, "人", None),
        ("4.78万亿元", 4.78e12, 4.78e12, 4.78e12, "元", None),
        ("一千多万人", 10e6, 10e6, OPEN, "人", "over"),
        ("三分之一的官员", 100 / 3, 100 / 3, 100 / 3, "%", None),
        ("近七成民众", 70, 63, 70, "%", "nearly"),
        ("增长２．５％", 2.5, 2.5, 2.5, "%", None),
        ("上升2.4个百分点", 2.4, 2.4, 2.4, "%", None),
        ("负一万元", -10_000, -10_000, -10_000, "元", None),
        ("近千万人", 10e6, 9e6, 10e6, "人", "nearly"),
        ("上万人", 10_000, 10_000, OPEN, "人", "at_least"),
        # spans of time that read like dates: months counted with 个, terms in numerals
        ("被留置三个月后", 3, 3, 3, "months", None),
        ("3个月内两度", 3, 3, 3, "months", None),
        ("判处有期徒刑十二年", 12, 12, 12, "years", None),
        ("doubling it to 256GB of storage", 256, 256, 256, "GB", None),
        ("top wind speeds of 60mph", 60, 60, 60, "mph", None),
        ("sales of 3.9m headsets", 3.9e6, 3.9e6, 3.9e6, "headsets", None),
        ("worth up to US$2.7m", 2.7e6, OPEN, 2.7e6, "dollar", "up_to"),
        ("priced at RM79 a month", 79, 79, 79, "ringgit", None),
        ("a package of INR1 trillion", 1e12, 1e12, 1e12, "rupee", None),
        ("tickets at 1,200 € each", 1200, 1200, 1200, "euro", None),
        ("a fine of $3 billion to $5 billion", 4e9, 3e9, 5e9, "dollar", "range"),
        ("prices rise between 5% and 6% this year", 5.5, 5, 6, "%", "range"),
        ("growth slows from 4.8 to 4.7 percent", 4.7, 4.7, 4.8, "%", "change"),
        ("the index fell -1.3% on Monday", -1.3, -1.3, -1.3, "%", None),
        ("a plant cooling gas to minus-260 degrees", -260, -260, -260, "degrees", None),
        ("a 6.1-inch display", 6.1, 6.1, 6.1, "inch", None),
        ("a false positive rate of .001 per cent", 0.001, 0.001, 0.001, "%", None),
        ("pled guilty to one count of wire fraud", 1, 1, 1, "count", None),
        ("There were 4 hundred million people", 4e8, 4e8, 4e8, "people", None),
        ("some 3 thousand 500 people", 3500, 3150, 3850, "people", "approx"),
        ("one and a half million people", 1.5e6, 1.5e6, 1.5e6, "people", None),
        ("half a million eggs", 5e5, 5e5, 5e5, "eggs", None),
        ("one in five adults", 20, 20, 20, "%", None),
        ("worth 12,34,567 rupees", 1_234_567, 1_234_567, 1_234_567, "rupees", None),
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


def test_a_count_in_boxes_is_two_numbers_not_a_share() -> None:
    assert [(q.value, q.unit) for q in extract_quantities("he counted 12 in six boxes")] == [
        (12, None), (6, "boxes")]


def test_tens_of_thousands_is_an_order_of_magnitude_not_ten_thousand() -> None:
    (quantity,) = extract_quantities("tens of thousands of officials")
    assert quantity.high is not None and quantity.high > 10 * quantity.low * 0.99


@pytest.mark.parametrize(
    "text",
    ["in 2019, the bureau", "the 2018 constitutional amendments", "no one can escape it",
     "the Gang of Four period", "统一一些问题", "一名高级管理人员",
     # names, labels, days and times carry numbers that count nothing
     "hands-on with the iPhone 11 Pro", "the S&P 500 rose", "tied Game 7 on Sunday",
     "patients with COVID-19 were", "the house at 49 Zorro Ranch Road", "Prescott (4) celebrates",
     "announced on Jan. 24 that", "at 1.56pm on Wall St", "one of them", "the 1990s",
     "between 2014 and 2017"],
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


@pytest.mark.parametrize("text", ["2025年他被调查", "二〇二五年", "一月二十八日", "一个月后"])
def test_days_months_and_years_of_the_calendar_are_no_figures(text: str) -> None:
    assert extract_quantities(text) == []

