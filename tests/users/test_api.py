import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in


async def test_only_the_desks_that_deal_with_guests_list_their_contact_details(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id, _ = await signed_in(client, database)
    colleague_id, _ = await signed_in(
        client, database, role=Role.STAFF, department=Department.MAINTENANCE
    )
    for department in (Department.KITCHEN, Department.HOUSEKEEPING, Department.MAINTENANCE):
        _, staff = await signed_in(client, database, role=Role.STAFF, department=department)
        guests = (await client.get("/api/v1/users?role=guest", headers=staff)).json()
        assert guests["total"] == 0, department
        everyone = (await client.get("/api/v1/users", headers=staff)).json()
        listed = {u["id"] for u in everyone["items"]}
        assert guest_id not in listed and colleague_id in listed, department
        assert all(u["role"] != "guest" for u in everyone["items"])
    for department in (Department.FRONT_DESK, Department.CONCIERGE):
        _, staff = await signed_in(client, database, role=Role.STAFF, department=department)
        guests = (await client.get("/api/v1/users?role=guest", headers=staff)).json()
        assert [u["email"] for u in guests["items"] if u["id"] == guest_id], department
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    assert (await client.get("/api/v1/users?role=guest", headers=manager)).json()["total"] == 1


async def test_guests_cannot_list_users(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    assert (await client.get("/api/v1/users", headers=guest)).status_code == 403
