"""Numbers in news text, with what they count and how vague they are, as machine-readable bounds.

Retellings drift: "close to or exceed 10 million" becomes "tens of millions". Comparing them
needs each figure as an interval that honours its own qualifier: "approximately 50,000" is
[45,000, 55,000], "over 200" is (200, open], "tens of thousands" is [10,000, 99,999] — an order
of magnitude, not 10,000. English and Chinese numerals (两百, 四千万, 1.4亿, 百分之五十) alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba

from claimledger.model import Quantity

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
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "mln": 1_000_000,
    "billion": 1_000_000_000, "bn": 1_000_000_000, "trillion": 1_000_000_000_000,
}
# Abbreviations that are scales only after a currency sign: "$10m", "€2k" ("10 m" is metres).
_MONEY_SCALES = _SCALES | {"m": 1_000_000, "k": 1_000, "b": 1_000_000_000}
_FRACTIONS = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25,
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

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_WORDS = [w for w in _UNITS_WORDS if " " not in w] + ["hundred", "thousand", "million", "billion", "trillion", "dozen"]
_NW = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# "one hundred and sixty-one", "twenty-one trillion", "a dozen": a run of number words.
_WORD_NUMBER = (
    rf"(?:a\s+(?:dozen|hundred|thousand|million|billion)|{_NW})"
    rf"(?:(?:\s+|-)(?:{_NW})|(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+(?:{_NW}))*"
)
_SCALE = "|".join(sorted(_SCALES, key=len, reverse=True))
_MONEY_SCALE = "|".join(sorted(_MONEY_SCALES, key=len, reverse=True))
_MAGNITUDE = "|".join(sorted((re.escape(m) for m in _MAGNITUDES), key=len, reverse=True))
_FRACTION = "|".join(sorted((re.escape(f) for f in _FRACTIONS), key=len, reverse=True))
_QUALIFIER = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))

_EN_PATTERN = re.compile(
    rf"""
    (?:(?P<qualifier>{_QUALIFIER})\s+)?
    (?:
        (?P<range_low>{_NUMBER})\s*(?:-|–|to)\s*(?P<range_high>{_NUMBER})
            (?:\s*(?P<range_scale>{_SCALE})\b)?
      | between\s+(?P<between_low>{_NUMBER})\s+and\s+(?P<between_high>{_NUMBER})
            (?:\s*(?P<between_scale>{_SCALE})\b)?
      | (?P<several>several|a\s+few)\s+(?P<several_scale>hundred|thousand|million|billion)\b
      | (?P<magnitude>{_MAGNITUDE})\b(?=\s+of\b)
      | (?P<currency>[$€£¥])\s?(?P<money>{_NUMBER})(?:\s*(?P<money_scale>{_MONEY_SCALE})\b)?
      | (?P<number>{_NUMBER})(?:\s*(?P<scale>{_SCALE})\b)?
      | (?P<fraction>{_FRACTION})\b
      | (?P<word>{_WORD_NUMBER})\b
    )
    (?P<percent>\s*(?:%|per\s?cent\b|percentage\s+points?\b))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# What is counted: up to three words after the number ("10 million people", "approximately
# 50,000 military officers", "tens of thousands of department-level officials").
_UNIT_WORD = r"[A-Za-z][\w'’-]*"
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
}
_PLAIN_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")

# -- Chinese ---------------------------------------------------------------------------------------

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ZH_QUALIFIERS = {"近": "nearly", "将近": "nearly", "接近": "nearly", "约": "approx",
                  "大约": "approx", "约有": "approx", "超过": "over", "逾": "over", "超": "over",
                  "多达": "up_to", "至少": "at_least", "不到": "under", "不足": "under"}
