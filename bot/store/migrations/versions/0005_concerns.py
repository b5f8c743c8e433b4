"""concerns: bribery concerns (SNI ISO 37001 8.9), their threads, files, code attempts; FKAP role

Revision ID: 0005_concerns
Revises: 0004
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_concerns"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fkap", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("key_enc", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("story_enc", sa.Text(), nullable=False),
        sa.Column("identity_enc", sa.Text(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
        sa.UniqueConstraint("number", name=op.f("uq_concerns_number")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_concerns_code_hash")),
    )
    op.create_index(op.f("ix_concerns_status"), "concerns", ["status"])
    op.create_index(op.f("ix_concerns_received_on"), "concerns", ["received_on"])
    op.create_table(
        "concern_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=10), nullable=False),
        sa.Column("officer", sa.String(length=80), nullable=True),
        sa.Column("body_enc", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["concerns.id"],
            name=op.f("fk_concern_messages_concern_id_concerns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_messages")),
    )
    op.create_index(op.f("ix_concern_messages_concern_id"), "concern_messages", ["concern_id"])
    op.create_table(
        "concern_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("name_enc", sa.Text(), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concerns.id"], name=op.f("fk_concern_files_concern_id_concerns")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["concern_messages.id"],
            name=op.f("fk_concern_files_message_id_concern_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_files")),
    )
    op.create_index(op.f("ix_concern_files_concern_id"), "concern_files", ["concern_id"])
    op.create_table(
        "concern_code_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_code_attempts")),
    )
    op.create_index(op.f("ix_concern_code_attempts_bucket"), "concern_code_attempts", ["bucket"])
    op.create_index(op.f("ix_concern_code_attempts_at"), "concern_code_attempts", ["at"])


def downgrade() -> None:
    op.drop_table("concern_code_attempts")
    op.drop_table("concern_files")
    op.drop_table("concern_messages")
    op.drop_table("concerns")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("fkap")
