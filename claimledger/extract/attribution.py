"""Who said what: attributions from the dependency parse, nested into relay chains.

An attribution is a source, a cue and a content span ("Hu Li-ren | revealed | that ..."), with
the channel ("on a YouTube live broadcast") and the date when the sentence gives them. Sources
that refer back ("he", "the official", "Hu") are resolved to the nearest fitting antecedent in
the document. An attribution whose cue sits inside another's content is relayed through it;
a document that says its relayer spoke to an unnamed informant ("he had directly communicated
with the official") extends the chain to that informant, marked as inferred.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.extract.entities import MentionIndex, document_text, head_word
from claimledger.model import Attribution, DateMention, Span

# Verbs that report speech, writing or belief.
SPEECH_CUES = {
    "say", "tell", "state", "report", "reveal", "relay", "disclose", "claim", "add", "note",
    "explain", "announce", "indicate", "write", "mention", "emphasise", "emphasize", "stress",
    "remark", "acknowledge", "admit", "confirm", "deny", "assert", "allege", "declare", "insist",
    "warn", "tweet", "post", "testify", "recount", "recall", "reply", "respond", "repeat",
    "reiterate", "highlight", "share", "learn", "hear", "complain", "concede", "contend",
    "maintain", "observe", "describe", "caution", "promise", "vow", "pledge", "hint",
    "inform", "quote", "cite", "estimate", "predict", "forecast", "conclude",
    "express", "argue", "suggest", "assess", "believe", "think", "expect", "feel",
    "fear", "doubt", "hope", "agree", "urge", "speculate", "notice", "find", "show", "point",
    "continue", "boast", "joke", "question", "criticize", "criticise", "blast", "slam", "accuse",
    "praise",
}
# Cues that voice the source's own judgment rather than pass on information.
OPINION_CUES = {
    "believe", "think", "feel", "argue", "suggest", "assess", "fear", "doubt", "hope",
    "urge", "speculate", "estimate", "conclude", "contend", "judge",
    "consider", "view", "describe", "express", "agree", "warn", "insist", "caution",
}
# Cues that announce what will happen: the claim is a prediction whatever its grammar.
PREDICTION_CUES = {"expect", "predict", "forecast", "anticipate", "project"}
# Nouns that carry a statement: "the official's statement that ...".
STATEMENT_NOUNS = {
    "statement", "claim", "remark", "remarks", "comment", "assertion", "view", "observation",
    "observations", "information", "account", "report", "disclosure", "allegation", "warning",
    "judgment", "judgement", "assessment", "belief", "prediction", "words", "message", "appeal",
    "announcement", "testimony", "revelation", "story", "news", "opinion", "estimate",
}
CHANNEL_NOUNS = {
    "broadcast", "livestream", "program", "programme", "interview", "show", "podcast", "video",
    "post", "tweet", "statement", "article", "column", "channel", "briefing", "speech", "blog",
    "newsletter", "letter", "radio", "television", "tv", "website", "conference", "stream",
    "episode", "op-ed", "memoir", "book", "report", "broadcasts", "programs", "message",
    "documentary", "press", "account", "page", "feed", "thread", "youtube", "twitter", "x",
    "facebook", "weibo", "wechat", "telegram", "tiktok", "instagram",
}
CONTACT_VERBS = {"communicate", "speak", "talk", "meet", "contact", "hear", "correspond"}
_PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "his": "person",
             "they": "group", "their": "group", "it": "org", "its": "org", "we": "group", "i": "self"}
_QUOTES = "\"“”'‘’「」『』"
_OPENING_QUOTES = "\"“'‘「『"
_MAX_QUOTE_CHARS = 3000


@dataclass
class _Draft:
    source: Span
    cue: Span
    content: Span
    cue_lemma: str
    sentence: int
    sentence_start: int = 0
    channel: Span | None = None
    date: DateMention | None = None
    source_key: str | None = None
    source_name: str = ""
    named: bool = False
    from_statement_noun: bool = False


def extract_attributions(
    doc: Doc, mentions: MentionIndex, dates: list[DateMention]
) -> list[Attribution]:
    """Attributions in `doc` (a parsed body text), nested outermost first."""
    drafts: list[_Draft] = []
    sentences = list(doc.sents)
    for index, sentence in enumerate(sentences):
        for token in sentence:
            drafts.extend(_attributions_at(token, sentence, index))
    drafts.extend(_dash_attributions(document_text(doc), sentences))
    drafts = [draft for draft in _deduplicate(drafts) if _can_speak(draft)]
    for draft in drafts:
        _resolve_source(draft, doc, mentions, drafts)
        draft.channel = draft.channel or _channel(doc, draft)
        draft.date = _date_for(draft, dates)
    attributions = _nest(drafts)
    return _extend_to_informants(doc, attributions, mentions)


# -- finding cues, sources and contents ------------------------------------------------------------

# "“... our greatest shame.” ― Sonya Herridge": a quotation signed with a dash and a name.
_DASH_SIGNATURE = re.compile(
    r"[”\"」』][\s\u00a0]*(?P<dash>[―—–])[\s\u00a0]*(?P<name>[A-Z][\w.'’-]*(?:[ \u00a0][A-Z][\w.'’-]*){0,4})[\s\u00a0.]*(?:\n|$)"
)
_OPENING_FOR = {"”": "“", "\"": "\"", "」": "「", "』": "『"}


def _dash_attributions(text: str, sentences: list[SpacySpan]) -> list[_Draft]:
    drafts = []
    starts = [sentence.start_char for sentence in sentences]
    for match in _DASH_SIGNATURE.finditer(text):
        closing = match.start()
        line_start = text.rfind("\n", 0, closing) + 1
        opening = text.rfind(_OPENING_FOR[text[closing]], line_start, closing)
        if opening < 0 or closing - opening < 3 or closing - opening > _MAX_QUOTE_CHARS:
            continue
        name_start, name_end = match.start("name"), match.end("name")
        index = max(0, bisect.bisect_right(starts, closing) - 1)
        drafts.append(_Draft(
            source=Span(name_start, name_end, text[name_start:name_end]),
            cue=Span(match.start("dash"), match.end("dash"), match.group("dash")),
            content=Span(opening, closing + 1, text[opening : closing + 1]),
            cue_lemma="say",
            sentence=index,
            sentence_start=starts[index] if starts else 0,
        ))
    return drafts


def _can_speak(draft: _Draft) -> bool:
    """A source must be able to say something: not 'the exodus of officials' or 'email'.

    Verbs of speech ("said", "told") are trusted with any subject; verbs that also take things
    as subjects ("indicate", "show", "reveal") need a name, a pronoun or a speaker noun.
    """
    source = draft.source.text
    words = re.findall(r"[\w'’-]+", source.lower())
    if not words:
        return False
    if any(word[:1].isupper() for word in source.split() if word.lower() not in ("the", "a", "an")):
        return True  # a name: "Hu Liren", "the NAACP", "Harbour Ledger"
    head = head_word(words)
    if head in _PRONOUNS or head.rstrip("s") in _SPEAKER_NOUNS or head in _SPEAKER_NOUNS:
        return True
    return draft.cue_lemma in _SPEECH_VERBS


_SPEECH_VERBS = {
    "say", "tell", "state", "report", "announce", "claim", "add", "write", "relay", "quote",
    "explain", "insist", "declare", "assert", "allege", "deny", "confirm", "admit", "acknowledge",
    "warn", "tweet", "post", "testify", "reply", "respond", "repeat", "reiterate", "remark",
    "stress", "emphasise", "emphasize", "note", "mention", "describe", "call", "ask", "argue",
    "according to", "colon", "disclose",
}


_SPEAKER_NOUNS = {
    "official", "minister", "deputy", "source", "insider", "person", "individual", "manager",
    "executive", "aide", "diplomat", "officer", "spokesman", "spokeswoman", "spokesperson",
    "member", "employee", "worker", "director", "general", "secretary", "chairman", "leader",
    "analyst", "expert", "witness", "defector", "informant", "staffer", "adviser", "advisor",
    "cadre", "man", "woman", "people", "information", "report", "document", "statement",
    "media", "outlet", "newspaper", "agency", "ministry", "department", "government",
    "authoritie", "authority", "police", "military", "army", "party", "company", "group",
    "spokesmen", "commission", "committee", "office", "bureau", "court", "judge", "lawyer",
    "prosecutor", "investigator", "researcher", "scientist", "study", "survey", "poll", "data",
    "record", "figure", "publication", "paper", "journalist", "reporter", "correspondent",
    "editor", "author", "writer", "blogger", "broadcaster", "host", "commentator", "critic",
    "observer", "activist", "campaigner", "lawmaker", "legislator", "senator", "president",
    "premier", "governor", "mayor", "ambassador", "envoy", "negotiator", "friend", "relative",
    "family", "neighbour", "neighbor", "resident", "someone", "everyone", "nobody", "anyone",
    "chief", "head", "founder", "owner", "ceo", "entrepreneur", "businessman", "businesswoman",
    "state", "country", "nation", "union", "association", "organisation",
    "organization", "institute", "center", "centre", "university", "council", "board",
    "campaign", "team", "staff", "they", "he", "she", "we", "i", "it", "you",
}


def _attributions_at(token: Token, sentence: SpacySpan, index: int) -> list[_Draft]:
    if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
        draft = _according_to(token, sentence, index)
        return [draft] if draft else []
    if token.lower_ == "in" and token.dep_ == "prep":
        draft = _in_view_of(token, sentence, index)
        return [draft] if draft else []
    if token.text == ":" and token.i == sentence.start + _name_length(sentence):
        draft = _colon_attribution(token, sentence, index)
        return [draft] if draft else []
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in SPEECH_CUES | _INTENT_CUES:
        return []
    if token.lemma_.lower() == "point" and not any(c.dep_ == "prt" for c in token.children):
        return []
    subject = _subject(token)
    if subject is None:
        return []
    if token.lemma_.lower() in _PRIVATE_BELIEF and subject.text.lower() in _FIRST_AND_SECOND:
        return []  # "I think", "do you believe": hedging inside a quote, not an attribution
    drafts = []
    content = _content(token, sentence) or _quote_before(token, subject) or _intention(token)
    if content is not None:
        drafts.append(_draft(subject, token, content, index))
    for noun in (c for c in token.children if c.dep_ in ("dobj", "pobj") and c.lemma_.lower() in STATEMENT_NOUNS):
        drafts.extend(_statement_noun(subject, token, noun, index))
    return drafts


def _draft(subject: SpacySpan, cue: Token, content: Span, index: int) -> _Draft:
    return _Draft(
        source=_span(subject),
        cue=_cue_span(cue),
        content=content,
        cue_lemma=cue.lemma_.lower(),
        sentence=index,
        sentence_start=cue.sent.start_char,
    )


def _subject(verb: Token) -> SpacySpan | None:
    doc = verb.doc
    for child in verb.children:
        if child.dep_ in ("nsubj",) and child.lower_ not in ("this", "that", "there", "which", "what"):
            if child.lower_ == "it" and verb.lemma_.lower() not in _SPEECH_VERBS:
                continue  # "it seems", "it shows": not a speaker
            if child.lower_ in ("who",) and verb.dep_ == "relcl":
                return _np(verb.head)
            return _np(child)
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return _np(objects[0])
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    if verb.dep_ in ("xcomp", "advcl") and verb.head.pos_ == "VERB":
        return _subject(verb.head)
    del doc
    return None


def _np(head: Token) -> SpacySpan:
    """The noun phrase headed by `head`, without trailing relative clauses or appositions."""
    doc = head.doc
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in ("prep", "compound", "amod", "nmod", "poss", "nummod", "flat") or (
            child.dep_ == "appos" and child.ent_type_
        ):
            right = max(right, child.right_edge.i)
        else:
            break
    return doc[left : right + 1]


def _content(verb: Token, sentence: SpacySpan) -> Span | None:
    doc = verb.doc
    quote = _quote_after(verb)
    if quote is not None:
        return quote
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            if child.dep_ == "xcomp" and child.i > verb.i and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in child.children
            ) and child.tag_ == "VB":
                continue  # "urged them to act": an appeal's object, not reported content
            left, right = child.left_edge.i, child.right_edge.i
            if child.i < verb.i:  # "X, Y, sources said": everything before the cue is content
                subject = _subject(verb)
                right = min(right, (subject.start if subject is not None and subject.start < verb.i else verb.i) - 1)
                left = min(left, sentence.start)
            else:  # "stated that ...": the content runs to the end of the cue's clause
                stops = [c.i for c in verb.children if c.i > right and c.dep_ in ("cc", "conj")]
                right = max(right, (min(stops) - 1) if stops else verb.right_edge.i)
            return _with_closing_quote(doc, _trimmed(doc, left, right))
    if verb.dep_ == "parataxis" and verb.head.i < verb.i:  # "The jobs, he said, were lost"
        head = verb.head
        return _trimmed(doc, head.left_edge.i, min(head.right_edge.i, verb.left_edge.i - 1))
    if verb.dep_ == "parataxis" and verb.head.i > verb.i:  # "But, he said, local officials should ..."
        head = verb.head
        start = verb.right_edge.i + 1
        while start < head.right_edge.i and doc[start].is_punct:
            start += 1
        if head.right_edge.i - start >= 2:
            return _trimmed(doc, start, head.right_edge.i)
    del sentence
    return None


_PRIVATE_BELIEF = {"think", "believe", "hope", "guess", "feel", "suppose", "reckon", "know", "see"}
_FIRST_AND_SECOND = {"i", "you", "we"}
# Verbs of intent and stance whose object is what the source wants or holds: "X called for Y",
# "X plans to Y", "X vowed to Y" (PolNeAR and PARC count these as attributions).
_INTENT_CUES = {"call", "demand", "want", "plan", "vow", "promise", "pledge", "agree", "ask",
                "urge", "support", "oppose", "cite", "propose", "threaten", "refuse", "seek"}


def _intention(verb: Token) -> Span | None:
    if verb.lemma_.lower() not in _INTENT_CUES:
        return None
    doc = verb.doc
    for child in verb.children:
        if child.dep_ == "xcomp" and child.i > verb.i:
            return _trimmed(doc, child.left_edge.i, child.right_edge.i)
        if child.dep_ == "prep" and child.lower_ in ("for", "on") and verb.lemma_.lower() == "call":
            return _trimmed(doc, child.i + 1, child.right_edge.i)
        if child.dep_ == "oprd" and verb.lemma_.lower() == "call":  # "called them 'deplorables'"
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            left = objects[0].left_edge.i if objects else child.left_edge.i
            return _trimmed(doc, left, child.right_edge.i)
        if child.dep_ == "dobj" and verb.lemma_.lower() in ("demand", "cite", "support", "oppose", "propose", "seek", "want"):
            return _trimmed(doc, child.left_edge.i, child.right_edge.i)
    return None


def _quote_before(verb: Token, subject: SpacySpan) -> Span | None:
    """'"We were there under legitimate pretenses," he said.': the quote the cue closes."""
    doc = verb.doc
    text = document_text(doc)
    first = min(verb.idx, subject.start_char)
    before = text[max(0, first - 4) : first]
    match = re.search(r"([\"”’'」』])\s*[,.]?\s*$|[\"”’'」』][,.]?\s*$", before)
    if not match:
        return None
    closing = max(0, first - 4) + before.rfind(match.group(0).strip()[0])
    opening_char = {"”": "“", "\"": "\"", "’": "‘", "'": "'", "」": "「", "』": "『"}[text[closing]]
    paragraph_start = text.rfind("\n\n", 0, closing)
    opening = text.rfind(opening_char, max(0, paragraph_start), closing)
    if opening < 0 or closing - opening > _MAX_QUOTE_CHARS or closing - opening < 3:
        return None
    return Span(opening, closing + 1, text[opening : closing + 1])


# Between a cue and its quotation: "out", "that", or a short time or place ("on Monday,").
_BEFORE_QUOTE = re.compile(
    r"\s*(?:out|that)?(?:\s+(?:on|in|at|during|after|before|last|this|yesterday|today|later|earlier)\b[^\"“'‘「『.!?\n]{0,30})?"
    r"\s*[,:]?\s*([\"“'‘「『])"
)


def _quote_after(verb: Token) -> Span | None:
    """A direct quotation opened right after the cue: `X stated: 'You must ...'`."""
    doc = verb.doc
    text = document_text(doc)
    position = verb.idx + len(verb.text)
    window = text[position : position + 48]
    match = _BEFORE_QUOTE.match(window)
    if not match:
        return None
    opening = position + match.start(1)
    closing_chars = {"\"": "\"", "“": "”", "'": "'", "‘": "’", "「": "」", "『": "』"}[match.group(1)]
    paragraph_end = text.find("\n\n", opening)
    limit = min(paragraph_end if paragraph_end > 0 else len(text), opening + _MAX_QUOTE_CHARS)
    if match.group(1) == "'":
        # Single quotes nest ('... what I mean by 'fighting hard.' ...'): the quotation closes
        # at the paragraph's last closing quote.
        ends = [m.start() for m in re.finditer(r"'(?=\s|$|[.,;:!?)])", text[opening + 1 : limit])]
        candidates = [opening + 1 + ends[-1]] if ends else []
    else:
        candidates = [i for i in (text.find(closing_chars, opening + 1, limit),) if i > 0]
        if match.group(1) == "\"" and not candidates:
            candidates = [i for i in (text.find("”", opening + 1, limit),) if i > 0]
    if not candidates:
        return None
    closing = min(candidates)
    if closing - opening > _MAX_QUOTE_CHARS or closing <= opening + 1:
        return None
    return Span(opening, closing + 1, text[opening : closing + 1])  # the marks are the quote's


def _statement_noun(subject: SpacySpan, verb: Token, noun: Token, index: int) -> list[_Draft]:
    """`X relayed the official's statement that ...`: X relays, the official is the source."""
    doc = noun.doc
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i), None)
    colon = noun.i + 1 < len(doc) and doc[noun.i + 1].text == ":"
    if colon:  # "expressed his judgment: Zhang Youxia is not ..."
        sentence_end = noun.sent.end
        content = _trimmed(doc, noun.i + 2, sentence_end - 1)
    elif clause is None or not any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.subtree):
        return []
    else:
        content = _trimmed(doc, _first_after(clause, noun), clause.right_edge.i)
    if content.end <= content.start:
        return []
    outer = _draft(subject, verb, Span(noun.left_edge.idx, content.end, document_text(doc)[noun.left_edge.idx : content.end]), index)
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    drafts = [outer]
    if owner is not None:
        inner = _Draft(
            source=_span(_np(owner)),
            cue=Span(noun.idx, noun.idx + len(noun.text), noun.text),
            content=content,
            cue_lemma=noun.lemma_.lower(),
            sentence=index,
            sentence_start=noun.sent.start_char,
            from_statement_noun=True,
        )
        drafts.append(inner)
    return drafts


def _name_length(sentence: SpacySpan) -> int:
    """Tokens of the name a sentence opens with ("Trump: ..."), 0 if it opens with none."""
    first = sentence[0]
    if first.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE") or first.ent_iob_ != "B":
        return -1
    length = 1
    while sentence.start + length < sentence.end and sentence.doc[sentence.start + length].ent_iob_ == "I":
        length += 1
    return length


def _colon_attribution(token: Token, sentence: SpacySpan, index: int) -> _Draft | None:
    """'Trump: "We will win"': a name, a colon, the words."""
    doc = token.doc
    if token.i + 2 >= sentence.end:
        return None
    return _Draft(
        source=_span(doc[sentence.start : token.i]),
        cue=Span(token.idx, token.idx + 1, ":"),
        content=_trimmed(doc, token.i + 1, sentence.end - 1),
        cue_lemma="colon",
        sentence=index,
        sentence_start=sentence.start_char,
    )


def _in_view_of(token: Token, sentence: SpacySpan, index: int) -> _Draft | None:
    """"In the official's view, ...", "In his opinion, ...": the possessor is the source."""
    doc = token.doc
    noun = next((c for c in token.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lemma_.lower() not in {"view", "opinion", "judgment", "judgement", "estimation", "assessment", "words"}:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        return None
    start = token.right_edge.i + 1
    while start < sentence.end and doc[start].is_punct:
        start += 1
    if start >= sentence.end - 1:
        return None
    return _Draft(
        source=_span(_np(owner)),
        cue=Span(token.idx, noun.idx + len(noun.text), document_text(doc)[token.idx : noun.idx + len(noun.text)]),
        content=_trimmed(doc, start, sentence.end - 1),
        cue_lemma="view",
        sentence=index,
        sentence_start=sentence.start_char,
    )


def _first_after(clause: Token, noun: Token) -> int:
    return min(t.i for t in clause.subtree if t.i > noun.i)


def _according_to(token: Token, sentence: SpacySpan, index: int) -> _Draft | None:
    doc = token.doc
    to = next((c for c in token.children if c.lower_ == "to"), None) or doc[token.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if objects:
        source = _np(objects[0])
    else:  # "according to show insiders" misparsed as a verb phrase: the words up to the clause's end
        end = to.i + 1
        while end < sentence.end and end - to.i <= 8 and not doc[end].is_punct:
            end += 1
        if end == to.i + 1:
            return None
        source = doc[to.i + 1 : end]
    phrase_end = max(token.right_edge.i, source.end - 1)
    if phrase_end + 1 < sentence.end and phrase_end < sentence.end - 2:
        start = phrase_end + 1
        while start < sentence.end and doc[start].is_punct:
            start += 1
        content = _trimmed(doc, start, sentence.end - 1)
    else:
        content = _trimmed(doc, sentence.start, token.i - 1)
    if content.end <= content.start:
        return None
    return _Draft(
        source=_span(source),
        cue=Span(token.idx, to.idx + len(to.text), document_text(doc)[token.idx : to.idx + len(to.text)]),
        content=content,
        cue_lemma="according to",
        sentence=index,
        sentence_start=sentence.start_char,
    )


def _cue_span(verb: Token) -> Span:
    parts = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
    start = min(t.idx for t in parts)
    end = max(t.idx + len(t.text) for t in parts)
    if end - start > 40:  # keep the cue tight when an auxiliary sits far away
        start, end = verb.idx, verb.idx + len(verb.text)
    return Span(start, end, document_text(verb.doc)[start:end])


def _span(span: SpacySpan) -> Span:
    return Span(span.start_char, span.end_char, span.text)


_CLOSING = re.compile(r"[.,!?;:]?[”\"’'」』]")


def _with_closing_quote(doc: Doc, span: Span) -> Span:
    """A content that opens a quotation also closes it: '“... pretenses,”' keeps its ',”'."""
    text = document_text(doc)
    opened = sum(span.text.count(c) for c in "“‘「『") - sum(span.text.count(c) for c in "”’」』")
    straight = span.text.count('"') % 2
    if opened <= 0 and not straight:
        return span
    if match := _CLOSING.match(text, span.end):
        end = match.end()
        return Span(span.start, end, text[span.start : end])
    return span


def _trimmed(doc: Doc, left: int, right: int) -> Span:
    """Token range as a character span, without edge punctuation, a leading 'that' kept."""
    while left <= right and (doc[left].is_space or (doc[left].is_punct and doc[left].text not in _OPENING_QUOTES)):
        left += 1
    while right >= left and (doc[right].is_space or (doc[right].is_punct and doc[right].text not in _QUOTES)):
        right -= 1
    if right < left:
        return Span(doc[left].idx if left < len(doc) else 0, doc[left].idx if left < len(doc) else 0, "")
    start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    return Span(start, end, document_text(doc)[start:end])


def _deduplicate(drafts: list[_Draft]) -> list[_Draft]:
    seen: set[tuple[int, int, int]] = set()
    kept = []
    for draft in drafts:
        key = (draft.cue.start, draft.content.start, draft.content.end)
        if key not in seen and draft.content.end > draft.content.start:
            seen.add(key)
            kept.append(draft)
    return kept


# -- who the source is ------------------------------------------------------------------------------


def _resolve_source(draft: _Draft, doc: Doc, mentions: MentionIndex, drafts: list[_Draft]) -> None:
    text = draft.source.text
    lower = text.lower().strip()
    if lower in _PRONOUNS:
        antecedent = _antecedent_source(draft, drafts, mentions, _PRONOUNS[lower])
        if antecedent is not None:
            draft.source_key, draft.source_name, draft.named = antecedent
            return
    mention = mentions.named_in(draft.source.start, draft.source.end)
    if mention is not None:
        draft.source_key, draft.source_name, draft.named = mention.key, mention.name, True
        return
    if re.fullmatch(r"[A-Z][\w'’-]+", text.strip()) and (key := mentions.surname_key(text, draft.source.start)):
        draft.source_key, draft.source_name, draft.named = key, mentions.name_of(key), True
        return
    described = mentions.description_for(draft.source.start, draft.source.end, text)
    if described is not None:
        draft.source_key, draft.source_name = described
        draft.named = False
        return
    draft.source_key, draft.source_name, draft.named = None, text, False


def _antecedent_source(
    draft: _Draft, drafts: list[_Draft], mentions: MentionIndex, kind: str
) -> tuple[str | None, str, bool] | None:
    """The nearest earlier source (or person named) that a pronoun can stand for."""
    # Reporting keeps its voice: a pronoun source is the last source of the recent sentences
    # before it is any person merely mentioned.
    earlier = [
        other
        for other in drafts
        if other.source.start < draft.source.start
        and other.source_key
        and other is not draft
        and draft.sentence - other.sentence <= 3
    ]
    candidates: list[tuple[int, str, str, bool]] = [
        (other.source.start, other.source_key, other.source_name, other.named)  # type: ignore[misc]
        for other in earlier
        if other.source.text.lower() not in _PRONOUNS
    ]
    if kind == "person" and not candidates:
        person = mentions.last_person_before(draft.source.start, not_in=(draft.content.start, draft.content.end))
        if person is not None:
            candidates.append((person.start, person.key, person.name, True))
    if not candidates:
        return None
    _, key, name, named = max(candidates, key=lambda candidate: candidate[0])
    return key, name, named


# -- channel and date -------------------------------------------------------------------------------


def _clause(draft: _Draft) -> tuple[int, int]:
    """The attribution's own words: source, cue and what surrounds them, not the content."""
    if draft.content.start >= draft.cue.end:  # "During his program, Du Wen emphasised that ..."
        return min(draft.sentence_start, draft.source.start, draft.cue.start), draft.content.start
    return min(draft.source.start, draft.cue.start), max(draft.cue.end, draft.source.end) + 60


