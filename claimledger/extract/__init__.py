"""Extract: per document, the attributions, claims, entities, quantities and dates.

Names are loaded on first use (PEP 562), so that asking for the stage's version does not load
spaCy and the Chinese dictionaries.
"""

from __future__ import annotations

import importlib
from typing import Any

from claimledger.extract.version import STAGE_VERSION

_WHERE = {
    "ExtractReport": "claimledger.extract.stage",
    "run_extraction": "claimledger.extract.stage",
    "chain_of": "claimledger.extract.pipeline",
    "extract_document": "claimledger.extract.pipeline",
}
__all__ = ["STAGE_VERSION", "ExtractReport", "chain_of", "extract_document", "run_extraction"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
