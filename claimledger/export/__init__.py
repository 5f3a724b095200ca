"""Exports of the ledger: JSON, schema.org ClaimReview, CSV, GraphML.

ClaimReview is what fact-checkers publish and search engines read; GraphML opens in Gephi,
yEd and networkx with the relay graph of every claim group.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import orjson

from claimledger.ledger.views import GroupRecord, Trace, as_json

FORMATS = ("json", "claimreview", "csv", "graphml")
# Admiralty credibility digit -> ClaimReview rating (5 best, 1 worst) and its words.
_RATING = {
    "1": (5, "Confirmed"), "2": (4, "Probably true"), "3": (3, "Possibly true"),
    "4": (2, "Doubtful"), "5": (1, "Improbable"), "6": (3, "Cannot be judged"),
}


def to_json(groups: list[GroupRecord], stories: list[Any]) -> str:
    """The whole ledger, indented (orjson: a store of 10,000 documents in seconds, not a minute)."""
    ledger = {"stories": [as_json(s) for s in stories], "groups": [as_json(g) for g in groups]}
    return orjson.dumps(ledger, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")


def to_claimreview(groups: list[GroupRecord], dates: dict[int, str | None]) -> str:
    """One schema.org ClaimReview per group; the review is claimledger's assessment."""
    reviews = []
    for group in groups:
        value, words = _RATING[group.grade[-1]]
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": group.text,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": f"{group.status}, {words} ({group.grade})",
                "ratingExplanation": " ".join(group.reasons),
            },
            "itemReviewed": {
                "@type": "Claim",
                "appearance": [{"@type": "CreativeWork", "identifier": f"claimledger:document:{d}"} for d in group.doc_ids],
                "author": [{"@type": "Person" if o["kind"] == "person" else "Organization", "name": o["name"]}
                           for o in group.origins if o["counted"]],
            },
            "author": {"@type": "Organization", "name": "claimledger"},
        }
        if dates.get(group.id):
            review["itemReviewed"]["datePublished"] = dates[group.id]
        reviews.append(review)
    return json.dumps(reviews, ensure_ascii=False, indent=2)


def to_csv(groups: list[GroupRecord]) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["group_id", "story_id", "text", "status", "grade", "independent_origins", "origins",
                     "conflicts", "doc_ids", "claim_ids", "reasons"])
    for g in groups:
        writer.writerow([
            g.id, g.story_id, g.text, g.status, g.grade, g.independent_origins,
            "; ".join(o["name"] for o in g.origins), len(g.conflicts),
            " ".join(map(str, g.doc_ids)), " ".join(map(str, g.claim_ids)), " | ".join(g.reasons),
        ])
    return output.getvalue()


def to_graphml(traces: list[Trace]) -> str:
    """All groups' relay graphs in one GraphML file; node ids are shared, so a person who is
    the origin of several groups is one node."""
    nodes: dict[str, Any] = {}
    edges = []
    for trace in traces:
        for node in trace.nodes:
            if node.id not in nodes or node.origin:
                nodes[node.id] = node
        for edge in trace.edges:
            edges.append((trace.group.id, edge))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
        '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
        '  <key id="origin" for="node" attr.name="origin" attr.type="boolean"/>',
        '  <key id="independent" for="node" attr.name="independent" attr.type="boolean"/>',
        '  <key id="relation" for="edge" attr.name="relation" attr.type="string"/>',
        '  <key id="date" for="edge" attr.name="date" attr.type="string"/>',
        '  <key id="group" for="edge" attr.name="group" attr.type="int"/>',
        '  <graph id="claimledger" edgedefault="directed">',
    ]
    for node in nodes.values():
        lines.append(
            f"    <node id={quoteattr(node.id)}><data key=\"label\">{escape(node.label)}</data>"
            f"<data key=\"kind\">{node.kind}</data><data key=\"origin\">{str(node.origin).lower()}</data>"
            f"<data key=\"independent\">{str(node.independent).lower()}</data></node>"
        )
    for index, (group_id, edge) in enumerate(edges):
        date = f"<data key=\"date\">{escape(edge.date)}</data>" if edge.date else ""
        lines.append(
            f"    <edge id=\"e{index}\" source={quoteattr(edge.source)} target={quoteattr(edge.target)}>"
            f"<data key=\"relation\">{escape(edge.label)}</data>{date}<data key=\"group\">{group_id}</data></edge>"
        )
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"