def _channel(doc: Doc, draft: _Draft) -> Span | None:
    """'on a YouTube live broadcast', 'During his program': a channel phrase in the clause."""
    low, high = _clause(draft)
    sentence = doc.char_span(draft.cue.start, draft.cue.end, alignment_mode="expand")
    if sentence is None:
        return None
    for prep in sentence.sent:
        if prep.dep_ != "prep" or prep.lower_ not in ("on", "in", "during", "via", "through", "at"):
            continue
        if not (low <= prep.idx < high) or draft.content.start <= prep.idx < draft.content.end:
            continue
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if not objects:
            continue
        head = objects[0]
        words = {t.lower_ for t in head.subtree}
        if head.lemma_.lower() in CHANNEL_NOUNS or words & _PLATFORMS:
            end_token = head
            for token in head.subtree:  # the phrase up to its noun, not a date hung on it
                if token.i > head.i and (token.ent_type_ == "DATE" or token.dep_ in ("prep", "relcl", "acl")):
                    break
                end_token = max(end_token, token, key=lambda t: t.i)
            start, end = prep.idx, end_token.idx + len(end_token.text)
            return Span(start, end, document_text(doc)[start:end])
    return None


_PLATFORMS = {"youtube", "twitter", "weibo", "wechat", "telegram", "facebook", "podcast", "livestream", "tiktok", "instagram"}


