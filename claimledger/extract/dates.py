"""Dates in news text, resolved against the document's own publication date.

Relayed reports drop years ("on January 28th") and speak relative to their own day ("on
Monday", "in the next few days"). With a publication date those resolve; without one the year
stays unknown (XXXX-01-28; "on Sunday" is XXXX-WXX-7) rather than guessed. Captions are never
read here: callers pass only body text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import cn2an
from dateutil.relativedelta import relativedelta

from claimledger.model import DateMention, DatePrecision, weekday_value

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "fourteen": 14, "thirty": 30, "few": 7, "several": 10, "coming": 4}
# How far ahead "the next few days" and its kin reach.
_WINDOW_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
# A date without a year is put in the publication year, unless that lands this far after it.
_FUTURE_TOLERANCE = dt.timedelta(days=60)

_MONTH = r"(?P<month>(?i:January|February|March|April|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)|May|MAY)"
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "twenty-first": 21, "twenty-second": 22,
    "twenty-third": 23, "twenty-fourth": 24, "twenty-fifth": 25, "twenty-sixth": 26,
    "twenty-seventh": 27, "twenty-eighth": 28, "twenty-ninth": 29, "thirty-first": 31,
}
_COUNT = r"\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+few|a|few|several"
_SPAN = rf"(?:{_COUNT})\s+(?:days?|weeks?|months?|years?)"
_ORDINAL = "|".join(sorted((re.escape(w).replace("\\-", "[- ]") for w in _ORDINAL_WORDS), key=len, reverse=True))
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("year_month_day", re.compile(rf"\b(?P<year>(?:19|20)\d\d)[-/]{_MONTH}[-/](?P<day>0?[1-9]|[12]\d|3[01])\b")),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b")),
    ("numeric", re.compile(
        r"(?<![\d/.,$€£¥-])(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?:(?P=sep)(?P<c>\d{1,4}))?(?![\d/%]|[.-]\d)")),
    # "the first Tuesday of November", "the second Monday of next month"
    ("nth_weekday", re.compile(
        rf"\b(?:the\s+)?(?P<nth>first|second|third|fourth|last)\s+(?P<weekday>(?i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
        rf"(?:\s+(?:of|in)\s+(?:{_MONTH}|(?P<which>(?i:this|next|last|previous))\s+month)\b"
        rf"|(?!\s+(?:of|in|after|before|since|following|each|every)\b))")),
    ("month_day", re.compile(
        rf"\b{_MONTH}(?:\.?\s*|-|/)(?P<day>[12]\d|3[01]|0?[1-9]|{_ORDINAL})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>1\d\d\d|20\d\d)\b)?")),
    ("day_month", re.compile(
        rf"\b(?:the\s+)?(?P<day>[12]\d|3[01]|0?[1-9]|{_ORDINAL})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>1\d\d\d|20\d\d)\b)?")),
    # "two years ago", "1 month and 21 days ago", "three weeks from tomorrow"
    ("ago", re.compile(
        rf"\b(?P<span>{_SPAN}(?:(?:\s+|,\s*|\s+and\s+){_SPAN})*)\s+(?:(?P<ago>ago)|(?P<side>from|after|before)\s+(?P<base>today|tomorrow|yesterday))\b",
        re.IGNORECASE)),
    # "in two weeks", "three days from now": a day ahead of the report
    ("ahead", re.compile(
        r"\bin\s+(?P<count>\d+|two|three|four|five|six|seven|ten|a)\s+(?P<unit>days?|weeks?|months?|years?)\b(?!\s+(?:of|time|after|before))"
        r"|\b(?P<count2>\d+|two|three|four|five|six|seven|ten|a)\s+(?P<unit2>days?|weeks?|months?|years?)\s+from\s+now\b",
        re.IGNORECASE)),
    # "three days later", "two weeks earlier", "the next day": counted from the narrated
    # events, so from the report's own event day when it has one (anchor_to_event)
    ("narrative", re.compile(
        rf"\b(?P<span>{_SPAN}(?:(?:\s+|,\s*|\s+and\s+){_SPAN})*)\s+(?P<dir>later|afterwards|earlier|after(?=\s*[,.;:!?)])|before(?=\s*[,.;:!?)]))"
        r"|\bthe\s+(?P<next>next|following|previous)\s+(?P<unit1>day|week|month)\b"
        r"|(?P<zh_next>次日|翌日|隔天|第二天)",
        re.IGNORECASE)),
    # "the 20th of next month"
    ("day_of_named_month", re.compile(
        r"\b(?:the\s+)?(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\s+of\s+(?P<which>this|next|last|previous)\s+month\b",
        re.IGNORECASE)),
    ("relative_day", re.compile(r"\b(?:the\s+)?day\s+(?P<word>before\s+yesterday|after\s+tomorrow)\b", re.IGNORECASE)),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b")),
    ("year", re.compile(r"\b(?:in|since|by|until|from|during|of|early|late|mid-?)\s+(?P<year>(?:19|20)\d\d)\b(?![-–]\d)")),
    # "Tuesday next week", "next week on Friday": a day of a named week
    ("week_weekday", re.compile(
        r"\b(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+(?:of\s+)?(?P<which>last|this|next)\s+week\b"
        r"|\b(?P<which2>last|this|next)\s+week(?:\s+on|,)?\s+(?P<weekday2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
        re.IGNORECASE)),
    ("weekday", re.compile(r"\b(?P<which>last|this|next|on)?\s*(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("relative_day", re.compile(r"\b(?P<word>today|yesterday|tomorrow)\b", re.IGNORECASE)),
    ("relative_unit", re.compile(r"\b(?P<which>last|this|next|earlier this|later this)\s+(?P<unit>week|month|year)\b", re.IGNORECASE)),
    # "on the 27th": a day of the report's month (or of the month before, if still to come)
    ("day_alone", re.compile(r"\bthe\s+(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?!\s*[A-Za-z-])")),
    ("window", re.compile(
        r"\b(?:in|within|over|during)\s+the\s+(?:next|coming|following)\s+(?:(?P<count>\d+|few|several|two|three|four|five|six|seven|ten|fourteen|thirty)\s+)?(?P<unit>days?|weeks?|months?)\b",
        re.IGNORECASE)),
    ("window", re.compile(r"\b(?:in\s+)?the\s+(?P<count>coming)\s+(?P<unit>days|weeks|months)\b", re.IGNORECASE)),
    ("zh_date", re.compile(
        r"(?:(?P<year>\d{4}|[〇零一二三四五六七八九]{4}|[两兩二一][千][零〇]?[一二三四五六七八九十]*)年)?(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:(?P<day>[12]\d|3[01]|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])(?:[日号號]|(?![\d〇零一二三四五六七八九十百千万萬亿億点點分]|[个個名位人])))?")),
    # "24日" alone: a day of the report's own month (or of the month before, if still to come)
    ("zh_day", re.compile(r"(?<![\d月年〇零一二三四五六七八九十])(?P<day>[12]\d|3[01]|0?[1-9])[日号號](?![本元前後后内內])")),
    ("zh_weekday", re.compile(r"(?P<which>上上|下下|上|下|本|这|這)?[个個]?(?:周|週|星期|礼拜|禮拜)(?P<weekday>[一二三四五六日天])")),
    ("zh_relative", re.compile(r"(?P<word>大前天|大后天|大後天|今天|昨天|前天|明天|后天|後天|今日|昨日|明日)")),
]
_MONTH_ONLY = re.compile(rf"^{_MONTH}$")
_SPAN_PART = re.compile(rf"(?P<count>{_COUNT})\s+(?P<unit>days?|weeks?|months?|years?)", re.IGNORECASE)


def extract_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Every date in `text` with its value and precision; relative ones need `published`, and
    those counted from the narrated events ("three days later") wait for anchor_to_event."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            mention = _resolve(kind, match, published)
            if mention is not None:
                if mention.relative and mention.low is not None:
                    mention = replace(mention, anchor="published")
                found.append(mention)
                taken.append((mention.start, mention.end))
    return sorted(found, key=lambda mention: mention.start)


_FROM_EVENT = re.compile(r"^EVENT([+-])P(\d+)D$")


def anchor_to_event(mentions: list[DateMention], event_day: dt.date | None) -> list[DateMention]:
    """The same mentions, with those counted from the narrated events ("three days later", 次日)
    resolved against the report's event day; without one they stay unresolved (EVENT+P3D)."""
    if event_day is None:
        return mentions
    anchored = []
    for mention in mentions:
        if found := _FROM_EVENT.match(mention.value):
            day = event_day + dt.timedelta(days=int(found.group(2)) * (-1 if found.group(1) == "-" else 1))
            mention = replace(mention, value=day.isoformat(), low=day, high=day, anchor="event")
        anchored.append(mention)
    return anchored


