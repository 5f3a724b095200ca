"""Commands that read the ledger: documents, claims, entities, stories, threads, groups, search,
traces, checkpoints, exports and the store's figures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import click
from rich.markup import escape
from rich.table import Table

from claimledger import __version__
from claimledger.cli.app import (
    FORMATS,
    cli,
    exports,
    json_option,
    ledger,
    open_store,
    parse_published,
    stderr,
    stdout,
    to_json,
    translate_errors,
    views,
)
from claimledger.cli.render import (
    STATUS_STYLE,
    date_range,
    marked,
    most_common,
    print_claim,
    print_document,
    print_trace,
    signature_json,
    signature_line,
    worth_text,
)
from claimledger.errors import (
    GroupNotFound,
    StoryNotFound,
    ThreadNotFound,
)
from claimledger.model import GroupStatus
from claimledger.urls import http_url

if TYPE_CHECKING:
    from claimledger.ledger import Store


@cli.command()
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most N documents.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip the first N documents.")
@json_option
@click.pass_context
@translate_errors
def docs(context: click.Context, limit: int | None, offset: int, as_json: bool) -> None:
    """List the stored documents."""
    with open_store(context) as store:
        documents = store.list_documents(limit=limit, offset=offset)
    if as_json:
        click.echo(to_json(documents))
        return
    if not documents:
        stdout.print("No documents yet: add some with `claimledger ingest PATH|URL`.")
        return
    table = Table(show_lines=False, expand=False)
    for column in ("id", "published", "outlet", "lang", "words", "title", "copy of"):
        table.add_column(column, overflow="fold")
    for document in documents:
        table.add_row(
            str(document.id),
            document.published.isoformat() if document.published else "",
            escape(document.outlet or ""),
            document.language or "",
            str(document.words),
            escape(document.title or ""),
            str(document.duplicate_of or ""),
        )
    stdout.print(table)


@cli.command()
@click.argument("document_id", type=int)
@json_option
@click.pass_context
@translate_errors
def show(context: click.Context, document_id: int, as_json: bool) -> None:
    """Show one document: its metadata, its text with captions marked, its copies, its story,
    and its claims as chains with the claim group each belongs to."""
    with open_store(context) as store:
        document = store.get_document(document_id)
        document_claims = store.list_claims(document_id)
        links = views.document_links(store, document_id)
    story_id, claim_groups, event = links.story_id, links.claim_groups, links.event
    if as_json:
        click.echo(to_json({**asdict(document), "story_id": story_id, "event": signature_json(event), "claims": [
            {**asdict(record), "group_id": claim_groups.get(record.id)} for record in document_claims
        ]}))
        return
    print_document(document)
    if event is not None:
        stdout.print("[bold]Event[/bold] " + escape(signature_line(event)))
    if story_id is not None:
        stdout.print(f"[bold]Story[/bold] {story_id} (claimledger groups --story {story_id})")
    if document_claims:
        stdout.print(f"[bold]Claims ({len(document_claims)})[/bold]")
        for record in document_claims:
            print_claim(record, claim_groups.get(record.id))


@cli.command()
@click.option("--doc", "document_id", type=int, default=None, help="Only the claims of this document.")
@click.option("--kind", type=click.Choice(["event", "statistic", "prediction", "opinion", "quote"]), help="Only claims of this kind.")
@json_option
@click.pass_context
@translate_errors
def claims(context: click.Context, document_id: int | None, kind: str | None, as_json: bool) -> None:
    """List the extracted claims, each with its chain from the outlet to the origin."""
    with open_store(context) as store:
        if document_id is not None:
            store.get_document(document_id)
        records = [c for c in store.list_claims(document_id) if kind is None or c.kind == kind]
    if as_json:
        click.echo(to_json(records))
        return
    if not records:
        stdout.print("No claims yet: ingest documents, or run `claimledger extract`.")
        return
    for record in records:
        print_claim(record)


@cli.command()
@json_option
@click.pass_context
@translate_errors
def entities(context: click.Context, as_json: bool) -> None:
    """List the people, organisations and places, with every spelling seen of each."""
    with open_store(context) as store:
        records = store.list_entities()
    if as_json:
        click.echo(to_json([
            {"id": r.id, "name": r.name, "kind": r.kind, "aliases": r.aliases, "mentions": r.mentions}
            for r in records
        ]))
        return
    table = Table()
    for column in ("id", "name", "kind", "mentions", "aliases"):
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(str(record.id), escape(record.name), record.kind, str(record.mentions), escape(", ".join(record.aliases)))
    stdout.print(table)


@cli.command()
@json_option
@click.pass_context
@translate_errors
def stats(context: click.Context, as_json: bool) -> None:
    """Count what the store holds."""
    with open_store(context) as store:
        figures = store.stats()
        waiting = ledger.backlog(store)
    figures["waiting"] = {
        "to_extract": waiting.to_extract, "to_place_in_stories": waiting.to_place, "to_group": waiting.to_group,
        "stories_to_check_for_conflicts": waiting.conflicts, "groups_to_assess": waiting.to_assess,
    }
    if as_json:
        click.echo(to_json(figures))
        return
    stdout.print(f"[bold]{figures['documents']}[/bold] documents, {figures['words']:,} words")
    stdout.print(f"  near-duplicates: {figures['near_duplicates']}")
    stdout.print(f"  places seen:     {figures['sources_seen']}")
    if figures["first_published"]:
        stdout.print(f"  published:       {figures['first_published']} to {figures['last_published']}")
    stdout.print("  languages:       " + most_common(figures["languages"]))
    stdout.print("  outlets:         " + escape(most_common(figures["outlets"])))
    for line in ledger.describe_backlog(waiting):
        stdout.print(f"[yellow]{line}[/yellow]")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
@translate_errors
def backup(context: click.Context, path: Path, as_json: bool) -> None:
    """Copy the store to PATH, a new file, while it may be in use.

    The copy is one consistent state of the ledger even while an ingest or the web app writes
    (SQLite's online backup API), and it is checked before it is put in place. Open it with
    `--db PATH`, or restore it by copying it over the store while nothing runs. For a
    PostgreSQL store use `pg_dump --format=custom --file PATH URL`.
    """
    with open_store(context) as store:
        size = store.backup(path)
        documents = store.stats()["documents"]
    if as_json:
        click.echo(to_json({"path": str(path), "bytes": size, "documents": documents, "integrity": "ok"}))
        return
    stdout.print(f"backed up {documents} documents to {escape(str(path))} ({size / 1e6:.1f} MB, integrity checked)")


@cli.command()
@click.option("--thread", "thread_id", type=int, default=None, help="Only the stories of this thread.")
@json_option
@click.pass_context
@translate_errors
def stories(context: click.Context, thread_id: int | None, as_json: bool) -> None:
    """List the stories: documents grouped by the real-world event they report, each in the
    thread of its affair."""
    with open_store(context) as store:
        if thread_id is not None and views.thread_record(store, thread_id) is None:
            raise ThreadNotFound(f"thread {thread_id} does not exist")
        records = views.story_records(store, thread_id)
    if as_json:
        click.echo(to_json([
            {"id": r.id, "title": r.title, "doc_ids": r.doc_ids, "first_date": r.first_date, "last_date": r.last_date,
             "groups": r.groups, "thread_id": r.thread_id}
            for r in records
        ]))
        return
    if not records:
        stdout.print("No stories yet: ingest documents, or run `claimledger link`.")
        return
    table = Table("id", "thread", "title", "documents", "claim groups", "dates")
    for r in records:
        table.add_row(str(r.id), str(r.thread_id or ""), escape(r.title), str(len(r.doc_ids)), str(r.groups), date_range(r.first_date, r.last_date))
    stdout.print(table)


@cli.command()
@json_option
@click.pass_context
@translate_errors
def threads(context: click.Context, as_json: bool) -> None:
    """List the threads: the events of one affair (removed, tried, sentenced, appeal ruled), each
    a story, in time order."""
    with open_store(context) as store:
        records = views.thread_records(store)
        titles = {s.id: s.title for s in views.story_records(store)}
    if as_json:
        click.echo(to_json([
            {"id": t.id, "title": t.title, "story_ids": t.story_ids, "first_date": t.first_date, "last_date": t.last_date}
            for t in records
        ]))
        return
    if not records:
        stdout.print("No threads yet: ingest documents, or run `claimledger link`.")
        return
    for t in records:
        stdout.print(f"[bold]Thread {t.id}[/bold] {escape(t.title)} [dim]({date_range(t.first_date, t.last_date)})[/dim]")
        for story_id in t.story_ids:
            stdout.print(f"  story {story_id}: {escape(titles.get(story_id, ''))}")


@cli.command()
@click.option("--story", "story_id", type=int, default=None, help="Only the groups of this story.")
@click.option("--all", "show_all", is_flag=True, help="Also list groups of one claim (hidden in the table by default).")
@click.option("--sort", type=click.Choice(["worth", "id"]), default="worth", show_default=True,
              help="worth: the claims most worth checking first; id: in the order they were grouped.")
@click.option("--min-worth", "min_worth", type=click.FloatRange(0.0, 1.0), default=None,
              help="Only groups whose most check-worthy claim scores at least this (0-1; 0.5 = worth checking).")
@json_option
@click.pass_context
@translate_errors
def groups(context: click.Context, story_id: int | None, show_all: bool, sort: str, min_worth: float | None,
           as_json: bool) -> None:
    """List claim groups: one proposition across reports, with origins, conflicts, status, grade.

    The grade is Admiralty-style: source reliability A-F (set with `claimledger rate`; F when
    unrated) and information credibility 1-6 derived from independent origins, conflicts and
    evidence. "worth" is how worth checking the group's most check-worthy claim is (0-1, a model
    trained on ClaimBuster's labelled sentences). --json lists every group, single claims included.
    """
    with open_store(context) as store:
        if story_id is not None and views.story_record(store, story_id) is None:
            raise StoryNotFound(f"story {story_id} does not exist")
        records = views.group_records(store, story_id)
    if min_worth is not None:
        records = [r for r in records if r.worthiness is not None and r.worthiness >= min_worth]
    if sort == "worth":
        records = views.most_worthy_first(records)
    if as_json:
        click.echo(to_json([views.as_json(r) for r in records]))
        return
    shown = [r for r in records if show_all or len(r.claim_ids) > 1 or r.conflicts]
    if not shown:
        stdout.print("No claim groups with more than one claim yet (--all lists single claims too).")
        return
    table = Table("id", "story", "claim", "worth", "claims", "docs", "origins", "status", "grade")
    for r in shown:
        style = STATUS_STYLE.get(r.status, "")
        table.add_row(str(r.id), str(r.story_id), escape(r.text[:110]), worth_text(r.worthiness), str(len(r.claim_ids)),
                      str(len(r.doc_ids)), str(r.independent_origins), f"[{style}]{r.status}[/{style}]" if style else r.status,
                      r.grade)
    stdout.print(table)
    hidden = len(records) - len(shown)
    if hidden:
        stdout.print(f"[dim]{hidden} group(s) of a single claim not shown (--all)[/dim]")


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--language", default=None, metavar="CODE", help="Only documents in this language (en, zh, ...).")
@click.option("--outlet", default=None, help="Only documents from this outlet.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Published on or after (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Published on or before (YYYY-MM-DD).")
@click.option("--story", "story_id", type=int, default=None, help="Only the documents of this story.")
@click.option("--status", type=click.Choice(get_args(GroupStatus)), default=None, help="Only claims whose group has this status.")
@click.option("--grade", default=None, metavar="GRADE", help="Only claims whose group has this grade: B2, B (any credibility) or 2.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Documents and claims to show.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many of each first.")
@json_option
@click.pass_context
@translate_errors
def search(context: click.Context, words: tuple[str, ...], language: str | None, outlet: str | None,
           since: dt.datetime | None, until: dt.datetime | None, story_id: int | None, status: str | None,
           grade: str | None, limit: int, offset: int, as_json: bool) -> None:
    """Find documents and claims by their words, best match first.

    Every word is required, in any order; quote a phrase to keep its words together
    ('"port fees"'); a name also finds its entity's other names and scripts (Tomas Reyne finds
    雷恩); Chinese is matched character by character as a phrase.
    """
    if grade is not None and not re.fullmatch(r"[A-Fa-f][1-6]?|[1-6]", grade):
        raise click.BadParameter("a grade is a letter A-F and a figure 1-6 (B2), or either alone", param_hint="--grade")
    query = ledger.SearchQuery(" ".join(words), language, outlet, since.date() if since else None,
                                     until.date() if until else None, story_id, status, grade, limit, offset)
    with open_store(context) as store:
        results = store.search(query)
    if as_json:
        click.echo(to_json(ledger.results_json(results)))
        return
    for term in results.terms:
        if term.also:
            stdout.print(f"[dim]“{escape(term.asked)}” also searched as {escape(', '.join(term.also))}[/dim]")
    stdout.print(f"[bold]Documents[/bold] ({results.document_total})")
    for d in results.documents:
        stdout.print(f"  [{d.id}] {escape(d.title or '')} [dim]{escape(d.outlet or '')} {d.published or ''}[/dim]")
        stdout.print(f"      {marked(d.snippet)}")
    stdout.print(f"[bold]Claims[/bold] ({results.claim_total})")
    for c in results.claims:
        where = f"group {c.group_id}, {c.status} {c.grade}" if c.group_id and c.status else f"document {c.document_id}"
        stdout.print(f"  [{c.id}] {marked(c.snippet)} [dim]({where})[/dim]")
    shown = offset + max(len(results.documents), len(results.claims))
    if shown < max(results.document_total, results.claim_total):
        stdout.print(f"[dim]more: --offset {shown}[/dim]")


@cli.command()
@click.argument("group_id", type=int)
@json_option
@click.pass_context
@translate_errors
def trace(context: click.Context, group_id: int, as_json: bool) -> None:
    """Show who relayed whom for one claim group, down to its origins, with every span."""
    with open_store(context) as store:
        found = views.trace(store, group_id)
    if found is None:
        raise GroupNotFound(f"claim group {group_id} does not exist or has no claims")
    if as_json:
        click.echo(to_json({"group": views.as_json(found.group), "nodes": found.nodes, "edges": found.edges, "claims": found.claims}))
        return
    print_trace(found)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: stories and groups; claimreview: schema.org ClaimReview JSON-LD; csv: one row per"
              " group, with dates, outlets and URLs; graphml: the relay graphs, for Gephi, yEd or networkx.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output (a CSV file starts with a BOM, so that"
              " spreadsheet programs read it as UTF-8).")
@click.option("--all", "include_single", is_flag=True, help="Include groups of a single claim.")
@click.option("--story", "story_id", type=int, default=None, help="Only the groups of this story.")
@click.option("--base-url", default=None, metavar="URL",
              help="Where the ledger's pages are published (https://desk.example.org): each ClaimReview's url"
              " is URL/groups/ID, which Google's fact-check markup requires.")
@click.pass_context
@translate_errors
def export(context: click.Context, fmt: str, output: str | None, include_single: bool, story_id: int | None,
           base_url: str | None) -> None:
    """Export the ledger's claim groups (by default those with two or more claims or a conflict)."""
    if base_url is not None and http_url(base_url) is None:
        raise click.BadParameter(f"{base_url!r} is not an http(s) URL", param_hint="--base-url")
    with open_store(context) as store:
        if story_id is not None and views.story_record(store, story_id) is None:
            raise StoryNotFound(f"story {story_id} does not exist")
        records = [r for r in views.group_records(store, story_id) if include_single or len(r.claim_ids) > 1 or r.conflicts]
        if fmt == "json":
            text = _json_export(store, records, story_id)
        elif fmt == "claimreview":
            text = exports.to_claimreview(records, _appearances(store, records), base_url, dt.date.today().isoformat())
            if base_url is None:
                stderr.print("[yellow]note:[/yellow] without --base-url the reviews have no url, which publishing them needs")
        elif fmt == "csv":
            text = exports.to_csv(records, _appearances(store, records))
        else:
            text = exports.to_graphml([t for r in records if (t := views.trace(store, r.id)) is not None])
    if output:
        with open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as handle:
            handle.write(text)
        stderr.print(f"wrote {len(records)} claim group(s) to {escape(output)}")
    else:
        click.echo(text, nl=False)


