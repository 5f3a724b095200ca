"""how worth checking each grouped claim is, and each group (its most check-worthy claim)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 11:10:00

Both stay empty on rows written before this revision until `claimledger link` scores them
from the claim vectors already stored (no claim is embedded again).
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('group_claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worthiness', sa.Float(), nullable=True))
    with op.batch_alter_table('group_views', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worthiness', sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f('ix_group_views_worthiness'), ['worthiness'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('group_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_views_worthiness'))
        batch_op.drop_column('worthiness')
    with op.batch_alter_table('group_claims', schema=None) as batch_op:
        batch_op.drop_column('worthiness')
