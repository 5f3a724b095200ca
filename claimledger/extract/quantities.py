"""Numbers in news text, with what they count and how vague they are, as machine-readable bounds.

Retellings drift: "close to or exceed 10 million" becomes "tens of millions". Comparing them
needs each figure as an interval that honours its own qualifier: "approximately 50,000" is
[45,000, 55,000], "over 200" is (200, open], "tens of thousands" is [10,000, 99,999] — an order
of magnitude, not 10,000. English and Chinese numerals (两百, 四千万, 1.4亿, 百分之五十) alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cn2an
import jieba

from claimledger.extract.dates import extract_dates
from claimledger.model import DateMention, Quantity

jieba.setLogLevel(60)  # jieba logs its dictionary loading to stderr; library code stays quiet

# -- English -------------------------------------------------------------------------------------

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a dozen": 12, "a hundred": 100, "a thousand": 1000, "a million": 1_000_000,
}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "mln": 1_000_000, "mn": 1_000_000,
    "billion": 1_000_000_000, "bn": 1_000_000_000, "bln": 1_000_000_000,
    "trillion": 1_000_000_000_000, "tn": 1_000_000_000_000, "tln": 1_000_000_000_000,
    "dozen": 12, "dozens": 12, "lakh": 100_000, "lakhs": 100_000, "crore": 10_000_000, "crores": 10_000_000,
}
# Abbreviations that are scales only after a currency sign: "$10m", "€2k" ("10 m" is metres).
_MONEY_SCALES = _SCALES | {"m": 1_000_000, "mil": 1_000_000, "k": 1_000, "b": 1_000_000_000}
# Written onto a bare number, these are scales too when a noun follows: "3.9m headsets", "25k".
_GLUED_SCALES = {"m": 1_000_000, "mil": 1_000_000, "mn": 1_000_000, "mm": 1_000_000,
                 "bn": 1_000_000_000, "b": 1_000_000_000, "tn": 1_000_000_000_000, "k": 1_000}
# Fractions as single characters: "½", "¾".
_VULGAR = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅙": 1 / 6, "⅛": 1 / 8}
# Currencies written before the figure, as signs or codes ("US$5", "HK $3.7 billion", "RM79").
_CURRENCY_UNITS = {
    "$": "dollar", "€": "euro", "eur": "euro", "£": "pound", "gbp": "pound", "¥": "yuan",
    "cny": "yuan", "rmb": "yuan", "jpy": "yen", "inr": "rupee", "rs": "rupee", "rs.": "rupee",
    "rm": "ringgit", "chf": "franc", "usd": "dollar", "aud": "dollar", "cad": "dollar",
    "sgd": "dollar", "hkd": "dollar", "nzd": "dollar",
}
# ... or after it: "1,200 €", "50 EUR".
_CURRENCY_AFTER = re.compile(r"\s?(?P<symbol>[€£¥]|(?-i:USD|EUR|GBP|CNY|RMB|JPY|INR|CHF)\b)")
_CURRENCY = (  # case matters: "a $5 fee" is five dollars, not A$5
    r"(?-i:(?:\b(?:US|USD|AUD|NZD|CAD|SGD|HKD|HK|NZ|A|C|S)\s?)?\$(?:US|A|C)?"
    r"|[€£¥]|\b(?:USD|EUR|GBP|AUD|CAD|SGD|HKD|NZD|CNY|RMB|JPY|INR|CHF|Rs\.?|RM)(?=\s?\d))"
)
_FRACTIONS = {"half": 0.5, "a half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25,
              "one quarter": 0.25, "two thirds": 2 / 3, "three quarters": 0.75}
# Vague magnitudes: "tens of thousands" is any number from 10,000 to 99,999.
_MAGNITUDES = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (100, 999), "thousands": (1_000, 9_999),
    "tens of thousands": (10_000, 99_999), "hundreds of thousands": (100_000, 999_999),
    "millions": (1_000_000, 9_999_999), "tens of millions": (10_000_000, 99_999_999),
    "hundreds of millions": (100_000_000, 999_999_999), "billions": (1e9, 9.999e9),
}
_SEVERAL = {"several", "a few", "some"}

# Qualifier phrase -> kind. Longest phrases first when building the pattern.
_QUALIFIERS = {
    "close to or exceed": "close_or_over", "close to or exceeding": "close_or_over",
    "close to or more than": "close_or_over", "nearly or more than": "close_or_over",
    "approximately": "approx", "approx.": "approx", "about": "approx", "around": "approx",
    "roughly": "approx", "some": "approx", "an estimated": "approx", "estimated": "approx",
    "circa": "approx", "~": "approx", "nearly": "nearly", "almost": "nearly",
    "close to": "nearly", "just under": "nearly", "just shy of": "nearly", "over": "over",
    "more than": "over", "above": "over", "exceeding": "over", "in excess of": "over",
    "upwards of": "over", "at least": "at_least", "no fewer than": "at_least",
    "no less than": "at_least", "under": "under", "less than": "under", "fewer than": "under",
    "below": "under", "up to": "up_to", "at most": "up_to", "as many as": "up_to",
    "as much as": "up_to", "no more than": "up_to",
}
# How vague an approximate figure is assumed to be, either side.
APPROX_MARGIN = 0.1

_NUMBER = (  # 1,234,567.8; 12,34,567 (Indian); 1 234 567 (spaced thousands); 1234.5; .5
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!,\d)|\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d|[,.]\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
)
_NUMBER_WORDS = [w for w in _UNITS_WORDS if " " not in w] + ["hundred", "thousand", "million", "billion", "trillion", "dozens", "dozen"]
_NW = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# "one hundred and sixty-one", "twenty-one trillion", "a dozen": a run of number words.
_WORD_NUMBER = (
    rf"(?:a\s+(?:dozen|hundred|thousand|million|billion)|{_NW})"
    rf"(?:(?:\s+|-)(?:{_NW})|(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+(?:{_NW}))*"
    rf"(?:\s+point(?:\s+(?:{_NW}|nought|naught))+)?"  # "five point five", "nine point nought four"
)
_SCALE = "|".join(sorted(_SCALES, key=len, reverse=True))
_MONEY_SCALE = "|".join(sorted(_MONEY_SCALES, key=len, reverse=True))
_MAGNITUDE = "|".join(sorted((re.escape(m) for m in _MAGNITUDES), key=len, reverse=True))
_FRACTION = "|".join(sorted((re.escape(f).replace("\\ ", "[-\\s]") for f in _FRACTIONS), key=len, reverse=True))
_PERCENT = r"(?:%|per\s?cent\b|percentage\s+points?\b)"
_QUALIFIER = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))

_EN_PATTERN = re.compile(
    rf"""
    (?:(?P<qualifier>{_QUALIFIER})\s+)?
    (?:
        (?P<range_low>{_NUMBER})(?:\s*{_PERCENT}(?=\s*(?:-|–|to)\s*(?:{_NUMBER})\s*{_PERCENT}))?
            (?:-|\s+-\s+|\s*(?:–|to)\s*)(?P<range_high>{_NUMBER})
            (?:\s*(?P<range_scale>{_SCALE})\b)?
      | between\s+(?P<between_low>{_NUMBER})(?:\s*{_PERCENT}(?=\s+and\s+(?:{_NUMBER})\s*{_PERCENT}))?
            \s+and\s+(?P<between_high>{_NUMBER})
            (?:\s*(?P<between_scale>{_SCALE})\b)?
      | (?P<several>several|a\s+few)\s+(?P<several_scale>hundred|thousand|million|billion)\b
      | (?P<magnitude>{_MAGNITUDE})\b(?=\s+of\b)
      | (?P<currency>{_CURRENCY})\s?(?P<money_sign>-)?(?P<money>{_NUMBER})(?:\s*(?P<money_scale>{_MONEY_SCALE})\b)?
            (?:\s*(?:-|–|to)\s*(?:{_CURRENCY})?\s?(?P<money_high>{_NUMBER})(?:\s*(?P<money_high_scale>{_MONEY_SCALE})\b)?)?
      | (?P<mixed_whole>{_NUMBER}|{_WORD_NUMBER})(?:\s+(?P<mixed_first_scale>{_SCALE}))?
            \s+and\s+(?P<mixed_part>a\s+half|one\s+half|a\s+quarter|a\s+third)(?:\s+(?P<mixed_scale>{_SCALE})\b)?
      | (?P<part_of>half|a\s+quarter|quarter|a\s+third|two[-\s]thirds|three[-\s]quarters)(?:\s+of)?(?:\s+an?)?
            \s+(?P<part_scale>million|billion|trillion|dozen)\b
      | (?P<vulgar>[½⅓⅔¼¾⅕⅙⅛])
      | (?P<digit_words>\d+\s+(?:hundred|thousand)(?:\s+(?:and\s+)?(?:\d+(?![.,]\d)|{_NW}))+)\b
      | (?P<sign>(?<![\w.,])-|−|\b(?:minus|negative)[\s-])?(?P<number>{_NUMBER})(?:\s*(?P<hundreds>hundred|thousand)\s+(?=million|billion|trillion))?(?:\s*(?P<scale>{_SCALE})\b)?
      | (?P<fraction>{_FRACTION})\b(?!-)
      | (?P<word_sign>\b(?:minus|negative)\s+)?(?P<word>{_WORD_NUMBER})\b
    )
    (?P<percent>\s*{_PERCENT})?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# What is counted: up to three words after the number ("10 million people", "approximately
