"""Event signatures: who is at the centre of a report, what happened, and the event's own day."""

from __future__ import annotations

import datetime as dt

import pytest

from claimledger.extract import extract_document
from claimledger.extract.events import central_people, event_date, event_types
from claimledger.model import EventDate


@pytest.mark.parametrize(("title", "lead", "expected"), [
    ("Former minister sentenced to life in prison for bribery", "A court in Tianjin sentenced him on Tuesday.", "sentenced"),
    ("Court rejects appeal, upholds life term", "The higher court upheld the verdict.", "appeal"),
    ("薄熙来案二审维持原判", "山东省高级人民法院对薄熙来案做出二审公开宣判。", "appeal"),
    ("孫政才涉嫌嚴重違紀 中紀委立案審查", "中共中央決定對其立案審查。", "investigated"),
    ("", "中国国家监察委员会发布通报说,公安部副部长涉嫌违法,正接受监察调查。", "investigated"),
    ("Police detain opposition leader at Moscow airport", "He was detained at passport control.", "detained"),
    ("Tycoon makes first public appearance in three months", "He appeared in a video on Wednesday.", "reappeared"),
    ("Interpol president reported missing by his wife", "He has not been heard from since.", "missing"),
    ("Tsai Ing-wen wins landslide in Taiwan presidential election", "She won a second term.", "elected"),
    ("Cardinal Robert Prevost elected new Pope", "White smoke rose on Thursday.", "elected"),
    ("赖清德宣布当选", "民进党候选人赖清德胜选。", "elected"),
    ("Judge rules Google holds illegal monopolies in ad tech market", "A federal judge ruled on Thursday.", "ruled"),
    ("Pope Francis dies aged 88", "The Vatican announced his death on Monday.", "died"),
    ("Strongest earthquake in Taiwan in 25 years", "The quake struck off Hualien on Wednesday.", "disaster"),
    ("花蓮規模7.2地震", "花莲近海发生地震。", "disaster"),
    ("", "中共中央政治局決定開除前政治局常委周永康黨籍。", "expelled"),  # the man named between the two words
])
def test_event_types_come_from_the_headline_and_lead(title: str, lead: str, expected: str) -> None:
    assert event_types(title, lead)[0] == expected


def test_a_ruling_party_is_not_a_ruling_and_an_election_is_not_an_appointment() -> None:
    assert event_types("Taiwan ruling party's Lai wins presidential election", "") == ("elected",)
    assert event_types("He ruled out a run for office", "") == ()
    assert "elected" not in event_types("Minister appointed ambassador", "He was sworn in on Monday.")


def test_a_report_that_states_no_act_has_no_type() -> None:
    assert event_types("A look back at the year", "Markets were calm and the weather mild.") == ()
    assert event_types("Lunar probe returns samples from the far side", "The probe landed on Tuesday.") == ()


def test_the_lead_names_the_event_day_resolved_against_the_publication_date() -> None:
    found = event_date("Court sentences ex-party chief", "A court sentenced him to life in prison on Sunday.",
                       dt.date(2013, 9, 23), "metadata", "en")
    assert found == EventDate("2013-09-22", "lead", 0.8)


def test_a_chinese_day_of_the_month_resolves_against_the_publication_date() -> None:
    found = event_date("", "24日晚6点,官媒通报,他涉嫌严重违纪,已被立案审查。", dt.date(2017, 7, 25), "metadata", "zh")
    assert found is not None and found.value == "2017-07-24"


def test_a_late_rerun_keeps_its_events_day() -> None:
    found = event_date("", "5月8日,天津市第一中级人民法院对他一审公开宣判。", dt.date(2018, 8, 3), "metadata", "zh")
    assert found is not None and found.value == "2018-05-08"


def test_an_undated_report_takes_the_dateline_of_its_lead() -> None:
    found = event_date("", "Jinan, China, September 22, 2013 A Chinese court sentenced the ousted politician.", None, "none", "en")
    assert found is not None and (found.value, found.source) == ("2013-09-22", "lead")


def test_a_photo_caption_date_is_not_the_event() -> None:
    found = event_date("", "In this March 13, 2017 photo, the party secretary attends a session. He was replaced.", None, "none", "en")
    assert found is None


