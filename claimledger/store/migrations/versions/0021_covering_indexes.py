"""indexes that answer three store-wide reads without reading the rows

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 18:40:00

At 100,000 documents, the outlets of the stored documents (asked by assess and by every group
page) were read by scanning the documents themselves, texts and all: 300 ms. The story list,
latest event first, read each story's reports' rows for their event day: 490 ms. The latest
assessment, checked by every page kept between requests (sources, entities), read every group
view: 520 ms. Each is answered from an index now.
"""

from alembic import op


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_documents_outlet', 'documents', ['outlet'], unique=False)
    op.create_index('ix_story_documents_story_event', 'story_documents', ['story_id', 'event_date'], unique=False)
    op.create_index('ix_group_views_assessed_at', 'group_views', ['assessed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_group_views_assessed_at', table_name='group_views')
    op.drop_index('ix_story_documents_story_event', table_name='story_documents')
    op.drop_index('ix_documents_outlet', table_name='documents')
