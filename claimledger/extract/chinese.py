"""Attributions and claims in Chinese text, from the reporting patterns of Chinese news.

No dependency parser for Chinese ships inside a PyPI package that runs offline here, so this
reads the fixed patterns that Chinese reporting uses: 据X透露/称/报道，... (according to X) and
X表示/称/说/透露/指出/认为，... (X said). Sentences end at 。！？ and their full-width forms.
"""

from __future__ import annotations

import dataclasses
import re

from claimledger.extract.claims import classify_claim
from claimledger.extract.credits import agency_key
from claimledger.extract.entities import MentionIndex
from claimledger.model import Attribution, Claim, DateMention, Mention, Quantity, Region, Span

_CUES = ("透露|表示|称|稱|说|說|指出|强调|強調|认为|認為|告诉|告訴|披露|爆料|证实|證實|宣布|警告|暗示|声称|聲稱"
         "|报道|報導|报导|報道|写道|寫道|介绍|介紹|坦言|直言|承认|承認|否认|否認")
_OPINION_CUES = {"认为", "認為", "暗示", "警告"}
# Whom the source told ("告诉他", "對記者說"): between the cue and the comma, not part of either.
_TOLD = r"(?:他们|他們|她们|她們|他|她|我们|我們|我|记者|記者|本台|本报|本報|媒体|媒體|外界)?"
_ENDS = r"[，,：:]\s*"
# 据/據 X (透露|称|...)，...: "according to X"
_ACCORDING = re.compile(rf"[据據](?P<source>[^，,。；]{{2,40}}?)(?P<cue>{_CUES})(?:称|稱)?{_TOLD}{_ENDS}")
# 据/據 X，...: "according to Xinhua, ..." with no verb
_ACCORDING_BARE = re.compile(rf"^[据據](?P<source>[^，,。；]{{2,24}}?){_ENDS}")
# X 援引 Y (的话) (报道|称)，...: X relays Y (a wire or an outlet quoting its sources)
_CITING = re.compile(rf"(?P<source>[^，,。；：:“”「」]{{2,30}}?)(?P<cue>援引|援用|引述|引用)(?P<inner>[^，,。；]{{2,30}}?)"
                     rf"(?:的话|的話|的消息)?(?P<cue2>{_CUES})?(?:称|稱)?{_ENDS}")
# X (透露|表示|...)，...: "X said"
_SAID = re.compile(rf"(?P<source>[^，,。；：:“”「」]{{2,30}}?)(?P<cue>{_CUES})(?:称|稱)?{_TOLD}{_ENDS}")
# What follows 据 as a hedge, not a source: "据悉", "据报道", "据了解" (it is learned, reported).
_NOT_SOURCES = re.compile(r"^(?:悉|了解|瞭解|报道|報導|报导|称|稱|传|傳|说|說|介绍|介紹|信|闻|聞|指|估计|估計|统计|統計)$")
_ORIGINAL_AFTER = re.compile(r"\s*[（(][^（()）]*[）)]$")
_COUNTED = re.compile(r"^(?:[一两兩二三四五六七八九十几幾数數多某该該这這那]+[位名个個些]?|有)")
# "他在会上表示": where the source spoke is not part of who spoke
_LOCATIVE = re.compile(r"在[^，,。]{1,12}?[上中里裡]$")
_CHANNEL = re.compile(r"在(?P<channel>[^，,。]{0,20}?(?:直播|节目|節目|采访|採訪|视频|視頻|推特|微博|发布会|發布會|声明|聲明|文章|广播|廣播)[中上里裡]?)")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_HEDGES = re.compile(r"(可能|或许|或許|据传|據傳|传闻|傳聞|据称|據稱|疑似|传|傳)")


def extract_chinese(
    text: str,
    mentions: MentionIndex,
    quantities: list[Quantity],
    dates: list[DateMention],
    captions: tuple[Region, ...],
) -> tuple[list[Attribution], list[Claim]]:
    attributions: list[Attribution] = []
    claims: list[Claim] = []
    for sentence in _SENTENCE.finditer(text):
        start, end = sentence.start(), sentence.end()
        if any(r.start <= start < r.end for r in captions) or not sentence.group().strip():
            continue
        found = _attributions(text, start, end, mentions, dates, len(attributions))
        index = None
        claim_start = start
        if found:
            attributions.extend(found)
            index = len(attributions) - 1  # the innermost: its source is the claim's origin
            claim_start = found[-1].content.start
        claim_text = text[claim_start:end].strip()
        if len(claim_text) < 6 or claim_text.endswith(("？", "?")):
            continue
        claim_start = text.index(claim_text, claim_start)
        claim_end = claim_start + len(claim_text)
        in_quantities = [q for q in quantities if claim_start <= q.start < claim_end]
        in_dates = [d for d in dates if claim_start <= d.start < claim_end]
        hedges = tuple(dict.fromkeys(_HEDGES.findall(claim_text)))
        cue = found[-1].cue_lemma if found else ""
        claims.append(
            Claim(
                start=claim_start,
                end=claim_end,
                text=claim_text,
                kind=classify_claim(claim_text, "believe" if cue in _OPINION_CUES else cue, in_quantities, in_dates),
                hedged=bool(hedges),
                hedges=hedges,
                attribution=index,
                quantities=tuple(quantities.index(q) for q in in_quantities),
                dates=tuple(dates.index(d) for d in in_dates),
                entities=tuple(dict.fromkeys(m.key for m in mentions.mentions if claim_start <= m.start < claim_end)),
            )
        )
    return attributions, claims


