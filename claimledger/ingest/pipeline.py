"""Run ingestion over the inputs a user gives: read, build, deduplicate, store.

Every input is independent: one that fails is reported with its name and reason and the rest
go on. Every document is stored in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from claimledger.errors import InputError, StoreError, UnreadableInput
from claimledger.ingest import dedupe
from claimledger.ingest.documents import STAGE_VERSION, build_document
from claimledger.ingest.options import IngestOptions
from claimledger.ingest.readers import ItemFailure, RawItem, display_path, expand_inputs, read_input
from claimledger.store import Store

EventStatus = Literal["added", "duplicate", "near-duplicate", "failed"]


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """What happened to one article (or to an input that yielded none)."""

    label: str
    status: EventStatus
    document_id: int | None = None
    duplicate_of: int | None = None
    similarity: float | None = None
    error: InputError | None = None


@dataclass(slots=True)
class IngestReport:
    inputs: int = 0
    events: list[IngestEvent] = field(default_factory=list)

    def count(self, status: EventStatus) -> int:
        return sum(event.status == status for event in self.events)

    @property
    def failures(self) -> list[IngestEvent]:
        return [event for event in self.events if event.status == "failed"]

    def summary(self) -> dict[str, int]:
        return {
            "inputs": self.inputs,
            "added": self.count("added"),
            "duplicate": self.count("duplicate"),
            "near_duplicate": self.count("near-duplicate"),
            "failed": self.count("failed"),
        }


def ingest_inputs(
    arguments: Iterable[str],
    store: Store,
    options: IngestOptions,
    on_event: Callable[[IngestEvent], None] | None = None,
    on_input: Callable[[str, int, int], None] | None = None,
) -> IngestReport:
    """Ingest every input in `arguments` (paths, folders, URLs) into `store`.

    `on_input(label, index, total)` is called as each input starts and `on_event` for each
    article, so a caller can show progress; neither is needed.
    """
    inputs = expand_inputs(arguments)
    report = IngestReport(inputs=len(inputs))

    def record(event: IngestEvent) -> None:
        report.events.append(event)
        if on_event is not None:
            on_event(event)

    for index, argument in enumerate(inputs):
        label = display_path(argument)
        if on_input is not None:
            on_input(label, index, len(inputs))
        try:
            for item in read_input(argument, options):
                record(_ingest_item(item, store, options))
        except InputError as error:
            record(IngestEvent(label, "failed", error=error))
        except (StoreError, KeyboardInterrupt):
            raise
        except Exception as error:  # a reader's bug must not stop the other inputs
            record(IngestEvent(label, "failed", error=_unexpected(error)))
    return report


def _unexpected(error: Exception) -> InputError:
    detail = " ".join(str(error).split())[:200]
    return UnreadableInput(f"could not be read: {type(error).__name__}: {detail} (a claimledger bug: please report it)")


def _ingest_item(item: RawItem | ItemFailure, store: Store, options: IngestOptions) -> IngestEvent:
    if isinstance(item, ItemFailure):
        return IngestEvent(item.label, "failed", error=item.error)
    try:
        document = build_document(item, options)
    except InputError as error:
        return IngestEvent(item.label, "failed", error=error)
    except Exception as error:  # one article's surprise must not stop its siblings
        return IngestEvent(item.label, "failed", error=_unexpected(error))
    near = find_near_duplicates(store, document.minhash, document.bands)
    outcome = store.add_document(document, near, dedupe.METHOD, STAGE_VERSION)
    return IngestEvent(
        item.label,
        outcome.status,
        document_id=outcome.document_id,
        duplicate_of=outcome.duplicate_of,
        similarity=outcome.similarity,
    )


def find_near_duplicates(store: Store, minhash: bytes, bands: tuple[int, ...]) -> list[tuple[int, float]]:
    """Stored documents this signature nearly copies, best first."""
    signature = dedupe.Signature.from_bytes(minhash)
    scored = [
        (document_id, signature.similarity(dedupe.Signature.from_bytes(other)))
        for document_id, other in store.similar_candidates(bands)
    ]
    near = [pair for pair in scored if pair[1] >= dedupe.NEAR_DUPLICATE_THRESHOLD]
    return sorted(near, key=lambda pair: (-pair[1], pair[0]))
