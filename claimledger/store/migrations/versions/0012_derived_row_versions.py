"""the stage and version that wrote each derived row: placements, group memberships (and their
vectors, with the encoder's version), conflicts, statuses

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 07:30:00

Rows written before this revision are marked 'before 0012': the version that wrote them was
not recorded.
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_TABLES = ('story_documents', 'group_claims', 'conflicts', 'group_status')


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('stage_version', sa.String(length=96), server_default='before 0012', nullable=False))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('stage_version')
