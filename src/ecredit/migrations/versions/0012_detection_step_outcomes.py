"""detection steps count repeated findings and findings of unregistered platforms

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Steps recorded before counted these findings as `duplicate`; they stay as recorded.
    with op.batch_alter_table("detection_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repeated", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("unregistered_platform", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("detection_step", schema=None) as batch_op:
        batch_op.drop_column("unregistered_platform")
        batch_op.drop_column("repeated")
