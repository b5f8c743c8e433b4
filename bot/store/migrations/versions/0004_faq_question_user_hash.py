"""faq questions: user hash, so a pressed suggestion is linked to its question

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-24 05:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faq_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_faq_questions_user_hash"), ["user_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("faq_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_questions_user_hash"))
        batch_op.drop_column("user_hash")
