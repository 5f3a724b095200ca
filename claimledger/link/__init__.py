"""Link: documents into stories, claims into claim groups, conflicts inside groups."""

from claimledger.link.stage import LinkReport, run_linking

__all__ = ["LinkReport", "run_linking"]
