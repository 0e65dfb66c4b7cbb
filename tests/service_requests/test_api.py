import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import checked_in_stay, signed_in


async def test_housekeeping_request_is_assigned_and_done(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    created = await client.post(
        "/api/v1/service-requests",
        json={"kind": "housekeeping", "description": "More towels", "booking_id": stay["id"]},
        headers=guest,
    )
    assert created.status_code == 201
    request = created.json()
    assert request["room_number"] == stay["room_number"]
    assert request["status"] == "open"

    maid_id, maid = await signed_in(
        client, database, role=Role.STAFF, department=Department.HOUSEKEEPING
    )
    queue = (await client.get("/api/v1/service-requests?status=open", headers=maid)).json()
    assert [r["id"] for r in queue["items"]] == [request["id"]]
    url = f"/api/v1/service-requests/{request['id']}"
    assigned = await client.post(f"{url}/assign", json={"assignee_id": maid_id}, headers=maid)
    assert assigned.json()["status"] == "assigned"
    assert assigned.json()["assignee_id"] == maid_id
    started = await client.post(f"{url}/status", json={"status": "in_progress"}, headers=maid)
    assert started.json()["status"] == "in_progress"
    done = await client.post(f"{url}/status", json={"status": "done"}, headers=maid)
    assert done.json()["status"] == "done"
    assert done.json()["completed_at"] is not None


async def test_departments_see_and_handle_only_their_requests(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, other_guest = await signed_in(client, database)
    concierge = (
        await client.post(
            "/api/v1/service-requests",
            json={"kind": "concierge", "description": "Taxi to the airport at 6"},
            headers=guest,
        )
    ).json()
    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    assert (await client.get("/api/v1/service-requests", headers=cook)).json()["total"] == 0
    cook_try = await client.post(
        f"/api/v1/service-requests/{concierge['id']}/status",
        json={"status": "done"},
        headers=cook,
    )
    # Out of the kitchen's reach, the request is 'not found', as another guest's is.
    assert cook_try.status_code == 404
    peek = await client.get(f"/api/v1/service-requests/{concierge['id']}", headers=other_guest)
    assert peek.status_code == 404
    # Assigning to a guest is refused; the front desk routes requests of every kind.
    desk_id, desk = await signed_in(
        client, database, role=Role.STAFF, department=Department.FRONT_DESK
    )
    to_guest = await client.post(
        f"/api/v1/service-requests/{concierge['id']}/assign",
        json={"assignee_id": concierge["guest_id"]},
        headers=desk,
    )
    assert to_guest.status_code == 422
    ok = await client.post(
        f"/api/v1/service-requests/{concierge['id']}/assign",
        json={"assignee_id": desk_id},
        headers=desk,
    )
    assert ok.status_code == 200


async def test_a_kitchen_clerk_cannot_read_a_housekeeping_request(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    towels = (
        await client.post(
            "/api/v1/service-requests",
            json={"kind": "housekeeping", "description": "Two more towels"},
            headers=guest,
        )
    ).json()
    url = f"/api/v1/service-requests/{towels['id']}"
    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    assert (await client.get(url, headers=cook)).status_code == 404
    _, fixer = await signed_in(client, database, role=Role.STAFF, department=Department.MAINTENANCE)
    assert (await client.get(url, headers=fixer)).status_code == 404
    _, maid = await signed_in(client, database, role=Role.STAFF, department=Department.HOUSEKEEPING)
    assert (await client.get(url, headers=maid)).status_code == 200
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    assert (await client.get(url, headers=desk)).status_code == 200


async def test_staff_of_another_department_read_a_request_once_it_is_assigned_to_them(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    request = (
        await client.post(
            "/api/v1/service-requests",
            json={"kind": "maintenance", "description": "The safe will not open"},
            headers=guest,
        )
    ).json()
    url = f"/api/v1/service-requests/{request['id']}"
    concierge_id, concierge = await signed_in(
        client, database, role=Role.STAFF, department=Department.CONCIERGE
    )
    assert (await client.get(url, headers=concierge)).status_code == 404
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    assigned = await client.post(f"{url}/assign", json={"assignee_id": concierge_id}, headers=desk)
    assert assigned.status_code == 200
    assert (await client.get(url, headers=concierge)).status_code == 200
    listed = (await client.get("/api/v1/service-requests", headers=concierge)).json()
    assert [r["id"] for r in listed["items"]] == [request["id"]]


async def test_guest_cancels_own_request_only(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    request = (
        await client.post(
            "/api/v1/service-requests",
            json={"kind": "maintenance", "description": "The tap drips", "priority": "high"},
            headers=guest,
        )
    ).json()
    url = f"/api/v1/service-requests/{request['id']}/status"
    assert (await client.post(url, json={"status": "done"}, headers=guest)).status_code == 403
    cancelled = await client.post(url, json={"status": "cancelled"}, headers=guest)
    assert cancelled.json()["status"] == "cancelled"
    bad = await client.post(
        "/api/v1/service-requests", json={"kind": "spa", "description": "massage"}, headers=guest
    )
    assert bad.status_code == 422