# 50,000 military officers", "tens of thousands of department-level officials").
_UNIT_WORD = r"[A-Za-zμ°][\w'’-]*"
_UNIT_AFTER = re.compile(rf"\s+(?:of\s+(?:the\s+)?)?((?:{_UNIT_WORD}\s+){{0,4}}{_UNIT_WORD})")
_MAX_UNIT_WORDS = 3
_COORDINATORS = {"and", "or"}
_UNIT_STOP = {
    "a", "an", "the", "that", "which", "who", "whom", "whose", "in", "on", "at", "by", "for",
    "from", "to", "with", "over", "under", "and", "or", "but", "as", "than", "have", "has",
    "had", "were", "was", "are", "is", "be", "been", "will", "would", "could", "should", "may",
    "might", "can", "said", "says", "of", "into", "since", "during", "after", "before", "per",
    "each", "this", "these", "those", "their", "its", "his", "her", "our", "your", "such",
    "more", "less", "across", "among", "against", "also", "not", "it", "they", "he",
    "she", "we", "you", "i", "there", "here", "when", "while", "if", "so", "then", "up",
    "down", "out", "about", "around", "nearly", "almost", "including", "involving", "until",
    "them", "us", "him", "me",
}
_PLAIN_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")

# -- Chinese ---------------------------------------------------------------------------------------