_ZH_NUMERAL = r"[零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億]+"
_ZH_PATTERN = re.compile(
    rf"""
    (?P<qualifier>{"|".join(sorted(_ZH_QUALIFIERS, key=len, reverse=True))})?
    (?:
        百分之(?P<percent_zh>{_ZH_NUMERAL}|\d+(?:\.\d+)?)
      | (?P<several>数|幾|几)(?P<several_scale>十万|百万|千万|十|百|千|万|萬|亿|億)
      | (?P<digits>\d+(?:\.\d+)?)(?P<digit_scale>[万萬亿億]+)?
      | (?P<numeral>{_ZH_NUMERAL})
    )
    (?P<more>多|余|餘)?
    (?P<percent>%|％)?
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


# A time of day is no figure: "4:06pm", "10:46 am", "4 p.m.", "16:00", "8 o'clock".
_TIME_OF_DAY = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?|\b\d{1,2}\s*[ap]\.\s?m\.?|\b\d{1,2}\s*[ap]m\b|\b\d{1,2}\s+o'clock\b",
    re.IGNORECASE,
)


def extract_quantities(text: str, language: str | None = None) -> list[Quantity]:
    """Every quantity in `text`, in order, with character spans into `text` (times of day left out)."""
    found = _english_quantities(text)
    if language in (None, "zh") or re.search(r"[\u4e00-\u9fff]", text):
        found += _chinese_quantities(text)
    times = [(m.start(), m.end()) for m in _TIME_OF_DAY.finditer(text)]
    found = [q for q in found if not any(start <= q.start < end for start, end in times)]
    found.sort(key=lambda quantity: quantity.start)
    return _drop_overlaps(found)


def _english_quantities(text: str) -> list[Quantity]:
    quantities = []
    for match in _EN_PATTERN.finditer(text):
        if not _word_bounded(text, match):
            continue
        reading = _read_english(match)
        if reading is None:
            continue
        start, end = match.start(), match.end()
        percent = bool(match.group("percent")) or (match.group("fraction") is not None)
        unit = "%" if percent else _currency_unit(match.group("currency"))
        if unit is None:
            unit, end = _unit_after(text, end)
        if _is_bare_year(match, unit):
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


def _read_english(match: re.Match[str]) -> _Reading | None:
    group = match.groupdict()
    qualifier = _QUALIFIERS.get((group["qualifier"] or "").lower())
    if group["range_low"] or group["between_low"]:
        scale = _SCALES.get((group["range_scale"] or group["between_scale"] or "").lower(), 1)
        low = _number(group["range_low"] or group["between_low"]) * scale
        high = _number(group["range_high"] or group["between_high"]) * scale
        if high < low:
            return None
        return _Reading((low + high) / 2, low, high, qualifier or "range")
    if group["several"]:
        scale = _SCALES[group["several_scale"].lower()]
        return _Reading(3 * scale, 2 * scale, 9 * scale, "several")
    if group["magnitude"]:
        low, high = _MAGNITUDES[group["magnitude"].lower()]
        reading = _Reading(float(low), float(low), float(high), "magnitude")
        if qualifier == "nearly":  # "nearly tens of millions": just short of the magnitude
            return _Reading(float(low), low * (1 - APPROX_MARGIN * 2), float(high), "nearly")
        return reading
    if group["fraction"]:
        value = _FRACTIONS[group["fraction"].lower()]
    elif group["word"]:
        word = " ".join(group["word"].lower().split())
        if word in _SEVERAL or word == "one":
            return None  # "no one", "one of them": not a count
        if group["word"][0].isupper() and match.start() > 0 and match.string[match.start() - 2 : match.start()].strip() not in ("", ".", "!", "?", "\""):
            return None  # "Gang of Four", "Group of Seven": part of a name
        value = words_to_number(word)
    elif group["money"]:
        value = _number(group["money"]) * _MONEY_SCALES.get((group["money_scale"] or "").lower(), 1)
    else:
        value = _number(group["number"]) * _SCALES.get((group["scale"] or "").lower(), 1)
    low, high = bounds(value, qualifier)
    return _Reading(value, low, high, qualifier)


def words_to_number(words: str) -> float:
    """"one hundred and sixty-one" -> 161, "twenty-one trillion" -> 21e12, "a dozen" -> 12."""
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("and", ""):
            continue
        if word == "a":
            current = max(current, 1)
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALES[word]
            current = 0
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
    return float(text.replace(",", ""))


def _word_bounded(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not (before.isalnum() or before in "_.") and not (after.isalpha() and not match.group("percent"))


def _currency_unit(symbol: str | None) -> str | None:
    return {"$": "dollar", "€": "euro", "£": "pound", "¥": "yuan"}.get(symbol or "")


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


def _is_bare_year(match: re.Match[str], unit: str | None) -> bool:
    """"in 2019", "the 2018 amendments": a year, not a quantity (dates handles those)."""
    number = match.group("number")
    return bool(
        number
        and _PLAIN_YEAR.match(number)
        and not match.group("qualifier")
        and not match.group("scale")
        and not match.group("percent")
        and (unit is None or unit.split()[0].lower() not in {"people", "officials", "troops"})
    )


def _chinese_quantities(text: str) -> list[Quantity]:
    quantities = []
    for match in _ZH_PATTERN.finditer(text):
        group = match.groupdict()
        if group["date_tail"]:
            continue  # 一月, 28日, 2025年: a date, read by the dates module
        qualifier = _ZH_QUALIFIERS.get(group["qualifier"] or "")
        end = match.end()
        if group["percent_zh"]:
            value = _zh_number(group["percent_zh"])
            low, high = bounds(value, qualifier)
            reading, unit = _Reading(value, low, high, qualifier), "%"
        elif group["several"]:
            scale = _zh_number("一" + group["several_scale"])
            reading = _Reading(3 * scale, 2 * scale, 9 * scale, "several")
            unit, end = _zh_unit_after(text, end)
        else:
            if group["digits"]:
                value = float(group["digits"])
                for char in group["digit_scale"] or "":
                    value *= _ZH_LARGE[char]
            else:
                if not re.search(r"[一二两兩三四五六七八九十]", group["numeral"]):
                    continue
                value = _zh_number(group["numeral"])
            if group["more"]:
                qualifier = "over"
            low, high = bounds(value, qualifier)
            reading = _Reading(value, low, high, qualifier)
            unit, end = ("%", end) if group["percent"] else _zh_unit_after(text, end)
            bare = not (group["qualifier"] or group["measure"] or group["more"] or group["percent"])
            if bare and (value < 10 or (group["digits"] and not group["digit_scale"])):
                continue  # 一 in 一些 and 统一, or Arabic digits the English rules read
            if value == 1 and not group["qualifier"]:
                continue  # 一名, 一位: "a", not a count
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


def _zh_unit_after(text: str, end: int) -> tuple[str | None, int]:
    """The word after a Chinese figure (员工 in 近三百名员工), by jieba's segmentation."""
    window = text[end : end + 12]
    if not window or not re.match(r"[\u4e00-\u9fff]", window):
        return None, end
    first = next(iter(jieba.cut(window)), "")
    if not first or not re.fullmatch(r"[\u4e00-\u9fff]+", first) or first[0] in _ZH_FUNCTION_WORDS:
        return None, end
    return first, end + len(first)


def _zh_number(numeral: str) -> float:
    """Chinese numerals to a number: 两百 200, 四千万 40,000,000, 一万二千 12,000, 1.4亿."""
    if re.fullmatch(r"\d+(?:\.\d+)?", numeral):
        return float(numeral)
    total, section, digit = 0.0, 0.0, None
    for char in numeral:
        if char in _ZH_DIGITS:
            digit = _ZH_DIGITS[char]
        elif char in _ZH_SMALL:
            section += (1 if digit is None else digit) * _ZH_SMALL[char]
            digit = None
        elif char in _ZH_LARGE:
            section += digit or 0
            total = (total + section) * _ZH_LARGE[char] if total < _ZH_LARGE[char] else total + section * _ZH_LARGE[char]
            section, digit = 0.0, None
    return total + section + (digit or 0)


def _drop_overlaps(quantities: list[Quantity]) -> list[Quantity]:
    kept: list[Quantity] = []
    for quantity in quantities:
        if kept and quantity.start < kept[-1].end:
            if quantity.end - quantity.start > kept[-1].end - kept[-1].start:
                kept[-1] = quantity
            continue
        kept.append(quantity)
    return kept