def _json_export(store: Store, records: list[Any], story_id: int | None) -> str:
    """The JSON export: everything, or one story with its own documents, claims and entities."""
    stories = [s for s in views.story_records(store) if story_id is None or s.id == story_id]
    if story_id is None:
        documents, claims, entities = store.list_documents(), store.list_claims(), store.list_entities()
    else:
        ids = sorted({d for s in stories for d in s.doc_ids})
        documents = store.list_documents(ids=ids)
        claims = [c for d in ids for c in store.list_claims(d)]
        named = {e["id"] for c in claims for e in c.entities}
        entities = [e for e in store.list_entities() if e.id in named]
    exported_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return exports.to_json(records, stories, documents, claims, entities, __version__, exported_at)


def _appearances(store: Store, records: list[Any]) -> dict[int, exports.Appearance]:
    """The reports the groups appear in: URL, outlet, date and language of each."""
    ids = sorted({d for record in records for d in record.doc_ids})
    return {
        d.id: exports.Appearance(d.id, d.url, d.outlet, d.published.isoformat() if d.published else None, d.language)
        for d in store.list_documents(ids=ids)
    }


@cli.command()
@click.option("--within", "within_days", type=click.IntRange(min=0), default=14, show_default=True,
              help="Count a checkpoint as due when its window opens within this many days.")