_ZH_QUALIFIERS = {"近": "nearly", "将近": "nearly", "將近": "nearly", "接近": "nearly",
                  "约": "approx", "約": "approx", "大约": "approx", "大約": "approx", "约有": "approx",
                  "超过": "over", "超過": "over", "逾": "over", "超": "over", "多达": "up_to",
                  "多達": "up_to", "至少": "at_least", "不到": "under", "不足": "under",
                  "上": "at_least"}  # 上万: ten thousand and more (only before 百, 千, 万, 亿)
_ZH_DIGIT_CHARS = "零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_ZH_NUMERAL = rf"[{_ZH_DIGIT_CHARS}十拾百佰千仟万萬亿億]+(?:[点點][{_ZH_DIGIT_CHARS}]+)?"
_ZH_SCALE_CHARS = "十百千万萬亿億"
_ZH_PATTERN = re.compile(
    rf"""
    (?P<qualifier>{"|".join(sorted(set(_ZH_QUALIFIERS) - {"上"}, key=len, reverse=True))}|上(?=[百千万萬亿億]))?
    (?P<negative>负|負)?
    (?:
        (?P<whole>{_ZH_NUMERAL}|\d+)分之(?P<part>{_ZH_NUMERAL}|(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)
      | (?P<several>数|數|幾|几)(?P<several_scale>十万|十萬|百万|百萬|千万|千萬|十|百|千|万|萬|亿|億)
      | (?P<digits>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:[{_ZH_SCALE_CHARS}]+零?\d*)*)
      | (?P<numeral>{_ZH_NUMERAL})
    )
    (?:(?P<more>多|余|餘)(?P<more_scale>[万萬亿億])?)?
    (?P<percent>%|％|个百分点|個百分點)?
    (?P<tenths>成(?![为為了立功员員长長本果绩績就交型年]))?
    (?P<measure>[名位个個只件起次])?
    (?P<date_tail>[月日号號年])?
    """,
    re.VERBOSE,
)
_ZH_FUNCTION_WORDS = set("的在被已于於是和与與及或并並也都将將了从從对對为為向因而但已经")


@dataclass(frozen=True, slots=True)
class _Reading:
    value: float
    low: float | None
    high: float | None
    qualifier: str | None


