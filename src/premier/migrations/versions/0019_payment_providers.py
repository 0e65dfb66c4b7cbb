"""payment providers: webhook events, idempotency keys, refunds, and what a payment needs
from its provider (charge id, callback secret, exchange rate, next step)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_PAYMENT_COLUMNS = (
    ("provider_charge_id", sa.String(length=128)),
    ("bill_amount", sa.Integer()),
    ("bill_currency", sa.String(length=3)),
    ("fx_rate", sa.String(length=32)),
    ("fx_rate_at", sa.DateTime(timezone=True)),
    ("next_action", sa.String(length=16)),
    ("redirect_url", sa.Text()),
    ("callback_token_hash", sa.String(length=64)),
    ("flagged_reason", sa.Text()),
    ("checked_at", sa.DateTime(timezone=True)),
    ("settled_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        for name, kind in NEW_PAYMENT_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.create_index(
            "ix_payments_provider_charge_id", ["provider_charge_id"], unique=False
        )
        batch_op.create_unique_constraint(
            "uq_payments_callback_token_hash", ["callback_token_hash"]
        )

    op.create_table(
        "payment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=160), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_events_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_events")),
        sa.UniqueConstraint("provider", "event_id", name=op.f("uq_payment_events_provider")),
    )
    with op.batch_alter_table("payment_events", schema=None) as batch_op:
        batch_op.create_index("ix_payment_events_payment_id", ["payment_id"], unique=False)

    op.create_table(
        "payment_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_payment_requests_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_requests_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_requests")),
        sa.UniqueConstraint("actor_id", "key", name=op.f("uq_payment_requests_actor_id")),
    )

    op.create_table(
        "payment_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("provider_refund_id", sa.String(length=128), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_refunds_amount_positive")),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_payment_refunds_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_payment_refunds_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refunds")),
        sa.UniqueConstraint("payment_id", "key", name=op.f("uq_payment_refunds_payment_id")),
    )
    with op.batch_alter_table("payment_refunds", schema=None) as batch_op:
        batch_op.create_index("ix_payment_refunds_payment_id", ["payment_id"], unique=False)


def downgrade() -> None:
    op.drop_table("payment_refunds")
    op.drop_table("payment_requests")
    op.drop_table("payment_events")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint("uq_payments_callback_token_hash", type_="unique")
        batch_op.drop_index("ix_payments_provider_charge_id")
        for name, _ in reversed(NEW_PAYMENT_COLUMNS):
            batch_op.drop_column(name)
