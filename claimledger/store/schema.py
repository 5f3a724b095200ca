"""The tables, as SQLAlchemy Core sees them.

The migrations in `migrations/versions` create these tables; a test checks that the two agree,
so a column added here without a migration fails CI.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("outlet", Text),
    Column("outlet_source", String(16), nullable=False),
    Column("byline", Text),
    Column("published", Date),
    Column("published_source", String(16), nullable=False),
    Column("published_confidence", Float, nullable=False),
    Column("language", String(16)),
    Column("source_kind", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("text", Text, nullable=False),
    Column("regions", JSON, nullable=False),  # [{"kind": "caption", "start": 0, "end": 10}]
    Column("repairs", JSON, nullable=False),  # what cleaning changed, e.g. "&9; -> '"
    Column("words", Integer, nullable=False),
    Column("raw", LargeBinary, nullable=False),  # the input bytes, zlib-compressed
    Column("raw_type", String(100), nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("stage_version", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

# Every place a document was seen: a second URL carrying the same text is recorded here, not
# stored as a second document, because a copy is not a second source.
document_sources = Table(
    "document_sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("source_kind", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("document_id", "source", name="uq_document_sources_document_source"),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", SmallInteger, primary_key=True),
    Column("key", BigInteger, primary_key=True),
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

near_duplicates = Table(
    "near_duplicates",
    metadata,
    Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "duplicate_of", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("similarity", Float, nullable=False),
    Column("method", String(32), nullable=False),
)