# A time of day is no figure: "4:06pm", "10:46 am", "1.56pm", "4 p.m.", "16:00", "8 o'clock".
_TIME_OF_DAY = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?|\b\d{1,2}\.\d{2}\s*[ap]\.?m\b|\b\d{1,2}\s*[ap]\.\s?m\.?"
    r"|\b\d{1,2}\s*[ap]m\b|\b\d{1,2}\s+o'clock\b",
    re.IGNORECASE,
)


# Full-width digits, point and percent sign, as Chinese and Japanese text writes them: "２．２％".
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．％－", "0123456789.%-")


def extract_quantities(
    text: str, language: str | None = None, dates: Sequence[DateMention] | None = None
) -> list[Quantity]:
    """Every quantity in `text`, in order, with character spans into `text`. Times of day and
    the numbers inside dates ("January 17", "Sept. 20-24") are left out; `dates` are the text's
    date mentions when the caller has them already."""
    scan = text.translate(_HALF_WIDTH)  # same length, so spans still point into `text`
    shares = _shares(scan)
    found = [q for q in _english_quantities(scan) if not any(_overlap(q, share) for share in shares)] + shares
    if language in (None, "zh") or re.search(r"[\u4e00-\u9fff]", text):
        found += _chinese_quantities(scan)
    found = [replace(q, text=text[q.start : q.end]) for q in found]
    if dates is None:
        dates = extract_dates(text, None)
    spans = [(m.start(), m.end()) for m in _TIME_OF_DAY.finditer(text)]
    # "nine days later" keeps its figure: a span of time counted from the events, not a day
    spans += [(d.start, d.end) for d in dates if not d.value.startswith("EVENT")]
    found = [q for q in found if not any(start <= q.start < end for start, end in spans)]
    found.sort(key=lambda quantity: quantity.start)
    return _drop_overlaps(found)


def _english_quantities(text: str) -> list[Quantity]:
    quantities = []
    for match in _EN_PATTERN.finditer(text):
        if not _starts_a_word(text, match) or _names_or_labels(text, match):
            continue
        reading = _read_english(match)
        if reading is None:
            continue
        start, end = match.start(), match.end()
        percent = any(match.group(g) for g in ("percent", "fraction", "vulgar"))
        unit = "%" if percent else _currency_unit(match.group("currency"))
        glued = _glued_suffix(text, match)
        if glued is None:
            continue  # "21st", "1990s", "fourteenth": part of a word
        if glued:
            written, factor = glued
            end += len(written)
            if factor != 1:
                reading = _scaled(reading, factor)
            elif unit is None:
                unit = "%" if written.lower() == "pc" else written.lstrip("-")
        if unit is None and (after := _CURRENCY_AFTER.match(text, end)):
            unit, end = _currency_unit(after.group("symbol")), after.end()
        if unit is None:
            unit, end = _unit_after(text, end)
        if _is_address(unit) or _is_bare_year(match, unit) or (match.group("word") and not _counts_something(match, unit)):
            continue
        if percent and match.group("fraction"):
            reading = _scaled(reading, 100)
        quantities.append(
            Quantity(
                start=start,
                end=end,
                text=text[start:end],
                value=reading.value,
                low=reading.low,
                high=reading.high,
                unit=unit,
                qualifier=reading.qualifier,
            )
        )
    return quantities


# "one in five adults", "2 out of 3 voters": a share, read apart so that "12 in six boxes",
# which is no share, still gives its two numbers.
_SHARE = re.compile(
    rf"(?<![\w.,])(?P<part>{_WORD_NUMBER}|\d+)\s+(?:in|out\s+of)\s+(?P<whole>{_WORD_NUMBER}|\d{{1,3}}(?:,\d{{3}})*)\b(?!\s*(?:%|per))",
    re.IGNORECASE,
)


def _shares(text: str) -> list[Quantity]:
    shares = []
    for match in _SHARE.finditer(text):
        part, whole = _number_or_words(match.group("part")), _number_or_words(match.group("whole"))
        if not whole or part > whole or _PLAIN_YEAR.match(match.group("whole")):
            continue
        value = part / whole * 100
        shares.append(Quantity(match.start(), match.end(), match.group(), value, value, value, "%", None))
    return shares


def _overlap(a: Quantity, b: Quantity) -> bool:
    return a.start < b.end and b.start < a.end


