"""Documents, the places they were seen, MinHash bands and near-duplicate links.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("outlet_source", sa.String(16), nullable=False),
        sa.Column("byline", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("published_source", sa.String(16), nullable=False),
        sa.Column("published_confidence", sa.Float, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("repairs", sa.JSON, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("raw_type", sa.String(100), nullable=False),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.Column("stage_version", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "document_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("document_id", "source", name="uq_document_sources_document_source"),
    )
    op.create_table(
        "minhash_bands",
        sa.Column("band", sa.SmallInteger, primary_key=True),
        sa.Column("key", sa.BigInteger, primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_table(
        "near_duplicates",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "duplicate_of",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("near_duplicates")
    op.drop_table("minhash_bands")
    op.drop_table("document_sources")
    op.drop_table("documents")
