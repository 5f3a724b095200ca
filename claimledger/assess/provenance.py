"""Who relayed whom, and how many independent origins stand behind a claim group.

An origin is where a chain ends: a named person or an official body, by its entity (one
person in two scripts, or under a name a user merged, is one origin). Origins are counted so
that repetition is not confirmation:
- several outlets relaying one person (or one official body) are one origin, however many
  broadcasts or statements they quote: the key is the named source, not the channel;
- news agencies are relays, never origins: outlets carrying one agency's report are one
  account ("outlet -> AFP -> ..."), and what the agency itself attributes stays visible behind it;
- a near-copy or wire copy of another document counts as that document;
- an outlet's own unattributed statement restates the named source its document gives for the
  same claim, when it gives one (the headline or lead of a relayed report);
- reports that state a claim without naming any source (their own words, or an agency's) are
  "unattributed": they may all rest on one source, so together they count once, and not at all
  beside a named origin they may rest on;
- an unnamed source ("a senior official") behind a named relay belongs to that relay's origin
  (Hu Liren, relaying an unnamed official, is one origin); unnamed sources with no named relay
  are "unknown": listed, never counted as extra confirmations.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Literal

OriginKind = Literal["person", "body", "outlet", "unattributed", "unknown"]
UNATTRIBUTED = "unattributed"


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


@dataclass(frozen=True, slots=True)
class ReportNote:
    """How one report of a group stands to its origin: counted, or why not."""

    document_id: int
    claim_id: int
    outlet: str
    via: tuple[str, ...]  # the relays between the outlet and the origin (agencies, people)
    counted: bool  # the report that brought this origin into the count
    why: str  # "", "copy of document 4", "same AFP report as document 2", "also relays Hu Liren (document 1)", ...


@dataclass(slots=True)
class Origin:
    key: str
    name: str
    kind: OriginKind
    counted: bool  # False for unknown (unnamed) origins, and unattributed ones beside a named origin
    described_as: list[str] = field(default_factory=list)  # unnamed sources behind it
    outlets: list[str] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)
    claims: list[int] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    reports: list[ReportNote] = field(default_factory=list)
    note: str = ""  # why an origin is not counted


# (key, name, kind, the unnamed sources behind it): equal keys are one origin.
OriginRef = tuple[str, str, OriginKind, list[str]]


def _is_source(link: Link) -> bool:
    """A named person or body: agencies are relays, never origins."""
    return link.named and bool(link.key) and link.kind != "agency"


def origin_of(retelling: Retelling) -> OriginRef:
    """(key, name, kind, unnamed descriptions behind it) of one retelling's origin."""
    named = [link for link in retelling.chain if _is_source(link)]
    unnamed = [link.name for link in retelling.chain if not (link.named and link.key)]
    if named:
        innermost = named[-1]
        behind = [link.name for link in retelling.chain[retelling.chain.index(innermost) + 1 :] if not (link.named and link.key)]
        kind: OriginKind = "person" if innermost.kind == "person" else "outlet" if innermost.kind == "outlet" else "body"
        return f"source:{innermost.key}", innermost.name, kind, behind
    if unnamed:
        return f"unknown:{retelling.document_id}:{unnamed[-1].lower()}", unnamed[-1], "unknown", []
    if retelling.principal is not None and retelling.principal.key:
        kind = "person" if retelling.principal.kind == "person" else "body"
        return f"source:{retelling.principal.key}", retelling.principal.name, kind, []
    return UNATTRIBUTED, "stated without a named source", "unattributed", []


def relays_of(retelling: Retelling) -> tuple[str, ...]:
    """The relays between the outlet and the origin: agencies first, then named relays."""
    named = [link for link in retelling.chain if link.named and link.key]
    sources = [link for link in named if _is_source(link)]
    last = sources[-1] if sources else None
    return tuple(link.name for link in named if link is not last)


