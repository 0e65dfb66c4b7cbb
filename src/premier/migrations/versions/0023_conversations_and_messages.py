"""conversations and messages: guest <-> staff inboxes, staff chats, canned replies, and
the full-text index of messages (an FTS5 table kept by triggers on SQLite, a GIN index on
PostgreSQL)

Revision ID: 0023
Revises: 0024
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("shortcut", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("department", "shortcut", name=op.f("uq_canned_replies_department")),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("guest_id", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=32), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_conversations_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_conversations_booking_id_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"], ["users.id"], name=op.f("fk_conversations_guest_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversations_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(
            "ix_conversations_assignee_status", ["assignee_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_conversations_department_status", ["department", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_conversations_guest_id"), ["guest_id"], unique=False)

    op.create_table(
        "conversation_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_read_message_id", sa.Integer(), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_participants_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_conversation_participants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_participants")),
        sa.UniqueConstraint(
            "conversation_id", "user_id", name=op.f("uq_conversation_participants_conversation_id")
        ),
    )
    with op.batch_alter_table("conversation_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_participants_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("client_message_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"], name=op.f("fk_messages_sender_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("sender_id", "client_message_id", name=op.f("uq_messages_sender_id")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messages_conversation_id_id", ["conversation_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_messages_sender_id_created_at", ["sender_id", "created_at"], unique=False
        )

    op.create_table(
        "message_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_attachments_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"], ["uploads.id"], name=op.f("fk_message_attachments_upload_id_uploads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_attachments")),
        sa.UniqueConstraint(
            "message_id", "upload_id", name=op.f("uq_message_attachments_message_id")
        ),
    )
    _create_search_index()


def downgrade() -> None:
    _drop_search_index()
    op.drop_table("message_attachments")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_sender_id_created_at")
        batch_op.drop_index("ix_messages_conversation_id_id")

    op.drop_table("messages")
    with op.batch_alter_table("conversation_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_participants_user_id"))

    op.drop_table("conversation_participants")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_guest_id"))
        batch_op.drop_index("ix_conversations_department_status")
        batch_op.drop_index("ix_conversations_assignee_status")
        batch_op.drop_index(batch_op.f("ix_conversations_assignee_id"))

    op.drop_table("conversations")
    op.drop_table("canned_replies")


# Kept in step with premier.messaging.search, which queries them.
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE message_search USING fts5("
    "body, content='messages', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN "
    "INSERT INTO message_search(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN "
    "INSERT INTO message_search(message_search, rowid, body) "
    "VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER messages_search_update AFTER UPDATE OF body ON messages BEGIN "
    "INSERT INTO message_search(message_search, rowid, body) "
    "VALUES ('delete', old.id, old.body); "
    "INSERT INTO message_search(rowid, body) VALUES (new.id, new.body); END",
]
POSTGRES_SEARCH = [
    "CREATE INDEX ix_messages_body_search ON messages USING gin (to_tsvector('english', body))",
]


def _create_search_index() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH:
        op.execute(statement)


def _drop_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS messages_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS message_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_messages_body_search")
