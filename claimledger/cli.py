"""The `claimledger` command: one sub-command per job.

Each command parses its options, calls one library function and formats what it returns.
Library errors become messages here and nowhere else. Exit status: 0 when all went well, 1 when
an input failed or the store refused, 2 for a usage error.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import importlib
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar, get_args

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.tree import Tree

from claimledger import __version__
from claimledger.errors import (
    BadAccount,
    BadEvidence,
    ClaimledgerError,
    GroupNotFound,
    StoryNotFound,
    ThreadNotFound,
)
from claimledger.model import GroupStatus

if TYPE_CHECKING:
    from claimledger.ledger import (
        ClaimRecord,
        ExtractReport,
        IngestEvent,
        IngestOptions,
        RunReport,
        Store,
        StoredDocument,
    )
    from claimledger.model import EventSignature


class _Module:
    """A module imported when a command first uses it: `--help` must not load spaCy."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


exports = _Module("claimledger.export")
ledger = _Module("claimledger.ledger")
views = _Module("claimledger.ledger.views")
accounts = _Module("claimledger.ledger.accounts")
# Known at definition time without importing the exporters or the readers (tests check both).
FORMATS = ("json", "claimreview", "csv", "graphml")
DEFAULT_MAX_MEGABYTES = 20

HELP_URL = "docs/errors.md"
F = TypeVar("F", bound=Callable[..., Any])

stdout = Console(highlight=False, soft_wrap=True)
if not stdout.is_terminal and "COLUMNS" not in os.environ:
    stdout.width = 160  # piped or logged: no terminal to fit, so don't squeeze tables to 80
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class CommandError(click.ClickException):
    """A library error shown to the user with its code and where to read about it."""

    def __init__(self, error: ClaimledgerError) -> None:
        super().__init__(f"{error} (see {HELP_URL})")
        if isinstance(error, BadAccount):  # a name or password the user typed: a usage error
            self.exit_code = 2


def translate_errors(function: F) -> F:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ClaimledgerError as error:
            raise CommandError(error) from error

    return wrapper  # type: ignore[return-value]


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        function
    )


def open_store(context: click.Context) -> Store:
    return views.open_store(context.obj["db"], on_wait=lambda: _tell_waiting(context.obj["db"] or "the store"))


def _tell_waiting(where: str) -> None:
    stderr.print(f"waiting: another claimledger run is working on {escape(where)} (runs on one store take turns)")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, bytes):
        return None
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="CLAIMLEDGER_DB",
    default=None,
    metavar="PATH|URL",
    help="The store: a SQLite file path (created if missing) or a database URL such as"
    " postgresql://host/db. Default: $CLAIMLEDGER_DB, else ./claimledger.db.",
)
@click.version_option(__version__, prog_name="claimledger")
@click.pass_context
def cli(context: click.Context, db: str | None) -> None:
    """Keep a ledger of the claims in news reports.

    Ingest articles (files, folders, feeds, WARC archives, URLs), then list and read what is
    stored. Every listing command takes --json.
    """
    context.ensure_object(dict)
    context.obj["db"] = db


# -- ingest ------------------------------------------------------------------------------------


def parse_size(_context: click.Context, _param: click.Parameter, value: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", value.lower())
    if not match:
        raise click.BadParameter(f"{value!r} is not a size; write e.g. 20MB, 500kB or 1GB")
    number, unit = float(match.group(1)), match.group(2)
    return int(number * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit])


def parse_published(_context: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--outlet", help="Set the outlet of every document of this run.")
@click.option(
    "--published",
    callback=parse_published,
    metavar="YYYY-MM-DD",
    help="Set the publication date of every document of this run.",
)
@click.option("--language", metavar="CODE", help="Set the language (ISO 639-1, e.g. en, zh).")
@click.option(
    "--max-size",
    "max_size",
    default=f"{DEFAULT_MAX_MEGABYTES}MB",
    show_default=True,
    callback=parse_size,
    help="Refuse any single file, page or WARC record larger than this.",
)
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0, min_open=True, max=3600),
              help="Seconds allowed for one URL.")
