"""Wire credits: the news agency a report's copy comes from.

Five outlets printing one AFP report are one account, not five. Agencies sign their copy in a
few fixed ways, and this module reads them in English, Chinese and the other languages news in
the data sets is written in:

- a dateline: "JINAN, China (Reuters) -", "Tianjin, 12 abr (Xinhua) --", "(MNA) –",
  "МОСКВА, 16 февраля. /ТАСС/.", "(서울=연합뉴스)", "（中央社記者…台北3日電）", "新华社北京7月24日电";
- a credit line: "- AFP", "AP -" at the start, "Source: Xinhua", "來源：新華社", "(Agencies)";
- a compiled-wires note: "綜合外電", "综合外电" (foreign wires, not named).

An agency named inside a sentence ("Xinhua reported that ...") is an attribution, read by the
attribution extractor; an agency only credited for a photo is not a credit.
"""

from __future__ import annotations

import re

from claimledger.model import Credit

# (key, display name, the names it is written under). Keys are what entity keys of agencies become.
AGENCIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("reuters", "Reuters", ("Reuters", "路透社", "路透", "Рейтер", "로이터")),
    ("afp", "AFP", ("AFP", "Agence France-Presse", "Agence France Presse", "法新社", "法新", "AФП", "АФП")),
    ("ap", "AP", ("AP", "Associated Press", "The Associated Press", "美联社", "美聯社", "AP通信")),
    ("xinhua", "Xinhua", ("Xinhua", "Xinhua News Agency", "新华社", "新華社", "新华网", "新華網", "Синьхуа")),
    ("yonhap", "Yonhap", ("Yonhap", "Yonhap News Agency", "연합뉴스", "韩联社", "韓聯社")),
    ("kyodo", "Kyodo", ("Kyodo", "Kyodo News", "共同社", "共同通信")),
    ("jiji", "Jiji Press", ("Jiji", "Jiji Press", "時事通信", "时事社")),
    ("tass", "TASS", ("TASS", "ТАСС", "ИТАР-ТАСС", "塔斯社")),
    ("ria novosti", "RIA Novosti", ("RIA Novosti", "RIA", "РИА Новости", "俄新社")),
    ("interfax", "Interfax", ("Interfax", "Интерфакс", "国际文传电讯社")),
    ("dpa", "dpa", ("dpa", "DPA", "Deutsche Presse-Agentur", "德新社")),
    ("ansa", "ANSA", ("ANSA",)),
    ("efe", "EFE", ("EFE", "埃菲社")),
    ("bloomberg", "Bloomberg", ("Bloomberg", "彭博社", "彭博")),
    ("cna", "Central News Agency", ("CNA", "Central News Agency", "中央社", "中央通讯社", "中央通訊社")),
    ("china news service", "China News Service", ("China News Service", "中新社", "中新网", "中新網")),
    ("bernama", "Bernama", ("Bernama",)),
    ("antara", "Antara", ("Antara",)),
    ("pti", "PTI", ("PTI", "Press Trust of India")),
    ("ani", "ANI", ("ANI",)),
    ("aap", "AAP", ("AAP", "Australian Associated Press")),
    ("sputnik", "Sputnik", ("Sputnik", "Спутник", "卫星通讯社", "衛星通訊社")),
    ("anadolu", "Anadolu Agency", ("Anadolu", "Anadolu Agency", "AA")),
    ("mna", "Mehr News Agency", ("MNA", "Mehr News Agency", "Mehr")),
    ("irna", "IRNA", ("IRNA",)),
    ("lusa", "Lusa", ("Lusa",)),
    ("pap", "PAP", ("PAP", "Polska Agencja Prasowa")),
    ("ctk", "ČTK", ("ČTK", "CTK")),
    ("apa", "APA", ("APA",)),
    ("ann", "Asia News Network", ("ANN", "Asia News Network")),
    ("agencies", "Agencies", ("Agencies", "agencies", "综合外电", "綜合外電", "外电", "外電", "Wires")),
)

_BY_NAME = {name.lower(): key for key, _, names in AGENCIES for name in names}
_DISPLAY = {key: display for key, display, _ in AGENCIES}
_NAMES = sorted({name for _, _, names in AGENCIES for name in names}, key=len, reverse=True)
_ALTERNATIVES = "|".join(re.escape(name) for name in _NAMES)
_ANY_AGENCY = re.compile(_ALTERNATIVES)

