"""Writes grouped into one transaction: one write lock and one commit for every item that
arrived while the previous group was being written.

On SQLite every write waits its turn for the one write lock and pays for a commit of its
own; on PostgreSQL a hot row lock does the same. A `GroupCommit` queue makes the turn and
the commit shared: what an item costs is its own statements plus its share of a commit.
The queue knows nothing of what it writes; its owner gives it the function that writes a
group in an open transaction and answers each item.

What the queue guarantees:

- One group at a time per queue, items in the order they came, at most `MAX_GROUP` in a
  group, so each item sees what the items before it wrote.
- An item whose caller has gone (its wait cancelled) before its group starts is not written.
- Items are answered after their group commits, so nobody hears of a write that did not
  happen. An item the owner refuses (answers with an exception) shares the commit too.
- One bad item fails only itself: a group that fails is written again one item at a time.
- An item written alone that breaks a unique constraint the queue was told of is answered
  with a `UniqueViolation` naming it, not an exception, for the owner to decide (draw a new
  key and submit again, or refuse in its own words). Other errors are raised as they are.

`returning_each` runs one statement for each of a group's items, in one round trip on
PostgreSQL.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

import structlog
from sqlalchemy import Dialect, Insert, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from premier.db.engines import Database

log = structlog.get_logger(__name__)

MAX_GROUP = 128

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True, slots=True)
class UniqueViolation:
    """An item written alone broke `constraint`, one the queue's owner said it handles."""

    constraint: str
    error: IntegrityError


@dataclass(slots=True)
class _Waiting(Generic[Item, Result]):
    item: Item
    answer: asyncio.Future[Result | UniqueViolation]


class GroupCommit(Generic[Item, Result]):
    """Writes the items of every caller waiting, one group (one transaction) at a time.

    `write(session, items)` writes a group in the open transaction and returns one answer
    per item, in order: its result, or the exception that refuses it. `commit(session)`
    ends the transaction (the owner's, when committing also announces something).
    """

    def __init__(
        self,
        database: Database,
        write: Callable[[AsyncSession, Sequence[Item]], Awaitable[Sequence[Result | Exception]]],
        *,
        commit: Callable[[AsyncSession], Awaitable[None]] | None = None,
        unique: Iterable[UniqueConstraint] = (),
        max_group: int = MAX_GROUP,
    ) -> None:
        self.database = database
        self._write_items = write
        self._commit = commit or _commit
        self._unique = tuple(unique)
        self._max_group = max_group
        self._waiting: list[_Waiting[Item, Result]] = []
        self._writing: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result | UniqueViolation:
        """Wait for `item`'s group to be written and committed; its answer."""
        answer: asyncio.Future[Result | UniqueViolation]
        answer = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(item, answer))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write_while_waiting())
        return await answer

    async def _write_while_waiting(self) -> None:
        waiting, size = self._waiting, self._max_group
        while waiting:
            group = [w for w in waiting[:size] if not w.answer.done()]
            del waiting[:size]
            if group:
                await self._write_group_or_each(group)

    async def _write_group_or_each(self, group: list[_Waiting[Item, Result]]) -> None:
        if len(group) == 1:
            await self._write_alone(group[0])
            return
        try:
            await self._write(group)
        except Exception as exc:
            # One bad item must not fail the others: write each on its own. Breaking a
            # registered unique constraint is expected (its owner handles it), not a fault.
            expected = isinstance(exc, IntegrityError) and self._violation(exc) is not None
            if expected:
                log.info("write_group_split_on_unique_violation", size=len(group))
            else:
                log.warning("write_group_failed", size=len(group), exc_info=exc)
            for waiting in group:
                await self._write_alone(waiting)

    async def _write_alone(self, waiting: _Waiting[Item, Result]) -> None:
        try:
            await self._write([waiting])
        except IntegrityError as exc:
            violation = self._violation(exc)
            if violation is None:
                _fail(waiting, exc)
            elif not waiting.answer.done():
                waiting.answer.set_result(violation)
        except Exception as exc:
            _fail(waiting, exc)

    async def _write(self, group: list[_Waiting[Item, Result]]) -> None:
        async with self.database.writing() as session:
            answers = await self._write_items(session, [w.item for w in group])
            await self._commit(session)
        for waiting, answer in zip(group, answers, strict=True):
            if isinstance(answer, Exception):
                _fail(waiting, answer)
            elif not waiting.answer.done():
                waiting.answer.set_result(answer)

    def _violation(self, error: IntegrityError) -> UniqueViolation | None:
        """Which of our unique constraints `error` reports breaking, if any.

        PostgreSQL names the constraint; SQLite names its columns instead.
        """
        said = str(error.orig)
        for constraint in self._unique:
            columns = ", ".join(f"{column.table.name}.{column.name}" for column in constraint)
            if f'"{constraint.name}"' in said or f"UNIQUE constraint failed: {columns}" in said:
                return UniqueViolation(str(constraint.name), error)
        return None


async def _commit(session: AsyncSession) -> None:
    await session.commit()


def _fail(waiting: _Waiting[Any, Any], error: BaseException) -> None:
    if not waiting.answer.done():
        waiting.answer.set_exception(error)


async def returning_each(
    connection: AsyncConnection, statement: Insert, params: list[dict[str, Any]]
) -> list[Mapping[Any, Any]]:
    """Execute `statement` once per parameter set, in order, in the open transaction; the
    rows they return (an INSERT … SELECT that selects nothing returns none).

    On PostgreSQL (asyncpg) more than one set goes in one round trip: asyncpg sends every
    execution at once and PostgreSQL runs them in order, in this transaction, so each still
    sees what the ones before it wrote. Otherwise (SQLite runs in this process: there is no
    round trip to save) and for a single set, they run one at a time through SQLAlchemy, so
    an error is SQLAlchemy's (a unique violation an IntegrityError, which GroupCommit reads
    when it writes an item alone).
    """
    if len(params) > 1 and connection.dialect.driver == "asyncpg":
        return await _returning_pipelined(connection, statement, params)
    rows: list[Mapping[Any, Any]] = []
    for one in params:
        rows.extend(row._mapping for row in await connection.execute(statement, one))
    return rows


async def _returning_pipelined(
    connection: AsyncConnection, statement: Insert, params: list[dict[str, Any]]
) -> list[Mapping[Any, Any]]:
    sql, order, constants = _positional(statement, connection.dialect)
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    # The transaction began with the group's first statement.
    assert driver is not None and driver.is_in_transaction()
    records = await driver.fetchmany(
        sql, [[one.get(name, constants.get(name)) for name in order] for one in params]
    )
    return [dict(record.items()) for record in records]


@cache
def _positional(statement: Insert, dialect: Dialect) -> tuple[str, list[str], dict[str, Any]]:
    """`statement` as the driver's text with $n placeholders; the names of its parameters in
    order; the values of the ones the statement fixes itself."""
    compiled = statement.compile(dialect=dialect)
    ours = {name for name, bind in compiled.binds.items() if bind.required}
    state = compiled.construct_expanded_state(dict.fromkeys(ours))
    constants = {k: v for k, v in state.parameters.items() if k not in ours}
    return state.statement, list(state.positiontup or []), constants
