"""Who relayed whom, and how many independent origins stand behind a claim group.

An origin is where a chain ends: a named person, an official body, or an unnamed source kept
as its description. Origins are counted so that repetition is not confirmation:
- several outlets relaying one person (or one official body) are one origin, however many
  broadcasts or statements they quote: the key is the named source, not the channel;
- a near-copy or wire copy of another document counts as that document;
- an outlet's own unattributed statement is the outlet's origin, unless the same document
  attributes the same claim to a named source elsewhere: then the statement restates what that
  source said (the headline or lead of a relayed report), and its origin is that source;
- an unnamed source ("a senior official") behind a named relay belongs to that relay's origin
  (Hu Liren, relaying an unnamed official, is one origin); unnamed sources with no named relay
  are "unknown": listed, never counted as extra confirmations.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

OriginKind = Literal["person", "body", "outlet", "unknown"]


@dataclass(frozen=True, slots=True)
class Link:
    """One step of a chain, from the outlet inward (the outlet itself is not a Link)."""

    name: str
    key: str | None  # the entity key for named sources; None for unnamed ones
    kind: str | None  # person, org, place, or None
    named: bool
    cue: str | None = None
    channel: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Retelling:
    """One claim of a group as one document tells it."""

    claim_id: int
    document_id: int
    outlet: str
    published: str | None
    chain: tuple[Link, ...]
    copy_of: int | None = None  # the document this one copies (near-duplicate), if any
    copy_outlet: str | None = None
    principal: Link | None = None  # the named source this document gives for the same claim


@dataclass(slots=True)
class Origin:
    key: str
    name: str
    kind: OriginKind
    counted: bool  # False for unknown (unnamed) origins
    described_as: list[str] = field(default_factory=list)  # unnamed sources behind it
    outlets: list[str] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)
    claims: list[int] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)


# (key, name, kind, the unnamed sources behind it): equal keys are one origin.
OriginRef = tuple[str, str, OriginKind, list[str]]


def origin_of(retelling: Retelling) -> OriginRef:
    """(key, name, kind, unnamed descriptions behind it) of one retelling's origin."""
    named = [link for link in retelling.chain if link.named and link.key]
    unnamed = [link.name for link in retelling.chain if not (link.named and link.key)]
    if named:
        innermost = named[-1]
        behind = [link.name for link in retelling.chain[retelling.chain.index(innermost) + 1 :] if not (link.named and link.key)]
        kind: OriginKind = "person" if innermost.kind == "person" else "body"
        return f"source:{innermost.key}", innermost.name, kind, behind
    if unnamed:
        return f"unknown:{retelling.document_id}:{unnamed[-1].lower()}", unnamed[-1], "unknown", []
    if retelling.principal is not None and retelling.principal.key:
        kind = "person" if retelling.principal.kind == "person" else "body"
        return f"source:{retelling.principal.key}", retelling.principal.name, kind, []
    if retelling.copy_of is not None and retelling.copy_outlet:  # a copy speaks with its original's voice
        return f"outlet:{retelling.copy_outlet.lower()}", retelling.copy_outlet, "outlet", []
    return f"outlet:{retelling.outlet.lower()}", retelling.outlet, "outlet", []


def with_principal_sources(retellings: list[Retelling]) -> list[Retelling]:
    """Own-voice retellings get the named source their document gives for the same claim."""
    named: dict[int, Counter[Link]] = {}
    for retelling in retellings:
        sources = [link for link in retelling.chain if link.named and link.key]
        if sources:
            named.setdefault(retelling.document_id, Counter())[sources[-1]] += 1
    result = []
    for retelling in retellings:
        if not retelling.chain and retelling.document_id in named:
            retelling = replace(retelling, principal=named[retelling.document_id].most_common(1)[0][0])
        result.append(retelling)
    return result


def resolved_origins(retellings: list[Retelling]) -> list[OriginRef]:
    """Each retelling's origin, following a relay through an outlet whose own report is in the
    group ("Northern Observer: Harbour Ledger reported ..." ends where Harbour Ledger's does)."""
    direct = [origin_of(r) for r in retellings]
    by_outlet: dict[str, OriginRef] = {}
    for retelling, origin in zip(retellings, direct, strict=True):
        if not origin[0].startswith(f"source:{retelling.outlet.lower()}"):
            by_outlet.setdefault(f"source:{_plain(retelling.outlet)}", origin)
    return [by_outlet.get(_plain_key(origin[0]), origin) for origin in direct]


def _plain(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower().removeprefix("the ")).split())