def _resolve(kind: str, match: re.Match[str], published: dt.date | None) -> DateMention | None:
    group = match.groupdict() | {"_source": match.string}
    start, end = match.start(), match.end()
    if kind == "weekday" and group["which"] is None:
        start = match.start("weekday")  # the leading space the optional group allows
    text = match.string[start:end]
    if kind == "numeric":
        return _numeric(start, end, text, group, published)
    if kind in ("iso", "month_day", "day_month", "zh_date"):
        month = int(group["m"]) if kind == "iso" else _month(group)
        raw_day = group.get("day")
        day = (_ORDINAL_WORDS.get(re.sub(r"\s+", "-", raw_day.lower())) or _zh_int(raw_day)) if raw_day else None
        year = _zh_int(group["year"]) if group.get("year") else None
        if kind == "month_day" and group["month"].lower().startswith("may") and day is None:
            return None
        if day is None:
            if year is None and kind == "zh_date":
                return _month_without_year(start, end, text, month, published)
            if year is None:
                return None
            return DateMention(start, end, text, f"{year:04d}-{month:02d}", "month",
                               *_month_window(year, month))
        return _day(start, end, text, year, month, day, published)
    if kind == "zh_day":
        return _day_of_month(start, end, text, int(group["day"]), published)
    if kind == "month_year":
        month, year = _month(group), int(group["year"])
        if month == 5 and group["month"] == "may":
            return None  # the verb "may"
        return DateMention(start, end, text, f"{year:04d}-{month:02d}", "month", *_month_window(year, month))
    if kind == "year":
        year = int(group["year"])
        return DateMention(start, end, text, f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    if kind == "week_weekday":
        weekday = _WEEKDAYS[(group["weekday"] or group["weekday2"]).lower()]
        step = {"last": -1, "this": 0, "next": 1}[(group["which"] or group["which2"]).lower()]
        return _day_of_week(start, end, text, weekday, step, published)
    if kind == "zh_weekday" and group["which"] in ("上上", "下下", "上", "下"):
        step = {"上上": -2, "上": -1, "下": 1, "下下": 2}[group["which"]]
        return _day_of_week(start, end, text, _ZH_WEEKDAYS[group["weekday"]], step, published)
    if kind == "nth_weekday":
        return _nth_weekday(start, end, text, group, published)
    if kind == "day_alone":
        return _day_of_month(start, end, text, int(group["day"]), published)
    if kind in ("weekday", "zh_weekday"):
        weekday = (_WEEKDAYS[group["weekday"].lower()] if kind == "weekday"
                   else _ZH_WEEKDAYS[group["weekday"]])
        which = {"上": "last", "下": "next", "本": "this", "这": "this", "這": "this"}.get(
            group["which"] or "", (group["which"] or "").lower() or None)
        return _weekday(start, end, text, weekday, which, published)
    if kind in ("relative_day", "zh_relative"):
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1, "今天": 0, "今日": 0, "昨天": -1,
                  "昨日": -1, "前天": -2, "大前天": -3, "明天": 1, "明日": 1, "后天": 2, "後天": 2,
                  "大后天": 3, "大後天": 3, "before yesterday": -2,
                  "after tomorrow": 2}[" ".join(group["word"].lower().split())]
        return _relative_day(start, end, text, offset, published)
    if kind == "relative_unit":
        return _relative_unit(start, end, text, group["which"].lower(), group["unit"].lower(), published)
    if kind == "ahead" and group["count"] and _LOOKING_BACK.search(_text_before(group, start, 40)):
        return None  # "the highest in 20 years": a span up to now, not a day ahead
    if kind == "ago":
        shift, finest = _span(group["span"] or "")
        if not group["ago"]:  # "three weeks from tomorrow", "two days before yesterday"
            base = {"today": 0, "tomorrow": 1, "yesterday": -1}[(group["base"] or "").lower()]
            shift = relativedelta(days=base) + (-shift if (group["side"] or "").lower() == "before" else shift)
        else:
            shift = -shift
        return _shifted_day(start, end, text, shift, published, "day" if finest in ("day", "week") else "window")
    if kind == "ahead":
        shift, finest = _span(f"{group['count'] or group['count2']} {group['unit'] or group['unit2']}")
        return _shifted_day(start, end, text, shift, published, "day" if finest in ("day", "week") else "window")
    if kind == "narrative":
        if group["span"]:
            shift, finest = _span(group["span"])
            backwards = group["dir"].lower() in ("earlier", "before")
        else:
            unit = (group["unit1"] or "day").lower()
            shift, finest = relativedelta(**{unit + "s": 1}), unit
            backwards = (group["next"] or "").lower() == "previous"
        days = (dt.date(2000, 1, 1) + shift - dt.date(2000, 1, 1)).days
        precision: DatePrecision = "day" if finest in ("day", "week") else "window"
        return DateMention(start, end, text, f"EVENT{'-' if backwards else '+'}P{days}D", precision)
    if kind == "day_of_named_month":
        step = {"this": 0, "next": 1}.get(group["which"].lower(), -1)
        if published is None:
            return None
        first = published.replace(day=1) + relativedelta(months=step)
        return _day(start, end, text, first.year, first.month, int(group["day"]), published)
    if kind == "year_month_day":
        return _day(start, end, text, int(group["year"]), _month(group), int(group["day"]), published)
    if kind == "window":
        plural = group["unit"].lower().endswith("s")
        count = _count(group["count"]) if group.get("count") else (4 if plural else 1)
        days = count * _WINDOW_DAYS[group["unit"].lower()]
        if published is None:
            return DateMention(start, end, text, f"REF/P{days}D", "window", relative=True)
        return DateMention(start, end, text, f"{published.isoformat()}/P{days}D", "window",
                           published, published + dt.timedelta(days=days), relative=True)
    return None