def _date_for(draft: _Draft, dates: list[DateMention]) -> DateMention | None:
    """A date in the attribution's own clause (outside the content): when it was said."""
    low, high = _clause(draft)
    for mention in dates:
        inside_content = draft.content.start <= mention.start < draft.content.end
        if not inside_content and low <= mention.start < high and mention.precision != "window":
            return mention
    return None


# -- nesting ------------------------------------------------------------------------------------------


def _nest(drafts: list[_Draft]) -> list[Attribution]:
    """Order drafts by position; each one's parent is the tightest attribution whose content holds its cue."""
    ordered = sorted(drafts, key=lambda d: (d.content.start, -(d.content.end - d.content.start), d.cue.start))
    attributions: list[Attribution] = []
    for draft in ordered:
        parent = None
        best_width = None
        for index, other in enumerate(attributions):
            holds = other.content.start <= draft.cue.start and draft.cue.end <= other.content.end
            width = other.content.end - other.content.start
            if holds and (best_width is None or width < best_width) and other.cue != draft.cue:
                parent, best_width = index, width
        attributions.append(
            Attribution(
                source=draft.source,
                source_key=draft.source_key,
                source_name=draft.source_name or draft.source.text,
                named=draft.named,
                cue=draft.cue,
                content=draft.content,
                channel=draft.channel,
                date=draft.date,
                parent=parent,
                cue_lemma=draft.cue_lemma,
            )
        )
    return attributions


