"""Extract: per document, the attributions, claims, entities, quantities and dates."""

from claimledger.extract.pipeline import STAGE_VERSION, chain_of, extract_document
from claimledger.extract.stage import ExtractReport, run_extraction

__all__ = ["STAGE_VERSION", "ExtractReport", "chain_of", "extract_document", "run_extraction"]
