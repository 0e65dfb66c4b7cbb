"""One bad provider answer fails one row, not the batch: the others go out once each."""

from collections.abc import AsyncIterator

import httpx
import pytest

from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.delivery.worker import QueueWorker
from premier.sms.models import SmsQueue
from premier.sms.providers.base import OutboundSms
from premier.sms.sending import sms_worker
from premier.users.models import Role
from tests.fakes.twilio import FakeTwilio
from tests.helpers import signed_in
from tests.sms.helpers import make_due, sms_rows


@pytest.fixture
async def sender(
    settings: Settings, database: Database
) -> AsyncIterator[QueueWorker[SmsQueue, OutboundSms]]:
    async with provider_session(connections=16) as http:
        yield sms_worker(database=database, settings=settings, http=http)


@pytest.mark.sms(
    providers=["twilio"], retry_base_seconds=0.001, retry_max_seconds=0.001, max_attempts=3
)
async def test_a_201_without_a_sid_fails_its_own_row_and_never_resends_the_others(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    sender: QueueWorker[SmsQueue, OutboundSms],
    twilio_fake: FakeTwilio,
) -> None:
    settings.breaker_failure_threshold = 1000
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    healthy = [f"+25471234567{n}" for n in range(5)]
    broken = "+254733000111"
    twilio_fake.answer_without_sid.add(broken)
    for to in [*healthy[:2], broken, *healthy[2:]]:
        response = await client.post(
            "/api/v1/sms/send", headers=admin, json={"to": to, "message": "Room ready"}
        )
        assert response.status_code == 202, response.text
    before = len(twilio_fake.messages)
    for _ in range(10):  # the worker's loop, with every retry due at once
        await sender.drain()
        await make_due(database)
    sent_to = [m["To"] for m in twilio_fake.messages[before:]]
    assert [sent_to.count(to) for to in healthy] == [1] * 5
    rows = {row.to_phone: row for row in await sms_rows(database)}
    assert all(rows[to].status == "sent" for to in healthy)
    bad = rows[broken]
    assert (bad.status, bad.delivery_status) == ("failed", "failed")
    assert bad.attempts == bad.max_attempts == sent_to.count(broken) == 3
    assert "KeyError" in (bad.last_error or "")