def test_a_url_date_is_a_low_confidence_reference() -> None:
    found = event_date("Party chief replaced", "The central committee announced a new secretary.", dt.date(2017, 7, 15), "url", "en")
    assert found == EventDate("2017-07-15", "url", 0.4)


def test_other_languages_through_dateparser() -> None:
    dated = event_date("", "МОСКВА, 16 февраля. Оппозиционер умер в колонии.", dt.date(2024, 2, 16), "metadata", "ru")
    assert dated is not None and dated.value == "2024-02-16"
    undated = event_date("", "W piątek 16 lutego służba więziennictwa poinformowała o śmierci.", None, "none", "pl")
    assert undated is not None and (undated.value, undated.source) == ("XXXX-02-16", "month-day")


def test_a_number_in_another_language_is_not_a_day() -> None:
    # dateparser reads "2,7" as 2 July and "5日" as a day of some month: neither names a month
    assert event_date("", "Hann þáði jafnvirði 2,7 milljarða króna í mútur.", None, "none", "is") is None
    assert event_date("", "政治局は5日、党籍剥奪を決めた。", None, "none", "ja") is None
    dated = event_date("", "政治局は12月5日、党籍剥奪を決めた。", None, "none", "ja")
    assert dated is not None and dated.value == "XXXX-12-05"


def test_an_older_day_outside_the_act_sentence_is_background() -> None:
    # published (here: by its URL) on the 24th; the lead recalls an announcement of the 15th
    lead = ("The former party secretary is under investigation, according to a decision by the Central Committee. "
            "It was announced on July 15 that a successor had been appointed.")
    found = event_date("Former party chief under investigation", lead, dt.date(2017, 7, 24), "url", "en", ("investigated",))
    assert found is not None and found.value == "2017-07-24"
    recent = event_date("", lead.replace("July 15", "July 22"), dt.date(2017, 7, 24), "url", "en", ("investigated",))
    assert recent is not None and recent.value == "2017-07-22"
    unknown_act = event_date("", lead, dt.date(2017, 7, 24), "url", "en")  # what the report is about is not known
    assert unknown_act is not None and unknown_act.value == "2017-07-15"


def test_month_and_day_alone_are_compared_as_such() -> None:
    full, partial = EventDate("2024-02-16", "lead", 0.8), EventDate("XXXX-02-18", "month-day", 0.3)
    assert full.days_apart(partial) == 2
    assert EventDate("XXXX-12-31", "month-day", 0.3).days_apart(EventDate("XXXX-01-01", "month-day", 0.3)) == 1


def test_a_day_of_the_week_alone_is_compared_by_the_day_of_the_week() -> None:
    sunday, thursday = EventDate("XXXX-WXX-7", "weekday", 0.3), EventDate("XXXX-WXX-4", "weekday", 0.3)
    assert sunday.weekday == 7 and EventDate("2013-09-22", "act", 0.9).weekday is None
    assert sunday.days_apart(EventDate("2013-09-22", "act", 0.9)) == 0  # a Sunday
    assert EventDate("2013-08-22", "act", 0.9).days_apart(sunday) == 3  # a Thursday
    assert sunday.days_apart(thursday) == 3 and sunday.days_apart(EventDate("XXXX-WXX-1", "weekday", 0.3)) == 1
    assert sunday.days_apart(EventDate("XXXX-09-22", "month-day", 0.3)) is None  # nothing to compare


def test_central_people_count_the_lead_double_and_only_where_names_are_read() -> None:
    people = [(10, "sun zhengcai"), (50, "chen miner"), (900, "chen miner"), (950, "chen miner"), (120, "sun zhengcai")]
    assert central_people(people, "en")[0] == "sun zhengcai"
    assert central_people(people, "ru") == ()


def test_the_signature_is_part_of_the_extraction() -> None:
    text = ("A court in Tianjin sentenced former Chongqing party chief Sun Zhengcai to life in prison on Tuesday"
            " for taking bribes. Sun Zhengcai said he accepted the verdict.")
    extraction = extract_document(text, language="en", published=dt.date(2018, 5, 9), title="Sun Zhengcai jailed for life",
                                  published_source="metadata")
    assert extraction.event.who[0] == "sun zhengcai"
    assert extraction.event.what[0] == "sentenced"
    assert extraction.event.when is not None and extraction.event.when.value == "2018-05-08"
    assert extraction.event.missing == ()


