"""guest profiles: a guest's preferences, and the notes staff keep about them

Revision ID: 0028
Revises: 0030
Create Date: 2026-12-05 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guest_preferences",
        sa.Column("guest_id", sa.Integer(), nullable=False),
        sa.Column("pillow", sa.String(length=16), nullable=True),
        sa.Column("floor", sa.String(length=8), nullable=True),
        sa.Column("dietary", sa.JSON(), nullable=False),
        sa.Column("allergies", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("other", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guest_id"], ["users.id"], name=op.f("fk_guest_preferences_guest_id_users")
        ),
        sa.PrimaryKeyConstraint("guest_id", name=op.f("pk_guest_preferences")),
    )
    op.create_table(
        "guest_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guest_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_guest_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["guest_id"], ["users.id"], name=op.f("fk_guest_notes_guest_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guest_notes")),
    )
    with op.batch_alter_table("guest_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guest_notes_guest_id"), ["guest_id"], unique=False)


def downgrade() -> None:
    op.drop_table("guest_notes")
    op.drop_table("guest_preferences")
