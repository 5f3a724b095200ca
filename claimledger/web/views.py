"""Page-shaped data, shared by the HTML pages and the JSON API (which never disagree)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from claimledger.ledger import Store, views


@dataclass(slots=True)
class Segment:
    """A stretch of document text and what is marked on it (each value is a link target)."""

    text: str
    start: int
    marks: dict[str, Any] = field(default_factory=dict)


def segments(text: str, layers: dict[str, list[tuple[int, int, Any]]]) -> list[Segment]:
    """Cut `text` at every boundary of every marked span; each piece knows its marks."""
    cuts = {0, len(text)}
    for spans in layers.values():
        for start, end, _ in spans:
            cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    points = sorted(cuts)
    pieces = []
    for start, end in zip(points, points[1:], strict=False):
        if end <= start:
            continue
        marks = {}
        for name, spans in layers.items():
            for span_start, span_end, value in spans:
                if span_start <= start and end <= span_end:
                    marks[name] = value
        pieces.append(Segment(text[start:end], start, marks))
    return pieces


def document_view(store: Store, document_id: int) -> dict[str, Any]:
    """The document with its claims (and their groups), entities, figures, dates, sources and cues."""
    document = store.get_document(document_id)
    claims = store.list_claims(document_id)
    links = views.document_links(store, document_id)
    story_id, claim_groups, mention_rows, attribution_rows = links.story_id, links.claim_groups, links.mentions, links.attributions
    layers: dict[str, list[tuple[int, int, Any]]] = {
        "caption": [(r.start, r.end, True) for r in document.regions],
        "claim": [(c.span[0], c.span[1], {"id": c.id, "kind": c.kind, "group": claim_groups.get(c.id)}) for c in claims],
        "entity": [(m.start, m.end, {"id": m.entity_id, "kind": m.kind, "name": m.name}) for m in mention_rows],
        "figure": [(q["span"][0], q["span"][1], q) for c in claims for q in c.quantities],
        "date": [(d["span"][0], d["span"][1], d) for c in claims for d in c.dates],
        "source": [(a.source_start, a.source_end, a.source_name) for a in attribution_rows],
        "cue": [(a.cue_start, a.cue_end, a.cue_text) for a in attribution_rows],
    }
    return {"document": document, "story_id": story_id, "claims": claims, "claim_groups": claim_groups,
            "segments": segments(document.text, layers)}


def context_of(text: str, start: int, end: int, width: int = 220) -> tuple[str, str, str]:
    """The words around a span: before, the span itself, after (for side-by-side retellings)."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:start], text[start:end], text[end:right] + ("…" if right < len(text) else "")


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def text_language(text: str | None, known: str | None = None) -> str | None:
    """The language to mark a piece of article text with (so screen readers and fonts treat
    Chinese as Chinese on an English page): the stored one when known, else what its script
    says for Chinese, Japanese and Korean, else None (unmarked)."""
    if known and _LANGUAGE_CODE.match(known):
        return known
    if not text:
        return None
    sample = text[:400]
    if re.search(r"[\u3040-\u30ff]", sample):
        return "ja"
    if re.search(r"[\uac00-\ud7af]", sample):
        return "ko"
    han = len(re.findall(r"[\u4e00-\u9fff]", sample))
    letters = sum(1 for char in sample if char.isalpha())
    return "zh" if letters and han / letters >= 0.3 else None