def with_principal_sources(retellings: list[Retelling]) -> list[Retelling]:
    """Own-voice retellings get the named source their document gives for the same claim."""
    named: dict[int, Counter[Link]] = {}
    for retelling in retellings:
        sources = [link for link in retelling.chain if _is_source(link)]
        if sources:
            named.setdefault(retelling.document_id, Counter())[sources[-1]] += 1
    result = []
    for retelling in retellings:
        own_voice = not any(_is_source(link) or not link.named for link in retelling.chain)
        if own_voice and retelling.document_id in named:
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
    """The group's origins, counted ones first, each with the outlets and documents behind it
    and, for each report, whether it counted and why not."""
    origins: dict[str, Origin] = {}
    retellings = with_principal_sources(retellings)
    for retelling, (key, name, kind, behind) in zip(retellings, resolved_origins(retellings), strict=True):
        origin = origins.setdefault(key, Origin(key, name, kind, counted=kind not in ("unknown", "unattributed")))
        for description in behind:
            if description not in origin.described_as:
                origin.described_as.append(description)
        origin.reports.append(_note(origin, retelling))
        _append_new(origin.outlets, retelling.outlet)
        _append_new(origin.documents, retelling.document_id)
        _append_new(origin.claims, retelling.claim_id)
        for link in retelling.chain:
            if link.channel:
                _append_new(origin.channels, link.channel)
    origins = _merge_same_sources(origins)
    named = [o for o in origins.values() if o.kind in ("person", "body", "outlet")]
    if (unattributed := origins.get(UNATTRIBUTED)) is not None:
        if named:
            unattributed.note = "not counted: these reports name no source and may rest on " + ", ".join(o.name for o in named)
        else:
            unattributed.counted = True
            unattributed.note = "counted once: reports that name no source may all rest on one"
    for origin in origins.values():
        if origin.kind == "unknown":
            origin.note = "not counted: an unnamed source is no confirmation"
    return sorted(origins.values(), key=lambda o: (not o.counted, -len(o.documents), o.name))


def _merge_same_sources(origins: dict[str, Origin]) -> dict[str, Origin]:
    """One source under a shorter and a longer name is one origin: "Investigative Committee"
    and "Russia's Investigative Committee", "Meng" and "Meng Hongwei"."""
    named = sorted((o for o in origins.values() if o.kind in ("person", "body", "outlet")), key=lambda o: (-len(_words(o.name)), o.key))
    for shorter in reversed(named):
        longer = next((o for o in named if o is not shorter and o.key in origins and _same_source(shorter, o)), None)
        if longer is None or shorter.key not in origins:
            continue
        for report in shorter.reports:
            longer.reports.append(replace(report, counted=False, why=f"also rests on {longer.name} (named {shorter.name})"))
        for items, more in ((longer.outlets, shorter.outlets), (longer.documents, shorter.documents),
                            (longer.claims, shorter.claims), (longer.channels, shorter.channels),
                            (longer.described_as, shorter.described_as)):
            for item in more:
                _append_new(items, item)
        del origins[shorter.key]
    return origins


def _same_source(shorter: Origin, longer: Origin) -> bool:
    a, b = _words(shorter.name), _words(longer.name)
    if not a or len(a) > len(b) or not a <= b:
        return False
    if shorter.kind == "person" and longer.kind == "person":
        return True  # a surname, or the name without a title
    return shorter.kind == longer.kind and shorter.kind in ("body", "outlet") and len(a) >= 2


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"\w+", name.lower().replace("'s", "")) if w not in ("the", "of", "s")}


def _note(origin: Origin, retelling: Retelling) -> ReportNote:
    """Why this report adds (or does not add) to the count, given the reports before it."""
    via = relays_of(retelling)
    first = not origin.reports
    if retelling.copy_of is not None and retelling.copy_of in origin.documents:
        why = f"copy of document {retelling.copy_of}"
    elif first:
        why = ""
    else:
        earlier = origin.reports[0]
        shared = [agency for agency in via if agency in earlier.via]
        if origin.kind == "unattributed":
            why = (f"same {shared[0]} report as document {earlier.document_id}" if shared
                   else f"names no source, like document {earlier.document_id}")
        elif shared:
            why = f"same {shared[0]} report as document {earlier.document_id}"
        elif earlier.document_id == retelling.document_id:
            why = "the same document again"
        else:
            why = f"also rests on {origin.name}, like document {earlier.document_id}"
    return ReportNote(retelling.document_id, retelling.claim_id, retelling.outlet, via, first and origin.kind not in ("unknown",), why)