_GLUED = re.compile(r"[A-Za-zμ°]+(?:/[A-Za-z]+)?")
# A unit joined on with a hyphen: "6.1-inch display", "five-year term", "18-month-old".
_HYPHENED = re.compile(r"-(?P<unit>[a-z]+(?:-old)?)\b")
_NOUN_AFTER = re.compile(r"\s+(?:of\s+)?[a-z]")


def _glued_suffix(text: str, match: re.Match[str]) -> tuple[str, float] | tuple[()] | None:
    """Letters written onto a figure: a unit ("256GB", "50mph", "164p") or a scale ("3.9m
    headsets", "25k"): (the letters, the scale or 1). () when nothing is written on; None when
    the figure is part of a word ("21st", "1990s", "fourteenth")."""
    if match.group("percent"):
        return ()
    hyphened = _HYPHENED.match(text, match.end())
    if hyphened and hyphened.group("unit") not in _UNIT_STOP:
        return hyphened.group(), 1
    written = _GLUED.match(text, match.end())
    if written is None:
        return ()
    if not (match.group("number") or match.group("money") or match.group("range_high")):
        return None
    letters = written.group()
    if letters.lower() in ("st", "nd", "rd", "th", "s"):
        return None
    scale = _GLUED_SCALES.get(letters.lower())
    if scale is not None and (letters != "m" or _NOUN_AFTER.match(text, written.end())):
        return letters, scale
    return letters, 1


def _counts_something(match: re.Match[str], unit: str | None) -> bool:
    """"one" is a count before a noun ("one count of wire fraud", "one of the students", as
    NewsQuant annotates it), not in "no one", "one of them" or "the one that"."""
    if " ".join(match.group("word").lower().split()) != "one" or match.group("word_sign"):
        return True
    before = match.string[max(0, match.start() - 6) : match.start()].lower().split()
    return unit is not None and unit.split()[0].islower() and not (before and before[-1] in _NOT_A_COUNT)


_NOT_A_COUNT = {"no", "the", "any", "every", "each", "which", "this", "that", "someone", "anyone"}
# Capitalised words before a number that are not names: "Only 5 people", "On Monday 30 ..."
_NOT_NAMES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "i", "a", "an", "the", "in", "on", "at", "by", "for", "from", "of",
    "only", "just", "and", "but", "to", "with", "all", "another",
}
_WORD_BEFORE = re.compile(r"(?:(?P<word>[A-Za-z][\w&.'’]*)\s+|(?P<joined>[A-Za-z]*[A-Z][A-Za-z]*)-)$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(]\s*)$")


def _names_or_labels(text: str, match: re.Match[str]) -> bool:
    """A bare number that belongs to a name or a label, not a quantity: "iPhone 11", "S&P 500",
    "Game 7", "COVID-19", "Section 3" (but "Tylenol 500mg"); a bracketed shirt number "(4)"."""
    if not match.group("number") or any(match.group(g) for g in ("qualifier", "percent", "sign", "scale")):
        return False
    start, end = match.start(), match.end()
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return True
    if _GLUED.match(text, end):
        return False
    before = text[max(0, start - 40) : start]
    found = _WORD_BEFORE.search(before)
    if found is None:
        return False
    if found.group("joined"):
        return True
    word = found.group("word")
    if not any(char.isupper() or char == "&" for char in word) or word.lower().rstrip(".") in _NOT_NAMES:
        return False
    return not _SENTENCE_START.search(before[: found.start()])


