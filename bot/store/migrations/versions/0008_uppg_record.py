"""UPPG record: internal notes, the question's status change, hand-over date, retention mark,
the audit log's IP address

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("internal_note", sa.Text(), nullable=True))
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_change_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("internal_note", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_thread_messages_status_change_id_status_changes"),
            "status_changes",
            ["status_change_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_over_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ip", sa.String(length=45), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("ip")
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("handed_over_on")
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_thread_messages_status_change_id_status_changes"), type_="foreignkey"
        )
        batch_op.drop_column("internal_note")
        batch_op.drop_column("status_change_id")
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_column("internal_note")
