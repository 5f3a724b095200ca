"""Ingest: decode any input into stored Documents (files, folders, feeds, WARC, URLs).

Names are loaded on first use (PEP 562): the readers pull in trafilatura and friends, which a
command that only reads the store never needs.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "IngestOptions": "claimledger.ingest.options",
    "IngestEvent": "claimledger.ingest.pipeline",
    "IngestReport": "claimledger.ingest.pipeline",
    "ingest_inputs": "claimledger.ingest.pipeline",
}
__all__ = ["IngestEvent", "IngestOptions", "IngestReport", "ingest_inputs"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
