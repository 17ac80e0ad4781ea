"""merchant credit-risk early warnings: one current warning per subject

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 13:27:34.321306
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subject_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column(
            "reasons", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_subject_warning_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_warning")),
        sa.UniqueConstraint("subject_id", name=op.f("uq_subject_warning_subject_id")),
    )
    with op.batch_alter_table("subject_warning", schema=None) as batch_op:
        batch_op.create_index("ix_subject_warning_level", ["level", "score"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("subject_warning", schema=None) as batch_op:
        batch_op.drop_index("ix_subject_warning_level")

    op.drop_table("subject_warning")
