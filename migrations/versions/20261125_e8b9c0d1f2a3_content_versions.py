"""content versions: what a rendered document page depends on, counted in the database

``document.content_version`` is raised by every write to a document's paragraphs, texts,
amendments, comments, evidence, versions and reviews; ``site_version.version`` by every
write to people, groups, memberships, glossaries and initiatives (app/page_versions.py).

Revision ID: e8b9c0d1f2a3
Revises: d7e1f0a2b3c4
Create Date: 2026-11-25 22:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e8b9c0d1f2a3"
down_revision = "d7e1f0a2b3c4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "site_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("site_version")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("content_version")
