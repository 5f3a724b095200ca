"""Clean text and find its parts: title, photo captions, an outlet's own marker.

Scraped and relayed news arrives damaged: mojibake, HTML entities half-escaped (`People&9;s`),
photo captions pasted between title and body. Cleaning happens once, here, so that every later
stage reads the same text and every span points into it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import ftfy

from claimledger.model import Region

# A paragraph ending in a parenthesised picture credit: "(WANG ZHAO/AFP via Getty Images)",
# "(Photo: Reuters)", "（新华社记者 李明 摄）".
_CREDIT_AT_END = re.compile(
    r"""[(（\[]\s*(?:
        [^()（）\[\]]{0,80}?(?:getty\s+images|shutterstock|photo|image|picture|pictures|
                           afp|reuters|ap\s+photo|associated\s+press|epa|xinhua|via\s)
        [^()（）\[\]]{0,80}
      | (?-i:[A-Z][A-Za-z.'’ -]{1,40}/[A-Z][\w.'’ -]{1,60})
      | [^()（）]{0,40}?(?:摄|图片来源|供图|图源|圖片來源|攝)[^()（）]{0,20}
    )\s*[)）\]]\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT_AT_START = re.compile(
    r"^\s*(?:photo|image|picture|pictured|file\s+photo|caption|图|圖|图片|圖片|资料图|資料圖)\s*[:：]",
    re.IGNORECASE,
)
_CREDIT_PHRASE = re.compile(r"\b(?:photo|image)\s+(?:by|credit|courtesy)\b", re.IGNORECASE)
_MAX_CAPTION_WORDS = 80

# "[People News] ...", "【大纪元2025年1月30日讯】...": an outlet naming itself at the start of
# the body, a habit of many Chinese-language and diaspora outlets.
_OUTLET_MARKER = re.compile(r"^\s*[\[【]([^\]】\n]{2,40})[\]】]")
_MARKER_NOISE = re.compile(r"(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:讯|訊|消息|报道|報導)$")
# "WASHINGTON (Reuters) -": a wire dateline.
_WIRE_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,60}\((Reuters|AP|AFP|Xinhua|Bloomberg)\)\s*[-–—]")

# Entities that survive decoding are damaged ones: "&9;" (an "&#39;" that lost two characters),
# "&39;", "&rsquo" without its semicolon. Inside a word they almost always stood for an apostrophe.
_BROKEN_ENTITY = re.compile(r"&#?[0-9A-Za-z]{1,8};")
_CONTRACTION_TAIL = re.compile(r"(?:s|t|d|m|ll|re|ve)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_FINGERPRINT_DROP = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    repairs: tuple[str, ...]


def clean_text(raw: str) -> CleanText:
    """Repair encoding damage and entities, normalise Unicode and whitespace, keep paragraphs."""
    fixed = ftfy.fix_text(
        normalise_whitespace(raw),  # first, so that ftfy judges the text it will finally see
        unescape_html=True,
        uncurl_quotes=False,  # quotes are evidence of quoting; keep them as published
        fix_character_width=False,  # full-width punctuation is correct in Chinese text
        normalization="NFC",
    )
    repaired, repairs = repair_broken_entities(fixed)
    return CleanText(text=normalise_whitespace(repaired), repairs=repairs)


def repair_broken_entities(text: str) -> tuple[str, tuple[str, ...]]:
    """Replace entities that could not be decoded; return the text and what was repaired."""
    repairs: list[str] = []

    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() > 0 else " "
        after = text[match.end() :]
        if before.isalpha() and _CONTRACTION_TAIL.match(after):
            repairs.append(f"{match.group()} -> '")
            return "'"
        repairs.append(f"{match.group()} -> (removed)")
        return "" if before.isspace() or not after[:1].isalnum() else " "

    return _BROKEN_ENTITY.sub(replace, text), tuple(repairs)


def normalise_whitespace(text: str) -> str:
    """One space between words, one blank line between paragraphs, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current) if _is_wrapped(current) else "\n".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current) if _is_wrapped(current) else "\n".join(current))
    return "\n\n".join(paragraphs)


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose (every line but the last long and unterminated) is one paragraph."""
    if len(lines) < 2:
        return False
    return all(len(line) >= 50 and not line.endswith((".", "!", "?", ":", "。", "！", "？")) for line in lines[:-1])


def paragraphs_with_offsets(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each paragraph (separated by blank lines)."""
    spans, start = [], 0
    for match in re.finditer(r"\n\n+", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def is_caption(paragraph: str) -> bool:
    """A short paragraph that carries a picture credit is a photo caption, not body text."""
    if count_words(paragraph) > _MAX_CAPTION_WORDS:
        return False
    return bool(
        _CREDIT_AT_END.search(paragraph)
        or _CREDIT_AT_START.match(paragraph)
        or _CREDIT_PHRASE.search(paragraph)
    )


def find_captions(text: str) -> tuple[Region, ...]:
    """Mark every caption paragraph so no later stage reads it as body text or as the date."""
    return tuple(
        Region("caption", start, end)
        for start, end in paragraphs_with_offsets(text)
        if is_caption(text[start:end])
    )


def find_outlet_marker(text: str, captions: tuple[Region, ...] = ()) -> str | None:
    """The outlet named by the body itself ("[People News] ...", "(Reuters) -"), if any."""
    caption_starts = {region.start for region in captions}
    for start, end in paragraphs_with_offsets(text):
        if start in caption_starts:
            continue
        paragraph = text[start:end]
        if match := _OUTLET_MARKER.match(paragraph):
            name = _MARKER_NOISE.sub("", match.group(1)).strip(" :：-")
            return name or None
        if match := _WIRE_DATELINE.match(paragraph):
            return match.group(1)
        return None  # only the first body paragraph can carry the marker
    return None


def split_title(text: str) -> tuple[str | None, str]:
    """Plain-text articles carry their title on the first line."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if not rest.strip() or len(first) > 300 or is_caption(first):
        return None, stripped
    return first.lstrip("# ").strip() or None, rest.strip("\n")


def count_words(text: str) -> int:
    """Words for alphabetic scripts plus one per Chinese character, as news desks count them."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN_WORD.findall(_CJK.sub(" ", text)))
    return cjk + latin


def fingerprint(text: str) -> str:
    """Hash of the words alone, so that whitespace, case and punctuation changes are the same text."""
    # Case-folding can leave text unnormalised (ῢ folds to three code points): normalise again.
    normal = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    words = _FINGERPRINT_DROP.sub(" ", normal).split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
