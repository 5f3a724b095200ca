"""The ledger: the one owner of the pipeline and of the user's actions, what the faces call."""

from claimledger.ledger.actions import (
    add_evidence,
    correct,
    dismiss_conflict,
    merge_stories,
    move_documents,
    rate_source,
    undo,
)
from claimledger.ledger.pipeline import (
    Progress,
    RunReport,
    backlog,
    describe_backlog,
    finish_pending,
    run_pipeline,
)

__all__ = [
    "Progress",
    "RunReport",
    "add_evidence",
    "backlog",
    "correct",
    "describe_backlog",
    "dismiss_conflict",
    "finish_pending",
    "merge_stories",
    "move_documents",
    "rate_source",
    "run_pipeline",
    "undo",
]
