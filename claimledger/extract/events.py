"""What event a report is about: who is at its centre, what happened to them, and when.

Look-alike events about the same people (a general investigated, then expelled, then
sentenced) read alike and share every name: meaning alone merges them. Their dates and what
happened tell them apart. A signature is read from the headline and lead, where news states
the act and its day:

- who: the people the report is about, by their spelling-independent entity keys (names are
  only read reliably in English and Chinese; in other languages this part is left missing);
- what: event types from a small inventory (docs/events.md), found by cue phrases in English
  and Chinese (simplified and traditional);
- when: the event's own day: the day named in the sentence that states the act, else a day
  the lead names ("on Sunday", "Jan. 24", "1月24日", "24日") resolved against the publication
  date, else the publication date (from metadata, a dateline in the lead, or the URL), each
  recorded with where it came from and how sure it is. Without any year the month and day
  alone are kept (XXXX-01-24) and compared as such, unless the URL's month gives the year;
  without any date at all, the day of the week the act sentence names ("was sentenced on
  Sunday": XXXX-WXX-7), which still tells a look-alike event on another day apart.

A part that cannot be read is missing, never guessed: placement then goes by what is there.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections import Counter
from dataclasses import dataclass

from claimledger.extract.dates import extract_dates
from claimledger.model import EventDate, EventSignature, weekday_only
from claimledger.urls import url_date

LEAD_CHARS = 400  # headline and lead: where a report states its act and its day
# A day named in the lead is the event's own day when it falls this far before the publication
# date at most (a late re-run restates its event's day) and not after it.
_LOOKBACK = dt.timedelta(days=180)
# A date next to these words dates a photo (often years old), not the event.
_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile(r"[^\W\d_]{3,}|月")  # a month's name (septembre, Juni) or 月
_PHOTO = re.compile(r"photo|file|picture|foto|圖|图|照片|資料照|资料照", re.IGNORECASE)
_NEWS_DAYS = dt.timedelta(days=3)
_PARTIAL = re.compile(r"^XXXX-(\d\d)-(\d\d)$")
_YEAR = re.compile(r"(?:19|20)\d\d")
ACT_CHARS = 1500  # how far the sentence that states the act is looked for
_UNPLACED = "XXXX-XX-XX"
# A sentence: up to a full stop before a new sentence, a Chinese full stop, or a line's end.
_SENTENCE = re.compile(r"[^\n。！？!?]+?(?:[.!?](?=\s+[\"“‘(A-Z0-9])|[。！？!?]|\n|$)", re.DOTALL)
# Confidence in an event date, by where it came from.
DATE_CONFIDENCE = {"act": 0.9, "lead": 0.8, "argument": 0.8, "metadata": 0.7, "dateline": 0.6, "url": 0.4, "month-day": 0.3,
                   "weekday": 0.3}
# Event days read from the report's own text (not the publication date standing in for one):
# "three days later" in the report counts from these.
TEXT_DAYS = frozenset({"act", "lead"})


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    meaning: str
    english: re.Pattern[str]
    chinese: re.Pattern[str]


def _type(name: str, meaning: str, english: str, chinese: str) -> EventType:
    return EventType(name, meaning, re.compile(english, re.IGNORECASE), re.compile(chinese))


# The inventory (docs/events.md lists it with examples). Cue phrases say the act itself, not
# the words around it: "trial" alone also appears in every report of a later sentence, so the
# headline counts three times the lead.
EVENT_TYPES: tuple[EventType, ...] = (
    _type("investigated", "placed under investigation (disciplinary, criminal, supervisory)",
          r"\binvestigat\w*|\b(?:under|graft|corruption|disciplinary|criminal) probe\b|\bprobe (?:into|of)\b|\bprobed\b"
          r"|disciplinary violation|graft inquiry",
          r"立案审查|立案審查|接受审查|接受審查|被查|监察调查|監察調查|严重违纪|嚴重違紀|涉嫌违纪|涉嫌違紀|立案侦查|立案偵查"),
    _type("detained", "detained, arrested, held", r"\bdetain\w*|\barrest\w*|\bcustody\b",
          r"拘留|逮捕|被捕|羁押|羈押|带走|帶走|留置|扣押"),
    _type("expelled", "expelled from the party or an office", r"\bexpel\w*|stripped of (?:his |her )?(?:party )?membership",
          r"开除.{0,12}党籍|開除.{0,12}黨籍|双开|雙開|撤销.{0,12}资格|撤銷.{0,12}資格"),
    _type("removed", "removed from a post, replaced",
          r"\bremov\w+ (?:from|as)\b|\boust(?:s|ed)?\b|\bsacked\b|\bdismiss\w+ (?:from|as)\b|\breplaced\b|\baxes\b|no longer (?:serve|hold|be)",
          r"免职|免職|免去|撤职|撤職|下台|不再兼任|不再担任|不再擔任"),
    _type("appointed", "appointed, named to a post", r"\bappointed\b|\bsworn in\b", r"任命|出任|接任"),
    _type("elected", "elected, re-elected, an election won",
          r"\b(?:re-?)?elected\b|\bwins? (?:the |a )?(?:\w+ )?(?:election|vote|term|presidency)\b"
          r"|\bwon (?:the |a )?(?:\w+ )?(?:election|vote|term|presidency)\b|\blandslide\b|\bconcedes? defeat\b",
          r"当选|當選|胜选|勝選|连任|連任|败选|敗選|赢得.{0,6}选|贏得.{0,6}選"),
    _type("charged", "charged, indicted, prosecuted", r"\bindict\w*|\bcharged with\b|\bprosecut\w*",
          r"起诉|起訴|公诉|公訴"),
    _type("tried", "on trial, a hearing, a plea", r"\bstands? trial\b|\bstood trial\b|\bon trial\b|\btrial\b|pleads? guilty|pleaded guilty|\bhearing\b",
          r"受审|受審|开庭|開庭|庭审|庭審|认罪|認罪|审理|審理"),
    _type("sentenced", "sentenced, convicted, a verdict",
          r"\bsentenc\w+|life in (?:prison|jail)|\bjail(?:ed|s)\b|life term|\bconvicted\b|\bverdict\b|\bguilty of\b",
          r"判处|判處|无期徒刑|無期徒刑|宣判|获刑|獲刑|判刑|判囚"),
    _type("ruled", "a court's ruling (not a sentence)",
          r"\b(?:judge|court|justices?) (?:rules?|ruled|finds?|found)\b|\bruled (?:that|against|in favou?r|illegal)\b"
          r"|\b(?:court|judge)(?:'s|’s)? ruling\b|\bruling (?:on|against|that|in favou?r)\b|\blandmark ruling\b",
          r"裁定|裁决|裁決"),
    _type("appeal", "an appeal ruled on", r"\bappeal\w*|\bupheld\b|\bupholds?\b", r"二审|二審|上诉|上訴|维持原判|維持原判"),
    _type("died", "died, killed", r"\bdied\b|\bdies\b|\bdead\b|\bdeath\b|\bkilled\b|\bcrash\w*",
          r"死亡|去世|身亡|坠机|墜機|遇难|遇難|丧生|喪生"),
    _type("missing", "missing, not seen in public", r"\bmissing\b|\bdisappear\w*|not been (?:seen|heard)|\bwhereabouts\b|\babsence\b|\bvanish\w*",
          r"失踪|失蹤|下落不明|消失"),
    _type("reappeared", "seen again in public", r"\breappear\w*|\bresurface\w*|public appearance|\bappear(?:s|ed) (?:in|at|on)\b",
          r"现身|現身|露面"),
    _type("resigned", "resigned, stepped down", r"\bresign\w*|\bstep(?:s|ped)? down\b", r"辞职|辭職|辞去|辭去|请辞|請辭"),
    _type("revolt", "a mutiny, uprising or coup", r"\bmutiny\b|\brebellion\b|\buprising\b|\bmarch on\b|\bcoup\b",
          r"兵变|兵變|叛乱|叛亂|哗变|譁變|政变|政變"),
    _type("disaster", "an earthquake, flood, storm or fire",
          r"\bearthquakes?\b|\bquakes?\b|\btremors?\b|\bflood(?:s|ed|ing)?\b|\btyphoon\b|\bhurricane\b|\bwildfires?\b|\btsunami\b",
          r"地震|洪水|洪灾|洪災|台风|颱風|山火|海啸|海嘯"),
    _type("denied", "a report denied", r"\bden(?:y|ied|ies)\b|\brefut\w+|\bdismissed (?:the )?(?:reports|rumou?rs)\b",
          r"否认|否認|辟谣|闢謠"),
    _type("defected", "defected, fled abroad", r"\bdefect\w*|\bfled\b|\bflees\b|\bsought asylum\b", r"叛逃|出逃|外逃"),
)


def event_signature(
    title: str | None,
    body: str,
    published: dt.date | None,
    published_source: str,
    language: str | None,
    people: list[tuple[int, str]],
    url: str | None = None,
) -> EventSignature:
    """The signature of one report. `people` are (offset in the body, entity key) of the
    person mentions extraction found; they count only where names are read reliably. The
    month a URL is filed under (/2014/12/slug) gives a year to days that lack one."""
    what = event_types(title or "", body[:300])
    filed = url_date(url)
    return EventSignature(
        who=central_people(people, language),
        what=what,
        when=event_date(title or "", body, published, published_source, language, what,
                        (filed.year, filed.month) if filed else None),
    )


def central_people(people: list[tuple[int, str]], language: str | None) -> tuple[str, ...]:
    """The people a report is about: named most, the lead counting double."""
    if (language or "en")[:2] not in ("en", "zh"):
        return ()
    counts: Counter[str] = Counter()
    for start, key in people:
        counts[key] += 2 if start < LEAD_CHARS else 1
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(key for key, count in counts.most_common(3) if count >= top / 2)


def event_types(title: str, lead: str) -> tuple[str, ...]:
    """The event types the headline and lead state, strongest first (those within 60% of the
    strongest)."""
    scores: Counter[str] = Counter()
    for event in EVENT_TYPES:
        for text, weight in ((title, 3), (lead, 1)):
            hits = len(event.english.findall(text)) + len(event.chinese.findall(text))
            if hits:
                scores[event.name] += weight * min(hits, 2)
    if not scores:
        return ()
    top = max(scores.values())
    return tuple(name for name, score in scores.most_common() if score >= top * 0.6)


def event_date(
    title: str,
    body: str,
    published: dt.date | None,
    published_source: str,
    language: str | None,
    what: tuple[str, ...] = (),
    filed: tuple[int, int] | None = None,
) -> EventDate | None:
    """The event's own day (see the module's docstring for the order of the sources). `what`
    are the report's event types, `filed` the (year, month) its URL is filed under."""
    lead = f"{title}\n{body[:LEAD_CHARS]}"
    days = _lead_days(lead, published, language)
    reference, source = published, published_source if published else "none"
    if reference is None:
        dated = [day for _, day, has_year in days if has_year and isinstance(day, dt.date)]
        if dated:
            reference, source = dated[0], "dateline"
    act = _act_day(f"{title}\n{body[:ACT_CHARS]}", what, published, reference, language, filed)
    if act is not None:
        if act.value == _UNPLACED or (act.source == "weekday" and reference is not None):
            return _fallback(reference, source)
        return act
    for _, day, has_year in days:
        if has_year and isinstance(day, dt.date) and _plausible(day, reference) and (not what or _near(day, published)):
            return EventDate(day.isoformat(), "lead", DATE_CONFIDENCE["lead"])
    if reference is not None:
        return _fallback(reference, source)
    partial = [day for _, day, has_year in days if not has_year and isinstance(day, str) and _PARTIAL.match(day)]
    return _with_year(partial[0], filed) if partial else None


