from __future__ import annotations

import datetime as dt

import pytest

from claimledger.extract.dates import anchor_to_event, extract_dates

PUBLISHED = dt.date(2026, 2, 3)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("revealed on a YouTube live broadcast on January 28th that", "2026-01-28", "day"),
        ("fled on December 20 and", "2025-12-20", "day"),  # a year-less date is not put in the future
        ("March 10, 2025, Beijing", "2025-03-10", "day"),
        ("on 3 February 2026", "2026-02-03", "day"),
        ("said on Monday", "2026-02-02", "day"),
        ("last week", "2026-W05", "week"),
        ("雷恩2月2日在直播中透露", "2026-02-02", "day"),
        ("2025年1月28日", "2025-01-28", "day"),
        ("上周二", "2026-01-27", "day"),
        ("昨天", "2026-02-02", "day"),
        ("in May 2025", "2025-05", "month"),
        ("since 2019", "2019", "year"),
        # by the calendar, not by 30-day months
        ("a month ago", "2026-01-03", "window"),
        ("1 month and 21 days ago", "2025-12-13", "day"),
        ("the vote is in two weeks", "2026-02-17", "day"),
        ("three weeks from tomorrow", "2026-02-25", "day"),
        ("a few days ago", "2026-01-31", "day"),
        # a day of a named week or month
        ("on Tuesday next week", "2026-02-10", "day"),
        ("the first Tuesday of November", "2025-11-04", "day"),
        ("the second Sunday", "2026-02-08", "day"),  # of the report's month
        ("last Sunday", "2026-02-01", "day"),  # the latest one, not the month's last
        ("the 20th of next month", "2026-03-20", "day"),
        ("He resigned on the 27th.", "2026-01-27", "day"),
        ("2019-sep-1", "2019-09-01", "day"),
        ("2020/1/2", "2020-01-02", "day"),
        ("16. Nov. 2016", "2016-11-16", "day"),
        # Chinese: a week counted from the report's, days around it, numeral years, leap days
        ("上周一", "2026-01-26", "day"),
        ("下下周日", "2026-02-22", "day"),
        ("大后天", "2026-02-06", "day"),
        ("两千零四年八月十五日", "2004-08-15", "day"),
        ("2月29日", "2024-02-29", "day"),
        ("八月十五个人", "2025-08", "month"),  # 十五个人 counts people, not a day
    ],
)
def test_dates_resolve_against_the_publication_date(text: str, value: str, precision: str) -> None:
    (mention,) = extract_dates(text, PUBLISHED)
    assert (mention.value, mention.precision) == (value, precision)
    assert text[mention.start : mention.end] == mention.text


def test_without_a_publication_date_the_year_stays_unknown() -> None:
    (mention,) = extract_dates("on January 28th", None)
    assert mention.value == "XXXX-01-28" and mention.low is None


@pytest.mark.parametrize(("text", "value"), [
    ("was sentenced to life in prison on Sunday", "XXXX-WXX-7"),
    ("met the teachers by video on Wednesday", "XXXX-WXX-3"),
    ("新华社星期四报道", "XXXX-WXX-4"),
    ("上週六他被捕", "XXXX-WXX-6"),  # last week's Saturday is still a Saturday
])
def test_without_a_publication_date_a_day_of_the_week_is_kept_as_such(text: str, value: str) -> None:
    (mention,) = extract_dates(text, None)
    assert (mention.value, mention.low) == (value, None)


def test_windows_for_checkpoints() -> None:
    (mention,) = extract_dates("the meeting in the next few days will be a checkpoint", PUBLISHED)
    assert mention.precision == "window"
    assert (mention.low, mention.high) == (PUBLISHED, PUBLISHED + dt.timedelta(days=7))
    (ten,) = extract_dates("within the next ten days", PUBLISHED)
    assert ten.high == PUBLISHED + dt.timedelta(days=10)


@pytest.mark.parametrize(
    "text",
    ["He may go.", "the 2018 amendments", "the 1990s", "the 21st century",
     "the highest level in 20 years", "for the first time in three weeks"],
)
def test_not_dates(text: str) -> None:
    assert extract_dates(text, PUBLISHED) == []


def test_counted_from_the_narrated_events_waits_for_the_event_day() -> None:
    mentions = extract_dates("He was detained. Two weeks later he spoke; 次日他离开。", PUBLISHED)
    assert [(m.text, m.value, m.anchor) for m in mentions] == [
        ("Two weeks later", "EVENT+P14D", None), ("次日", "EVENT+P1D", None)]
    anchored = anchor_to_event(mentions, dt.date(2026, 1, 20))
    assert [(m.value, m.anchor) for m in anchored] == [("2026-02-03", "event"), ("2026-01-21", "event")]
    assert anchor_to_event(mentions, None) == mentions
    assert extract_dates("three days after the arrest", PUBLISHED) == []  # after what: not known
