"""The messaging stats on known data: each figure has one meaning for email and text
messages, the days are the hotel's, and what the charts plot adds up to the figures."""

import itertools
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import httpx

from premier.db import Database
from premier.email.models import EmailQueue
from premier.sms.models import SmsQueue
from premier.users.models import Role
from tests.helpers import hotel_date, signed_in

NAIROBI = ZoneInfo("Africa/Nairobi")
_ids = itertools.count(1)


def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    """An instant at this hotel-clock time `days_ago` days before the hotel's today."""
    day = hotel_date(-days_ago)
    return datetime.combine(day, time(hour, minute), NAIROBI).astimezone(UTC)


def email(status: str, delivery: str | None = None, *, created: datetime) -> EmailQueue:
    n = next(_ids)
    return EmailQueue(
        message_id=f"<stats-{n}@hotel.test>", to_address=f"g{n}@example.com",
        from_address="hotel@example.com", subject="s", body_text="b", body_html="b",
        category="general", status=status, delivery_status=delivery, provider="capture",
        created_at=created,
    )  # fmt: skip


def text(status: str, delivery: str | None = None, *, created: datetime) -> SmsQueue:
    return SmsQueue(
        to_phone="+254712345678", body="hi", category="general", status=status,
        delivery_status=delivery, provider="twilio", segments=1, estimated_cost=80,
        created_at=created,
    )  # fmt: skip


async def test_email_and_sms_figures_on_known_data(
    client: httpx.AsyncClient, database: Database
) -> None:
    today, yesterday = at(0, 9), at(1, 9)
    # 01:30 on the hotel's clock today is still yesterday in UTC: it counts as today.
    small_hours = at(0, 1, 30)
    emails = (
        [email("sent", created=today) for _ in range(7)]
        + [email("sent", created=small_hours)]
        + [email("sent", "delivered", created=yesterday) for _ in range(6)]
        + [email("sent", "opened", created=yesterday) for _ in range(2)]
        + [email("sent", "bounced", created=yesterday) for _ in range(4)]
        + [email("queued", created=today) for _ in range(5)]
        + [email("sending", created=today)]
        + [email("failed", created=yesterday) for _ in range(3)]
        + [email("cancelled", created=yesterday)]
        + [email("sent", "delivered", created=at(40, 9))]  # before the period
    )
    texts = (
        [text("sent", "delivered", created=today) for _ in range(3)]
        + [text("sent", "undelivered", created=yesterday)]
        + [text("sent", created=yesterday) for _ in range(2)]
        + [text("queued", created=today) for _ in range(2)]
    )
    async with database.writing() as session:
        session.add_all([*emails, *texts])
        await session.commit()
    _, manager = await signed_in(client, database, role=Role.MANAGER)

    mail = (await client.get("/api/v1/emails/stats", params={"days": 30}, headers=manager)).json()
    assert (mail["total"], mail["sent"], mail["reported"], mail["delivered"]) == (30, 20, 12, 8)
    assert mail["delivery_rate"] == round(8 / 12, 4)
    assert mail["open_rate"] == round(2 / 8, 4)
    assert mail["bounce_rate"] == round(4 / 12, 4)
    assert (mail["since"], mail["until"]) == (str(hotel_date(-29)), str(hotel_date()))
    days = {d["day"]: d for d in mail["by_day"]}
    assert days[str(hotel_date())] == {"day": str(hotel_date()), "total": 14, "queued": 6,
                                       "sent": 8, "failed": 0}  # fmt: skip
    assert days[str(hotel_date(-1))] == {"day": str(hotel_date(-1)), "total": 16, "queued": 0,
                                         "sent": 12, "failed": 4}  # fmt: skip
    assert sum(d["sent"] for d in mail["by_day"]) == mail["sent"]
    assert sum(d["total"] for d in mail["by_day"]) == mail["total"]

    sms = (await client.get("/api/v1/sms/stats", params={"days": 30}, headers=manager)).json()
    assert (sms["total"], sms["sent"], sms["reported"], sms["delivered"]) == (8, 6, 4, 3)
    assert sms["delivery_rate"] == 0.75
    assert (sms["since"], sms["until"]) == (mail["since"], mail["until"])
    assert sum(d["messages"] for d in sms["by_day"]) == sms["sent"]
    assert {d["day"]: d["messages"] for d in sms["by_day"]} == {
        str(hotel_date()): 3,
        str(hotel_date(-1)): 3,
    }
    assert sms["estimated_cost"] == 6 * 80


async def test_sent_with_no_delivery_reports_is_no_rate_not_zero(
    client: httpx.AsyncClient, database: Database
) -> None:
    async with database.writing() as session:
        session.add_all([email("sent", created=at(0, 10)) for _ in range(42)])
        session.add_all([text("sent", created=at(0, 10)) for _ in range(42)])
        await session.commit()
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    mail = (await client.get("/api/v1/emails/stats", headers=manager)).json()
    sms = (await client.get("/api/v1/sms/stats", headers=manager)).json()
    for figures in (mail, sms):
        assert figures["sent"] == 42
        assert figures["reported"] == 0
        assert figures["delivery_rate"] is None


async def test_the_period_is_whole_hotel_days(
    client: httpx.AsyncClient, database: Database
) -> None:
    async with database.writing() as session:
        session.add_all([email("sent", created=at(6, 0, 5)), email("sent", created=at(7, 23, 55))])
        await session.commit()
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    week = (await client.get("/api/v1/emails/stats", params={"days": 7}, headers=manager)).json()
    assert week["sent"] == 1
    assert week["since"] == str(hotel_date(-6))
