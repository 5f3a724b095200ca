"""story summaries: what placing a report needs of each story, derived from its reports

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 08:00:00

Linking read every placed report (its vector and signature) to index the stories each run: 5 s
at 100,000 documents. A story's summary (its reports' count and id sum, vector sum, central
people, event types and dates) is written by linking and dropped by every change to the story's
reports; the first link run after this migration writes them all.

And a partial index of the grouped claims without a check-worthiness score, which every link
run looks for: without it, finding none read every grouped claim (2 s at 100,000 documents).
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('story_summaries',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('first_document', sa.Integer(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('member_sum', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.LargeBinary(), nullable=False),
    sa.Column('who', sa.JSON(), nullable=False),
    sa.Column('what', sa.JSON(), nullable=False),
    sa.Column('dates', sa.JSON(), nullable=False),
    sa.Column('stage_version', sa.String(length=96), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id')
    )
    unscored = sa.text('worthiness IS NULL')
    op.create_index('ix_group_claims_unscored', 'group_claims', ['claim_id'],
                    sqlite_where=unscored, postgresql_where=unscored)


def downgrade() -> None:
    op.drop_index('ix_group_claims_unscored', table_name='group_claims')
    op.drop_table('story_summaries')
