"""otp_sends: one row per verification code sent, for the per-number and per-address caps

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-04 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "otp_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("client_address", sa.String(length=45), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_otp_sends_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_otp_sends")),
    )
    with op.batch_alter_table("otp_sends", schema=None) as batch_op:
        batch_op.create_index("ix_otp_sends_phone_sent_at", ["phone", "sent_at"], unique=False)
        batch_op.create_index(
            "ix_otp_sends_client_address_sent_at", ["client_address", "sent_at"], unique=False
        )
        batch_op.create_index("ix_otp_sends_user_sent_at", ["user_id", "sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("otp_sends", schema=None) as batch_op:
        batch_op.drop_index("ix_otp_sends_user_sent_at")
        batch_op.drop_index("ix_otp_sends_client_address_sent_at")
        batch_op.drop_index("ix_otp_sends_phone_sent_at")
    op.drop_table("otp_sends")
