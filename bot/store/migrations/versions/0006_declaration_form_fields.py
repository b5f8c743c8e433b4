"""declarations: the giver's position and address, the reason, Lainnya texts, statement of truth

Revision ID: 0006
Revises: 0005_concerns
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005_concerns"
branch_labels = None
depends_on = None

COLUMNS = (
    ("giver_position", sa.String(length=200)),
    ("giver_address_enc", sa.Text()),
    ("occasion_other", sa.String(length=200)),
    ("reason", sa.Text()),
    ("object_type_other", sa.String(length=200)),
)


def upgrade() -> None:
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.add_column(
            sa.Column("declared_true_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.drop_column("declared_true_at")
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
