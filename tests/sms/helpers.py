from typing import Any

from sqlalchemy import select, update

from premier.db import Database
from premier.kit.time import utcnow
from premier.sms.models import SmsQueue


async def sms_rows(database: Database, **where: Any) -> list[SmsQueue]:
    async with database.reading() as session:
        query = select(SmsQueue).order_by(SmsQueue.id)
        for name, value in where.items():
            query = query.where(getattr(SmsQueue, name) == value)
        return list((await session.scalars(query)).all())


async def make_due(database: Database) -> None:
    """Let time pass: every waiting row becomes due now."""
    async with database.writing() as session:
        await session.execute(update(SmsQueue).values(next_attempt_at=utcnow()))
        await session.commit()