@click.option("--max-redirects", default=5, show_default=True, type=click.IntRange(0, 30), help="Redirects followed per URL.")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow URLs on loopback, private and link-local addresses (refused by default so that"
    " a page cannot steer claimledger into your own network).",
)
@click.option(
    "--extract/--no-extract",
    "run_extract",
    default=True,
    show_default=True,
    help="Extract claims, attributions, entities, figures and dates from the new documents,"
    " then link them into stories and claim groups and assess the groups.",
)
@json_option
@click.pass_context
@translate_errors
def ingest(
    context: click.Context,
    inputs: tuple[str, ...],
    outlet: str | None,
    published: dt.date | None,
    language: str | None,
    max_size: int,
    timeout: float,
    max_redirects: int,
    allow_private: bool,
    run_extract: bool,
    as_json: bool,
) -> None:
    """Read articles into the store, then extract, link and assess their claims.

    INPUT is a file, a folder (read recursively), or an http(s) URL. Files may be .txt, .md,
    .html/.htm, .json/.jsonl (one article per object: text or html, and optionally title, url,
    outlet, published, language), RSS/Atom feeds (.xml, .rss, .atom) and WARC/ARC archives
    (.warc, .warc.gz, .arc, .arc.gz). Text already stored is not stored again; near-copies are
    linked to the document they copy.

    Exit status: 0 if every input was read, 1 if any failed (the others are still stored).
    """
    if language is not None and not re.fullmatch(r"[a-z]{2,3}", language):
        raise click.BadParameter(f"{language!r} is not an ISO 639 code such as en or zh", param_hint="--language")
    options = ledger.IngestOptions(
        max_bytes=max_size,
        timeout=timeout,
        max_redirects=max_redirects,
        allow_private=allow_private,
        outlet=outlet,
        published=published,
        language=language,
    )
    with open_store(context) as store:
        run = _run_pipeline(store, list(inputs), options, extract=run_extract)
    report = run.ingest
    assert report is not None
    extracted, linked = run.extract, run.link
    if as_json:
        events = [_event_json(event) for event in report.events]
        summary = report.summary() | ({"claims": extracted.claims, "extracted": extracted.documents,
                                       "carried_over": len(run.carried_over)} if extracted else {})
        summary |= {"stories": linked.new_stories, "groups": linked.new_groups} if linked else {}
        click.echo(to_json({"summary": summary | {"limits": run.limits}, "events": events}))
    else:
        for event in report.failures:
            stderr.print(f"[red]failed[/red] {escape(event.label)}: {escape(str(event.error))}")
        if extracted:
            _print_extract_failures(extracted)
        _print_limits(run)
        counts = report.summary()
        stdout.print(
            f"{counts['inputs']} input(s): {counts['added']} added, {counts['duplicate']} duplicate,"
            f" {counts['near_duplicate']} near-duplicate, {counts['failed']} failed"
            + (f"; {extracted.claims} claims extracted" if extracted else "")
            + (f"; {linked.new_stories} new stories, {linked.new_groups} new claim groups" if linked else "")
        )
        if run.carried_over:
            stdout.print(f"also carried through {len(run.carried_over)} document(s) an earlier run had left"
                         " unfinished (interrupted, --no-extract, or a new extractor version)")
    if report.failures or (extracted and extracted.failed):
        context.exit(1)


