"""Extraction: entities, mentions, attributions, claims, quantities, dates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('entities',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('attributions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('parent_position', sa.Integer(), nullable=True),
    sa.Column('inferred_parent', sa.Boolean(), nullable=False),
    sa.Column('source_start', sa.Integer(), nullable=False),
    sa.Column('source_end', sa.Integer(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('source_name', sa.Text(), nullable=False),
    sa.Column('source_entity_id', sa.Integer(), nullable=True),
    sa.Column('named', sa.Boolean(), nullable=False),
    sa.Column('cue_start', sa.Integer(), nullable=False),
    sa.Column('cue_end', sa.Integer(), nullable=False),
    sa.Column('cue_text', sa.Text(), nullable=False),
    sa.Column('cue_lemma', sa.String(length=32), nullable=False),
    sa.Column('content_start', sa.Integer(), nullable=False),
    sa.Column('content_end', sa.Integer(), nullable=False),
    sa.Column('channel_start', sa.Integer(), nullable=True),
    sa.Column('channel_end', sa.Integer(), nullable=True),
    sa.Column('channel_text', sa.Text(), nullable=True),
    sa.Column('date_value', sa.String(length=32), nullable=True),
    sa.Column('date_start', sa.Integer(), nullable=True),
    sa.Column('date_end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_entity_id'], ['entities.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attributions_document_id'), ['document_id'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('hedged', sa.Boolean(), nullable=False),
    sa.Column('hedges', sa.JSON(), nullable=False),
    sa.Column('attribution_position', sa.Integer(), nullable=True),
    sa.Column('entity_keys', sa.JSON(), nullable=False),
    sa.Column('stage_version', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_document_id'), ['document_id'], unique=False)

    op.create_table('document_stages',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'stage')
    )
    op.create_table('entity_aliases',
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entity_id', 'alias')
    )
    op.create_table('mentions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentions_entity_id'), ['entity_id'], unique=False)

    op.create_table('dates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('value', sa.String(length=32), nullable=False),
    sa.Column('precision', sa.String(length=8), nullable=False),
    sa.Column('low', sa.Date(), nullable=True),
    sa.Column('high', sa.Date(), nullable=True),
    sa.Column('relative', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dates_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dates_document_id'), ['document_id'], unique=False)

    op.create_table('quantities',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('low', sa.Float(), nullable=True),
    sa.Column('high', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('qualifier', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quantities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quantities_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quantities_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('quantities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quantities_document_id'))
        batch_op.drop_index(batch_op.f('ix_quantities_claim_id'))

    op.drop_table('quantities')
    with op.batch_alter_table('dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dates_document_id'))
        batch_op.drop_index(batch_op.f('ix_dates_claim_id'))

    op.drop_table('dates')
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentions_entity_id'))
        batch_op.drop_index(batch_op.f('ix_mentions_document_id'))

    op.drop_table('mentions')
    op.drop_table('entity_aliases')
    op.drop_table('document_stages')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_document_id'))

    op.drop_table('claims')
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attributions_document_id'))

    op.drop_table('attributions')
    op.drop_table('entities')
