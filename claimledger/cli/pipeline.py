"""Commands that run the stages: ingest, extract, link (progress shown, resumable, under the
store's lock)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
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

from claimledger.cli.app import (
    DEFAULT_MAX_MEGABYTES,
    cli,
    json_option,
    ledger,
    open_store,
    parse_published,
    parse_size,
    stderr,
    stdout,
    tell_waiting,
    to_json,
    translate_errors,
)
from claimledger.cli.render import event_json, print_extract_failures, print_limits

if TYPE_CHECKING:
    from claimledger.ledger import (
        IngestOptions,
        RunReport,
        Store,
    )


def worker_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--workers and --cluster: extraction spread over Ray workers (claimledger[cluster])."""
    command = click.option(
        "--cluster", metavar="ADDRESS", envvar="RAY_ADDRESS",
        help="With --workers: the Ray cluster to extract on (e.g. ray://head:10001 or auto; also $RAY_ADDRESS);"
        " default: a Ray started on this machine for the run.")(command)
    return click.option(
        "--workers", default=0, show_default=True, type=click.IntRange(0, 4096), metavar="N",
        help="Extract on N Ray workers (pip install 'claimledger[cluster]'); 0: in this process,"
        " with parse workers for a large batch. Reading, linking and assessing stay in this process.")(command)


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
@worker_options
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
    workers: int,
    cluster: str | None,
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
    with open_store(context, create=True) as store:
        run = _run_pipeline(store, list(inputs), options, extract=run_extract, workers=workers, cluster=cluster)
    report = run.ingest
    assert report is not None
    extracted, linked = run.extract, run.link
    if as_json:
        events = [event_json(event) for event in report.events]
        summary = report.summary() | ({"claims": extracted.claims, "extracted": extracted.documents,
                                       "carried_over": len(run.carried_over), "older_waiting": run.older_waiting}
                                      if extracted else {})
        summary |= {"stories": linked.new_stories, "groups": linked.new_groups} if linked else {}
        click.echo(to_json({"summary": summary | {"limits": run.limits}, "events": events}))
    else:
        for event in report.failures:
            stderr.print(f"[red]failed[/red] {escape(event.label)}: {escape(str(event.error))}")
        if extracted:
            print_extract_failures(extracted)
        print_limits(run)
        counts = report.summary()
        stdout.print(
            f"{counts['inputs']} input(s): {counts['added']} added, {counts['duplicate']} duplicate,"
            f" {counts['near_duplicate']} near-duplicate, {counts['failed']} failed"
            + (f"; {extracted.claims} claims extracted" if extracted else "")
            + (f"; {linked.new_stories} new stories, {linked.new_groups} new claim groups" if linked else "")
        )
        if run.carried_over:
            stdout.print(f"also carried through {len(run.carried_over)} document(s) an earlier run had left"
                         " unfinished (interrupted or --no-extract)")
        if run.older_waiting:
            stdout.print(f"{run.older_waiting} document(s) were extracted by an older claimledger: run"
                         " `claimledger extract` to extract them again (a pass over all of them)")
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

        return ledger.run_pipeline(store, inputs, options, progress=on_progress, on_wait=lambda: tell_waiting(store.display_url), **scope)


@cli.command()
@click.argument("document_ids", nargs=-1, type=int, metavar="[DOC_ID]...")
@click.option("--all", "rerun", is_flag=True, help="Extract every stored document again.")
@click.option("--link/--no-link", "run_link", default=True, show_default=True,
              help="Then place the new claims in claim groups and assess the groups again.")
@worker_options
@json_option
@click.pass_context
@translate_errors
def extract(context: click.Context, document_ids: tuple[int, ...], rerun: bool, run_link: bool, workers: int,
            cluster: str | None, as_json: bool) -> None:
    """Extract claims, attribution chains, entities, figures and dates from stored documents.

    With no DOC_ID, extracts the documents not yet extracted by this version of claimledger;
    --all extracts every document again. Each document's previous extraction is replaced (its
    claims leave their groups and are grouped again; evidence and status history stay).
    """
    with open_store(context) as store:
        for document_id in document_ids:
            store.get_document(document_id)  # a missing id fails before any work
        run = _run_pipeline(store, [], link=run_link, document_ids=list(document_ids) or None, extract_all=rerun,
                            older_versions=True, workers=workers, cluster=cluster)
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
        print_extract_failures(report)
        print_limits(run)
        stdout.print(
            f"{report.documents} document(s) extracted: {report.claims} claims,"
            f" {report.attributions} attributions" + (f", {len(report.failed)} failed" if report.failed else "")
        )
    if report.failed:
        context.exit(1)


@cli.command()
@json_option
@click.pass_context
@translate_errors
def link(context: click.Context, as_json: bool) -> None:
    """Place extracted documents in stories and claims in claim groups, then assess the groups.

    Incremental: only new documents and claims are placed. The threads new reports reach
    are settled (their reports placed again together, so the stories do not depend on the
    order reports arrived in); a thread an analyst has corrected is never settled. `ingest`
    and `extract` run this for you.
    """
    with open_store(context) as store:
        run = _run_pipeline(store, [], extract=True, document_ids=[])
    report = run.link
    assert report is not None
    summary = {"documents": report.documents, "new_stories": report.new_stories, "moved": report.moved, "claims": report.claims,
               "new_groups": report.new_groups, "conflicts": report.conflicts, "limits": run.limits}
    if as_json:
        click.echo(to_json(summary))
    else:
        print_limits(run)
        moved = f", {report.moved} earlier one(s) moved to another story" if report.moved else ""
        stdout.print(f"{report.documents} document(s) placed ({report.new_stories} new stories{moved}), {report.claims} claim(s)"
                     f" grouped ({report.new_groups} new groups), {report.conflicts} conflict(s) found")