def _run_pipeline(store: Store, inputs: list[str], options: IngestOptions | None = None, **scope: Any) -> RunReport:
    """Run the ledger's pipeline with a progress bar per stage on a terminal."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as bars:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        return ledger.run_pipeline(store, inputs, options, progress=on_progress, on_wait=lambda: _tell_waiting(store.display_url), **scope)


def _print_limits(run: RunReport) -> None:
    for limit in run.limits:
        stderr.print(f"[yellow]limit[/yellow] {escape(limit)}")


def _print_extract_failures(report: ExtractReport) -> None:
    for doc_id, message in report.failed:
        stderr.print(f"[red]failed[/red] document {doc_id}: {escape(message)}")


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else "…" + label[-(width - 1) :]


def _event_json(event: IngestEvent) -> dict[str, Any]:
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


# -- reading the store -------------------------------------------------------------------------


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
        click.echo(to_json({**asdict(document), "story_id": story_id, "event": _signature_json(event), "claims": [
            {**asdict(record), "group_id": claim_groups.get(record.id)} for record in document_claims
        ]}))
        return
    _print_document(document)
    if event is not None:
        stdout.print("[bold]Event[/bold] " + escape(_signature_line(event)))
    if story_id is not None:
        stdout.print(f"[bold]Story[/bold] {story_id} (claimledger groups --story {story_id})")
    if document_claims:
        stdout.print(f"[bold]Claims ({len(document_claims)})[/bold]")
        for record in document_claims:
            _print_claim(record, claim_groups.get(record.id))


def _signature_json(event: EventSignature | None) -> dict[str, Any] | None:
    if event is None:
        return None
    when = event.when
    return {"who": list(event.who), "what": list(event.what), "when": when.value if when else None,
            "when_source": when.source if when else None, "when_confidence": when.confidence if when else None,
            "missing": list(event.missing)}


def _signature_line(event: EventSignature) -> str:
    """"who Bo Xilai; what sentenced; when 2013-09-22 (from the lead, 0.8)"."""
    when = event.when
    parts = [
        f"who {', '.join(event.who)}" if event.who else "",
        f"what {', '.join(event.what)}" if event.what else "",
        f"when {when.value} (from the {when.source}, confidence {when.confidence:.1f})" if when else "",
    ]
    line = "; ".join(part for part in parts if part)
    missing = event.missing
    return line + (f"; not read: {', '.join(missing)} (placed in its story by the rest)" if missing else "")


def _print_document(document: StoredDocument) -> None:
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


@cli.command()
@click.argument("document_ids", nargs=-1, type=int, metavar="[DOC_ID]...")
@click.option("--all", "rerun", is_flag=True, help="Extract every stored document again.")
@click.option("--link/--no-link", "run_link", default=True, show_default=True,
              help="Then place the new claims in claim groups and assess the groups again.")
@json_option
@click.pass_context
@translate_errors
def extract(context: click.Context, document_ids: tuple[int, ...], rerun: bool, run_link: bool, as_json: bool) -> None:
    """Extract claims, attribution chains, entities, figures and dates from stored documents.

    With no DOC_ID, extracts the documents not yet extracted by this version of claimledger;
    --all extracts every document again. Each document's previous extraction is replaced (its
    claims leave their groups and are grouped again; evidence and status history stay).
    """
    with open_store(context) as store:
        for document_id in document_ids:
            store.get_document(document_id)  # a missing id fails before any work
        run = _run_pipeline(store, [], link=run_link, document_ids=list(document_ids) or None, extract_all=rerun)
    report = run.extract
    assert report is not None
    summary = {
        "documents": report.documents,
        "claims": report.claims,
        "attributions": report.attributions,
        "failed": [{"doc_id": doc_id, "error": message} for doc_id, message in report.failed],
        "limits": run.limits,
    }
    if as_json:
        click.echo(to_json(summary))
    else:
        _print_extract_failures(report)
        _print_limits(run)
        stdout.print(
            f"{report.documents} document(s) extracted: {report.claims} claims,"
            f" {report.attributions} attributions" + (f", {len(report.failed)} failed" if report.failed else "")
        )
    if report.failed:
        context.exit(1)


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
        _print_claim(record)


def _print_claim(record: ClaimRecord, group_id: int | None = None) -> None:
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
    stdout.print("  languages:       " + _top(figures["languages"]))
    stdout.print("  outlets:         " + escape(_top(figures["outlets"])))
    for line in ledger.describe_backlog(waiting):
        stdout.print(f"[yellow]{line}[/yellow]")



def _top(counts: dict[str, int], limit: int = 8) -> str:
    items = list(counts.items())
    shown = ", ".join(f"{name} {count}" for name, count in items[:limit])
    return shown + (f", and {len(items) - limit} more" if len(items) > limit else "") or "none"


# -- link and assess ---------------------------------------------------------------------------


@cli.command()
@json_option
@click.pass_context
@translate_errors
def link(context: click.Context, as_json: bool) -> None:
    """Place extracted documents in stories and claims in claim groups, then assess the groups.

    Incremental: documents and claims already placed stay where they are. `ingest` and
    `extract` run this for you.
    """
    with open_store(context) as store:
        run = _run_pipeline(store, [], extract=True, document_ids=[])
    report = run.link
    assert report is not None
    summary = {"documents": report.documents, "new_stories": report.new_stories, "claims": report.claims,
               "new_groups": report.new_groups, "conflicts": report.conflicts, "limits": run.limits}
    if as_json:
        click.echo(to_json(summary))
    else:
        _print_limits(run)
        stdout.print(f"{report.documents} document(s) placed ({report.new_stories} new stories), {report.claims} claim(s)"
                     f" grouped ({report.new_groups} new groups), {report.conflicts} conflict(s) found")


@cli.command()
@click.option("--thread", "thread_id", type=int, default=None, help="Only the stories of this thread.")
@json_option
@click.pass_context
@translate_errors
def stories(context: click.Context, thread_id: int | None, as_json: bool) -> None:
    """List the stories: documents grouped by the real-world event they report, each in the
    thread of its affair."""
    with open_store(context) as store:
        if thread_id is not None and thread_id not in {t.id for t in views.thread_records(store)}:
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
        table.add_row(str(r.id), str(r.thread_id or ""), escape(r.title), str(len(r.doc_ids)), str(r.groups), _dates(r.first_date, r.last_date))
    stdout.print(table)


def _dates(first: str | None, last: str | None) -> str:
    return f"{first} to {last}" if first and last and first != last else (first or "undated")


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
        stdout.print(f"[bold]Thread {t.id}[/bold] {escape(t.title)} [dim]({_dates(t.first_date, t.last_date)})[/dim]")
        for story_id in t.story_ids:
            stdout.print(f"  story {story_id}: {escape(titles.get(story_id, ''))}")


_STATUS_STYLE = {"corroborated": "green", "confirmed": "bold green", "single-origin": "yellow",
                 "unverified": "dim", "disputed": "red", "refuted": "bold red"}


@cli.command()
@click.option("--story", "story_id", type=int, default=None, help="Only the groups of this story.")
@click.option("--all", "show_all", is_flag=True, help="Also list groups of one claim (hidden in the table by default).")
@json_option
@click.pass_context
@translate_errors
def groups(context: click.Context, story_id: int | None, show_all: bool, as_json: bool) -> None:
    """List claim groups: one proposition across reports, with origins, conflicts, status, grade.

    The grade is Admiralty-style: source reliability A-F (set with `claimledger rate`; F when
    unrated) and information credibility 1-6 derived from independent origins, conflicts and
    evidence. --json lists every group, single claims included.
    """
    with open_store(context) as store:
        if story_id is not None and story_id not in {s.id for s in views.story_records(store)}:
            raise StoryNotFound(f"story {story_id} does not exist")
        records = views.group_records(store, story_id)
    if as_json:
        click.echo(to_json([views.as_json(r) for r in records]))
        return
    shown = [r for r in records if show_all or len(r.claim_ids) > 1 or r.conflicts]
    if not shown:
        stdout.print("No claim groups with more than one claim yet (--all lists single claims too).")
        return
    table = Table("id", "story", "claim", "claims", "docs", "origins", "status", "grade")
    for r in shown:
        style = _STATUS_STYLE.get(r.status, "")
        table.add_row(str(r.id), str(r.story_id), escape(r.text[:110]), str(len(r.claim_ids)), str(len(r.doc_ids)),
                      str(r.independent_origins), f"[{style}]{r.status}[/{style}]" if style else r.status, r.grade)
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
        stdout.print(f"      {_marked(d.snippet)}")
    stdout.print(f"[bold]Claims[/bold] ({results.claim_total})")
    for c in results.claims:
        where = f"group {c.group_id}, {c.status} {c.grade}" if c.group_id and c.status else f"document {c.document_id}"
        stdout.print(f"  [{c.id}] {_marked(c.snippet)} [dim]({where})[/dim]")
    shown = offset + max(len(results.documents), len(results.claims))
    if shown < max(results.document_total, results.claim_total):
        stdout.print(f"[dim]more: --offset {shown}[/dim]")


def _marked(parts: list[tuple[str, bool]]) -> str:
    return "".join(f"[bold yellow]{escape(text)}[/bold yellow]" if is_match else escape(text) for text, is_match in parts).replace("\n", " ")


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
    _print_trace(found)


def _print_trace(found: Any) -> None:
    group = found.group
    style = _STATUS_STYLE.get(group.status, "")
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
        detail = escape(edge.label) + (f", {escape(edge.date)}" if edge.date else "")
        child = nodes[edge.target]
        _add_branch(branch.add(f"[dim]{detail}[/dim]") if edge.label not in ("published",) else branch, child, nodes, children, seen)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: stories and groups; claimreview: schema.org ClaimReview JSON-LD; csv: one row per"
              " group; graphml: the relay graphs, for Gephi or networkx.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--all", "include_single", is_flag=True, help="Include groups of a single claim.")
@click.pass_context
@translate_errors
def export(context: click.Context, fmt: str, output: str | None, include_single: bool) -> None:
    """Export the ledger's claim groups (by default those with two or more claims or a conflict)."""
    with open_store(context) as store:
        records = [r for r in views.group_records(store) if include_single or len(r.claim_ids) > 1 or r.conflicts]
        if fmt == "json":
            text = exports.to_json(records, views.story_records(store))
        elif fmt == "claimreview":
            text = exports.to_claimreview(records, _first_dates(store, records))
        elif fmt == "csv":
            text = exports.to_csv(records)
        else:
            text = exports.to_graphml([t for r in records if (t := views.trace(store, r.id)) is not None])
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        stderr.print(f"wrote {len(records)} claim group(s) to {escape(output)}")
    else:
        click.echo(text, nl=False)


