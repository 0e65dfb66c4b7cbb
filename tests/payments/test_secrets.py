"""What payments put in logs and answers: no callback secret, no full phone number, no
provider credential."""

import httpx

from premier.db import Database
from premier.kit.redact import redact
from tests.payments.conftest import PUBLIC_URL, Fakes
from tests.payments.helpers import booking_to_pay, start_payment


def test_the_mpesa_callback_secret_and_phone_numbers_are_cut_from_log_lines() -> None:
    line = (
        '127.0.0.1 - "POST /api/v1/payments/callbacks/Zx81_secret-token HTTP/1.1" 200 '
        "PartyA=254712345678 phone=+254712345678"
    )
    redacted = redact(line)
    assert "Zx81_secret-token" not in redacted
    assert "254712345678" not in redacted
    assert "***678" in redacted


async def test_no_payment_answer_shows_the_callback_secret_or_the_phone(
    client: httpx.AsyncClient, database: Database, fakes: Fakes
) -> None:
    guest, booking = await booking_to_pay(client, database)
    started = await start_payment(
        client, guest, booking_id=booking["id"], method="mpesa", phone="0712345678"
    )
    secret = fakes.daraja.pushes[0]["CallBackURL"].removeprefix(
        PUBLIC_URL + "/api/v1/payments/callbacks/"
    )
    assert len(secret) >= 24
    shown = started.text + (await client.get("/api/v1/payments", headers=guest)).text
    assert secret not in shown
    assert "712345678" not in shown
