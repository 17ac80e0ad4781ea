"""attempt counters of public secret checks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attempt_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_counter")),
        sa.UniqueConstraint("rule", "key", name=op.f("uq_attempt_counter_rule_key")),
    )
    with op.batch_alter_table("attempt_counter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attempt_counter_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("attempt_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempt_counter_expires_at"))
    op.drop_table("attempt_counter")
