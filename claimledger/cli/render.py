"""How the commands print what the ledger returns: documents, claims, chains, traces, events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.tree import Tree

from claimledger.cli.app import stderr, stdout
from claimledger.model import readable_date

if TYPE_CHECKING:
    from claimledger.ledger import (
        ClaimRecord,
        ExtractReport,
        IngestEvent,
        RunReport,
        StoredDocument,
    )
    from claimledger.model import EventSignature


def print_limits(run: RunReport) -> None:
    for limit in run.limits:
        stderr.print(f"[yellow]limit[/yellow] {escape(limit)}")


def print_extract_failures(report: ExtractReport) -> None:
    for doc_id, message in report.failed:
        stderr.print(f"[red]failed[/red] document {doc_id}: {escape(message)}")


def event_json(event: IngestEvent) -> dict[str, Any]:
    return {
        "input": event.label,
        "status": event.status,
        "document_id": event.document_id,
        "duplicate_of": event.duplicate_of,
        "similarity": event.similarity,
        "error": None
        if event.error is None
        else {"code": event.error.code, "message": event.error.message},
    }


def signature_json(event: EventSignature | None) -> dict[str, Any] | None:
    if event is None:
        return None
    when = event.when
    return {"who": list(event.who), "what": list(event.what), "when": when.value if when else None,
            "when_source": when.source if when else None, "when_confidence": when.confidence if when else None,
            "missing": list(event.missing)}


def signature_line(event: EventSignature) -> str:
    """"who Bo Xilai; what sentenced; when 2013-09-22 (from the lead, 0.8)"; a day without its year
    or known only by its day of the week reads as such ("a Sunday (date unknown)")."""
    when = event.when
    parts = [
        f"who {', '.join(event.who)}" if event.who else "",
        f"what {', '.join(event.what)}" if event.what else "",
        f"when {readable_date(when.value) or when.value} (from the {when.source}, confidence {when.confidence:.1f})"
        if when else "",
    ]
    line = "; ".join(part for part in parts if part)
    missing = event.missing
    return line + (f"; not read: {', '.join(missing)} (placed in its story by the rest)" if missing else "")


def print_document(document: StoredDocument) -> None:
    published = (
        f"{document.published.isoformat()} (from {document.published_source},"
        f" confidence {document.published_confidence:.1f})"
        if document.published
        else "unknown"
    )
    rows = [
        ("title", document.title or ""),
        ("outlet", f"{document.outlet or 'unknown'} (from {document.outlet_source})"),
        ("byline", document.byline or ""),
        ("published", published),
        ("language", document.language or "unknown"),
        ("source", f"{document.source_kind}: {document.source}"),
        ("url", document.url or ""),
        ("words", str(document.words)),
        ("ingested", f"{document.ingested_at:%Y-%m-%d %H:%M} by {document.stage_version}"),
    ]
    if document.repairs:
        rows.append(("repaired", "; ".join(document.repairs)))
    stdout.print(f"[bold]Document {document.id}[/bold]")
    for name, value in rows:
        if value:
            stdout.print(f"  [dim]{name:>10}[/dim]  {escape(value)}")
    stdout.print()
    for start, end, is_caption in _segments(document):
        chunk = escape(document.text[start:end])
        stdout.print(
            f"[dim italic]{escape('[caption]')} {chunk}[/dim italic]" if is_caption else chunk, end=""
        )
    stdout.print("\n")
    for sighting in document.sightings[1:]:
        stdout.print(f"  also seen at {escape(sighting.location)} ({sighting.kind})")
    for near in document.near_duplicates:
        stdout.print(
            f"  near-duplicate of document {near.document_id}: similarity {near.similarity:.2f}"
            f" ({near.method})"
        )


def _segments(document: StoredDocument) -> list[tuple[int, int, bool]]:
    segments, position = [], 0
    for region in sorted(document.regions, key=lambda region: region.start):
        if region.start > position:
            segments.append((position, region.start, False))
        segments.append((region.start, region.end, True))
        position = region.end
    if position < len(document.text):
        segments.append((position, len(document.text), False))
    return segments


def print_claim(record: ClaimRecord, group_id: int | None = None) -> None:
    hedge = f" [yellow]hedged ({', '.join(record.hedges)})[/yellow]" if record.hedged else ""
    group = f" [dim]group {group_id}[/dim]" if group_id is not None else ""
    stdout.print(f"[bold]#{record.id}[/bold] doc {record.doc_id} [cyan]{record.kind}[/cyan]{hedge}{group}")
    stdout.print(f"  {escape(record.text)}")
    stdout.print("  " + escape(format_chain(record)))
    for quantity in record.quantities:
        low = "open" if quantity["low"] is None else f"{quantity['low']:,.0f}"
        high = "open" if quantity["high"] is None else f"{quantity['high']:,.0f}"
        stdout.print(f"  [dim]figure[/dim] {escape(quantity['text'])}: {low} to {high}")
    for date in record.dates:
        stdout.print(f"  [dim]date[/dim] {escape(date['text'])}: {date['value']}")


def format_chain(record: ClaimRecord) -> str:
    """"Outlet -> Hu Li-ren (revealed, on a YouTube live broadcast, 2026-01-28) -> ..."."""
    parts = []
    for link in record.chain:
        details = [d for d in ("inferred" if link.inferred else None, link.cue, link.channel, link.date) if d]
        parts.append(f"{link.name} ({', '.join(details)})" if details else link.name)
    return " -> ".join(parts)


def most_common(counts: dict[str, int], limit: int = 8) -> str:
    items = list(counts.items())
    shown = ", ".join(f"{name} {count}" for name, count in items[:limit])
    return shown + (f", and {len(items) - limit} more" if len(items) > limit else "") or "none"


def date_range(first: str | None, last: str | None) -> str:
    return f"{first} to {last}" if first and last and first != last else (first or "undated")


def worth_text(worthiness: float | None) -> str:
    """How worth checking, for a table: two decimals, or a dash before `link` has scored it."""
    return "-" if worthiness is None else f"{worthiness:.2f}"


STATUS_STYLE = {"corroborated": "green", "confirmed": "bold green", "single-origin": "yellow",
                 "unverified": "dim", "disputed": "red", "refuted": "bold red"}


def marked(parts: list[tuple[str, bool]]) -> str:
    return "".join(f"[bold yellow]{escape(text)}[/bold yellow]" if is_match else escape(text) for text, is_match in parts).replace("\n", " ")


def print_trace(found: Any) -> None:
    group = found.group
    style = STATUS_STYLE.get(group.status, "")
    stdout.print(f"[bold]Claim group {group.id}[/bold]: {escape(group.text)}")
    stdout.print(f"status [{style}]{group.status}[/{style}], grade {group.grade}, "
                 f"{group.independent_origins} independent origin(s)")
    for reason in group.reasons:
        stdout.print(f"  · {escape(reason)}")
    stdout.print("[bold]origins[/bold]")
    for origin in group.origins:
        state = "counted" if origin["counted"] else "not counted"
        stdout.print(f"  {escape(origin['name'])} [dim]({origin['kind']}, {state})[/dim]" + (f": {escape(origin['note'])}" if origin["note"] else ""))
        for report in origin["reports"]:
            via = f" → {' → '.join(report['via'])}" if report["via"] else ""
            why = "counted" if report["counted"] else (f"not counted again: {report['why']}" if report["why"] else "not counted")
            stdout.print(f"    document {report['doc_id']} ({escape(report['outlet'])}{escape(via)}): {escape(why)}")
    nodes = {node.id: node for node in found.nodes}
    children: dict[str, list[Any]] = {}
    for edge in found.edges:
        children.setdefault(edge.source, []).append(edge)
    targets = {edge.target for edge in found.edges}
    tree = Tree("[bold]relays[/bold]")
    shown: set[str] = set()
    for root in [n for n in found.nodes if n.id not in targets]:
        _add_branch(tree, root, nodes, children, shown)
    stdout.print(tree)
    stdout.print("[bold]retellings[/bold]")
    for claim in found.claims:
        stdout.print(f"  doc {claim['doc_id']} [{claim['span'][0]}:{claim['span'][1]}] {escape(claim['text'])}")
    for conflict in group.conflicts:
        stdout.print(f"[red]conflict #{conflict['id']}[/red] ({conflict['kind']}): {escape(conflict['detail'])}"
                     f" [dim](claims {conflict['claim_a']} and {conflict['claim_b']}; claimledger dismiss {conflict['id']} --note ...)[/dim]")
    if group.history:
        stdout.print("[bold]history[/bold]")
        for entry in group.history:
            stdout.print(f"  {entry['at'][:19]}  {entry['status']} {entry['grade']} ({entry['independent_origins']} origin(s))")
    for item in group.evidence:
        stdout.print(f"  evidence #{item['id']} {item['stance']}: {escape(item['note'])} {escape(item['url'] or '')}")


def _add_branch(parent: Any, node: Any, nodes: dict[str, Any], children: dict[str, list[Any]], seen: set[str]) -> None:
    marks = {"outlet": "📰 ", "document": "📄 ", "person": "👤 ", "body": "🏛 ", "unnamed": "❔ ", "channel": "📺 "}
    label = f"{marks.get(node.kind, '')}{escape(node.label)}"
    if node.origin:
        label += " [bold magenta](origin" + (", independent" if node.independent else ", not counted") + ")[/bold magenta]"
    if node.id in seen:  # a graph, not a tree: each source's own relays are shown once
        parent.add(label + (" [dim](relays shown above)[/dim]" if children.get(node.id) else ""))
        return
    branch = parent.add(label)
    seen.add(node.id)
    for edge in children.get(node.id, []):
        detail = escape(edge.shown) + (f", {escape(edge.date)}" if edge.date else "")
        child = nodes[edge.target]
        _add_branch(branch.add(f"[dim]{detail}[/dim]") if edge.label not in ("published",) else branch, child, nodes, children, seen)