def _first_dates(store: Store, records: list[Any]) -> dict[int, str | None]:
    published = {d.id: d.published for d in store.list_documents()}
    result = {}
    for record in records:
        days = sorted(published[d].isoformat() for d in record.doc_ids if published.get(d))
        result[record.id] = days[0] if days else None
    return result


@cli.command()
@click.argument("group_id", type=int)
@click.option("--supports", "supports", metavar="DOC_ID|URL", help="A stored document or a URL that supports the claim.")
@click.option("--refutes", "refutes", metavar="DOC_ID|URL", help="A stored document or a URL that refutes the claim.")
@click.option("--note", required=True, help="What the evidence shows, in a sentence.")
@json_option
@click.pass_context
@translate_errors
def evidence(context: click.Context, group_id: int, supports: str | None, refutes: str | None, note: str, as_json: bool) -> None:
    """Add evidence for or against a claim group; its status and grade are assessed again.

    Evidence is never edited or removed: the history of a claim's status is append-only.
    """
    if (supports is None) == (refutes is None):
        raise click.UsageError("give exactly one of --supports or --refutes")
    target = supports or refutes or ""
    stance = "supports" if supports else "refutes"
    with open_store(context) as store:
        document_id, url = _evidence_target(target)
        evidence_id = ledger.add_evidence(store, group_id, stance, document_id, url, note)
        record = views.one_group(store, group_id)
    assert record is not None
    if as_json:
        click.echo(to_json({"evidence_id": evidence_id, "group": views.as_json(record)}))
    else:
        stdout.print(f"evidence #{evidence_id} added; group {group_id} is now {record.status}, grade {record.grade}")