def _text_before(group: dict[str, str | None], start: int, width: int = 12) -> str:
    source = group.get("_source") or ""
    return source[max(0, start - width) : start]


_LOOKING_BACK = re.compile(
    r"\b(?:time|first|last|highest|lowest|best|worst|most|least|biggest|largest|smallest|fastest|"
    r"slowest|strongest|weakest|record|never|ever|once)\b[^.;]*$", re.IGNORECASE)


def _numeric(start: int, end: int, text: str, group: dict[str, str | None],
             published: dt.date | None) -> DateMention | None:
    """2015/08/12, 02/22/2016, 21/04/16, 4/22: year first, else month first unless it can't be."""
    a, b, c = int(group["a"] or 0), int(group["b"] or 0), group["c"]
    if len(group["a"] or "") == 4:  # 2015/08/12, 2020/1/2
        if c is None or len(c) > 2:
            return None
        year, month, day = a, b, int(c)
    elif c is not None and len(c) not in (2, 4):
        return None
    else:
        month, day = (a, b) if a <= 12 else (b, a)
        if c is None:
            # "1.4 billion", "10-12 people", "1/3 of": numbers, unless a preposition of time
            # says otherwise ("on 4/22").
            before = _text_before(group, start)
            if group["sep"] != "/" or not re.search(r"\b(?:on|by|since|until|from|before|after)\s+$", before, re.IGNORECASE):
                return None
            year = None
        else:
            year = int(c) + (2000 if len(c) == 2 and int(c) < 50 else 1900 if len(c) == 2 else 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _day(start, end, text, year, month, day, published)


def _month(group: dict[str, str | None]) -> int:
    raw = group.get("month") or group.get("m") or ""
    if raw and raw[0].isdigit():
        return int(raw)
    if raw and raw[0] in "一二三四五六七八九十":
        return _zh_int(raw)
    return _MONTHS[raw.lower().rstrip(".")]


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw.lower(), 7)


