"""refresh tokens rotated in families; failed sign-ins counted for throttling

Refresh tokens become opaque, single-use rows (only their SHA-256 kept) instead of JWTs
valid for their whole lifetime, so one can be spent, revoked and caught being reused.
Failed sign-ins, registrations and reset requests are counted in auth_attempts, which every
API instance shares, in place of the per-account lock (users.failed_login_count and
locked_until stay, unused: dropping them would rewrite the users table on SQLite).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_refresh_tokens_user_id_users"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_tokens_user_id"), ["user_id"])
        batch_op.create_index(batch_op.f("ix_refresh_tokens_family_id"), ["family_id"])
        batch_op.create_index(batch_op.f("ix_refresh_tokens_expires_at"), ["expires_at"])

    op.create_table(
        "auth_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_attempts")),
    )
    with op.batch_alter_table("auth_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_auth_attempts_action_account", ["action", "account", "created_at"]
        )
        batch_op.create_index(
            "ix_auth_attempts_action_address", ["action", "address", "created_at"]
        )
        batch_op.create_index(batch_op.f("ix_auth_attempts_created_at"), ["created_at"])


def downgrade() -> None:
    op.drop_table("auth_attempts")
    op.drop_table("refresh_tokens")