def _read_english(match: re.Match[str]) -> _Reading | None:
    group = match.groupdict()
    qualifier = _QUALIFIERS.get((group["qualifier"] or "").lower())
    if group["range_low"] or group["between_low"]:
        scale = _SCALES.get((group["range_scale"] or group["between_scale"] or "").lower(), 1)
        low = _number(group["range_low"] or group["between_low"]) * scale
        high = _number(group["range_high"] or group["between_high"]) * scale
        return _range(low, high, qualifier, match)
    if group["several"]:
        scale = _SCALES[group["several_scale"].lower()]
        return _Reading(3 * scale, 2 * scale, 9 * scale, "several")
    if group["magnitude"]:
        low, high = _MAGNITUDES[group["magnitude"].lower()]
        reading = _Reading(float(low), float(low), float(high), "magnitude")
        if qualifier == "nearly":  # "nearly tens of millions": just short of the magnitude
            return _Reading(float(low), low * (1 - APPROX_MARGIN * 2), float(high), "nearly")
        return reading
    if group["mixed_whole"]:  # "one and a half million", "3 million and a half"
        whole = _number_or_words(group["mixed_whole"]) * _SCALES.get((group["mixed_first_scale"] or "").lower(), 1)
        part = _part(group["mixed_part"])
        last_word = (group["mixed_first_scale"] or group["mixed_whole"]).lower().split()[-1]
        if group["mixed_scale"]:  # "one and a half million"; "one billion and a half million"
            scale = _SCALES[group["mixed_scale"].lower()]
            value = whole + part * scale if whole >= scale else (whole + part) * scale
        else:  # "one and a half"; "3 million and a half": a half of the last scale named
            value = whole + part * _SCALES.get(last_word, 1)
    elif group["part_of"]:  # "half a million", "a quarter of a billion"
        value = _part(group["part_of"]) * _SCALES[group["part_scale"].lower()]
    elif group["vulgar"]:
        value = _VULGAR[group["vulgar"]] * 100
    elif group["fraction"]:
        value = _FRACTIONS[" ".join(re.split(r"[-\s]+", group["fraction"].lower()))]
    elif group["word"]:
        word = " ".join(group["word"].lower().split())
        if word in _SEVERAL:
            return None
        if group["word"][0].isupper() and match.start() > 0 and match.string[match.start() - 2 : match.start()].strip() not in ("", ".", "!", "?", "\""):
            return None  # "Gang of Four", "Group of Seven": part of a name
        value = words_to_number(word) * (-1 if group["word_sign"] else 1)
    elif group["digit_words"]:  # "3 thousand 500", "4 thousand 3 hundred and 21"
        value = words_to_number(group["digit_words"])
    elif group["money"]:
        value = _number(group["money"]) * _MONEY_SCALES.get((group["money_scale"] or "").lower(), 1)
        if group["money_sign"]:
            value = -value
        if group["money_high"]:  # "$3 billion to $5 billion", "RM120,000 to RM300,000"
            scale = (group["money_high_scale"] or group["money_scale"] or "").lower()
            high = _number(group["money_high"]) * _MONEY_SCALES.get(scale, 1)
            return _range(value, high, qualifier, match)
    else:
        value = _number(group["number"]) * _SCALES.get((group["scale"] or "").lower(), 1)
        if group["hundreds"]:  # "4 hundred million"
            value *= _SCALES[group["hundreds"].lower()]
        if group["sign"]:
            value = -value
    low, high = bounds(value, qualifier)
    return _Reading(value, low, high, qualifier)


def _part(words: str) -> float:
    """"a half", "one half", "quarter", "two-thirds" as a fraction."""
    words = " ".join(re.split(r"[-\s]+", words.lower()))
    return _FRACTIONS.get(words) or _FRACTIONS.get(words.replace("one ", "a ")) or _FRACTIONS["a " + words.removeprefix("a ")]


def _number_or_words(text: str) -> float:
    return _number(text) if text[:1].isdigit() else words_to_number(" ".join(text.lower().split()))


def _range(first: float, second: float, qualifier: str | None, match: re.Match[str]) -> _Reading | None:
    """"3 to 5", "$3 billion to $5 billion": a range; "fell from 208 to 193": a change, whose
    value is where it ended and whose bounds are both ends."""
    before = match.string[max(0, match.start() - 6) : match.start()].lower().split()
    if before and before[-1] == "from":
        return _Reading(second, min(first, second), max(first, second), "change")
    if second < first:
        return None  # "9-2": a score, not a range
    return _Reading((first + second) / 2, first, second, qualifier or "range")


def words_to_number(words: str) -> float:
    """"one hundred and sixty-one" -> 161, "twenty-one trillion" -> 21e12, "a dozen" -> 12,
    "five point two five" -> 5.25."""
    words, _, decimals = words.lower().partition(" point ")
    if decimals:
        digits = "".join(str(int(_UNITS_WORDS.get(word, 0))) for word in re.split(r"[\s-]+", decimals) if word)
        return words_to_number(words) + float("0." + digits)
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("and", ""):
            continue
        if word == "a":
            current = max(current, 1)
        elif word in ("dozen", "dozens"):
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word.isdigit():
            current += float(word)
        else:
            current += _UNITS_WORDS[word]
    return total + current


def bounds(value: float, qualifier: str | None) -> tuple[float | None, float | None]:
    """The interval a figure with this qualifier allows (None: open on that side)."""
    margin = abs(value) * APPROX_MARGIN
    return {
        None: (value, value),
        "approx": (value - margin, value + margin),
        "nearly": (value - margin, value),
        "close_or_over": (value - margin, None),
        "over": (value, None),
        "at_least": (value, None),
        "under": (None, value),
        "up_to": (None, value),
    }.get(qualifier, (value, value))


