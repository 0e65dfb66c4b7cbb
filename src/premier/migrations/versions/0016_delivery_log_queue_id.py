"""delivery log queue id: the message a delivery-log line is about is a queue row

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-04 23:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification_delivery_log", schema=None) as batch_op:
        batch_op.alter_column("outbox_id", new_column_name="queue_id")


def downgrade() -> None:
    with op.batch_alter_table("notification_delivery_log", schema=None) as batch_op:
        batch_op.alter_column("queue_id", new_column_name="outbox_id")
