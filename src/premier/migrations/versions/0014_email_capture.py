"""email capture: the development mail catcher's table is email_capture, its provider "capture"

"Outbox" now means only the domain event table (event_outbox). The catcher's table and
index are renamed, and rows that name the old provider name the new one, so the mail and
SMS already caught stay in the viewer.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose `provider` column names the provider that sent (or caught) a message.
PROVIDER_TABLES = ("email_queue", "sms_queue", "notification_delivery_log")


def _rename(old: str, new: str) -> None:
    op.rename_table(f"email_{old}", f"email_{new}")
    with op.batch_alter_table(f"email_{new}", schema=None) as batch_op:
        batch_op.drop_index(f"ix_email_{old}_message_id")
        batch_op.create_index(f"ix_email_{new}_message_id", ["message_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE email_{new} RENAME CONSTRAINT pk_email_{old} TO pk_email_{new}")
        op.execute(f"ALTER SEQUENCE IF EXISTS email_{old}_id_seq RENAME TO email_{new}_id_seq")
    for table in PROVIDER_TABLES:
        update = sa.text(f"UPDATE {table} SET provider = :new WHERE provider = :old")
        op.execute(update.bindparams(new=new, old=old))


def upgrade() -> None:
    _rename("outbox", "capture")


def downgrade() -> None:
    _rename("capture", "outbox")
