"""document events for live updates

Revision ID: af6e506c3ccd
Revises: 7ae3903204a6
Create Date: 2026-11-25 19:29:04.858610
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import app.models


revision = 'af6e506c3ccd'
down_revision = '7ae3903204a6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('data', sa.Text(), server_default='{}', nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_event_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('document_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_event_document_id'))

    op.drop_table('document_event')
