"""Attributions and claims in Chinese text, from the reporting patterns of Chinese news.

No dependency parser for Chinese ships inside a PyPI package that runs offline here, so this
reads the fixed patterns that Chinese reporting uses: 据X透露/称/报道，... (according to X) and
X表示/称/说/透露/指出/认为，... (X said). Sentences end at 。！？ and their full-width forms.
"""

from __future__ import annotations

import re

from claimledger.extract.claims import classify_claim
from claimledger.extract.entities import MentionIndex
from claimledger.model import Attribution, Claim, DateMention, Quantity, Region, Span

_CUES = "透露|表示|称|稱|说|說|指出|强调|強調|认为|認為|告诉|告訴|披露|爆料|证实|證實|宣布|警告|暗示|声称|聲稱|报道|報導|报导|写道|寫道"
_OPINION_CUES = {"认为", "認為", "暗示", "警告"}
_ACCORDING = re.compile(rf"据(?P<source>[^，,。；]{{2,40}}?)(?P<cue>{_CUES})[，,：:]?")
_SAID = re.compile(rf"(?P<source>[^，,。；：:“”「」]{{2,30}}?)(?P<cue>{_CUES})[，,：:]")
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
        found = _attribution(text, sentence, mentions, dates)
        index = None
        claim_start = start
        if found is not None:
            attributions.append(found)
            index = len(attributions) - 1
            claim_start = found.content.start
        claim_text = text[claim_start:end].strip()
        if len(claim_text) < 6 or claim_text.endswith(("？", "?")):
            continue
        claim_start = text.index(claim_text, claim_start)
        claim_end = claim_start + len(claim_text)
        in_quantities = [q for q in quantities if claim_start <= q.start < claim_end]
        in_dates = [d for d in dates if claim_start <= d.start < claim_end]
        hedges = tuple(dict.fromkeys(_HEDGES.findall(claim_text)))
        cue = found.cue_lemma if found is not None else ""
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


def _attribution(
    text: str, sentence: re.Match[str], mentions: MentionIndex, dates: list[DateMention]
) -> Attribution | None:
    body = sentence.group()
    offset = sentence.start()
    match = _ACCORDING.search(body) or _SAID.search(body)
    if match is None:
        return None
    source_text = match.group("source")
    channel_match = _CHANNEL.search(source_text)
    channel = None
    if channel_match:
        channel_start = offset + match.start("source") + channel_match.start("channel")
        channel = Span(channel_start, channel_start + len(channel_match.group("channel")), channel_match.group("channel"))
        source_text = source_text[: channel_match.start()]
    source_text = re.sub(r"\d{1,2}月\d{1,2}[日号]|[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+[日号]", "", source_text).strip("在于於 ")
    source_start = offset + match.start("source")
    source = Span(source_start, source_start + len(source_text), source_text)
    mention = mentions.named_in(source.start, source.end + 1)
    content_start = offset + match.end()
    content_end = offset + len(body.rstrip("。！？!? "))
    if content_end <= content_start:
        return None
    date = next((d for d in dates if offset + match.start() <= d.start < offset + match.end()), None)
    return Attribution(
        source=source,
        source_key=mention.key if mention else None,
        source_name=mention.name if mention else source_text,
        named=mention is not None,
        cue=Span(offset + match.start("cue"), offset + match.end("cue"), match.group("cue")),
        content=Span(content_start, content_end, text[content_start:content_end]),
        channel=channel,
        date=date,
        cue_lemma=match.group("cue"),
    )