def _zh_int(raw: str) -> int:
    """12, 十二, 二〇二五, 两千零四: by cn2an, which reads every way Chinese writes a number."""
    return int(raw) if raw.isdigit() else int(cn2an.cn2an(raw, "smart"))


def _day(start: int, end: int, text: str, year: int | None, month: int, day: int,
         published: dt.date | None) -> DateMention | None:
    if year is not None:
        try:
            value = dt.date(year, month, day)
        except ValueError:
            return None
        return DateMention(start, end, text, value.isoformat(), "day", value, value)
    if published is None:
        return DateMention(start, end, text, f"XXXX-{month:02d}-{day:02d}", "day")
    year = published.year
    if (month, day) == (2, 29):  # the latest leap day not too far ahead
        year = next(y for y in range(year, year - 8, -1) if y % 4 == 0 and (y % 100 or y % 400 == 0))
    try:
        value = dt.date(year, month, day)
        if value - published > _FUTURE_TOLERANCE:
            value = dt.date(year - 1 if (month, day) != (2, 29) else year - 4, month, day)
    except ValueError:
        return None
    return DateMention(start, end, text, value.isoformat(), "day", value, value, relative=True)


def _day_of_month(start: int, end: int, text: str, day: int, published: dt.date | None) -> DateMention | None:
    if published is None:
        return None  # no month to put it in
    month = published.replace(day=1)
    if day > published.day:  # news speaks of the past: the 28th seen on the 3rd is last month's
        month = (month - dt.timedelta(days=1)).replace(day=1)
    try:
        value = month.replace(day=day)
    except ValueError:
        return None
    return DateMention(start, end, text, value.isoformat(), "day", value, value, relative=True)


