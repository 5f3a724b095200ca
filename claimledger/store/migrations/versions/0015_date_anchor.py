"""what each date was resolved against: the publication date, or the report's own event day

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 19:20:00

Dates stored before this revision were resolved against the publication date when relative,
and against nothing otherwise; the new column says so for them too.
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anchor', sa.String(length=16), nullable=True))
    op.execute("UPDATE dates SET anchor = 'published' WHERE relative AND low IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('dates', schema=None) as batch_op:
        batch_op.drop_column('anchor')
