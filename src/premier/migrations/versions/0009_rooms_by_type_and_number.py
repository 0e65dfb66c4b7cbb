"""the free-room probe: rooms indexed in the order a booking takes them, stays capped

A booking takes the first free room of its type by number: with rooms indexed by (type,
number) the probe stops at that room instead of checking every room of the type and then
sorting them. It reads a room's bookings from at most 60 nights before the stay, which
only holds while no stay is longer: the database now refuses one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 04:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_NIGHTS = 60  # premier.bookings.models.MAX_NIGHTS when this was written
CAP = "stay_at_most_60_nights"


def upgrade() -> None:
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.create_index("ix_rooms_type_number", ["room_type_id", "number"], unique=False)
        batch_op.drop_index("ix_rooms_room_type_id")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a CHECK only by rebuilding the table, which would drop its triggers.
        too_long = f"julianday(NEW.check_out) - julianday(NEW.check_in) > {MAX_NIGHTS}"
        for event in ("INSERT", "UPDATE OF check_in, check_out"):
            op.execute(
                f"CREATE TRIGGER bookings_{CAP}_{event.split()[0].lower()} "
                f"BEFORE {event} ON bookings WHEN {too_long} "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {CAP}'); END"
            )
    else:
        op.create_check_constraint(CAP, "bookings", f"check_out - check_in <= {MAX_NIGHTS}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS bookings_{CAP}_{event}")
    else:
        op.drop_constraint(f"ck_bookings_{CAP}", "bookings", type_="check")
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.create_index("ix_rooms_room_type_id", ["room_type_id"], unique=False)
        batch_op.drop_index("ix_rooms_type_number")
