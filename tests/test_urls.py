"""Dates in URLs: news sites file articles under their day or month, in many spellings."""

from __future__ import annotations

import pytest

from claimledger.urls import UrlDate, url_date


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.upi.com/Top_News/World-News/2015/04/03/China-indicts/", UrlDate(2015, 4, 3)),
    ("https://global.chinadaily.com.cn/china/2017-07/24/content_30229152.htm", UrlDate(2017, 7, 24)),
    ("http://www.example.com/2013/news/world/09/22/court-verdict", UrlDate(2013, 9, 22)),  # sections between
    ("http://french.peopledaily.com.cn/Chine/n/2014/0729/c31354-8762438.html", UrlDate(2014, 7, 29)),
    ("https://ettoday.net/news/20140729/383663.htm", UrlDate(2014, 7, 29)),
    ("http://www.passiontimes.hk/article/07-24-2017/40617", UrlDate(2017, 7, 24)),  # month first: 24 is no month
    ("https://nation.com.pk/21-Jan-2020/china-jails-former-interpol-boss", UrlDate(2020, 1, 21)),
    ("http://chinadigitaltimes.net/2014/12/zhou-yongkang-arrested-expelled-party/", UrlDate(2014, 12)),
    ("https://column.iresearch.cn/b/202201/927748.shtml", UrlDate(2022, 1)),
])
def test_a_url_gives_the_day_or_month_it_is_filed_under(url: str, expected: UrlDate) -> None:
    assert url_date(url) == expected


@pytest.mark.parametrize("url", [
    "https://example.org/article/03-04-2017/1",  # March 4 or 3 April: no guess
    "https://example.org/news?id=20190412",  # numbers in a query are ids
    "https://example.org/article/123456789",
    "not a url at all",
    None,
])
def test_no_date_where_the_url_leaves_doubt(url: str | None) -> None:
    assert url_date(url) is None


def test_a_day_that_does_not_exist_leaves_its_month() -> None:
    assert url_date("https://example.org/2019/02/30/not-a-day") == UrlDate(2019, 2)


def test_only_a_full_day_is_a_date() -> None:
    assert UrlDate(2014, 12).as_date() is None
    assert str(UrlDate(2014, 12, 5).as_date()) == "2014-12-05"
