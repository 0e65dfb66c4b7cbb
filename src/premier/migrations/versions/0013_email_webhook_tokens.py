"""email webhook tokens: a Mailgun signature is accepted once

Mailgun signs only a timestamp and a token, not the event they come with; the tokens seen
within the accepted age are kept so that one captured signature cannot carry other events.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_webhook_tokens",
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("token", sa.String(length=128), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "token", name=op.f("pk_email_webhook_tokens")),
    )
    with op.batch_alter_table("email_webhook_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_webhook_tokens_seen_at"), ["seen_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("email_webhook_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_webhook_tokens_seen_at"))
    op.drop_table("email_webhook_tokens")
