"""event signatures (who, what and when of each document), threads of stories, wire credits,
dismissed conflicts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 05:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('event_signatures',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('who', sa.JSON(), nullable=False),
    sa.Column('what', sa.JSON(), nullable=False),
    sa.Column('event_date', sa.String(length=10), nullable=True),
    sa.Column('date_source', sa.String(length=16), nullable=True),
    sa.Column('date_confidence', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id')
    )


    op.create_table('document_credits',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('agency_key', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'position')
    )
    op.create_table('dismissed_conflicts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('doc_a', sa.Integer(), nullable=False),
    sa.Column('a_start', sa.Integer(), nullable=False),
    sa.Column('a_end', sa.Integer(), nullable=False),
    sa.Column('doc_b', sa.Integer(), nullable=False),
    sa.Column('b_start', sa.Integer(), nullable=False),
    sa.Column('b_end', sa.Integer(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['correction_id'], ['corrections.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['doc_a'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['doc_b'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dismissed_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dismissed_conflicts_correction_id'), ['correction_id'], unique=False)
    op.create_table('threads',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thread_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stories_thread_id'), ['thread_id'], unique=False)
        batch_op.create_foreign_key('fk_stories_thread_id_threads', 'threads', ['thread_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_constraint('fk_stories_thread_id_threads', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stories_thread_id'))
        batch_op.drop_column('thread_id')
    op.drop_table('threads')
    with op.batch_alter_table('dismissed_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dismissed_conflicts_correction_id'))
    op.drop_table('dismissed_conflicts')
    op.drop_table('document_credits')
    op.drop_table('event_signatures')
