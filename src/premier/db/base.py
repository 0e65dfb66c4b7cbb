"""The declarative base every model derives from, and the column types they share."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, MetaData, Table, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from premier.kit.time import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in and out; SQLite would otherwise hand back naive datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC datetimes")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


def core_table(model: type[Base]) -> Table:
    """A model's table, for rows written many at a time with Core (`insert(table)`, a list
    of dicts): the ORM's bulk path spends more on each row in Python than the database
    spends storing it, and on hot paths (a booking's realtime history, a notification's
    delivery log, a fan-out batch's outbox marks) that is most of the write's cost."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Audited:
    """Who created a row and who last changed it, for tables staff edit by hand.

    Plain user ids rather than foreign keys: adding a foreign-key column to an existing
    SQLite table means rebuilding it, which would drop the inventory triggers on the room
    tables. Accounts are deactivated, never deleted, so the ids keep their meaning.
    """

    created_by_id: Mapped[int | None] = mapped_column(default=None)
    updated_by_id: Mapped[int | None] = mapped_column(default=None)


class Timestamped:
    """Audit columns every business table carries."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
