"""Exports of the ledger: JSON, schema.org ClaimReview, CSV, GraphML.

ClaimReview is what fact-checkers publish and search engines read; GraphML opens in Gephi,
yEd and networkx with the relay graph of every claim group.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import orjson

from claimledger.ledger.views import GroupRecord, Trace, as_json

FORMATS = ("json", "claimreview", "csv", "graphml")
# Admiralty credibility digit -> ClaimReview rating (5 best, 1 worst) and its words.
_RATING = {
    "1": (5, "Confirmed"), "2": (4, "Probably true"), "3": (3, "Possibly true"),
    "4": (2, "Doubtful"), "5": (1, "Improbable"), "6": (3, "Cannot be judged"),
}


def to_json(groups: list[GroupRecord], stories: list[Any], documents: list[Any], claims: list[Any], entities: list[Any],
            version: str, exported_at: str) -> str:
    """The ledger, indented: what made it and when, its stories and claim groups, and the
    documents, claims and entities they rest on (orjson: 10,000 documents in seconds)."""
    ledger = {
        "claimledger": version,
        "exported_at": exported_at,
        "stories": [as_json(s) for s in stories],
        "groups": [as_json(g) for g in groups],
        "documents": [as_json(d) for d in documents],
        "claims": [as_json(c) for c in claims],
        "entities": [as_json(e) for e in entities],
    }
    return orjson.dumps(ledger, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")


@dataclass(frozen=True, slots=True)
class Appearance:
    """Where a claim appeared: one report, as a ClaimReview's `appearance` and a CSV row name it."""

    document_id: int
    url: str | None
    outlet: str | None
    published: str | None  # ISO date
    language: str | None


def to_claimreview(groups: list[GroupRecord], appearances: dict[int, Appearance], base_url: str | None,
                   today: str) -> str:
    """One schema.org ClaimReview per group, in the form Google's fact-check markup asks for
    (a `url` per review needs `base_url`, where the ledger's pages are served). The rating is
    claimledger's automated assessment, and says that no person has reviewed it."""
    reviews = []
    for group in groups:
        value, words = _RATING[group.grade[-1]]
        seen = [appearances[d] for d in group.doc_ids if d in appearances]
        dated = sorted((a for a in seen if a.published), key=lambda a: a.published or "")
        claim: dict[str, Any] = {
            "@type": "Claim",
            "appearance": [_creative_work(a) for a in seen],
            "author": [{"@type": "Person" if o["kind"] == "person" else "Organization", "name": o["name"]}
                       for o in group.origins if o["counted"]],
        }
        if dated:
            claim["firstAppearance"] = _creative_work(dated[0])
            claim["datePublished"] = dated[0].published
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": group.text,
            "datePublished": group.history[-1]["at"][:10] if group.history else today,
            "inLanguage": "en",
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": f"Unreviewed automated assessment: {group.status}, {words} ({group.grade})",
                "ratingExplanation": " ".join(group.reasons),
            },
            "itemReviewed": claim,
            "author": {"@type": "Organization", "name": "claimledger (automated; not reviewed by a person)"},
        }
        if base_url:
            review["url"] = f"{base_url.rstrip('/')}/groups/{group.id}"
        reviews.append(review)
    return json.dumps(reviews, ensure_ascii=False, indent=2)


def _creative_work(appearance: Appearance) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if appearance.url:
        work["url"] = appearance.url
    else:
        work["identifier"] = f"claimledger:document:{appearance.document_id}"
    if appearance.outlet:
        work["publisher"] = {"@type": "Organization", "name": appearance.outlet}
    if appearance.published:
        work["datePublished"] = appearance.published
    if appearance.language:
        work["inLanguage"] = appearance.language
    return work


CSV_COLUMNS = ["group_id", "story_id", "text", "worthiness", "status", "grade", "independent_origins", "origins",
               "conflicts", "first_published", "last_published", "outlets", "urls", "languages", "doc_ids",
               "claim_ids", "reasons"]


def to_csv(groups: list[GroupRecord], appearances: dict[int, Appearance]) -> str:
    """One row per group, with its reports' dates, outlets and URLs (several values in a cell
    are separated by " | ")."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for g in groups:
        seen = [appearances[d] for d in g.doc_ids if d in appearances]
        days = sorted(a.published for a in seen if a.published)
        writer.writerow([
            g.id, g.story_id, g.text, "" if g.worthiness is None else f"{g.worthiness:.3f}", g.status, g.grade,
            g.independent_origins, " | ".join(o["name"] for o in g.origins), len(g.conflicts),
            days[0] if days else "", days[-1] if days else "",
            " | ".join(dict.fromkeys(a.outlet for a in seen if a.outlet)), " | ".join(a.url for a in seen if a.url),
            " | ".join(dict.fromkeys(a.language for a in seen if a.language)),
            " ".join(map(str, g.doc_ids)), " ".join(map(str, g.claim_ids)), " | ".join(g.reasons),
        ])
    return output.getvalue()


def to_graphml(traces: list[Trace]) -> str:
    """All groups' relay graphs as one GraphML graph, written by networkx: one node per source
    (a person who is the origin of several groups is one node, which says in which groups it
    is an origin), one edge per pair with one relation vocabulary (published, copies, relays,
    via, restates; the cues and groups as their own attributes), no edge from a node to itself."""
    import networkx as nx

    graph = nx.DiGraph(name="claimledger")
    for trace in traces:
        group = str(trace.group.id)
        for node in trace.nodes:
            attributes = graph.nodes[node.id] if node.id in graph else None
            if attributes is None:
                graph.add_node(node.id, label=node.label, kind=node.kind, origin_in="", independent_in="")
                attributes = graph.nodes[node.id]
            if node.origin:
                attributes["origin_in"] = _joined(attributes["origin_in"], group)
            if node.independent:
                attributes["independent_in"] = _joined(attributes["independent_in"], group)
        for edge in trace.edges:
            if edge.source == edge.target or edge.source not in graph or edge.target not in graph:
                continue
            if graph.has_edge(edge.source, edge.target):
                attributes = graph.edges[edge.source, edge.target]
                attributes["groups"] = _joined(attributes["groups"], group)
                attributes["cues"] = _joined(attributes["cues"], edge.cue or "")
                attributes["dates"] = _joined(attributes["dates"], edge.date or "")
            else:
                graph.add_edge(edge.source, edge.target, relation=edge.label, cues=edge.cue or "", dates=edge.date or "",
                               groups=group)
    output = io.BytesIO()
    nx.write_graphml(graph, output, encoding="utf-8")
    return output.getvalue().decode("utf-8")


def _joined(values: str, value: str) -> str:
    """A space-free list in one attribute ("3 | 7"), each value once."""
    items = [v for v in values.split(" | ") if v]
    return " | ".join(items + [value]) if value and value not in items else " | ".join(items)