def _plausible(day: dt.date, reference: dt.date | None) -> bool:
    """Whether `day` can be the event of a report published on `reference`."""
    return reference is None or reference - _LOOKBACK <= day <= reference + dt.timedelta(days=1)


def _near(day: dt.date, published: dt.date | None) -> bool:
    """Whether a day the lead names outside the sentences that state the report's act can be
    its event: a report whose act sentence names no day is news of the days just before its
    publication, and an older day elsewhere in the lead is background."""
    return published is None or dt.timedelta(0) <= published - day <= _NEWS_DAYS


def _fallback(reference: dt.date | None, source: str) -> EventDate | None:
    return EventDate(reference.isoformat(), source, DATE_CONFIDENCE.get(source, 0.5)) if reference else None


def _act_day(text: str, what: tuple[str, ...], published: dt.date | None, reference: dt.date | None,
             language: str | None, filed: tuple[int, int] | None) -> EventDate | None:
    """The day named in the first sentence that states the report's act ("was sentenced to life
    on Tuesday (May 8)", "6月11日,天津市第一中级人民法院对周永康...判处"): other days in the lead
    are often background (the speech that began an affair, an earlier hearing). None: no such
    sentence names a day; a day of the week alone (XXXX-WXX-4) when it names one in a report
    with no date to count from ("on Thursday" in an undated report); `_UNPLACED`: it names one
    that cannot be placed at all, so no other day of the lead may stand in for it. A day of the
    week counts from the publication date only, never from a date found in the text."""
    if not what or (language or "en")[:2] not in ("en", "zh"):
        return None
    cues = [event for event in EVENT_TYPES if event.name in what]
    days = _lead_days(text, published, language)  # "on Tuesday" counts from the publication only
    for sentence in _SENTENCE.finditer(text):
        if not any(event.english.search(sentence.group()) or event.chinese.search(sentence.group()) for event in cues):
            continue
        named = [(day, known) for start, day, known in days if sentence.start() <= start < sentence.end()]
        if not named:
            continue
        day, known = min(named, key=lambda item: 0 if item[1] else (1 if _PARTIAL.match(str(item[0])) else 2))
        if known and isinstance(day, dt.date):
            return EventDate(day.isoformat(), "act", DATE_CONFIDENCE["act"]) if _plausible(day, reference) else None
        if isinstance(day, str) and _PARTIAL.match(day):
            return _with_year(day, filed)
        if isinstance(day, str) and weekday_only(day) is not None:
            if len({other for other, _ in named if weekday_only(str(other)) is not None}) > 1:
                return EventDate(_UNPLACED, "act", 0.0)  # "after a crash on Wednesday, ... said on Sunday"
            return EventDate(day, "weekday", DATE_CONFIDENCE["weekday"])
        return EventDate(_UNPLACED, "act", 0.0)
    return None


