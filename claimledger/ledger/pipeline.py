"""The one owner of the pipeline: ingest -> extract -> link -> assess, one run at a time per store.

Every stage takes up whatever stored work waits for it, whatever left it waiting (a run killed
mid-way, `--no-extract`, a new extractor version, a correction): documents not extracted by this
version, extracted documents in no story, claims in no group, stories whose conflicts and groups
whose assessment are out of date. The marks that say so are written in the same transaction as
the change that makes the work, so running the same command again after a crash finishes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimledger.assess.stage import AssessReport, run_assessment
from claimledger.extract.version import STAGE_VERSION as EXTRACT_VERSION
from claimledger.store import Store
from claimledger.store import linking as linking_sql
from claimledger.store.linking import Backlog

if TYPE_CHECKING:
    from claimledger.extract import ExtractReport
    from claimledger.ingest import IngestEvent, IngestOptions, IngestReport
    from claimledger.link import LinkReport

# (stage, done, total): total is None while a stage does not yet know how much it has to do.
Progress = Callable[[str, int, int | None], None]


@dataclass(slots=True)
class RunReport:
    """What one run did, stage by stage (None: the stage was not asked for)."""

    ingest: IngestReport | None = None
    extract: ExtractReport | None = None
    link: LinkReport | None = None
    assess: AssessReport | None = None
    # Documents this run carried through that an earlier run had left waiting.
    carried_over: list[int] = field(default_factory=list)
    # Documents an older extractor version extracted, left for `claimledger extract` to redo.
    older_waiting: int = 0

    @property
    def limits(self) -> list[str]:
        """Where a bound on the work was reached (a document cut short, a group compared in part)."""
        return (self.extract.limits if self.extract else []) + (self.link.limits if self.link else [])


def run_pipeline(
    store: Store,
    inputs: Sequence[str] = (),
    options: IngestOptions | None = None,
    *,
    extract: bool = True,
    link: bool = True,
    document_ids: Iterable[int] | None = None,
    extract_all: bool = False,
    older_versions: bool = False,
    progress: Progress | None = None,
    on_event: Callable[[IngestEvent], None] | None = None,
    on_wait: Callable[[], None] | None = None,
    lock_timeout: float | None = None,
    workers: int = 0,
    cluster: str | None = None,
) -> RunReport:
    """Ingest `inputs`, then carry every waiting document through the stages asked for
    (extraction on `workers` Ray workers when asked: claimledger.extract.cluster).

    `document_ids` re-extracts just those documents; `extract_all` every document. Documents
    an older claimledger extracted are extracted again only when `older_versions` is asked for
    (`claimledger extract`): after an upgrade that is a store-wide pass, which storing one new
    report should not start. Link and
    assess always take up all the work waiting for them. The store's pipeline lock is held
    throughout: a second run waits (`on_wait` is told) or, past `lock_timeout`, fails with
    StoreBusy.
    """
    # The readers, the extractors and the linker load their models and numpy: imported when a
    # run needs them, so that commands which only read start at once.
    from claimledger.extract import run_extraction
    from claimledger.ingest import IngestOptions, ingest_inputs
    from claimledger.link import run_linking

    tell = progress or _silent
    report = RunReport()
    with store.pipeline_lock(on_wait=on_wait, timeout=lock_timeout):
        if inputs:
            report.ingest = ingest_inputs(
                inputs, store, options or IngestOptions(), on_event=on_event,
                on_input=lambda _label, done, total: tell("reading", done, total),
            )
        if not extract:
            return report
        chosen = list(document_ids) if document_ids is not None else None
        if chosen is None and not extract_all:
            new = set(_new_documents(report.ingest))
            waiting = store.documents_to_extract(EXTRACT_VERSION, older=older_versions)
            report.carried_over = [d for d in waiting if d not in new]
            chosen = waiting
            if not older_versions:
                report.older_waiting = store.count_extracted_by_other_versions(EXTRACT_VERSION)
        report.extract = run_extraction(
            store, chosen, rerun=extract_all,
            on_document=lambda _id, done, total: tell("extracting", done, total), workers=workers, cluster=cluster,
        )
        if link:
            report.link = run_linking(store, lambda stage, done, total: tell(f"linking {stage}", done, total))
            report.assess = run_assessment(store, on_progress=lambda _s, done, total: tell("assessing", done, total))
    return report


def finish_pending(store: Store, progress: Progress | None = None, lock_timeout: float | None = None) -> RunReport:
    """Link and assess whatever waits (after a correction, a rating, evidence, or a crash)."""
    from claimledger.link import run_linking

    tell = progress or _silent
    with store.pipeline_lock(timeout=lock_timeout):
        return RunReport(
            link=run_linking(store, lambda stage, done, total: tell(f"linking {stage}", done, total)),
            assess=run_assessment(store, on_progress=lambda _s, done, total: tell("assessing", done, total)),
        )


def backlog(store: Store) -> Backlog:
    """What stored documents still wait for, stage by stage."""
    with store.reading() as connection:
        return linking_sql.backlog(connection, EXTRACT_VERSION)


def describe_backlog(waiting: Backlog) -> list[str]:
    """What the store still waits for, in words, each with the command that finishes it."""
    lines = []
    if waiting.to_extract:
        lines.append(f"{waiting.to_extract} document(s) wait for extraction: run `claimledger extract`")
    unlinked = [f"{count} {what}" for count, what in (
        (waiting.to_place, "document(s) to place in stories"), (waiting.to_group, "claim(s) to group"),
        (waiting.conflicts, "story(ies) to check for conflicts"), (waiting.to_assess, "claim group(s) to assess"),
    ) if count]
    if unlinked:
        lines.append(f"waiting: {', '.join(unlinked)}: run `claimledger link`")
    return lines


def _new_documents(report: IngestReport | None) -> list[int]:
    if report is None:
        return []
    return [e.document_id for e in report.events if e.status in ("added", "near-duplicate") and e.document_id]


def _silent(_stage: str, _done: int, _total: int | None) -> None:
    return None
