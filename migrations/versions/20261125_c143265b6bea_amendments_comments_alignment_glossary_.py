"""amendments comments alignment glossary evidence versions reviews

Revision ID: c143265b6bea
Revises: af6e506c3ccd
Create Date: 2026-11-25 19:51:20.264991
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import app.models


revision = 'c143265b6bea'
down_revision = 'af6e506c3ccd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('glossary_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('term_de', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('term_fr', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('false_friend', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'term_de', 'term_fr')
    )
    with op.batch_alter_table('glossary_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_glossary_term_group_id'), ['group_id'], unique=False)

    op.create_table('initiative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name_de', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('name_fr', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('municipality', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('themes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('since', sa.Integer(), nullable=True),
    sa.Column('summary_de', sa.Text(), server_default='', nullable=False),
    sa.Column('summary_fr', sa.Text(), server_default='', nullable=False),
    sa.Column('links', sa.Text(), server_default='', nullable=False),
    sa.Column('contact_notes', sa.Text(), server_default='', nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_country'), ['country'], unique=False)

    op.create_table('document_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('is_review', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'number')
    )
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_version_document_id'), ['document_id'], unique=False)

    op.create_table('initiative_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('initiative_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_revision_initiative_id'), ['initiative_id'], unique=False)

    op.create_table('evidence_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ),
    sa.ForeignKeyConstraint(['removed_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_link_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_link_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_link_paragraph_id'), ['paragraph_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('liaison_id', sa.Integer(), nullable=False),
    sa.Column('government', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['liaison_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_document_id'), ['document_id'], unique=False)

    op.create_table('version_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('version_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_evidence_version_id'), ['version_id'], unique=False)

    op.create_table('alignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('de_revision_id', sa.Integer(), nullable=False),
    sa.Column('fr_revision_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['de_revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['fr_revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alignment_paragraph_id'), ['paragraph_id'], unique=False)

    op.create_table('amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('de_text', sa.Text(), nullable=True),
    sa.Column('fr_text', sa.Text(), nullable=True),
    sa.Column('de_base_revision_id', sa.Integer(), nullable=True),
    sa.Column('fr_base_revision_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('rebase_state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('applied_de_text', sa.Text(), nullable=True),
    sa.Column('applied_fr_text', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['de_base_revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['fr_base_revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendment_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendment_paragraph_id'), ['paragraph_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendment_status'), ['status'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('anchor_start', sa.Integer(), nullable=True),
    sa.Column('anchor_end', sa.Integer(), nullable=True),
    sa.Column('anchor_state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('anchor_revision_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['anchor_revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], ),
    sa.ForeignKeyConstraint(['resolved_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_paragraph_id'), ['paragraph_id'], unique=False)

    op.create_table('version_paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('de_revision_id', sa.Integer(), nullable=False),
    sa.Column('fr_revision_id', sa.Integer(), nullable=False),
    sa.Column('alignment', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['de_revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['fr_revision_id'], ['revision.id'], ),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('version_paragraph', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_paragraph_version_id'), ['version_id'], unique=False)

    op.create_table('amendment_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('amendment_id', 'user_id')
    )
    with op.batch_alter_table('amendment_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_support_amendment_id'), ['amendment_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adopted_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('adopted_at', app.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_document_adopted', 'document_version', ['adopted_version_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint('fk_document_adopted', type_='foreignkey')
        batch_op.drop_column('adopted_at')
        batch_op.drop_column('adopted_version_id')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))

    op.drop_table('notification')
    with op.batch_alter_table('amendment_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_support_amendment_id'))

    op.drop_table('amendment_support')
    with op.batch_alter_table('version_paragraph', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_paragraph_version_id'))

    op.drop_table('version_paragraph')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_paragraph_id'))
        batch_op.drop_index(batch_op.f('ix_comment_document_id'))

    op.drop_table('comment')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_status'))
        batch_op.drop_index(batch_op.f('ix_amendment_paragraph_id'))
        batch_op.drop_index(batch_op.f('ix_amendment_document_id'))
        batch_op.drop_index(batch_op.f('ix_amendment_author_id'))

    op.drop_table('amendment')
    with op.batch_alter_table('alignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alignment_paragraph_id'))

    op.drop_table('alignment')
    with op.batch_alter_table('version_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_evidence_version_id'))

    op.drop_table('version_evidence')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_document_id'))

    op.drop_table('review')
    with op.batch_alter_table('evidence_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_link_paragraph_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_link_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_link_document_id'))

    op.drop_table('evidence_link')
    with op.batch_alter_table('initiative_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_revision_initiative_id'))

    op.drop_table('initiative_revision')
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_version_document_id'))

    op.drop_table('document_version')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_country'))

    op.drop_table('initiative')
    with op.batch_alter_table('glossary_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_glossary_term_group_id'))

    op.drop_table('glossary_term')