def _evidence_target(target: str) -> tuple[int | None, str | None]:
    if target.isdigit():
        return int(target), None
    if re.match(r"https?://\S+$", target):
        return None, target
    raise BadEvidence(f"{target!r} is neither a stored document id nor an http(s) URL")


@cli.command()
@click.argument("name")
@click.option("--reliability", type=click.Choice(list("ABCDEF"), case_sensitive=False),
              help="A completely reliable, B usually, C fairly, D not usually, E unreliable, F cannot be judged.")
@click.option("--authoritative/--not-authoritative", default=None,
              help="An authoritative source's own statement confirms a claim (an official body on its own acts).")
@json_option
@click.pass_context
@translate_errors
def rate(context: click.Context, name: str, reliability: str | None, authoritative: bool | None, as_json: bool) -> None:
    """Set how reliable an outlet or a person is (NAME as written: "Harbour Ledger", "Hu Liren").

    Every claim group is assessed again, so grades and statuses reflect the new rating.
    """
    if reliability is None and authoritative is None:
        raise click.UsageError("give --reliability, --authoritative or --not-authoritative")
    key = ledger.rating_key(name)
    with open_store(context) as store:
        changed = ledger.rate_source(store, name, reliability.upper() if reliability else None, authoritative)
    if as_json:
        click.echo(to_json({"key": key, "name": name, "reliability": reliability, "authoritative": authoritative, "groups_changed": changed}))
    else:
        stdout.print(f"rated {escape(name)}; {changed} claim group(s) changed grade or status")


