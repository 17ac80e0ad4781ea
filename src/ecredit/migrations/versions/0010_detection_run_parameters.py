"""detection run parameters: the thresholds each run's detectors used

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("detection_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "parameters",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("detection_run", schema=None) as batch_op:
        batch_op.drop_column("parameters")
