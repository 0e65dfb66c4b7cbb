"""inventory version bumped by triggers, for cached availability

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What a change to each table must touch to alter availability or prices.
WATCHED = {
    "bookings": "status, room_id, room_type_id, check_in, check_out",
    "rooms": "status, room_type_id",
    "room_types": "is_active, capacity, base_rate, currency, name, code, description, "
    "image_urls, amenities",
    "room_rates": "room_type_id, start_date, end_date, nightly_rate",
}
# An upsert, so a truncated table cannot silence the triggers.
BUMP = (
    "INSERT INTO inventory_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = inventory_version.version + 1"
)


def upgrade() -> None:
    op.create_table(
        "inventory_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_version")),
    )
    op.execute("INSERT INTO inventory_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _sqlite_triggers() -> None:
    for table, columns in WATCHED.items():
        for event in ("INSERT", f"UPDATE OF {columns}", "DELETE"):
            name = f"inventory_bump_{table}_{event.split()[0].lower()}"
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP}; END"
            )


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION inventory_bump() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
    )
    for table, columns in WATCHED.items():
        # Deferred to commit: the version row is locked only while the change commits,
        # so concurrent bookings do not queue behind it for their whole transaction.
        op.execute(
            f"CREATE CONSTRAINT TRIGGER inventory_bump_{table} "
            f"AFTER INSERT OR UPDATE OF {columns} OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION inventory_bump()"
        )
        op.execute(
            f"CREATE TRIGGER inventory_bump_{table}_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION inventory_bump()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS inventory_bump_{table}_{event}")
    else:
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS inventory_bump_{table} ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS inventory_bump_{table}_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS inventory_bump()")
    op.drop_table("inventory_version")