def _month_without_year(start: int, end: int, text: str, month: int,
                        published: dt.date | None) -> DateMention:
    if published is None:
        return DateMention(start, end, text, f"XXXX-{month:02d}", "month")
    year = published.year if month <= published.month + 2 else published.year - 1
    return DateMention(start, end, text, f"{year:04d}-{month:02d}", "month",
                       *_month_window(year, month), relative=True)


def _month_window(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def _weekday(start: int, end: int, text: str, weekday: int, which: str | None,
             published: dt.date | None) -> DateMention:
    if published is None:
        return DateMention(start, end, text, weekday_value(weekday), "day", relative=True)
    delta = (published.weekday() - weekday) % 7
    if which == "next":
        value = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    elif which == "this" and weekday > published.weekday():
        value = published + dt.timedelta(days=weekday - published.weekday())
    else:  # news speaks of the past: "on Monday" is the latest Monday up to the report
        value = published - dt.timedelta(days=delta + (7 if which == "last" and delta == 0 else 0))
    return DateMention(start, end, text, value.isoformat(), "day", value, value, relative=True)


def _relative_day(start: int, end: int, text: str, offset: int, published: dt.date | None,
                  precision: DatePrecision = "day") -> DateMention:
    if published is None:
        return DateMention(start, end, text, "XXXX-XX-XX", precision, relative=True)
    value = published + dt.timedelta(days=offset)
    return DateMention(start, end, text, value.isoformat(), precision, value, value, relative=True)


def _span(words: str) -> tuple[relativedelta, str]:
    """"1 month and 21 days" as a calendar shift, and its finest unit."""
    shift, finest = relativedelta(), "year"
    for part in _SPAN_PART.finditer(words):
        raw = " ".join(part.group("count").lower().split())
        count = {"a": 1, "a few": 3, "few": 3, "several": 3}.get(raw) or _count(raw)
        unit = part.group("unit").lower().rstrip("s")
        shift += relativedelta(**{unit + "s": count})
        finest = min(finest, unit, key=["day", "week", "month", "year"].index)
    return shift, finest


def _shifted_day(start: int, end: int, text: str, shift: relativedelta, published: dt.date | None,
                 precision: DatePrecision) -> DateMention:
    """"a month ago", "in two weeks": the same day that far from the report, by the calendar."""
    if published is None:
        return DateMention(start, end, text, "XXXX-XX-XX", precision, relative=True)
    value = published + shift
    return DateMention(start, end, text, value.isoformat(), precision, value, value, relative=True)


def _nth_weekday(start: int, end: int, text: str, group: dict[str, str | None],
                 published: dt.date | None) -> DateMention | None:
    """"the first Tuesday of November": a month named, or one counted from the report's."""
    if group["month"]:
        month, year = _month(group), published.year if published else None
    elif not group["which"]:  # "the second Sunday": of the report's month ("last Sunday" is not)
        if published is None or (group["nth"] or "").lower() == "last":
            return None
        month, year = published.month, published.year
    elif published is not None:
        step = {"this": 0, "next": 1}.get((group["which"] or "").lower(), -1)
        first = published.replace(day=1) + relativedelta(months=step)
        month, year = first.month, first.year
    else:
        return None
    weekday = _WEEKDAYS[(group["weekday"] or "").lower()]
    if year is None or published is None:
        return DateMention(start, end, text, "XXXX-XX-XX", "day")
    value = _nth_weekday_of(year, month, weekday, (group["nth"] or "").lower())
    if group["month"] and value - published > _FUTURE_TOLERANCE:  # a month named without its year
        value = _nth_weekday_of(year - 1, month, weekday, (group["nth"] or "").lower())
    return DateMention(start, end, text, value.isoformat(), "day", value, value, relative=True)


def _nth_weekday_of(year: int, month: int, weekday: int, nth: str) -> dt.date:
    first_day = dt.date(year, month, 1)
    if nth == "last":
        last_day = first_day + relativedelta(months=1, days=-1)
        return last_day - dt.timedelta(days=(last_day.weekday() - weekday) % 7)
    weeks = {"first": 0, "second": 1, "third": 2, "fourth": 3}[nth]
    return first_day + dt.timedelta(days=(weekday - first_day.weekday()) % 7, weeks=weeks)


def _day_of_week(start: int, end: int, text: str, weekday: int, step: int,
                 published: dt.date | None) -> DateMention:
    """"Tuesday next week", 上周一: that day in the week `step` weeks from the report's."""
    if published is None:
        return DateMention(start, end, text, weekday_value(weekday), "day", relative=True)
    value = published + dt.timedelta(days=weekday - published.weekday(), weeks=step)
    return DateMention(start, end, text, value.isoformat(), "day", value, value, relative=True)


def _relative_unit(start: int, end: int, text: str, which: str, unit: str,
                   published: dt.date | None) -> DateMention:
    step = {"last": -1, "next": 1}.get(which, 0)
    if published is None:
        return DateMention(start, end, text, "XXXX", "window", relative=True)
    if unit == "year":
        year = published.year + step
        return DateMention(start, end, text, f"{year:04d}", "year", dt.date(year, 1, 1),
                           dt.date(year, 12, 31), relative=True)
    if unit == "month":
        month_index = published.year * 12 + published.month - 1 + step
        year, month = divmod(month_index, 12)
        return DateMention(start, end, text, f"{year:04d}-{month + 1:02d}", "month",
                           *_month_window(year, month + 1), relative=True)
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
    iso_year, iso_week, _ = monday.isocalendar()
    return DateMention(start, end, text, f"{iso_year:04d}-W{iso_week:02d}", "week", monday,
                       monday + dt.timedelta(days=6), relative=True)
