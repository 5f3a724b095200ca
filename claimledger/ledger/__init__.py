"""The ledger: the one owner of the pipeline, of the user's actions and of the views; what the
faces (CLI, web app, exports) call, and all they call besides the model and the errors.

    pipeline   run the stages over a scope of documents, under the store's lock, resumable
    actions    evidence, ratings, corrections, claims like this one
    accounts   who may write, their tokens and sessions
    views      stories, threads, groups, traces, documents, entities, checkpoints, search

Names are loaded on first use (PEP 562): a command that only reads never loads a model.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    # the store, as the faces see it
    "Store": "claimledger.store",
    "open_store": "claimledger.ledger.views",
    "BUSY_ERRORS": "claimledger.store.sql",
    "is_busy_error": "claimledger.store.sql",
    "SearchQuery": "claimledger.store",
    "SearchResults": "claimledger.store",
    "results_json": "claimledger.store",
    "MAX_QUERY_CHARS": "claimledger.store.search",
    "IngestOptions": "claimledger.ingest.options",
    "IngestEvent": "claimledger.ingest.pipeline",
    "ExtractReport": "claimledger.extract.stage",
    "ClaimRecord": "claimledger.store",
    "StoredDocument": "claimledger.store",
    # pipeline
    "Progress": "claimledger.ledger.pipeline",
    "RunReport": "claimledger.ledger.pipeline",
    "backlog": "claimledger.ledger.pipeline",
    "describe_backlog": "claimledger.ledger.pipeline",
    "finish_pending": "claimledger.ledger.pipeline",
    "run_pipeline": "claimledger.ledger.pipeline",
    # actions
    "add_evidence": "claimledger.ledger.actions",
    "correct": "claimledger.ledger.actions",
    "dismiss_conflict": "claimledger.ledger.actions",
    "evidence_target": "claimledger.ledger.actions",
    "merge_groups_into": "claimledger.ledger.actions",
    "language_code": "claimledger.ingest.documents",
    "triage_checkpoint": "claimledger.ledger.actions",
    "merge_entities": "claimledger.ledger.actions",
    "merge_groups": "claimledger.ledger.actions",
    "merge_stories": "claimledger.ledger.actions",
    "move_documents": "claimledger.ledger.actions",
    "rate_source": "claimledger.ledger.actions",
    "rating_key": "claimledger.ledger.actions",
    "similar_claims": "claimledger.ledger.actions",
    "split_claim": "claimledger.ledger.actions",
    "split_entity": "claimledger.ledger.actions",
    "undo": "claimledger.ledger.actions",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
