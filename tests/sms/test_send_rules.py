"""Staff text only guests with a booking; nobody sends a hand-made account SMS."""

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.sms.helpers import booked_guest, sms_rows

API = "/api/v1/sms/send"


async def test_staff_text_only_guests_with_a_booking(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id = await booked_guest(database, phone="+254722000222")
    await booked_guest(database, phone="+254722000333", status="cancelled")
    _, kitchen = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)

    by_number = await client.post(
        API, headers=kitchen, json={"to": "+254722000222", "message": "Your order is ready"}
    )
    assert by_number.status_code == 202, by_number.text
    by_account = await client.post(
        API, headers=kitchen, json={"user_id": guest_id, "message": "Your order is ready"}
    )
    assert by_account.status_code == 202, by_account.text
    for to in ("+254722000333", "+254722000999"):
        refused = await client.post(API, headers=kitchen, json={"to": to, "message": "Hi"})
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "recipient_not_a_guest"
    assert len(await sms_rows(database)) == 2
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    anyone = await client.post(API, headers=manager, json={"to": "+254722000999", "message": "Hi"})
    assert anyone.status_code == 202, anyone.text


async def test_nobody_sends_a_hand_made_account_sms(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    body = {"to": "+254722000222", "message": "123456 is your code", "category": "account"}
    refused = await client.post(API, headers=admin, json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "account_category"
    assert await sms_rows(database) == []
