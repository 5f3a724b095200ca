"""Run extraction over stored documents: the ones not yet extracted, chosen ones, or all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from claimledger.extract.pipeline import STAGE_VERSION, extract_document
from claimledger.store import Store


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
) -> ExtractReport:
    """Extract the given documents (default: those not yet extracted by this version).

    `rerun` extracts every stored document again. `on_document(id, done, total)` reports
    progress. Each document's result replaces its previous one in a single transaction.
    """
    if document_ids is not None:
        targets = list(document_ids)
    elif rerun:
        targets = list(store.iter_document_ids())
    else:
        targets = store.documents_to_extract(STAGE_VERSION)
    report = ExtractReport()
    for done, document_id in enumerate(targets, start=1):
        document = store.get_document(document_id)
        try:
            extraction = extract_document(document.text, document.regions, document.language, document.published,
                                          document.title, document.published_source, document.url)
        except Exception as error:  # one document's failure must not stop the others
            report.failed.append((document_id, f"{type(error).__name__}: {error}"))
            continue
        store.save_extraction(document_id, extraction, STAGE_VERSION)
        report.limits.extend(f"document {document_id}: {limit}" for limit in extraction.limits)
        report.documents += 1
        report.claims += len(extraction.claims)
        report.attributions += len(extraction.attributions)
        if on_document is not None:
            on_document(document_id, done, len(targets))
    return report