def _attributions(
    text: str, start: int, end: int, mentions: MentionIndex, dates: list[DateMention], first_index: int
) -> list[Attribution]:
    """The attributions of one sentence, outermost first, each nested in the one before: "胡力任
    透露，一位前副部长告诉他，..." is Hu Liren relaying a former deputy minister, as in English."""
    found: list[Attribution] = []
    region = start
    while len(found) < 4:
        steps = _attribution(text, region, end, mentions, dates)
        if not steps:
            break
        for step in steps:
            parent = first_index + len(found) - 1 if found else None
            found.append(dataclasses.replace(step, parent=parent))
        region = found[-1].content.start
    return found


def _attribution(text: str, start: int, end: int, mentions: MentionIndex, dates: list[DateMention]) -> list[Attribution]:
    """The first attribution in text[start:end] (two when X relays Y: "路透社援引消息人士报道"),
    or none."""
    body = text[start:end]
    citing = _CITING.search(body)
    if citing is not None and (citing.start() == 0 or _clause_start(body, citing.start())):
        outer = _make(text, start, end, citing, "source", "cue", mentions, dates)
        inner = _make(text, start, end, citing, "inner", "cue2" if citing.group("cue2") else "cue", mentions, dates)
        if outer is not None and inner is not None:
            # the relayed source is inside what the relayer reports, as English nesting has it
            content = Span(inner.source.start, inner.content.end, text[inner.source.start : inner.content.end])
            return [dataclasses.replace(outer, content=content), inner]
    for pattern in (_ACCORDING, _ACCORDING_BARE, _SAID):
        match = pattern.match(body) if pattern is _ACCORDING_BARE else pattern.search(body)
        if match is None or _NOT_SOURCES.match(match.group("source").strip()):
            continue
        if pattern is _SAID and match.start() > 0 and not _clause_start(body, match.start()):
            continue
        made = _make(text, start, end, match, "source", None if pattern is _ACCORDING_BARE else "cue", mentions, dates)
        return [made] if made is not None else []
    return []


def _named_head(mentions: MentionIndex, source: Span) -> Mention | None:
    """The name a source is, when it ends in one ("上海企业家胡力任", "新华社"); a description that
    merely contains a name ("一位中组部前副部长", a former deputy minister of the Organization
    Department) is an unnamed source, as in English. Agencies are named by their own names."""
    mention = mentions.named_in(source.start, source.end + 1)
    end = source.start + len(_ORIGINAL_AFTER.sub("", source.text))  # 托马斯·雷恩（Tomas Reyne）ends in the name
    if mention is not None and mention.end >= end - 1:
        return mention
    key = agency_key(source.text)
    return Mention(source.start, source.end, source.text, "org", key, source.text) if key else None


def _description_key(description: str) -> str | None:
    """An unnamed source's key, as English gives "desc:senior official" to "a senior official":
    the description without its count ("一位高级官员" -> "desc:高级官员"); none for a pronoun."""
    core = _COUNTED.sub("", description)
    return f"desc:{core}" if len(core) >= 2 else None


def _clause_start(body: str, position: int) -> bool:
    """Whether `position` opens a clause: X in "...，X告诉他，" is a source; a cue word deep in a
    clause ("他在会上表示") is found from the clause's start anyway."""
    return body[position - 1] in "，,：:；;“”「」 \n"


def _make(
    text: str, start: int, end: int, match: re.Match[str], source_group: str, cue_group: str | None,
    mentions: MentionIndex, dates: list[DateMention],
) -> Attribution | None:
    source_text = match.group(source_group)
    source_start = start + match.start(source_group)
    channel_match = _CHANNEL.search(source_text)
    channel = None
    if channel_match:
        channel_start = source_start + channel_match.start("channel")
        channel = Span(channel_start, channel_start + len(channel_match.group("channel")), channel_match.group("channel"))
        source_text = source_text[: channel_match.start()]
    trimmed = re.sub(r"\d{1,2}月\d{1,2}[日号]|[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+[日号]", "", source_text)
    trimmed = _LOCATIVE.sub("", trimmed).strip("在于於 ")
    if len(trimmed) < 2 and trimmed not in ("他", "她", "我"):
        return None
    source_start += source_text.find(trimmed[:2]) if trimmed[:2] in source_text else 0
    source = Span(source_start, source_start + len(trimmed), text[source_start:source_start + len(trimmed)])
    mention = _named_head(mentions, source)
    content_start = start + match.end()
    content_end = start + len(text[start:end].rstrip("。！？!? \n"))
    if content_end <= content_start:
        return None
    if cue_group is not None:
        cue = Span(start + match.start(cue_group), start + match.end(cue_group), match.group(cue_group))
    else:  # "据新华社，": the 据 is the cue
        cue = Span(start + match.start(), start + match.start() + 1, match.group()[0])
    date = next((d for d in dates if start + match.start() <= d.start < start + match.end()), None)
    return Attribution(
        source=source,
        source_key=mention.key if mention else _description_key(source.text),
        source_name=mention.name if mention else source.text,
        named=mention is not None,
        cue=cue,
        content=Span(content_start, content_end, text[content_start:content_end]),
        channel=channel,
        date=date,
        cue_lemma=cue.text,
    )