def _extend_to_informants(
    doc: Doc, attributions: list[Attribution], mentions: MentionIndex
) -> list[Attribution]:
    """Where the document says X relays an unnamed informant Y, X's reports pass through Y.

    Evidence that X relays Y: Y's statement nested in X's words, a relay cue ("X relayed the
    official's statement"), or contact ("X had directly communicated with the official").
    Then (a) Y's own top-level statements get X as an inferred relayer, and (b) X's reports of
    events (not X's own opinions) get an inferred inner link to Y.
    """
    informants: dict[str, tuple[str, int]] = {}  # informant key -> (relayer key, attribution)
    for attribution in attributions:
        parent = attribution.parent
        if parent is not None and not attribution.named and attribution.source_key:
            relayer = attributions[parent]
            if relayer.source_key:
                informants.setdefault(attribution.source_key, (relayer.source_key, parent))
    for relayer_key, informant_key, at in _contacts(doc, attributions, mentions):
        informants.setdefault(informant_key, (relayer_key, at))
    if not informants:
        return attributions
    relayers = {relayer: (informant, at) for informant, (relayer, at) in informants.items()}
    extended = list(attributions)
    for index, attribution in enumerate(attributions):
        key = attribution.source_key
        if attribution.parent is None and key in informants and not attribution.named:
            _, relay_at = informants[key]
            if relay_at != index:
                extended[index] = replace(attribution, parent=relay_at, inferred_parent=True)
    for index, attribution in enumerate(attributions):
        key = attribution.source_key
        if key not in relayers or _is_opinion_cue(attribution) or _has_child(extended, index):
            continue
        informant_key, _ = relayers[key]
        informant = mentions.name_of(informant_key)
        extended.append(
            Attribution(
                source=attribution.source,
                source_key=informant_key,
                source_name=informant,
                named=False,
                cue=attribution.cue,
                content=attribution.content,
                channel=None,
                date=None,
                parent=index,
                inferred_parent=True,
                cue_lemma=attribution.cue_lemma,
            )
        )
    return extended


