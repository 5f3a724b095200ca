"""pending work: stories whose conflicts and groups whose assessment must be done again

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 03:30:00

Existing stories and groups start pending, so the first run after the upgrade brings every
conflict and assessment up to date (a store interrupted before this version may have missed some).
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conflicts_pending', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_index(batch_op.f('ix_stories_conflicts_pending'), ['conflicts_pending'], unique=False)
    with op.batch_alter_table('claim_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment_pending', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_index(batch_op.f('ix_claim_groups_assessment_pending'), ['assessment_pending'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('claim_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_groups_assessment_pending'))
        batch_op.drop_column('assessment_pending')
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_conflicts_pending'))
        batch_op.drop_column('conflicts_pending')
