"""push and announcements: browsers' push subscriptions, the push queue, announcements and
their recipients (whose acknowledgement an emergency waits for)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("title_sw", sa.String(length=200), nullable=False),
        sa.Column("body_sw", sa.Text(), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("target", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_by_worker", sa.String(length=64), nullable=True),
        sa.Column("recipient_count", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("client_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_announcements_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
        sa.UniqueConstraint("created_by", "client_key", name=op.f("uq_announcements_created_by")),
    )
    op.create_index(
        "ix_announcements_due", "announcements", ["status", "scheduled_for"], unique=False
    )
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("p256dh", sa.String(length=128), nullable=False),
        sa.Column("auth", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_push_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("user_id", "device_id", name=op.f("uq_push_subscriptions_user_id")),
    )
    op.create_index(
        op.f("ix_push_subscriptions_user_id"), "push_subscriptions", ["user_id"], unique=False
    )
    op.create_table(
        "announcement_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcements.id"],
            name=op.f("fk_announcement_recipients_announcement_id_announcements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_announcement_recipients_notification_id_notifications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_announcement_recipients_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement_recipients")),
        sa.UniqueConstraint(
            "announcement_id", "user_id", name=op.f("uq_announcement_recipients_announcement_id")
        ),
    )
    op.create_index(
        op.f("ix_announcement_recipients_notification_id"),
        "announcement_recipients",
        ["notification_id"],
        unique=False,
    )
    op.create_index(
        "ix_announcement_recipients_user_id",
        "announcement_recipients",
        ["user_id", "announcement_id"],
        unique=False,
    )
    op.create_table(
        "push_queue",
        sa.Column("subscription_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("p256dh", sa.String(length=128), nullable=False),
        sa.Column("auth", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("ttl_seconds", sa.Integer(), nullable=False),
        sa.Column("urgency", sa.String(length=8), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=True),
        sa.Column("provider_message_id", sa.String(length=255), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_push_queue_notification_id_notifications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["push_subscriptions.id"],
            name=op.f("fk_push_queue_subscription_id_push_subscriptions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_push_queue_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_queue")),
    )
    op.create_index("ix_push_queue_due", "push_queue", ["status", "next_attempt_at"], unique=False)
    op.create_index(
        "ix_push_queue_lease", "push_queue", ["status", "lease_expires_at"], unique=False
    )
    op.create_index(
        op.f("ix_push_queue_provider_message_id"),
        "push_queue",
        ["provider_message_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_push_queue_subscription_id"), "push_queue", ["subscription_id"], unique=False
    )
    op.create_index(op.f("ix_push_queue_user_id"), "push_queue", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_push_queue_user_id"), table_name="push_queue")
    op.drop_index(op.f("ix_push_queue_subscription_id"), table_name="push_queue")
    op.drop_index(op.f("ix_push_queue_provider_message_id"), table_name="push_queue")
    op.drop_index("ix_push_queue_lease", table_name="push_queue")
    op.drop_index("ix_push_queue_due", table_name="push_queue")
    op.drop_table("push_queue")
    op.drop_index("ix_announcement_recipients_user_id", table_name="announcement_recipients")
    op.drop_index(
        op.f("ix_announcement_recipients_notification_id"), table_name="announcement_recipients"
    )
    op.drop_table("announcement_recipients")
    op.drop_index(op.f("ix_push_subscriptions_user_id"), table_name="push_subscriptions")
    op.drop_table("push_subscriptions")
    op.drop_index("ix_announcements_due", table_name="announcements")
    op.drop_table("announcements")
