"""work queue: who handles a declaration, unread reporter answers, NIP index, content digest

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("nip_index", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("content_digest", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_declarations_assignee_id_users"),
            "users",
            ["assignee_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_declarations_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_declarations_nip_index"), ["nip_index"], unique=False)
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_at", sa.DateTime(timezone=True), nullable=True))
    # Answers that came in before this revision count as read: the queue starts clean.
    op.execute("UPDATE thread_messages SET read_at = at WHERE direction = 'from_reporter'")


def downgrade() -> None:
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.drop_column("read_at")
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declarations_nip_index"))
        batch_op.drop_index(batch_op.f("ix_declarations_assignee_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_declarations_assignee_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("content_digest")
        batch_op.drop_column("nip_index")
        batch_op.drop_column("assignee_id")
