"""management: room-type galleries, dish photos, and who changed what

Photos are uploads linked by id: a room type's gallery in the order guests see it, and one
photo per dish. The tables staff edit by hand (room types, rooms, rates, the menu, accounts)
record who created a row and who changed it last. Those are plain ids, added with ALTER
TABLE: on SQLite a foreign-key column means rebuilding the table, which would drop the
inventory triggers on the room tables.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0018"
down_revision: str | None = "0017"  # the uploads the photos link to
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDITED = ("room_types", "rooms", "room_rates", "menu_items", "users")
# As 0007's triggers do for the room tables: searches show galleries from the inventory
# snapshot, so a gallery change must move the inventory version on.
BUMP = (
    "INSERT INTO inventory_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = inventory_version.version + 1"
)
GALLERY_EVENTS = ("INSERT", "UPDATE OF room_type_id, upload_id, position", "DELETE")


def upgrade() -> None:
    for table in AUDITED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))

    op.create_table(
        "room_type_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_type_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["room_type_id"],
            ["room_types.id"],
            name=op.f("fk_room_type_images_room_type_id_room_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_room_type_images_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_type_images")),
        sa.UniqueConstraint(
            "room_type_id", "upload_id", name=op.f("uq_room_type_images_type_upload")
        ),
    )
    with op.batch_alter_table("room_type_images", schema=None) as batch_op:
        batch_op.create_index(
            "ix_room_type_images_type_position", ["room_type_id", "position"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        for event in GALLERY_EVENTS:
            name = f"inventory_bump_room_type_images_{event.split()[0].lower()}"
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON room_type_images BEGIN {BUMP}; END"
            )
    else:
        op.execute(
            "CREATE CONSTRAINT TRIGGER inventory_bump_room_type_images "
            f"AFTER {' OR '.join(GALLERY_EVENTS)} ON room_type_images "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION inventory_bump()"
        )

    op.create_table(
        "menu_item_images",
        sa.Column("menu_item_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["menu_item_id"],
            ["menu_items.id"],
            name=op.f("fk_menu_item_images_menu_item_id_menu_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_menu_item_images_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("menu_item_id", name=op.f("pk_menu_item_images")),
    )


def downgrade() -> None:
    op.drop_table("menu_item_images")
    if op.get_bind().dialect.name == "sqlite":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS inventory_bump_room_type_images_{event}")
    else:
        op.execute("DROP TRIGGER IF EXISTS inventory_bump_room_type_images ON room_type_images")
    with op.batch_alter_table("room_type_images", schema=None) as batch_op:
        batch_op.drop_index("ix_room_type_images_type_position")
    op.drop_table("room_type_images")
    if op.get_bind().dialect.name == "sqlite":
        # DROP COLUMN in place (SQLite 3.35+): a rebuilt table would lose its triggers.
        for table in AUDITED:
            op.execute(f"ALTER TABLE {table} DROP COLUMN updated_by_id")
            op.execute(f"ALTER TABLE {table} DROP COLUMN created_by_id")
        return
    for table in AUDITED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_by_id")
            batch_op.drop_column("created_by_id")