@click.option("--today", "today", callback=parse_published, default=None, metavar="YYYY-MM-DD",
              help="Review as of this date (default: today).")
@click.option("--all", "include_triaged", is_flag=True, help="Also list checkpoints marked reviewed or dismissed.")
@click.option("--past", "include_past", is_flag=True,
              help="Also list checkpoints whose window had closed before their report was ingested (an archive's).")
@json_option
@click.pass_context
@translate_errors
def due(context: click.Context, within_days: int, today: dt.date | None, include_triaged: bool, include_past: bool,
        as_json: bool) -> None:
    """List claims that named a time ("in the next few days", "at the upcoming meeting") and are
    due or overdue for review, unless already confirmed or refuted, or marked by `claimledger
    triage`. Copies of one report share one checkpoint."""
    with open_store(context) as store:
        found = views.checkpoints(store, today or dt.date.today(), within_days, include_triaged, include_past)
    if as_json:
        click.echo(to_json(found))
        return
    if not found:
        stdout.print("Nothing due: no open claim names a time ahead of its report.")
        return
    table = Table("checkpoint", "state", "due", "claim", "when")
    for c in found:
        window = c.due_from if c.due_from == c.due_by else f"{c.due_from} to {c.due_by}"
        color = {"overdue": "red", "due": "yellow"}.get(c.state, "dim")
        state = f"[{color}]{c.state}[/{color}]"
        if c.triage is not None:
            state = f"[dim]{c.triage.state} by {escape(c.triage.user)} {c.triage.at[:10]}[/dim]"
        when = escape(c.date_text) + (" [dim](undated report: counted from ingestion)[/dim]" if c.basis == "ingested" else "")
        when += f" [dim]({c.reports} reports)[/dim]" if c.reports > 1 else ""
        table.add_row(c.key, state, window, escape(c.claim[:100]), when)
    stdout.print(table)
    stdout.print("[dim]mark one: claimledger triage CHECKPOINT reviewed|dismissed --note ... (undo: claimledger undo ID)[/dim]")
