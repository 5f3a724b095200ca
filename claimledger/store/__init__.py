"""The store: documents and everything later stages derive from them."""

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
    "DEFAULT_DB",
    "AddOutcome",
    "DocumentSummary",
    "NearDuplicate",
    "SourceSighting",
    "Store",
    "StoredDocument",
    "resolve_db_url",
]