def _plain_key(key: str) -> str:
    return "source:" + _plain(key.removeprefix("source:")) if key.startswith("source:") else key


def origins_of(retellings: list[Retelling]) -> list[Origin]:
    """The group's origins, counted ones first, each with the outlets and documents behind it."""
    origins: dict[str, Origin] = {}
    retellings = with_principal_sources(retellings)
    for retelling, (key, name, kind, behind) in zip(retellings, resolved_origins(retellings), strict=True):
        origin = origins.setdefault(key, Origin(key, name, kind, counted=kind != "unknown"))
        for description in behind:
            if description not in origin.described_as:
                origin.described_as.append(description)
        _append_new(origin.outlets, retelling.outlet)
        _append_new(origin.documents, retelling.document_id)
        _append_new(origin.claims, retelling.claim_id)
        for link in retelling.chain:
            if link.channel:
                _append_new(origin.channels, link.channel)
    return sorted(origins.values(), key=lambda o: (not o.counted, -len(o.documents), o.name))


def independent_count(origins: list[Origin]) -> int:
    return sum(1 for origin in origins if origin.counted)


def _append_new(items: list, item: object) -> None:  # type: ignore[type-arg]
    if item not in items:
        items.append(item)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    kind: str  # document, outlet, person, body, unnamed, channel
    origin: bool = False
    independent: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str  # published, reports, relays (with the cue), via (a channel)
    date: str | None = None


def provenance_graph(retellings: list[Retelling], titles: dict[int, str]) -> tuple[list[Node], list[Edge]]:
    """The relay graph: outlet -> document -> source -> ... -> origin, channels attached."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    retellings = with_principal_sources(retellings)
    resolved = resolved_origins(retellings)
    for index, retelling in enumerate(retellings):
        outlet_id = f"outlet:{retelling.outlet.lower()}"
        document_id = f"doc:{retelling.document_id}"
        nodes.setdefault(outlet_id, Node(outlet_id, retelling.outlet, "outlet"))
        nodes.setdefault(document_id, Node(document_id, titles.get(retelling.document_id, f"document {retelling.document_id}"), "document"))
        edges.append(Edge(outlet_id, document_id, "published", retelling.published))
        if retelling.copy_of is not None:
            edges.append(Edge(document_id, f"doc:{retelling.copy_of}", "copies"))
        previous = document_id
        key, _, kind, _ = origin_of(retelling)
        relayed_outlet = key.startswith("source:") and _plain_key(key) != resolved[index][0]
        outlet_nodes = {_plain_key(f"source:{r.outlet}"): f"outlet:{r.outlet.lower()}" for r in retellings}
        for link in retelling.chain:
            node_id = f"source:{link.key}" if link.named and link.key else f"unnamed:{retelling.document_id}:{link.name.lower()}"
            if relayed_outlet and _plain_key(node_id) in outlet_nodes:
                # "Harbour Ledger reported": the relayed outlet is the outlet node, whose own report follows
                edges.append(Edge(previous, outlet_nodes[_plain_key(node_id)], f"relays ({link.cue})" if link.cue else "relays", link.date))
                break
            is_origin = (node_id == key and not relayed_outlet) or (not link.named and key.startswith("unknown:") and link is retelling.chain[-1])
            node_kind = ("person" if link.kind == "person" else "body") if link.named and link.key else "unnamed"
            existing = nodes.get(node_id)
            nodes[node_id] = Node(node_id, link.name, node_kind, origin=is_origin or bool(existing and existing.origin),
                                  independent=(is_origin and kind != "unknown") or bool(existing and existing.independent))
            edges.append(Edge(previous, node_id, f"relays ({link.cue})" if link.cue else "relays", link.date))
            if link.channel:
                channel_id = f"channel:{link.channel.lower()}"
                nodes.setdefault(channel_id, Node(channel_id, link.channel, "channel"))
                edges.append(Edge(node_id, channel_id, "via", link.date))
            previous = node_id
        if not retelling.chain and retelling.principal is not None and retelling.principal.key:
            node_id = f"source:{retelling.principal.key}"
            node_kind = "person" if retelling.principal.kind == "person" else "body"
            nodes[node_id] = Node(node_id, retelling.principal.name, node_kind, origin=True, independent=True)
            edges.append(Edge(document_id, node_id, "restates"))
        elif not retelling.chain and key.startswith("outlet"):
            nodes[outlet_id] = Node(outlet_id, retelling.outlet, "outlet", origin=True, independent=True)
    unique_edges = list(dict.fromkeys(edges))
    return list(nodes.values()), unique_edges
