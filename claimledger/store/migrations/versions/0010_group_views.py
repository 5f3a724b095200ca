"""group views: what assess derived for each group, stored with its status

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 06:10:00

Every group is left to be assessed again, which writes its view.
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('group_views',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('claim_ids', sa.JSON(), nullable=False),
    sa.Column('claim_count', sa.Integer(), nullable=False),
    sa.Column('doc_ids', sa.JSON(), nullable=False),
    sa.Column('origins', sa.JSON(), nullable=False),
    sa.Column('independent_origins', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('grade', sa.String(length=2), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('stage_version', sa.String(length=64), nullable=False),
    sa.Column('assessed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['claim_groups.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id')
    )
    with op.batch_alter_table('group_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_views_story_id'), ['story_id'], unique=False)
    op.execute(sa.text("UPDATE claim_groups SET assessment_pending = :yes").bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table('group_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_views_story_id'))
    op.drop_table('group_views')