# Where agencies sign their copy (the agency is the group named `agency`).
_CREDITS = [
    # (Reuters) -   (Xinhua) --   (MNA) –   (AP) —
    re.compile(rf"[(（]\s*(?P<agency>{_ALTERNATIVES})\s*[)）]\s*(?:[-–—]{{1,2}}|:)"),
    # /ТАСС/.
    re.compile(rf"/(?P<agency>{_ALTERNATIVES})/"),
    # (서울=연합뉴스)   （中央社記者王小明台北3日電）
    re.compile(rf"[(（][^()（）\n]{{0,30}}?=\s*(?P<agency>{_ALTERNATIVES})[^()（）\n]{{0,20}}[)）]"),
    re.compile(rf"[(（]\s*(?P<agency>{_ALTERNATIVES})(?:記者|记者)[^()（）\n]{{0,30}}[電电][)）]"),
    # 新华社北京7月24日电
    re.compile(rf"(?P<agency>{_ALTERNATIVES})[\u4e00-\u9fff]{{2,6}}\d{{1,2}}月\d{{1,2}}日[電电]"),
    # Source: Xinhua   来源：新华社   來源:虎嗅   Quelle: dpa
    re.compile(rf"(?:\bSource|\bSources|\bQuelle|\bFuente|\bFonte|来源|來源|出处|出處)\s*[:：]\s*(?P<agency>{_ALTERNATIVES})\b"),
    # a line that is only the credit: "- AFP", "AFP -", "(Agencies)", "Xinhua | Updated: ..."
    re.compile(rf"(?m)^[ \t]*(?:[-–—][ \t]*)?(?P<agency>{_ALTERNATIVES})[ \t]*(?:[-–—|][ \t]*(?:Updated|$)|$)"),
    re.compile(r"[(（](?P<agency>Agencies|agencies|Wires)[)）]"),
    # a signed-off list at the end of a report: "ls/msh (Reuters, AP, dpa)", "(With AP inputs)"
    re.compile(rf"[(（]\s*(?:With\s+)?(?P<agency>{_ALTERNATIVES})(?:\s*(?:,|/|and)\s*(?:{_ALTERNATIVES}))*(?:\s+inputs?)?\s*[)）][ \t]*$", re.MULTILINE),
    # a paragraph signed with a dash at its end: "... the capital of Damascus. -AP"
    re.compile(rf"[.!?。][ \t]*[-–—][ \t]*(?P<agency>{_ALTERNATIVES})[ \t]*$", re.MULTILINE),
    # "(The China Post/ANN) —": a partner agency after a slash in a dateline credit
    re.compile(rf"[(（][^()（）\n]{{1,40}}/(?P<agency>{_ALTERNATIVES})[)）]\s*[-–—]"),
    # "2013-09-22 13:27 Xinhua Web Editor: Wang YuXia"
    re.compile(rf"(?P<agency>{_ALTERNATIVES})\s+(?:Web\s+)?Editor\s*:"),
    # the copy opens with the credit: "- AFP A Hong Kong court ...", "AP - Police ..."
    re.compile(rf"^\W{{0,3}}[-–—][ \t]*(?P<agency>{_ALTERNATIVES})[ \t]+(?=\w)"),
    re.compile(rf"^\s*(?P<agency>{_ALTERNATIVES})[ \t]*[-–—]{{1,2}}[ \t]"),
    # 綜合外電 / 综合外电 anywhere in the opening
    re.compile(r"(?P<agency>綜合外電|综合外电)"),
    # a Chinese report that opens on its wire: "据新华社报道,…", "據中央社消息"; "（中央社）"
    re.compile(rf"^\W{{0,3}}[据據](?P<agency>{_ALTERNATIVES})(?:报道|報導|报导|消息|电|電)"),
    re.compile(rf"（(?P<agency>{_ALTERNATIVES})）"),
]
_HEAD, _TAIL = 700, 300  # credits sit in the dateline, the byline, or the last lines
_PHOTO = re.compile(r"photo|file|picture|image|图|圖|照片|圖片|图片|攝|摄", re.IGNORECASE)


def agency_key(name: str) -> str | None:
    """The agency a name is written for ("Agence France-Presse" -> "afp"), else None."""
    return _BY_NAME.get(name.strip().lower())


def agency_name(key: str) -> str:
    return _DISPLAY.get(key, key)


def find_credits(body: str) -> tuple[Credit, ...]:
    """The agencies the document credits for its copy, in the order they appear (each once)."""
    found: dict[str, Credit] = {}
    spans = [(0, min(len(body), _HEAD)), (max(_HEAD, len(body) - _TAIL), len(body))]
    for start, end in spans:
        window = body[start:end]
        for pattern in _CREDITS:
            for match in pattern.finditer(window):
                # every agency the credit names ("(Reuters, AP, dpa)"), from where the first is
                for name_match in _ANY_AGENCY.finditer(window, match.start("agency"), match.end()):
                    name = name_match.group(0)
                    at = start + name_match.start()
                    if not _credible(body, at, at + len(name), name):
                        continue
                    key = _BY_NAME[name.lower()]
                    if key not in found:
                        found[key] = Credit(key, agency_name(key), at, at + len(name))
    return tuple(sorted(found.values(), key=lambda credit: credit.start))


def _credible(body: str, start: int, end: int, name: str) -> bool:
    """Not a photo credit; a Latin name stands as a word (AP is not the end of "CHEAP")."""
    if _PHOTO.search(body[max(0, start - 30) : end + 10]):
        return False
    if name.isascii():
        before = body[start - 1] if start else " "
        after = body[end] if end < len(body) else " "
        if before.isalpha() or after.isalpha():
            return False
    return True