def _contacts(doc: Doc, attributions: list[Attribution], mentions: MentionIndex) -> list[tuple[str, str, int]]:
    """(relayer, informant, attribution index) for 'X ... communicated/spoke with Y' in X's words."""
    found = []
    for index, attribution in enumerate(attributions):
        if not attribution.source_key:
            continue
        window = doc.char_span(attribution.content.start, attribution.content.end, alignment_mode="expand")
        if window is None:
            continue
        for token in window:
            if token.lemma_.lower() not in CONTACT_VERBS:
                continue
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("with", "to", "from"):
                    for obj in prep.children:
                        if obj.dep_ != "pobj":
                            continue
                        phrase = _np(obj)
                        described = mentions.description_for(phrase.start_char, phrase.end_char, phrase.text)
                        if described is not None and described[0] != attribution.source_key:
                            found.append((attribution.source_key, described[0], index))
    return found


def _is_opinion_cue(attribution: Attribution) -> bool:
    return attribution.cue_lemma in OPINION_CUES | PREDICTION_CUES or attribution.cue_lemma in STATEMENT_NOUNS & {
        "view", "judgment", "judgement", "belief", "opinion", "assessment", "prediction"
    }


def _has_child(attributions: list[Attribution], index: int) -> bool:
    return any(a.parent == index for a in attributions)