def test_the_sentence_that_states_the_act_dates_it_not_an_earlier_day_in_the_lead() -> None:
    body = ("The trial began in Tianjin on May 22 behind closed doors. "
            "On June 11 the court sentenced the former security chief to life in prison.")
    found = event_date("Former security chief jailed for life", body, dt.date(2015, 6, 12), "metadata", "en", ("sentenced",))
    assert found is not None and (found.value, found.source) == ("2015-06-11", "act")


def test_an_act_on_a_weekday_of_an_undated_report_is_not_dated_by_a_background_day() -> None:
    body = ("China's former security chief was sentenced to life in jail on Thursday. "
            "He was tried in the northern city of Tianjin on May 22 and admitted his guilt.")
    found = event_date("China jails former security chief for life", body, None, "none", "en", ("sentenced",))
    assert found == EventDate("XXXX-WXX-4", "weekday", 0.3)  # the act's day of the week, not May 22
    # with a publication date the day is placed; two days of the week leave it unknown
    assert event_date("", body, dt.date(2015, 6, 12), "metadata", "en", ("sentenced",)) == EventDate("2015-06-11", "act", 0.9)
    confirmed = ("The death of the group's chief, following a plane crash on Wednesday, has been confirmed by"
                 " genetic analysis, the Investigative Committee said on Sunday.")
    assert event_date("", confirmed, None, "none", "en", ("died",)) is None
    # without the act's type the old order holds: the first day the lead names
    assert event_date("China jails former security chief", body, None, "none", "en", ()) == EventDate("XXXX-05-22", "month-day", 0.3)


def test_a_weekday_is_never_counted_from_a_date_in_the_text() -> None:
    body = ("Sun Zhengcai attends a session at the Great Hall of the People on Mar 6, 2017.\n"
            "The former party boss was sentenced to life in prison for bribery, state media said on Tuesday (May 8).")
    found = event_date("Former party boss jailed for life", body, None, "none", "en", ("sentenced",))
    assert found is not None and found.value == "XXXX-05-08"


def test_the_month_a_url_is_filed_under_gives_a_year_to_a_day_without_one() -> None:
    body = "4月3日,当局宣布,由天津市检察院对周永康提起公诉。"
    found = event_date("", body, None, "none", "zh", ("charged",), (2015, 4))
    assert found is not None and found.value == "2015-04-03"
    december = event_date("", "12月28日,法院宣判。", None, "none", "zh", ("sentenced",), (2015, 1))
    assert december is not None and december.value == "2014-12-28"  # filed in January: the December before
    assert event_date("", "12月28日,法院宣判。", None, "none", "zh", ("sentenced",)) == EventDate("XXXX-12-28", "month-day", 0.3)


def test_extraction_reads_the_month_from_the_documents_url() -> None:
    extraction = extract_document("On April 3 prosecutors indicted the former security chief.", language="en",
                                  title="Former security chief indicted", url="http://example.com/2015/04/indicted.html")
    assert extraction.event.when is not None and extraction.event.when.value == "2015-04-03"


def test_three_days_later_counts_from_the_reports_event_day_not_its_publication() -> None:
    text = ("Police detained the activist Li Ming in Guangzhou on Tuesday. Three days later, he was"
            " released on bail, his lawyer said.")
    extraction = extract_document(text, language="en", published=dt.date(2026, 2, 13), title="Activist detained",
                                  published_source="metadata")
    assert extraction.event.when is not None and extraction.event.when.value == "2026-02-10"
    (later,) = [d for d in extraction.dates if d.text == "Three days later"]
    assert (later.value, later.anchor) == ("2026-02-13", "event")
    (tuesday,) = [d for d in extraction.dates if d.text == "on Tuesday"]
    assert tuesday.anchor == "published"


def test_without_an_event_day_of_its_own_three_days_later_is_kept_unresolved() -> None:
    text = "The activist Li Ming was released three days later, his lawyer said."
    extraction = extract_document(text, language="en", published=dt.date(2026, 2, 13), published_source="metadata")
    (later,) = extraction.dates
    assert (later.value, later.low, later.anchor) == ("EVENT+P3D", None, None)
