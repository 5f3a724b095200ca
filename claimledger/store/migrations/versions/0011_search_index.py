"""full-text search index over documents and claims

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 07:00:00

SQLite: two FTS5 tables (rowid = document id, claim id), emptied by triggers when the rows they
index are deleted. PostgreSQL: two tables of tsvectors with GIN indexes, emptied by foreign-key
cascades. Rows already stored are indexed here, in the migration's transaction.
"""

from alembic import op
import sqlalchemy as sa

from claimledger.store.search import index_claims, index_document


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE document_search (document_id INTEGER PRIMARY KEY REFERENCES documents (id)"
            " ON DELETE CASCADE, body TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_document_search_body ON document_search USING GIN (body)")
        op.execute(
            "CREATE TABLE claim_search (claim_id INTEGER PRIMARY KEY REFERENCES claims (id) ON DELETE CASCADE,"
            " document_id INTEGER NOT NULL, body TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_claim_search_body ON claim_search USING GIN (body)")
    else:
        op.execute("CREATE VIRTUAL TABLE document_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')")
        op.execute("CREATE VIRTUAL TABLE claim_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER documents_unindex AFTER DELETE ON documents BEGIN DELETE FROM document_search WHERE rowid = old.id; END")
        op.execute("CREATE TRIGGER claims_unindex AFTER DELETE ON claims BEGIN DELETE FROM claim_search WHERE rowid = old.id; END")
    _index_what_is_stored(connection)


def _index_what_is_stored(connection: sa.Connection) -> None:
    for row in connection.execute(sa.text("SELECT id, title, text FROM documents ORDER BY id")).all():
        index_document(connection, row.id, row.title, row.text)
    rows = connection.execute(sa.text("SELECT id, document_id, text FROM claims ORDER BY id")).all()
    for start in range(0, len(rows), _BATCH):
        index_claims(connection, [(r.id, r.document_id, r.text) for r in rows[start : start + _BATCH]])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TRIGGER claims_unindex")
        op.execute("DROP TRIGGER documents_unindex")
    op.drop_table('claim_search')
    op.drop_table('document_search')
