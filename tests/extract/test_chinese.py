"""Attribution in Chinese news style, simplified and traditional: who said what, relayed through
whom, with the same chains as the English retellings."""

from __future__ import annotations

import pytest

from claimledger.extract import extract_document
from claimledger.model import Extraction


def chains(extraction: Extraction) -> list[list[tuple[str, bool]]]:
    """Per claim that has a source: its chain, outermost first, as (source, named)."""
    found = []
    for claim in extraction.claims:
        chain, index = [], claim.attribution
        while index is not None:
            attribution = extraction.attributions[index]
            chain.append((attribution.source.text, attribution.named))
            index = attribution.parent
        if chain:
            found.append(chain[::-1])
    return found


@pytest.mark.parametrize("text", [
    "上海企业家胡力任1月28日在YouTube直播中透露，一位中组部前副部长告诉他，该部门已有近三百名官员被带走调查。",
    "上海企業家胡力任1月28日在YouTube直播中透露，一位中組部前副部長告訴他，該部門已有近三百名官員被帶走調查。",
])
def test_a_named_relayer_of_an_unnamed_official_is_a_chain_of_two(text: str) -> None:
    extraction = extract_document(text, language="zh")
    assert chains(extraction) == [[(text[:8], True), (text[text.index("一位") : text.index("告")], False)]]
    relayer, official = extraction.attributions
    assert relayer.source_key == "hu liren" and official.parent == 0
    assert relayer.channel is not None and "直播" in relayer.channel.text
    assert relayer.date is not None and relayer.date.value.endswith("-01-28")
    assert extraction.claims[0].text.startswith("该部门" if "该" in text else "該部門")


def test_the_chinese_original_gives_the_english_retellings_chain() -> None:
    english = extract_document(
        "Shanghai entrepreneur Hu Liren revealed on a YouTube live broadcast on January 28 that a senior "
        "official told him that nearly 300 officials had been taken away.", language="en")
    chinese = extract_document(
        "上海企业家胡力任1月28日在YouTube直播中透露，一位高级官员告诉他，已有近三百名官员被带走调查。", language="zh")
    shape = [[(a.named, a.source_key if a.named else None) for a in (e.attributions[i] for i in _path(e))]
             for e in (english, chinese)]
    assert shape[0] == shape[1] == [(True, "hu liren"), (False, None)]
    assert chinese.attributions[1].source_key == "desc:高级官员"  # as English keys "desc:senior official"


def _path(extraction: Extraction) -> list[int]:
    """The attribution indices of the last claim's chain, outermost first."""
    index, path = extraction.claims[-1].attribution, []
    while index is not None:
        path.append(index)
        index = extraction.attributions[index].parent
    return path[::-1]


@pytest.mark.parametrize(("text", "source", "cue", "named"), [
    ("據知情人士透露，孟宏偉已於上週在北京被帶走。", "知情人士", "透露", False),
    ("据消息人士称，该部长已被免职。", "消息人士", "称", False),
    ("据新华社，国务院已任命新的部长。", "新华社", "据", True),
    ("國防部發言人指出，演習將持續三天。", "國防部發言人", "指出", False),
    ("他在会上表示，经济将继续增长。", "他", "表示", False),
])
def test_cues_of_chinese_reporting_in_both_scripts(text: str, source: str, cue: str, named: bool) -> None:
    attribution = extract_document(text, language="zh").attributions[0]
    assert (attribution.source.text, attribution.cue.text, attribution.named) == (source, cue, named)


def test_an_outlet_citing_its_sources_relays_them() -> None:
    extraction = extract_document("路透社援引两名消息人士的话报道，该公司董事长已被约谈。", language="zh")
    assert chains(extraction) == [[("路透社", True), ("两名消息人士", False)]]
    assert extraction.claims[0].text == "该公司董事长已被约谈。"


@pytest.mark.parametrize("text", ["据悉，该部长已被免职。", "据报道，该部长已被免职。", "據了解，該部長已被免職。"])
def test_it_is_learned_is_a_hedge_not_a_source(text: str) -> None:
    assert extract_document(text, language="zh").attributions == ()