def _with_year(partial: str, filed: tuple[int, int] | None) -> EventDate:
    """A month and day given the year that puts it at or before the month its URL is filed
    under (within half a year); without one, kept as month and day alone."""
    match = _PARTIAL.match(partial)
    if filed is not None and match is not None:
        month, day = int(match.group(1)), int(match.group(2))
        for year in (filed[0], filed[0] - 1):
            try:
                found = dt.date(year, month, day)
            except ValueError:
                continue
            end_of_month = dt.date(filed[0], filed[1], 28) + dt.timedelta(days=4)
            if end_of_month - _LOOKBACK <= found <= end_of_month:
                return EventDate(found.isoformat(), "month-day", DATE_CONFIDENCE["url"])
    return EventDate(partial, "month-day", DATE_CONFIDENCE["month-day"])


def _lead_days(lead: str, reference: dt.date | None, language: str | None) -> list[tuple[int, dt.date | str, bool]]:
    """(offset, day, whether its year is known) of the days the lead names, in order; days
    beside a photo credit are left out."""
    found: list[tuple[int, dt.date | str, bool]] = []
    code = (language or "en")[:2]
    if code in ("en", "zh"):
        for mention in extract_dates(lead, reference):
            if mention.precision != "day" or _PHOTO.search(lead[max(0, mention.start - 25) : mention.end + 25]):
                continue
            if mention.low is None and not mention.value.startswith("X"):
                continue  # "three days later" (EVENT+P3D): counted from the day looked for here
            known = not mention.value.startswith("X")
            found.append((mention.start, dt.date.fromisoformat(mention.value) if known else mention.value, known))
    else:
        found = _other_language_days(lead, reference, code)
    return sorted(found, key=lambda item: item[0])


def _other_language_days(lead: str, reference: dt.date | None, code: str) -> list[tuple[int, dt.date | str, bool]]:
    """Days in a lead in another language, through dateparser's multilingual search."""
    from dateparser.search import search_dates

    base = dt.datetime.combine(reference, dt.time()) if reference else dt.datetime(2000, 1, 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hits = search_dates(lead, languages=[code], settings={
                "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"],
            }) or []
    except Exception:  # an unsupported language or an odd string: no days rather than no report
        return []
    days: list[tuple[int, dt.date | str, bool]] = []
    for text, value in hits:
        if not (_DIGIT.search(text) and _MONTH_WORD.search(text)):
            continue  # "2,7 milljarða" or "5日" alone: a number, not a day
        start = lead.find(text)
        if _PHOTO.search(lead[max(0, start - 25) : start + len(text) + 25]):
            continue
        known = reference is not None or bool(_YEAR.search(text))
        days.append((start, value.date() if known else f"XXXX-{value.month:02d}-{value.day:02d}", known))
    return days
