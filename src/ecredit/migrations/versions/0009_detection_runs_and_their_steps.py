"""detection runs and their steps

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 15:15:02.691392
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "detection_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=20), nullable=False),
        sa.Column("trigger", sa.String(length=40), nullable=False),
        sa.Column(
            "requested", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("running_slot", sa.Boolean(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_detector", sa.String(length=40), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detection_run")),
        sa.UniqueConstraint("running_slot", name=op.f("uq_detection_run_running_slot")),
    )
    with op.batch_alter_table("detection_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_detection_run_started_at"), ["started_at"], unique=False
        )

    op.create_table(
        "detection_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("detector", sa.String(length=40), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("skipped", sa.String(length=500), nullable=True),
        sa.Column("raised", sa.Integer(), nullable=False),
        sa.Column("duplicate", sa.Integer(), nullable=False),
        sa.Column("unknown_shop", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["detection_run.id"], name=op.f("fk_detection_step_run_id_detection_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detection_step")),
        sa.UniqueConstraint("run_id", "detector", name=op.f("uq_detection_step_run_id_detector")),
    )
    with op.batch_alter_table("detection_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detection_step_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("detection_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_detection_step_run_id"))

    op.drop_table("detection_step")
    with op.batch_alter_table("detection_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_detection_run_started_at"))

    op.drop_table("detection_run")
