"""avatars and review photos: a profile picture per account, up to four photos per review

The avatar is a plain upload id added with ALTER TABLE, as 0018 did for the audit columns:
on SQLite a foreign-key column means rebuilding the users table. A deleted upload simply
leaves the account without a picture (the read finds no upload and shows none).

Revision ID: 0026
Revises: 0022
Create Date: 2026-12-05 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("avatar_upload_id", sa.Integer(), nullable=True))
    op.create_table(
        "review_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_review_images_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_review_images_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_images")),
        sa.UniqueConstraint("review_id", "upload_id", name=op.f("uq_review_images_review_id")),
    )


def downgrade() -> None:
    op.drop_table("review_images")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("avatar_upload_id")
