"""a mark on each placed report some of whose claims wait for grouping

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 12:10:00

Linking found the claims that wait for grouping by checking every claim against group_claims:
2.7 s at 100,000 documents, every run. Whatever makes a report's claims wait (placing it,
moving it, re-extracting it, undoing a merge of stories) now marks it, in the same transaction,
and linking reads the marked reports only. Here the reports that have a claim in no group are
marked; the others are not.
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('story_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claims_pending', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.execute(
        "UPDATE story_documents SET claims_pending = false WHERE NOT EXISTS ("
        " SELECT 1 FROM claims WHERE claims.document_id = story_documents.document_id"
        " AND NOT EXISTS (SELECT 1 FROM group_claims WHERE group_claims.claim_id = claims.id))"
    )
    op.create_index('ix_story_documents_claims_pending', 'story_documents', ['document_id'],
                    sqlite_where=sa.text('claims_pending = 1'), postgresql_where=sa.text('claims_pending = true'))


def downgrade() -> None:
    op.drop_index('ix_story_documents_claims_pending', table_name='story_documents')
    with op.batch_alter_table('story_documents', schema=None) as batch_op:
        batch_op.drop_column('claims_pending')
