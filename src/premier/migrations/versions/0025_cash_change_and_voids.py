"""cash change and voids: the cash a guest handed over and the change given back, and who
voided a mistaken cash payment, when and why

Revision ID: 0025
Revises: 0027
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_PAYMENT_COLUMNS = (
    ("tendered_amount", sa.Integer()),
    ("change_due", sa.Integer()),
    ("voided_at", sa.DateTime(timezone=True)),
    ("voided_by_id", sa.Integer()),
    ("void_reason", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        for name, kind in NEW_PAYMENT_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_payments_voided_by_id_users"), "users", ["voided_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_payments_voided_by_id_users"), type_="foreignkey")
        for name, _ in reversed(NEW_PAYMENT_COLUMNS):
            batch_op.drop_column(name)
