"""room housekeeping status: clean or dirty, who changed it and when, and why a room is out
of service; service requests the hotel raises itself (a departure's cleaning) have no guest

Plain ADD COLUMN (no batch rebuild): rebuilding `rooms` on SQLite would drop its inventory
triggers (0007), and the changer is a plain user id for the same reason (see Audited).

Revision ID: 0024
Revises: 0025
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "rooms",
        sa.Column("housekeeping", sa.String(length=16), nullable=False, server_default="clean"),
    )
    op.add_column(
        "rooms",
        sa.Column(
            "out_of_service_reason", sa.String(length=500), nullable=False, server_default=""
        ),
    )
    op.add_column(
        "rooms", sa.Column("housekeeping_changed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("rooms", sa.Column("housekeeping_changed_by_id", sa.Integer(), nullable=True))
    # service_requests has no triggers: rebuilding it on SQLite loses nothing.
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.alter_column("guest_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM service_requests WHERE guest_id IS NULL")
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.alter_column("guest_id", existing_type=sa.Integer(), nullable=False)
    for column in (
        "housekeeping_changed_by_id",
        "housekeeping_changed_at",
        "out_of_service_reason",
        "housekeeping",
    ):
        op.drop_column("rooms", column)