def origin_json(origin: Origin) -> dict[str, Any]:
    """An origin as views, the API and the exports show it."""
    return {
        "name": origin.name,
        "kind": origin.kind,
        "counted": origin.counted,
        "note": origin.note,
        "relaying": origin.described_as,
        "outlets": origin.outlets,
        "doc_ids": origin.documents,
        "claim_ids": origin.claims,
        "channels": origin.channels,
        "reports": [
            {"doc_id": r.document_id, "claim_id": r.claim_id, "outlet": r.outlet, "via": list(r.via),
             "counted": origin.counted and r.counted, "why": r.why}
            for r in origin.reports
        ],
    }


def independent_count(origins: list[Origin]) -> int:
    return sum(1 for origin in origins if origin.counted)


def _append_new(items: list, item: object) -> None:  # type: ignore[type-arg]
    if item not in items:
        items.append(item)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    kind: str  # document, outlet, person, body, agency, unnamed, channel
    origin: bool = False
    independent: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str  # the relation: published, copies, relays, via (a channel), restates
    date: str | None = None
    cue: str | None = None  # how a relay was told: "revealed", "told", "according to"

    @property
    def shown(self) -> str:
        """The relation as a reader sees it: "relays (revealed)"."""
        return f"{self.label} ({self.cue})" if self.cue else self.label


def _unnamed_node(previous: str, document_id: int, name: str) -> str:
    """An unnamed source relayed by a named one is one node however many reports retell that
    relay ("a senior manager" who told Tomas Reyne); cited by an outlet directly, it is that
    report's own (two outlets' "a source" are not known to be one person)."""
    if previous.startswith("source:"):
        return f"unnamed:{previous}:{name.lower()}"
    return f"unnamed:{document_id}:{name.lower()}"


def provenance_graph(retellings: list[Retelling], titles: dict[int, str]) -> tuple[list[Node], list[Edge]]:
    """The relay graph: outlet -> document -> source -> ... -> origin, channels attached."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    retellings = with_principal_sources(retellings)
    resolved = resolved_origins(retellings)
    counted_unattributed = not any(origin[2] in ("person", "body", "outlet") for origin in resolved)
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
            node_id = f"source:{link.key}" if link.named and link.key else _unnamed_node(previous, retelling.document_id, link.name)
            if relayed_outlet and _plain_key(node_id) in outlet_nodes:
                # "Harbour Ledger reported": the relayed outlet is the outlet node, whose own report follows
                edges.append(Edge(previous, outlet_nodes[_plain_key(node_id)], "relays", link.date, link.cue or None))
                break
            is_origin = (node_id == key and not relayed_outlet) or (not link.named and key.startswith("unknown:") and link is retelling.chain[-1])
            node_kind = (link.kind if link.kind in ("person", "agency") else "body") if link.named and link.key else "unnamed"
            existing = nodes.get(node_id)
            nodes[node_id] = Node(node_id, link.name, node_kind, origin=is_origin or bool(existing and existing.origin),
                                  independent=(is_origin and kind != "unknown") or bool(existing and existing.independent))
            edges.append(Edge(previous, node_id, "relays", link.date, link.cue or None))
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
        elif key == UNATTRIBUTED:  # the outlet's (or its agency's) own account is where the chain ends
            end_id = previous if previous != document_id else outlet_id
            end = nodes[end_id]
            nodes[end_id] = Node(end_id, end.label, end.kind, origin=True, independent=counted_unattributed)
    unique_edges = list(dict.fromkeys(edges))
    return list(nodes.values()), unique_edges
