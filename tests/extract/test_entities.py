from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from claimledger.extract.entities import MentionIndex, chinese_mentions, entity_key, han_to_pinyin
from tests.conftest import DATA

CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /([^/(]+?) \(")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hu Liren", "Hu Li-ren"),
        ("Hu Liren", "胡力任"),
        ("胡力任", "胡力任"),
        ("習近平", "习近平"),
        ("Xi Jinping", "习近平"),
        ("Zhang Youxia", "Youxia Zhang"),
        ("Zhang Youxia", "Gen. Zhang Youxia"),
        ("曾庆红", "Zeng Qinghong"),
        ("Ba Te'er", "Ba Teer"),
        ("Teng Hsiao-p'ing", "Deng Xiaoping"),  # Wade-Giles
        ("Mao Tse-tung", "毛澤東"),
        ("Chiang Ching-kuo", "蔣經國"),
        ("拜登", "Joe Biden"),  # a foreign name in characters, through CC-CEDICT
        ("马云", "Jack Ma"),  # "Ma Yun (1964-), aka Jack Ma": the name the English press uses
        ("馬雲", "Jack Ma"),
    ],
)
def test_spellings_of_one_person_share_a_key(a: str, b: str) -> None:
    assert entity_key(a, "person") == entity_key(b, "person")


def test_different_people_keep_different_keys() -> None:
    assert entity_key("Hu Liren", "person") != entity_key("Hu Chunhua", "person")
    assert entity_key("马化腾", "person") == "pony ma" != entity_key("马云", "person")
    assert entity_key("朱熹", "person") == "zhu xi"  # "Zhu Xi or Chu Hsi": the first, not its Wade-Giles
    assert entity_key("Donald Trump", "person") == "donald trump"


def test_pinyin_read_syllable_by_syllable_is_not_taken_for_wade_giles() -> None:
    """Every piece of "Hu Li-ren" is a pinyin syllable, so it stays pinyin (not Hu Li-jen)."""
    assert entity_key("Hu Li-ren", "person") == "hu liren"
    assert entity_key("Chang Wan-chuan", "person") == "chang wanchuan"


def test_institution_spellings_agree() -> None:
    assert entity_key("the Central Organisation Department", "org") == entity_key(
        "Central Organization Department", "org"
    )


def test_surname_readings() -> None:
    assert han_to_pinyin("曾庆红") == "zeng qinghong"
    assert han_to_pinyin("单霁翔") == "shan jixiang"


def cedict_people() -> list[tuple[str, str, str]]:
    """(traditional, simplified, English gloss name) for CC-CEDICT people with a lifespan."""
    people = []
    for line in (DATA / "cc-cedict-names" / "cedict_persons_with_lifespan.u8").read_text(encoding="utf-8").splitlines():
        match = CEDICT_LINE.match(line)
        if match and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", match.group(2)):
            people.append((match.group(1), match.group(2), match.group(4).strip()))
    return people


def test_cedict_scripts_resolve_to_one_key() -> None:
    """Traditional and simplified forms of every listed person give the same key."""
    people = cedict_people()
    assert len(people) > 1000
    agree = sum(entity_key(t, "person") == entity_key(s, "person") for t, s, _ in people)
    assert agree / len(people) > 0.99


def test_cedict_chinese_and_pinyin_gloss_resolve_to_one_key() -> None:
    """Characters (邓小平) and a pinyin gloss (Deng Xiaoping) agree; transliterated foreign
    names (佩洛西 Nancy Pelosi) and other romanisations are out of this test's scope."""
    people = [p for p in cedict_people() if looks_pinyin(p[2])]
    assert len(people) > 500
    agree = sum(entity_key(s, "person") == entity_key(name, "person") for _, s, name in people)
    assert agree / len(people) > 0.9  # measured 0.924 (645 of 698); Wade-Giles spellings miss


def looks_pinyin(name: str) -> bool:
    words = [re.sub(r"[-'’]", "", w).lower() for w in name.split()]
    return len(words) == 2 and all(_splits(w) for w in words)


def _splits(word: str) -> bool:
    from claimledger.extract.entities import _splits_into_syllables, pinyin_syllables

    return _splits_into_syllables(word.replace("ü", "v"), pinyin_syllables())