@cli.command()
@click.option("--within", "within_days", type=click.IntRange(min=0), default=14, show_default=True,
              help="Count a checkpoint as due when its window opens within this many days.")
@click.option("--today", "today", callback=parse_published, default=None, metavar="YYYY-MM-DD",
              help="Review as of this date (default: today).")
@json_option
@click.pass_context
@translate_errors
def due(context: click.Context, within_days: int, today: dt.date | None, as_json: bool) -> None:
    """List claims that named a time ("in the next few days", "at the upcoming meeting") and are
    due or overdue for review, unless already confirmed or refuted."""
    with open_store(context) as store:
        found = views.checkpoints(store, today or dt.date.today(), within_days)
    if as_json:
        click.echo(to_json(found))
        return
    if not found:
        stdout.print("Nothing due: no open claim names a time ahead of its report.")
        return
    table = Table("state", "group", "due", "claim", "when")
    for c in found:
        window = c.due_from if c.due_from == c.due_by else f"{c.due_from} to {c.due_by}"
        color = {"overdue": "red", "due": "yellow"}.get(c.state, "dim")
        when = escape(c.date_text) + (" [dim](undated report: counted from ingestion)[/dim]" if c.basis == "ingested" else "")
        table.add_row(f"[{color}]{c.state}[/{color}]", str(c.group_id), window, escape(c.claim[:100]), when)
    stdout.print(table)


