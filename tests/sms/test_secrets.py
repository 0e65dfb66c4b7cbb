"""Verification codes never show in the SMS queue; only the development capture viewer
shows them."""

import re

import httpx
import pytest

from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.notifications.disclosure import WITHHELD
from premier.sms.sending import sms_worker
from premier.users.models import Role
from tests.helpers import signed_in
from tests.sms.helpers import sms_rows

START = "/api/v1/auth/phone/verify/start"


async def code_sent(client: httpx.AsyncClient, database: Database, settings: Settings) -> str:
    _, guest = await signed_in(client, database)
    started = await client.post(START, headers=guest, json={"phone": "+254722000111"})
    assert started.status_code == 202, started.text
    [row] = await sms_rows(database, template="auth.phone_otp")
    async with provider_session(connections=1) as http:
        worker = sms_worker(database=database, settings=settings, http=http)
        assert (await worker.drain()).claimed == 1
    match = re.match(r"^(\d{6}) ", row.body)
    assert match
    return match.group(1)


async def test_a_manager_cannot_read_a_guests_verification_code(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    code = await code_sent(client, database, settings)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    queue = await client.get("/api/v1/sms/queue", headers=manager)
    captured = await client.get("/api/v1/sms/captured", headers=manager)
    for page in (queue, captured):
        assert page.status_code == 200, page.text
        [row] = [r for r in page.json()["items"] if r["template"] == "auth.phone_otp"]
        assert row["body"] == WITHHELD
        assert code not in page.text


@pytest.mark.sms(providers=["capture"])
async def test_the_development_capture_viewer_shows_the_code_and_the_queue_still_does_not(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.environment = "development"
    code = await code_sent(client, database, settings)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    captured = (await client.get("/api/v1/sms/captured", headers=manager)).json()
    assert captured["items"][0]["body"].startswith(code)
    queue = await client.get("/api/v1/sms/queue", headers=manager)
    assert code not in queue.text
