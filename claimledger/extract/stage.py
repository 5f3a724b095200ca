"""Run extraction over stored documents: the ones not yet extracted, chosen ones, or all."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from claimledger.extract.pipeline import STAGE_VERSION, Report
from claimledger.extract.workers import extract_chunks, parse_workers
from claimledger.store import Store, StoredDocument

# Documents read and parsed together; each is still saved in its own transaction, so a kill
# loses at most the unsaved work of the chunks in hand, never half a document.
_CHUNK = 32


@dataclass(slots=True)
class ExtractReport:
    documents: int = 0
    claims: int = 0
    attributions: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # "document 7: only the first 1,000 of its 2,703 claims were kept"


def run_extraction(
    store: Store,
    document_ids: Iterable[int] | None = None,
    rerun: bool = False,
    on_document: Callable[[int, int, int], None] | None = None,
    workers: int = 0,
    cluster: str | None = None,
) -> ExtractReport:
    """Extract the given documents (default: those not yet extracted by this version).

    `rerun` extracts every stored document again. `on_document(id, done, total)` reports
    progress. Each document's result replaces its previous one in a single transaction.
    `workers` extracts on that many Ray workers (claimledger.extract.cluster), on the cluster
    at `cluster` or on a Ray started here; else here, with parse workers for a large batch.
    """
    if document_ids is not None:
        targets = list(document_ids)
    elif rerun:
        targets = list(store.iter_document_ids())
    else:
        targets = store.documents_to_extract(STAGE_VERSION)
    report = ExtractReport()
    read: deque[list[StoredDocument]] = deque()

    def chunks() -> Iterator[list[Report]]:
        for start in range(0, len(targets), _CHUNK):
            documents = [store.get_document(document_id) for document_id in targets[start : start + _CHUNK]]
            read.append(documents)
            yield [Report(d.text, d.regions, d.language, d.published, d.title, d.published_source, d.url) for d in documents]

    if workers and targets:  # Ray is imported only when asked for
        from claimledger.extract.cluster import extract_chunks_on_ray

        extracted = extract_chunks_on_ray(chunks(), workers, cluster)
    else:
        extracted = extract_chunks(chunks(), parse_workers(len(targets)))
    done = 0
    for extractions in extracted:
        for document, extraction in zip(read.popleft(), extractions, strict=True):
            done += 1
            if isinstance(extraction, Exception):
                report.failed.append((document.id, f"{type(extraction).__name__}: {extraction}"))
                continue
            store.save_extraction(document.id, extraction, STAGE_VERSION)
            report.limits.extend(f"document {document.id}: {limit}" for limit in extraction.limits)
            report.documents += 1
            report.claims += len(extraction.claims)
            report.attributions += len(extraction.attributions)
            if on_document is not None:
                on_document(document.id, done, len(targets))
    return report