def _keys_by_text(text: str) -> dict[str, set[str]]:
    from claimledger.extract.entities import find_mentions
    from claimledger.extract.parsing import english_pipeline

    found: dict[str, set[str]] = {}
    for mention in find_mentions(english_pipeline()(text)).mentions:
        found.setdefault(mention.text, set()).add(mention.key)
        found.setdefault(f"#{mention.text}", set()).add(str(mention.start))
    return found


def test_titles_acronyms_short_forms_and_familiar_names_resolve_in_the_document() -> None:
    text = (
        "Liang's reshuffle surprised the capital. Vice Premier of the State Council Liang Weiming "
        "met members of the Meridian Workers' Party (MWP) on Monday. The Party has ruled since 1990. "
        "Analysts said the Vice Premier of the State Council would not stay long. Tan Guoqiang, a "
        "retired judge, wrote that Old Tan had seen such purges before. Prisoners at Harbour Street "
        "Prison were moved."
    )
    keys = _keys_by_text(text)
    liang = entity_key("Liang Weiming", "person")
    assert keys["Liang"] == {liang}  # the surname before the full name
    assert keys["Vice Premier of the State Council"] == {liang}  # before the name and later on alone
    assert len(keys["#Vice Premier of the State Council"]) == 2
    party = keys["the Meridian Workers' Party"]
    assert keys["MWP"] == party and keys["Party"] == party
    assert keys["Old Tan"] == {entity_key("Tan Guoqiang", "person")}


def test_adjectives_are_not_entities_and_head_nouns_fix_the_kind() -> None:
    from claimledger.extract.entities import find_mentions
    from claimledger.extract.parsing import english_pipeline

    doc = english_pipeline()("Chinese officials met anti-Xi activists near Qin Cheng Prison on Friday.")
    mentions = {m.text: m.kind for m in find_mentions(doc).mentions}
    assert "Chinese" not in mentions and not any(t.startswith("anti-") for t in mentions)
    assert mentions.get("Qin Cheng Prison", "place") == "place"


def _person_keys(text: str) -> Counter[str]:
    return Counter(m.key for m in chinese_mentions(text, MentionIndex()) if m.kind == "person")


def test_a_chinese_name_that_jieba_cuts_into_words_is_found_whole() -> None:
    # 宏伟 is also a word ("grand"), so jieba cuts 孟宏伟 after the surname; a transliterated
    # name comes out as two person-tagged halves. The whole name is written twice here.
    text = "前国际刑警组织主席孟宏伟获刑13年半。法院认定孟宏伟受贿。普里戈任当天露面，普里戈任未作回应。"
    keys = _person_keys(text)
    assert keys[entity_key("孟宏伟", "person")] == 2 and "meng" not in keys
    assert keys[entity_key("普里戈任", "person")] == 2
    # A full name jieba knows (tagged nrfg) and a name in halves across a middle dot.
    assert _person_keys("薄熙来被免去重庆市委书记职务。")[entity_key("薄熙来", "person")] == 1
    reyne = [m for m in chinese_mentions("据主播托马斯·雷恩（Tomas Reyne）透露。雷恩表示，", MentionIndex()) if m.kind == "person"]
    # and later by the last part alone, as Chinese reports name a foreigner
    assert [(m.text, m.key) for m in reyne] == [("托马斯·雷恩", "tomas reyne"), ("雷恩", "tomas reyne")]
    # A surname once beside a word is left alone: it is not known to be a name; nor is a surname
    # before a verb, however often ("Tsai said", as reports refer back to someone).
    assert entity_key("孟当庭", "person") not in _person_keys("孟当庭认罪。")
    assert not [key for key in _person_keys("蔡表示，会谈富有成果。蔡表示，双方同意。王说，好。王说，行。") if len(key.split()) > 1]


def test_each_chinese_report_of_an_affair_names_its_person() -> None:
    """near-miss-stories groups reports by the affair of one person (families). Each Chinese
    report of a family names that person (the one most of its Chinese reports name most) at
    least twice: a name cut into a surname and a word would be missing from some of them."""
    lines = (DATA / "near-miss-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    families: dict[str, list[Counter[str]]] = {}
    for row in map(json.loads, lines):
        if row["language"].startswith("zh"):
            families.setdefault(row["family"], []).append(_person_keys(row["text"]))
    assert sum(map(len, families.values())) >= 30
    for family, reports in families.items():
        person, _ = Counter(keys.most_common(1)[0][0] for keys in reports if keys).most_common(1)[0]
        assert all(keys[person] >= 2 for keys in reports), (family, person, reports)
