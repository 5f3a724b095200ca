"""Ingest: decode any input into stored Documents (files, folders, feeds, WARC, URLs)."""

from claimledger.ingest.options import IngestOptions
from claimledger.ingest.pipeline import IngestEvent, IngestReport, ingest_inputs

__all__ = ["IngestEvent", "IngestOptions", "IngestReport", "ingest_inputs"]
