from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from claimledger.ingest.text import (
    clean_text,
    count_words,
    find_captions,
    find_outlet_marker,
    fingerprint,
    is_caption,
    split_title,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the People&9;s Congress", "the People's Congress"),
        ("the People&39;s Congress", "the People's Congress"),
        ("the People&#39;s Congress", "the People's Congress"),
        ("the People&amp;#39;s Congress", "the People's Congress"),
        ("caf&eacute; society", "café society"),
        ("It was â€œfineâ€\x9d, he said", "It was “fine”, he said"),
        ("broken &zz9; entity here", "broken entity here"),
    ],
)
def test_clean_text_repairs_entities_and_mojibake(raw: str, expected: str) -> None:
    assert clean_text(raw).text == expected


def test_clean_text_keeps_chinese_full_width_punctuation_and_paragraphs() -> None:
    cleaned = clean_text("第一段，包含全角标点。\r\n\r\n\r\n第二段：“引用”。")
    assert cleaned.text == "第一段，包含全角标点。\n\n第二段：“引用”。"


def test_hard_wrapped_prose_becomes_one_paragraph() -> None:
    wrapped = (
        "Hundreds of employees of the group have been questioned in a widening\n"
        "purge, and the chairman has not been seen since the weekend.\n\nNext."
    )
    assert clean_text(wrapped).text.split("\n\n")[0].count("\n") == 0


@pytest.mark.parametrize(
    "caption",
    [
        "March 10, 2025, Beijing—A guard at the entrance. (WANG ZHAO/AFP via Getty Images)",
        "The harbour office at dawn. (Photo: Reuters)",
        "Photo: the east quay in November.",
        "图：码头工人在东码头集会。",
        "2月3日，工人在码头集会。（新华社记者 李明 摄）",
        "Delegates arrive for the session. Photo by Jane Roe.",
    ],
)
def test_captions_are_recognised(caption: str) -> None:
    assert is_caption(caption)


@pytest.mark.parametrize(
    "paragraph",
    [
        "He said the figures (and/or the dates) were wrong.",
        "The minister said on Tuesday that the policy would change (see below).",
        "Reuters reported the story first, citing two officials.",
        "A long paragraph " * 50 + "(Photo: Reuters)",  # too long to be a caption
    ],
)
def test_body_paragraphs_are_not_captions(paragraph: str) -> None:
    assert not is_caption(paragraph)


def test_find_captions_gives_exact_offsets() -> None:
    text = "Body one.\n\nThe quay. (Photo: AP)\n\nBody two."
    (region,) = find_captions(text)
    assert text[region.start : region.end] == "The quay. (Photo: AP)"


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("[People News] The general was removed.", "People News"),
        ("【大纪元2025年1月30日讯】消息称……", "大纪元"),
        ("【港湾日报讯】据报道……", "港湾日报"),
        ("LONDON (Reuters) - The bank said on Monday ...", "Reuters"),
        ("The general was removed, [People News] said.", None),
    ],
)
def test_outlet_marker(text: str, outlet: str | None) -> None:
    assert find_outlet_marker(text) == outlet


def test_outlet_marker_skips_captions_but_not_body() -> None:
    text = "A quay. (Photo: AP)\n\n[Coastal Wire] The chairman was detained."
    assert find_outlet_marker(text, find_captions(text)) == "Coastal Wire"


def test_split_title() -> None:
    assert split_title("Title here\n\nBody text.") == ("Title here", "Body text.")
    assert split_title("Only one line") == (None, "Only one line")


def test_count_words_counts_chinese_characters() -> None:
    assert count_words("Hu Liren said 胡力任说") == 3 + 4


words = st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), min_size=1)


@given(words, st.sampled_from([" ", "  ", "\n", "\t", " \n\n "]))
def test_fingerprint_ignores_spacing_and_case(tokens: list[str], separator: str) -> None:
    # Letters such as the dotless i change identity under upper-casing; case-folding can't help.
    assume(all(t.upper().casefold() == t.casefold() for t in tokens))
    assert fingerprint(" ".join(tokens)) == fingerprint(separator.join(t.upper() for t in tokens))


@given(st.text())
def test_clean_text_is_idempotent(raw: str) -> None:
    once = clean_text(raw).text
    assert clean_text(once).text == once
