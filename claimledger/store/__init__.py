"""The store: documents and everything later stages derive from them."""

from claimledger.store.extraction import ChainLink, ClaimRecord, EntityRecord
from claimledger.store.search import SearchQuery, SearchResults, results_json
from claimledger.store.sql import (
    DEFAULT_DB,
    AddOutcome,
    DocumentSummary,
    NearDuplicate,
    SourceSighting,
    Store,
    StoredDocument,
    resolve_db_url,
)

__all__ = [
    "ChainLink",
    "ClaimRecord",
    "EntityRecord",
    "DEFAULT_DB",
    "AddOutcome",
    "DocumentSummary",
    "NearDuplicate",
    "SourceSighting",
    "Store",
    "StoredDocument",
    "resolve_db_url",
    "SearchQuery",
    "SearchResults",
    "results_json",
]