# -- web -----------------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (reading is open to anyone who can reach it).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--max-upload", "max_upload", default="20MB", show_default=True, callback=parse_size, help="Largest upload accepted.")
@click.option("--allow-private", is_flag=True, help="Let signed-in users ingest URLs on private and loopback addresses.")
@click.option("--max-concurrent", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Requests at work at once; more wait their turn (see --queue-timeout).")
@click.option("--queue-timeout", default=20.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds a request waits for its turn before it is answered 503 (busy, retry).")
@click.pass_context
@translate_errors
def serve(context: click.Context, host: str, port: int, max_upload: int, allow_private: bool,
          max_concurrent: int, queue_timeout: float) -> None:
    """Serve the ledger as a web app (pages at /, JSON API at /api, described at /openapi.json)."""
    import uvicorn

    from claimledger.web.app import create_app

    store = open_store(context)
    app = create_app(store, max_upload_bytes=max_upload, allow_private=allow_private,
                     max_concurrent=max_concurrent, queue_seconds=queue_timeout)
    stderr.print(f"claimledger is serving {escape(store.display_url)} at [bold]http://{host}:{port}/[/bold] (Ctrl-C to stop)")
    if not accounts.count_users(store):
            stderr.print("no accounts yet: reading works; to write, create one with `claimledger user add NAME`")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.group()
def user() -> None:
    """Accounts that may change the ledger from the web app or the API."""


@user.command("add")
@click.argument("name")
@click.password_option(help="The password (asked for when not given).")
@click.pass_context
@translate_errors
def user_add(context: click.Context, name: str, password: str) -> None:
    """Create an account NAME (the password is stored as an argon2id hash)."""
    with open_store(context) as store:
        accounts.add_user(store, name, password)
    stdout.print(f"account {escape(name)} created")


@user.command("token")
@click.argument("name")
@click.option("--label", default="api", show_default=True, help="What the token is for.")
@click.pass_context
@translate_errors
def user_token(context: click.Context, name: str, label: str) -> None:
    """Make an API token for NAME (send it as `Authorization: Bearer TOKEN`); shown once."""
    with open_store(context) as store:
        token = accounts.make_token(store, name, label)
    click.echo(token)


@user.command("list")
@json_option
@click.pass_context
@translate_errors
def user_list(context: click.Context, as_json: bool) -> None:
    """List the accounts with their API tokens (ids and labels, never the tokens) and open sessions."""
    with open_store(context) as store:
        found = accounts.accounts(store)
    if as_json:
        click.echo(to_json([
            {"name": a.name, "created_at": a.created_at, "sessions": a.sessions,
             "tokens": [{"id": i, "label": label, "created_at": at} for i, label, at in a.tokens]}
            for a in found
        ]))
        return
    if not found:
        stdout.print("No accounts: create one with `claimledger user add NAME`.")
        return
    table = Table("name", "created", "sessions", "tokens (id: label)")
    for a in found:
        table.add_row(escape(a.name), f"{a.created_at:%Y-%m-%d}", str(a.sessions),
                      escape(", ".join(f"{i}: {label}" for i, label, _ in a.tokens)) or "none")
    stdout.print(table)


@user.command("remove")
@click.argument("name")
@click.pass_context
@translate_errors
def user_remove(context: click.Context, name: str) -> None:
    """Delete account NAME: its tokens stop working and its sessions end at once (its
    corrections and evidence keep its name)."""
    with open_store(context) as store:
        accounts.remove_user(store, name)
    stdout.print(f"account {escape(name)} removed; its tokens and sessions no longer work")


@user.command("revoke")
@click.argument("name")
@click.option("--token", "token_id", type=int, default=None, help="The id of the token to revoke (see `user list`).")
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of NAME.")
@click.pass_context
@translate_errors
def user_revoke(context: click.Context, name: str, token_id: int | None, revoke_all: bool) -> None:
    """Revoke API tokens of NAME: one (--token ID) or all (--all)."""
    if (token_id is None) == (not revoke_all):
        raise click.UsageError("give exactly one of --token ID or --all")
    with open_store(context) as store:
        revoked = accounts.revoke_tokens(store, name, token_id)
    stdout.print(f"{revoked} token(s) of {escape(name)} revoked")


# -- corrections ---------------------------------------------------------------------------------


def _cli_user() -> str:
    """Who a correction made at the command line is recorded as: the login name."""
    try:
        return f"{getpass.getuser()} (cli)"
    except (KeyError, OSError):
        return "cli"


@cli.group()
def story() -> None:
    """Correct the stories: move reports, split a story, merge two (recorded, undoable, kept
    when linking runs again)."""


@story.command("merge")
@click.argument("target", type=int)
@click.argument("source", type=int)
@click.pass_context
@translate_errors
def story_merge(context: click.Context, target: int, source: int) -> None:
    """Fold story SOURCE into story TARGET: its reports, claim groups, evidence and history move."""
    with open_store(context) as store:
        correction = ledger.merge_stories(store, target, source, _cli_user())
    stdout.print(f"correction #{correction}: story {source} merged into story {target} (undo: claimledger undo {correction})")


@story.command("move")
@click.argument("document_ids", nargs=-1, required=True, type=int, metavar="DOC_ID...")
@click.option("--to", "to_story", type=int, required=True, help="The story the reports belong to.")
@click.pass_context
@translate_errors
def story_move(context: click.Context, document_ids: tuple[int, ...], to_story: int) -> None:
    """Move reports to another story; their claims are grouped again there."""
    with open_store(context) as store:
        correction, story_id = ledger.move_documents(store, list(document_ids), to_story, _cli_user())
    stdout.print(f"correction #{correction}: {len(document_ids)} report(s) moved to story {story_id} (undo: claimledger undo {correction})")


@story.command("split")
@click.argument("story_id", type=int)
@click.argument("document_ids", nargs=-1, required=True, type=int, metavar="DOC_ID...")
@click.pass_context
@translate_errors
def story_split(context: click.Context, story_id: int, document_ids: tuple[int, ...]) -> None:
    """Take reports out of STORY_ID into a new story of their own (in the same thread)."""
    with open_store(context) as store:
        members = {d for s in views.story_records(store) if s.id == story_id for d in s.doc_ids}
        if not members:
            raise StoryNotFound(f"story {story_id} does not exist")
        if not set(document_ids) <= members or set(document_ids) == members:
            raise click.UsageError(f"choose some, not all, of story {story_id}'s reports: {sorted(members)}")
        correction, new_story = ledger.move_documents(store, list(document_ids), None, _cli_user())
    stdout.print(f"correction #{correction}: {len(document_ids)} report(s) split into new story {new_story} (undo: claimledger undo {correction})")


@cli.command()
@click.argument("conflict_id", type=int)
@click.option("--note", required=True, help="Why it is no real disagreement, in a sentence.")
@click.pass_context
@translate_errors
def dismiss(context: click.Context, conflict_id: int, note: str) -> None:
    """Dismiss a conflict that is no real disagreement (ids are shown by `claimledger trace`);
    recorded, undoable, and kept when conflicts are found again."""
    with open_store(context) as store:
        correction = ledger.dismiss_conflict(store, conflict_id, note, _cli_user())
    stdout.print(f"correction #{correction}: conflict {conflict_id} dismissed (undo: claimledger undo {correction})")


@cli.command()
@json_option
@click.pass_context
@translate_errors
def corrections(context: click.Context, as_json: bool) -> None:
    """List the corrections made by hand (merges, splits, moves), who made them and whether undone."""
    with open_store(context) as store:
        records = views.corrections(store)
    if as_json:
        click.echo(to_json(records))
        return
    if not records:
        stdout.print("No corrections yet.")
        return
    table = Table("id", "kind", "target", "source", "by", "when", "undone")
    for r in records:
        table.add_row(str(r.id), r.kind, str(r.target), str(r.source), escape(r.user), r.created_at[:16], (r.undone_at or "")[:16])
    stdout.print(table)


@cli.command()
@click.argument("correction_id", type=int)
@click.pass_context
@translate_errors
def undo(context: click.Context, correction_id: int) -> None:
    """Undo a correction (its record stays, marked undone); the ledger is brought up to date."""
    with open_store(context) as store:
        row = ledger.undo(store, correction_id)
    stdout.print(f"correction #{correction_id} ({row.kind}) undone")


def main() -> None:
    cli(prog_name="claimledger")


if __name__ == "__main__":
    sys.exit(main())