def _scaled(reading: _Reading, factor: float) -> _Reading:
    return _Reading(
        reading.value * factor,
        None if reading.low is None else reading.low * factor,
        None if reading.high is None else reading.high * factor,
        reading.qualifier,
    )


def _number(text: str) -> float:
    return float(re.sub(r"[,\s\u00a0\u202f]", "", text))


def _starts_a_word(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() > 0 else " "
    return not (before.isalnum() or before in "_.")


def _currency_unit(symbol: str | None) -> str | None:
    """"US$", "HK $", "$A" -> dollar; "RM" -> ringgit."""
    if not symbol:
        return None
    return "dollar" if "$" in symbol else _CURRENCY_UNITS.get(symbol.lower().strip())


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    match = _UNIT_AFTER.match(text, end)
    if not match:
        return None, end
    words: list[str] = []
    candidates = match.group(1).split()
    for index, word in enumerate(candidates):
        lower = word.lower()
        following = candidates[index + 1].lower() if index + 1 < len(candidates) else ""
        # "provincial and ministerial-level officials": a coordination inside what is counted
        coordinated = lower in _COORDINATORS and words and following and following not in _UNIT_STOP
        if (lower in _UNIT_STOP and not coordinated) or (
            words and word[:1].isupper() and not words[-1][:1].isupper()
        ):
            break
        words.append(word)
        if len([w for w in words if w.lower() not in _COORDINATORS]) >= _MAX_UNIT_WORDS:
            break
    while words and words[-1].lower() in _COORDINATORS:
        words.pop()
    if not words:
        return None, end
    unit = " ".join(words)
    return unit, match.start(1) + len(unit)


_STREETS = {"road", "rd", "street", "st", "avenue", "ave", "way", "lane", "boulevard", "blvd",
            "drive", "place", "court", "highway", "square"}


def _is_address(unit: str | None) -> bool:
    """"49 Zorro Ranch Road", "22 Ave Foch": a house number, not a count."""
    words = (unit or "").split()
    return bool(words) and words[0][:1].isupper() and any(w.lower().rstrip(".") in _STREETS for w in words)


def _is_bare_year(match: re.Match[str], unit: str | None) -> bool:
    """"in 2019", "the 2018 amendments", "between 2014 and 2017": years, not quantities (dates
    handles those)."""
    numbers = [match.group(g) for g in ("number", "range_low", "range_high", "between_low", "between_high")]
    numbers = [n for n in numbers if n]
    return bool(
        numbers
        and all(_PLAIN_YEAR.match(n) for n in numbers)
        and not match.group("qualifier")
        and not match.group("scale")
        and not match.group("percent")
        and (unit is None or unit.split()[0].lower() not in {"people", "officials", "troops"})
    )


def _chinese_quantities(text: str) -> list[Quantity]:
    quantities = []
    for match in _ZH_PATTERN.finditer(text):
        reading_unit = _read_chinese(match)
        if reading_unit is None:
            continue
        reading, unit = reading_unit
        end = match.end()
        if unit is None:
            unit, end = _zh_unit_after(text, end)
        quantities.append(
            Quantity(
                start=match.start(),
                end=end,
                text=text[match.start() : end],
                value=reading.value,
                low=reading.low,
                high=reading.high,
                unit=unit,
                qualifier=reading.qualifier,
            )
        )
    return quantities


def _read_chinese(match: re.Match[str]) -> tuple[_Reading, str | None] | None:
    """A Chinese figure and, for percentages, its unit; None when it is no quantity (a date, a
    lone 一 in 一些 or 统一, or Arabic digits the English rules read)."""
    group = match.groupdict()
    duration = _zh_duration(group)
    if group["date_tail"] and duration is None:
        return None  # 一月, 28日, 2025年: a date, read by the dates module
    qualifier = _ZH_QUALIFIERS.get(group["qualifier"] or "")
    if group["whole"]:  # 三分之一, 百分之五十, 千分之一: a share, as a percentage
        whole, part = _zh_number(group["whole"]), _zh_number(group["part"].replace(",", ""))
        if not whole or part is None:
            return None
        value = part / whole * 100
        low, high = bounds(value, qualifier)
        return _Reading(value, low, high, qualifier), "%"
    if group["several"]:
        scale = _zh_number("一" + group["several_scale"]) or 1
        return _Reading(3 * scale, 2 * scale, 9 * scale, "several"), None
    numeral = (group["digits"] or "").replace(",", "") or group["numeral"]
    if group["qualifier"] and numeral[:1] in "百千万萬亿億":
        numeral = "一" + numeral  # 近千万, 上万: a scale alone after a qualifier counts one of it
    if group["numeral"] and not _well_formed(numeral):
        return None
    value = _zh_number(numeral)
    if value is None:
        return None
    if group["more_scale"]:  # 一千多万: over ten million
        value *= _zh_number("一" + group["more_scale"]) or 1
    if group["negative"]:
        value = -value
    if group["more"]:
        qualifier = "over"
    unit = "%" if group["percent"] else duration
    if group["tenths"]:  # 七成: seven tenths
        if not 0 < value <= 10:
            return None
        value, unit = value * 10, "%"
    low, high = bounds(value, qualifier)
    decimal = bool(group["numeral"] and re.search("[点點]", group["numeral"]))  # 二点五: 2.5
    bare = not (group["qualifier"] or group["measure"] or group["more"] or unit or group["negative"] or decimal)
    plain_digits = group["digits"] and not re.search(rf"[{_ZH_SCALE_CHARS}]", group["digits"])
    if bare and (abs(value) < 10 or plain_digits):
        return None
    if value == 1 and not group["qualifier"]:
        return None  # 一名, 一位: "a", not a count
    return _Reading(value, low, high, qualifier), unit


def _zh_duration(group: dict[str, str | None]) -> str | None:
    """The unit of a span of time that reads like a date: 三个月 and 3个月 are months (个 makes
    them a count), 十二年 (a sentence, a term) years when written in numerals under a hundred;
    2025年 and 二〇二五年 stay years of the calendar."""
    if group["date_tail"] == "月" and group["measure"] in ("个", "個"):
        return "months"
    numeral = group["numeral"]
    if group["date_tail"] == "年" and not group["measure"] and numeral and _well_formed(numeral):
        value = _zh_number(numeral)
        return "years" if value is not None and 1 < value < 100 else None
    return None


def _zh_unit_after(text: str, end: int) -> tuple[str | None, int]:
    """The word after a Chinese figure (员工 in 近三百名员工), by jieba's segmentation."""
    window = text[end : end + 12]
    if not window or not re.match(r"[\u4e00-\u9fff]", window):
        return None, end
    first = next(iter(jieba.cut(window)), "")
    if not first or not re.fullmatch(r"[\u4e00-\u9fff]+", first) or first[0] in _ZH_FUNCTION_WORDS:
        return None, end
    return first, end + len(first)


_ZH_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_STACKED_SCALES = re.compile(r"(.+?)((?:[万萬][亿億万萬]|[亿億][亿億])[亿億万萬]*)")


def _well_formed(numeral: str) -> bool:
    """A count, not a run of digits read one by one (一一 in 统一一些, 二五) or a bare 万."""
    whole = re.split("[点點]", numeral)[0]
    has_scale = any(char in "十拾百佰千仟万萬亿億" for char in whole)
    has_digit = any(char in _ZH_DIGIT_CHARS or char in "十拾" for char in whole.strip("零〇"))
    return has_digit and (has_scale or len(whole) == 1)


def _zh_number(numeral: str) -> float | None:
    """Chinese numerals of every form to a number (两百 200, 一万三 13,000, 壹佰伍拾 150,
    25万6千 256,000, 二点五 2.5), by cn2an; None for what it cannot read."""
    try:
        if numeral[:1] in "十拾百佰千仟万萬亿億":
            numeral = "一" + numeral  # 百分之, 千分之, 万分之: one hundred, ...
        if stacked := _STACKED_SCALES.fullmatch(numeral):  # 4.78万亿, 10万万: scales multiplied
            value = float(cn2an.cn2an(stacked.group(1), "smart"))
            for char in stacked.group(2):
                value *= _ZH_LARGE[char]
            return value
        return float(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def _drop_overlaps(quantities: list[Quantity]) -> list[Quantity]:
    kept: list[Quantity] = []
    for quantity in quantities:
        if kept and quantity.start < kept[-1].end:
            if quantity.end - quantity.start > kept[-1].end - kept[-1].start:
                kept[-1] = quantity
            continue
        kept.append(quantity)
    return kept
