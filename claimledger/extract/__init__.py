"""Extract: per document, the attributions, claims, entities, quantities and dates."""

from claimledger.extract.pipeline import STAGE_VERSION, chain_of, extract_document

__all__ = ["STAGE_VERSION", "chain_of", "extract_document"]
