"""Rows written many at a time learn their own ids, in the order they were given."""

from sqlalchemy import select

from premier.db import Database
from premier.db.bulk import insert_objects
from premier.sms.models import SmsQueue


def sms(body: str) -> SmsQueue:
    return SmsQueue(
        to_phone="+254712345678", body=body, category="general", estimated_cost=1,
        cost_currency="KES", segments=1, encoding="GSM-7", country="KE",
    )  # fmt: skip


async def test_each_row_gets_the_id_it_was_stored_under(database: Database) -> None:
    async with database.writing() as session:
        await insert_objects(session, [sms("before")])
        rows = [sms(f"message {n}") for n in range(5)]
        await insert_objects(session, rows)
        await session.commit()
    assert rows[0].status == "queued" and rows[0].created_at is not None, "defaults filled in"
    async with database.reading() as session:
        stored = {row.id: row.body for row in await session.scalars(select(SmsQueue))}
    assert {row.id: row.body for row in rows} == {
        key: body for key, body in stored.items() if body != "before"
    }
