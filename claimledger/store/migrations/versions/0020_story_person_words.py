"""postings from the words of a story's central people to the story

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 18:30:00

Each link run read every story's summary to build its story index: 2 s at 28,000 stories,
growing with the store. Now it reads each story's centroid alone, and the summaries of the
stories a report may join (the nearest in meaning, and those about its person, found through
these postings). The postings are written with their summary; here they are made from the
summaries already stored, under the rule of claimledger.link.stories.person_words at this
revision (a person's key, its first word and its last word).
"""

import json

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('story_person_words',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('word', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['story_summaries.story_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'word')
    )
    op.create_index('ix_story_person_words_word', 'story_person_words', ['word'], unique=False)
    connection = op.get_bind()
    postings = set()
    for story_id, who in connection.execute(sa.text("SELECT story_id, who FROM story_summaries")):
        for key in json.loads(who) if isinstance(who, str) else who:
            words = key.split()
            postings |= {(story_id, word) for word in {key, *words[:1], *words[-1:]}}
    if postings:
        op.bulk_insert(sa.table('story_person_words', sa.column('story_id', sa.Integer()), sa.column('word', sa.Text())),
                       [{"story_id": story_id, "word": word} for story_id, word in sorted(postings)])


def downgrade() -> None:
    op.drop_index('ix_story_person_words_word', table_name='story_person_words')
    op.drop_table('story_person_words')
