"""Writing many new rows in one statement and learning their ids.

The ORM's unit of work spends more Python on each row than the database spends storing it,
and on SQLite it must even insert rows one statement at a time to match ids to rows (SQLite
does not promise RETURNING's order). On hot paths (a fan-out batch's notifications and
queued messages) `insert_rows` writes them with one executemany instead:
- PostgreSQL: INSERT … RETURNING id, ordered by the parameters (SQLAlchemy's sorted
  insertmanyvalues);
- SQLite: a plain executemany inside the transaction's write lock (BEGIN IMMEDIATE), where
  each new row takes the largest rowid so far plus one, so the ids follow from the largest
  before the insert (one row alone simply uses RETURNING).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Table, func, insert, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

# SQLite's rowid algorithm gives up counting up here; never reached in practice.
LARGEST_ROWID = 2**63 - 1


async def insert_rows(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert `rows` in the session's transaction; their new ids, in order."""
    if not rows:
        return []
    # One statement for all: every row names the same columns (unset ones are NULL).
    keys = {key for row in rows for key in row}
    rows = [{key: row.get(key) for key in keys} for row in rows]
    if len(rows) == 1 or session.get_bind().dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(await session.scalars(statement, rows))
    largest = int(await session.scalar(select(func.max(table.c.id))) or 0)
    if largest + len(rows) >= LARGEST_ROWID:
        raise RuntimeError(f"{table.name}: ids are exhausted")
    await session.execute(insert(table), rows)
    newest = int(await session.scalar(select(func.max(table.c.id))) or 0)
    if newest != largest + len(rows):  # e.g. a table declared AUTOINCREMENT
        raise RuntimeError(f"{table.name}: new ids are not consecutive")
    return list(range(largest + 1, newest + 1))


def values_of(obj: DeclarativeBase) -> dict[str, Any]:
    """The column values of a new (never added) ORM object, for `insert_rows`. Columns left
    unset get their Python-side default here, on the object too, as a flush would."""
    state = inspect(obj)
    values: dict[str, Any] = {}
    for prop in state.mapper.column_attrs:
        column = prop.columns[0]
        if prop.key in state.dict:
            values[column.key] = state.dict[prop.key]
            continue
        default = column.default
        if default is None or column.primary_key or not hasattr(default, "arg"):
            continue
        value = default.arg(None) if default.is_callable else default.arg
        setattr(obj, prop.key, value)
        values[column.key] = value
    return values


async def insert_objects(session: AsyncSession, objects: Sequence[DeclarativeBase]) -> None:
    """Insert new ORM objects of one model in one statement and give each its id. They stay
    outside the session: plain records of what was written."""
    if not objects:
        return
    table = objects[0].__table__
    assert isinstance(table, Table)
    ids = await insert_rows(session, table, [values_of(obj) for obj in objects])
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id  # type: ignore[attr-defined]


async def insert_new(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]], returning: Sequence[str]
) -> list[Row[Any]]:
    """Insert those of `rows` that break none of the table's unique constraints
    (`ON CONFLICT DO NOTHING`), in one round trip; the `returning` columns of the rows
    inserted, in no promised order. A row repeating another in `rows` is left out like an
    old one. One statement run for many rows, not one statement naming them all, so its
    compiled form is cached."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert_into = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert_into(table)
        .on_conflict_do_nothing()
        .returning(*(table.c[name] for name in returning))
    )
    # Through the session's connection: Core, not the ORM's bulk insert of a mapped table.
    connection = await session.connection()
    return list(await connection.execute(statement, list(rows)))
