"""review replies: the hotel's public answer to a guest's review, and who wrote it

Revision ID: 0029
Revises: 0023
Create Date: 2026-12-05 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("replied_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("replied_at")
        batch_op.drop_column("replied_by_id")
        batch_op.drop_column("reply")
