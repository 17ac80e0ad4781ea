"""job priority: the runner takes the highest first, then the longest due

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 19:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        # Jobs queued before were all background work (JobPriority.BACKGROUND = 0).
        batch_op.add_column(
            sa.Column("priority", sa.SmallInteger(), nullable=False, server_default="0")
        )
        batch_op.drop_index(batch_op.f("ix_job_due"))
        batch_op.create_index(
            batch_op.f("ix_job_due"), ["status", "priority", "run_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_due"))
        batch_op.create_index(batch_op.f("ix_job_due"), ["status", "run_at"], unique=False)
        batch_op.drop_column("priority")
